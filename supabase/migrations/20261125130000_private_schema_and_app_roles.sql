-- Private helpers and application roles.
--
-- Policies across the kit share small helper functions. They live in schema `private`, which the
-- REST API does not expose (config.toml `[api] schemas`), so they cannot be called over /rest/v1/rpc.
-- Signed-in users still need USAGE on the schema and EXECUTE on the helpers, because policies run
-- with the privileges of the querying role.
--
-- Application roles (admin, moderator) come from the JWT claim `app_metadata.role`. Only the
-- service role (or SQL) can write `app_metadata`, so a user cannot promote themselves.

create schema if not exists private;
comment on schema private is
  'Helpers used by policies, triggers and API functions. Not exposed by the REST API.';

revoke all on schema private from public, anon;
grant usage on schema private to authenticated, service_role;

-- Application role -------------------------------------------------------------------------------

create or replace function private.app_role()
returns text
language sql
stable
set search_path = ''
as $$
  select nullif(auth.jwt() -> 'app_metadata' ->> 'role', '');
$$;
comment on function private.app_role() is
  'The caller''s application role from JWT app_metadata.role (''admin'', ''moderator'') or null.';

create or replace function private.is_admin()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(private.app_role() = 'admin', false);
$$;
comment on function private.is_admin() is
  'True when the caller''s JWT carries app_metadata.role = admin.';

create or replace function private.is_moderator()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(private.app_role() in ('admin', 'moderator'), false);
$$;
comment on function private.is_moderator() is
  'True for moderators and admins (admins hold every moderator right).';

revoke execute on function private.app_role(), private.is_admin(), private.is_moderator() from public, anon;
grant execute on function private.app_role(), private.is_admin(), private.is_moderator() to authenticated, service_role;
