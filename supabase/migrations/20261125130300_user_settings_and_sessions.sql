-- Security settings and sessions.
--
-- Each user has one settings row (created with their profile): who may start conversations with
-- them, privacy switches, and a placeholder for notification defaults. Only the owner reads and
-- changes it; other users' rights (e.g. "may I message X?") are answered by security definer
-- helpers that reveal a yes/no, never the settings themselves.
--
-- Sessions live in Auth's table auth.sessions, which the API roles cannot read. Two functions let
-- a user list their own sessions and revoke one (or all others); they only ever touch rows whose
-- user_id is the caller's.

create type public.message_permission as enum ('everyone', 'shared_rooms', 'nobody');
comment on type public.message_permission is
  'Who may start a direct conversation with a user or add them to a group: everyone, only people who already share a room with them, or nobody.';

create table public.user_settings (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  allow_messages_from public.message_permission not null default 'everyone',
  show_online_status boolean not null default true,
  show_read_receipts boolean not null default true,
  notification_preferences jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now(),
  constraint user_settings_notification_preferences_object check (jsonb_typeof(notification_preferences) = 'object')
);
comment on table public.user_settings is
  'Per-user security and privacy settings (one row per profile). Only the owner reads and updates it.';
comment on column public.user_settings.allow_messages_from is
  'Who may open a direct room with this user or add them to a group (blocks always win).';
comment on column public.user_settings.show_online_status is
  'Whether clients should publish this user''s presence (online/typing) to others.';
comment on column public.user_settings.show_read_receipts is
  'Whether clients should show others how far this user has read.';
comment on column public.user_settings.notification_preferences is
  'Notification defaults (placeholder: a JSON object whose keys are defined by the notification feature).';

alter table public.user_settings enable row level security;

revoke all on public.user_settings from anon, authenticated;
grant select on public.user_settings to authenticated;
grant update (allow_messages_from, show_online_status, show_read_receipts, notification_preferences)
  on public.user_settings to authenticated;

create policy "users read their own settings" on public.user_settings
  for select to authenticated
  using (user_id = (select auth.uid()));
comment on policy "users read their own settings" on public.user_settings is
  'A user sees only their own settings row.';

create policy "users update their own settings" on public.user_settings
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
comment on policy "users update their own settings" on public.user_settings is
  'A user changes only their own settings (columns granted for update).';

create or replace function private.create_user_settings()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.user_settings (user_id) values (new.id) on conflict (user_id) do nothing;
  return null;
end;
$$;
comment on function private.create_user_settings() is
  'Trigger on profiles insert: gives every new user a settings row with the defaults.';

create trigger profiles_create_settings
  after insert on public.profiles
  for each row execute function private.create_user_settings();
comment on trigger profiles_create_settings on public.profiles is 'Default user_settings row for each profile.';

create or replace function private.log_settings_update()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.updated_at := now();
  perform private.log_activity(new.user_id, 'settings.updated', 'user_settings', new.user_id::text,
    jsonb_build_object(
      'allow_messages_from', new.allow_messages_from,
      'show_online_status', new.show_online_status,
      'show_read_receipts', new.show_read_receipts));
  return new;
end;
$$;
comment on function private.log_settings_update() is
  'Trigger: stamps updated_at and logs settings.updated with the new security values.';

create trigger user_settings_log_update
  before update on public.user_settings
  for each row execute function private.log_settings_update();
comment on trigger user_settings_log_update on public.user_settings is 'Activity: settings.updated.';

revoke execute on function private.create_user_settings(), private.log_settings_update() from public, anon, authenticated;

-- Sessions ----------------------------------------------------------------------------------------

create or replace function public.list_my_sessions()
returns table (
  id uuid,
  created_at timestamptz,
  updated_at timestamptz,
  refreshed_at timestamp,
  not_after timestamptz,
  aal text,
  user_agent text,
  ip inet,
  is_current boolean
)
language sql
stable
security definer
set search_path = ''
as $$
  select s.id, s.created_at, s.updated_at, s.refreshed_at, s.not_after, s.aal::text, s.user_agent, s.ip,
         s.id::text = (auth.jwt() ->> 'session_id') as is_current
    from auth.sessions as s
   where s.user_id = auth.uid()
   order by coalesce(s.refreshed_at::timestamptz, s.updated_at, s.created_at) desc nulls last;
$$;
comment on function public.list_my_sessions() is
  'The caller''s Auth sessions (devices), most recently used first; is_current marks the session of the calling token.';

create or replace function public.revoke_my_session(session_id uuid)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
begin
  if caller is null then
    raise exception 'sign in to revoke a session' using errcode = '42501';
  end if;
  delete from auth.sessions as s where s.id = revoke_my_session.session_id and s.user_id = caller;
  if not found then
    return false;
  end if;
  perform private.log_activity(caller, 'session.revoked', 'session', revoke_my_session.session_id::text);
  return true;
end;
$$;
comment on function public.revoke_my_session(uuid) is
  'Signs out one of the caller''s sessions (its refresh tokens go with it). Returns false if no such session belongs to the caller.';

create or replace function public.revoke_my_other_sessions()
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  current_session text := auth.jwt() ->> 'session_id';
  revoked uuid[];
begin
  if caller is null then
    raise exception 'sign in to revoke sessions' using errcode = '42501';
  end if;
  with gone as (
    delete from auth.sessions as s
     where s.user_id = caller and s.id::text is distinct from current_session
    returning s.id
  )
  select coalesce(array_agg(id), '{}') into revoked from gone;
  if cardinality(revoked) > 0 then
    perform private.log_activity(caller, 'session.revoked_others', 'session', null,
      jsonb_build_object('session_ids', to_jsonb(revoked)));
  end if;
  return cardinality(revoked);
end;
$$;
comment on function public.revoke_my_other_sessions() is
  'Signs out every session of the caller except the one making the call; returns how many were revoked.';

revoke execute on function public.list_my_sessions(), public.revoke_my_session(uuid), public.revoke_my_other_sessions()
  from public, anon;
grant execute on function public.list_my_sessions(), public.revoke_my_session(uuid), public.revoke_my_other_sessions()
  to authenticated, service_role;
