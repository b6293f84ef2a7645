-- Activity tracking: an append-only log of what happened to each account.
--
-- Rows are written only by triggers and security definer functions (profile changed, password
-- changed, session revoked, room created/joined/left, message deleted, ...) through
-- private.log_activity(). Users read the entries about their own account; admins read everything;
-- nobody updates or deletes an entry, not even the service role.
--
-- Entries outlive the accounts they describe, so user ids are not foreign keys.

create table public.activity_log (
  id bigint generated always as identity primary key,
  user_id uuid,
  actor_id uuid,
  action text not null,
  target_type text,
  target_id text,
  metadata jsonb not null default '{}'::jsonb,
  ip inet,
  user_agent text,
  created_at timestamptz not null default now(),
  constraint activity_log_action_format check (action ~ '^[a-z_]+\.[a-z_]+$'),
  constraint activity_log_metadata_object check (jsonb_typeof(metadata) = 'object')
);
comment on table public.activity_log is
  'Append-only account activity (profile, password, sessions, rooms, messages). Users read their own entries, admins all; no one updates or deletes.';
comment on column public.activity_log.user_id is 'The account the entry belongs to (whose history it is).';
comment on column public.activity_log.actor_id is 'Who did it: the signed-in user at the time, or null for the system / Auth server.';
comment on column public.activity_log.action is 'What happened, as <subject>.<verb>, e.g. profile.updated, session.revoked, room.joined.';
comment on column public.activity_log.target_type is 'Kind of object acted on (profile, session, room, message, ...).';
comment on column public.activity_log.target_id is 'Id of the object acted on, as text.';
comment on column public.activity_log.ip is 'Client IP from the request headers (x-forwarded-for / x-real-ip) when the change came through the API.';
comment on column public.activity_log.user_agent is 'Client user agent from the request headers when present.';

create index activity_log_user_id_created_at_idx on public.activity_log (user_id, created_at desc);
create index activity_log_actor_id_idx on public.activity_log (actor_id);
create index activity_log_created_at_idx on public.activity_log (created_at desc);

alter table public.activity_log enable row level security;

-- Grants: reading goes through RLS; writing only through private.log_activity(). The service role
-- may append (server-side code logging its own events) but never rewrite history.
revoke all on public.activity_log from anon, authenticated, service_role;
grant select on public.activity_log to authenticated;
grant select, insert on public.activity_log to service_role;

create policy "users read their own activity" on public.activity_log
  for select to authenticated
  using (user_id = (select auth.uid()));
comment on policy "users read their own activity" on public.activity_log is
  'A signed-in user sees the entries about their own account.';

create policy "admins read all activity" on public.activity_log
  for select to authenticated
  using ((select private.is_admin()));
comment on policy "admins read all activity" on public.activity_log is
  'Admins (app_metadata.role = admin) see every entry.';

-- Append-only, enforced for every role including table owners and the service role.
create or replace function private.forbid_activity_log_changes()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'activity_log is append-only: % is not allowed', lower(tg_op)
    using errcode = '42501';
end;
$$;
comment on function private.forbid_activity_log_changes() is
  'Trigger: rejects UPDATE, DELETE and TRUNCATE on public.activity_log.';

create trigger activity_log_is_append_only
  before update or delete on public.activity_log
  for each row execute function private.forbid_activity_log_changes();
comment on trigger activity_log_is_append_only on public.activity_log is 'Entries are never changed or removed.';

create trigger activity_log_no_truncate
  before truncate on public.activity_log
  for each statement execute function private.forbid_activity_log_changes();
comment on trigger activity_log_no_truncate on public.activity_log is 'The log cannot be emptied.';

-- Request context ---------------------------------------------------------------------------------

create or replace function private.request_header(header_name text)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  -- PostgREST sets request.headers to a JSON object with lower-case header names.
  return nullif(current_setting('request.headers', true), '')::jsonb ->> lower(header_name);
exception when invalid_text_representation then
  return null;
end;
$$;
comment on function private.request_header(text) is
  'A header of the current API request (from request.headers set by PostgREST), or null outside a request.';

create or replace function private.request_ip()
returns inet
language plpgsql
stable
set search_path = ''
as $$
declare
  candidate text := coalesce(
    nullif(trim(split_part(private.request_header('x-forwarded-for'), ',', 1)), ''),
    private.request_header('x-real-ip'),
    private.request_header('cf-connecting-ip')
  );
begin
  return candidate::inet;
exception when others then
  return null;
end;
$$;
comment on function private.request_ip() is
  'The client IP of the current API request (first x-forwarded-for hop, else x-real-ip), or null.';

create or replace function private.log_activity(
  user_id uuid,
  action text,
  target_type text default null,
  target_id text default null,
  metadata jsonb default '{}'::jsonb
)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  insert into public.activity_log (user_id, actor_id, action, target_type, target_id, metadata, ip, user_agent)
  values (
    log_activity.user_id,
    auth.uid(),
    log_activity.action,
    log_activity.target_type,
    log_activity.target_id,
    coalesce(log_activity.metadata, '{}'::jsonb),
    private.request_ip(),
    left(private.request_header('user-agent'), 512)
  );
end;
$$;
comment on function private.log_activity(uuid, text, text, text, jsonb) is
  'Appends an activity entry for an account; the actor is the signed-in user (auth.uid()), IP and user agent come from the request headers.';

revoke execute on function private.forbid_activity_log_changes(), private.request_header(text), private.request_ip(),
  private.log_activity(uuid, text, text, text, jsonb) from public, anon, authenticated;
grant execute on function private.request_header(text), private.request_ip(),
  private.log_activity(uuid, text, text, text, jsonb) to service_role;

-- Password changes, recorded from Auth's own table -----------------------------------------------

create or replace function private.log_password_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.log_activity(new.id, 'password.changed', 'user', new.id::text);
  return null;
end;
$$;
comment on function private.log_password_change() is
  'Trigger on auth.users: logs password.changed when encrypted_password changes (sign-up itself is not a change).';

revoke execute on function private.log_password_change() from public, anon, authenticated;

create trigger on_auth_user_password_changed
  after update of encrypted_password on auth.users
  for each row
  when (old.encrypted_password is distinct from new.encrypted_password)
  execute function private.log_password_change();
-- (No `comment on trigger` here: on Supabase the auth.users table belongs to the Auth server, and
-- only its owner may comment on its triggers. The function's comment documents it.)
