-- 05 · auth.uid(), auth.role(), auth.email(), auth.jwt(): the claims of the current request.
--
-- PostgREST (v10+) puts the verified JWT claims in `request.jwt.claims` (one JSON GUC); older
-- PostgREST and Storage also set one GUC per claim (`request.jwt.claim.sub`, ...). The per-claim
-- GUC wins when both are set, then the JSON one; with neither the result is null. A `sub` that is
-- not a uuid makes auth.uid() raise (invalid_text_representation), as on Supabase.
--
-- Mirrors: supabase/auth migrations/20220224000811_update_auth_functions.up.sql and
-- 20220531120530_add_auth_jwt_function.up.sql (function bodies, `language sql stable`, owner
-- supabase_auth_admin, "Deprecated" comments); grants from supabase/postgres
-- 20211115181400_update-auth-permissions.sql and the realtime init script.
--
-- Policies should call them as `(select auth.uid())` so the planner evaluates them once per
-- statement instead of once per row.

set local role supabase_auth_admin;

create or replace function auth.uid()
returns uuid
language sql
stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
  )::uuid
$$;
comment on function auth.uid() is 'Deprecated. Use auth.jwt() -> ''sub'' instead.';

create or replace function auth.role()
returns text
language sql
stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
  )::text
$$;
comment on function auth.role() is 'Deprecated. Use auth.jwt() -> ''role'' instead.';

create or replace function auth.email()
returns text
language sql
stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'
  )::text
$$;
comment on function auth.email() is 'Deprecated. Use auth.jwt() -> ''email'' instead.';

-- `request.jwt.claim` (singular) is the whole-claims GUC of PostgREST 9; it wins for the same
-- reason the per-claim GUCs do.
create or replace function auth.jwt()
returns jsonb
language sql
stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;
comment on function auth.jwt() is 'The claims of the request''s JWT (request.jwt.claims as set by PostgREST), or null outside a request.';

set local role supabase_admin;

-- anon and authenticated call these through PUBLIC's default EXECUTE (Supabase grants nothing
-- more); postgres and Studio get ALL through the default privileges of 04. Realtime's admin
-- evaluates channel policies that call them.
grant execute on all functions in schema auth to supabase_realtime_admin;

reset role;
