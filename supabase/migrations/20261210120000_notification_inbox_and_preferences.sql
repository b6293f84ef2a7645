-- Notifications, the user's side: what can be notified, how each user wants it, and where it lands.
--
--   notification_types        the event catalogue (read by everyone signed in): each type's
--                             category, default channels, and whether it is mandatory (security),
--                             ignores quiet hours, or is folded into a digest email per room.
--   notification_preferences  per user, type and channel: on or off (no row = on). Mandatory
--                             types cannot be turned off.
--   notification_settings     per user: quiet hours (in the profile's time zone) and the digest
--                             window for message emails.
--   notifications             the in-app inbox: one row per delivered in-app notification,
--                             unread / read / archived, streamed live on the user's private
--                             channel user:<id> as event `notifications`.
--   push_subscriptions        Web Push subscriptions, one per browser/device.
--
-- Users see and change only their own rows. Nobody but the database (triggers) and the
-- processor (service_role) creates notifications: there is no INSERT grant on `notifications`.

create type public.notification_channel as enum ('in_app', 'email', 'push');
comment on type public.notification_channel is 'Where a notification is delivered: the in-app inbox, an email, or a Web Push message.';

-- The catalogue ---------------------------------------------------------------------------------

create table public.notification_types (
  type text primary key,
  category text not null,
  description text not null,
  channels public.notification_channel[] not null,
  mandatory boolean not null default false,
  ignores_quiet_hours boolean not null default false,
  digest boolean not null default false,
  required_payload text[] not null default '{}'
);
comment on table public.notification_types is
  'The event catalogue: every notification type the system delivers, with its defaults. Read-only for users.';
comment on column public.notification_types.category is 'Groups types for unsubscribe links (one link per category).';
comment on column public.notification_types.channels is 'Channels a notification of this type goes to, before preferences.';
comment on column public.notification_types.mandatory is 'Cannot be turned off (security notices): preferences do not apply.';
comment on column public.notification_types.ignores_quiet_hours is 'Delivered at once even during the user''s quiet hours.';
comment on column public.notification_types.digest is 'Emails of this type are held for the user''s digest window and folded into one email per room.';
comment on column public.notification_types.required_payload is 'Keys the event payload must have; an event without them is rejected with the reason.';

insert into public.notification_types (type, category, description, channels, mandatory, ignores_quiet_hours, digest, required_payload) values
  ('welcome', 'account', 'Your account is confirmed', '{in_app,email}', false, true, false, '{}'),
  ('new_message', 'messages', 'A new message in one of your rooms', '{in_app,email,push}', false, false, true, '{room_id,message_id}'),
  ('mention', 'mentions', 'Someone mentioned you in a message', '{in_app,email,push}', false, false, false, '{room_id,message_id}'),
  ('direct_conversation', 'conversations', 'Someone started a direct conversation with you', '{in_app,email,push}', false, false, false, '{room_id}'),
  ('room_added', 'conversations', 'You were added to a room', '{in_app,email,push}', false, false, false, '{room_id}'),
  ('file_ready', 'files', 'A file you uploaded is processed and ready', '{in_app,push}', false, false, false, '{file_name}'),
  ('security.new_device', 'security', 'A sign-in from a new device', '{in_app,email}', true, true, false, '{}'),
  ('security.password_changed', 'security', 'Your password was changed', '{in_app,email}', true, true, false, '{}'),
  ('security.email_changed', 'security', 'Your email address was changed', '{in_app,email}', true, true, false, '{}'),
  ('security.mfa_enabled', 'security', 'Two-factor authentication was turned on', '{in_app,email}', true, true, false, '{}'),
  ('security.mfa_disabled', 'security', 'Two-factor authentication was turned off', '{in_app,email}', true, true, false, '{}');

alter table public.notification_types enable row level security;
revoke all on public.notification_types from anon, authenticated;
grant select on public.notification_types to authenticated;

create policy "signed-in users read the notification catalogue" on public.notification_types
  for select to authenticated
  using (true);
comment on policy "signed-in users read the notification catalogue" on public.notification_types is
  'The catalogue is the same for everyone: the preferences page lists it.';

-- Preferences -----------------------------------------------------------------------------------

create table public.notification_preferences (
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  type text not null references public.notification_types (type) on delete cascade,
  channel public.notification_channel not null,
  enabled boolean not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, type, channel)
);
comment on table public.notification_preferences is
  'Per user, type and channel: whether to deliver. No row means the type''s default (on). Owners only.';

alter table public.notification_preferences enable row level security;
revoke all on public.notification_preferences from anon, authenticated;
grant select, delete on public.notification_preferences to authenticated;
grant insert (user_id, type, channel, enabled), update (enabled) on public.notification_preferences to authenticated;

create or replace function private.is_optional_notification_type(type text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select from public.notification_types as t where t.type = is_optional_notification_type.type and not t.mandatory);
$$;
comment on function private.is_optional_notification_type(text) is 'True for catalogue types a user may turn off (not mandatory).';
revoke execute on function private.is_optional_notification_type(text) from public, anon;
grant execute on function private.is_optional_notification_type(text) to authenticated, service_role;

create policy "users read their own notification preferences" on public.notification_preferences
  for select to authenticated
  using (user_id = (select auth.uid()));
comment on policy "users read their own notification preferences" on public.notification_preferences is
  'A user sees only their own preferences.';

create policy "users set their own notification preferences" on public.notification_preferences
  for insert to authenticated
  with check (user_id = (select auth.uid()) and (enabled or private.is_optional_notification_type(type)));
comment on policy "users set their own notification preferences" on public.notification_preferences is
  'A user sets preferences only for themselves, and cannot turn off a mandatory (security) type.';

create policy "users change their own notification preferences" on public.notification_preferences
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and (enabled or private.is_optional_notification_type(type)));
comment on policy "users change their own notification preferences" on public.notification_preferences is
  'A user changes only their own preferences, and cannot turn off a mandatory (security) type.';

create policy "users reset their own notification preferences" on public.notification_preferences
  for delete to authenticated
  using (user_id = (select auth.uid()));
comment on policy "users reset their own notification preferences" on public.notification_preferences is
  'Deleting a preference returns to the default (on).';

create table public.notification_settings (
  user_id uuid primary key default auth.uid() references public.profiles (id) on delete cascade,
  quiet_hours_start time,
  quiet_hours_end time,
  email_digest_seconds integer not null default 300,
  updated_at timestamptz not null default now(),
  constraint notification_settings_quiet_hours_pair check (
    (quiet_hours_start is null) = (quiet_hours_end is null)
    and (quiet_hours_start is null or quiet_hours_start <> quiet_hours_end)
  ),
  constraint notification_settings_digest_range check (email_digest_seconds between 0 and 86400)
);
comment on table public.notification_settings is
  'Per-user delivery settings: quiet hours and the message digest window. No row means no quiet hours and a 5-minute digest.';
comment on column public.notification_settings.quiet_hours_start is
  'Local time (profiles.timezone) from which email and push wait; may be after the end (overnight). Null: no quiet hours.';
comment on column public.notification_settings.quiet_hours_end is 'Local time at which deferred email and push go out.';
comment on column public.notification_settings.email_digest_seconds is
  'How long a new-message email waits so that the burst of messages from one room goes out as one email.';

alter table public.notification_settings enable row level security;
revoke all on public.notification_settings from anon, authenticated;
grant select on public.notification_settings to authenticated;
grant insert (user_id, quiet_hours_start, quiet_hours_end, email_digest_seconds),
  update (quiet_hours_start, quiet_hours_end, email_digest_seconds) on public.notification_settings to authenticated;

create policy "users read their own notification settings" on public.notification_settings
  for select to authenticated
  using (user_id = (select auth.uid()));
comment on policy "users read their own notification settings" on public.notification_settings is 'Owners only.';

create policy "users create their own notification settings" on public.notification_settings
  for insert to authenticated
  with check (user_id = (select auth.uid()));
comment on policy "users create their own notification settings" on public.notification_settings is 'Owners only.';

create policy "users change their own notification settings" on public.notification_settings
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
comment on policy "users change their own notification settings" on public.notification_settings is 'Owners only.';

create or replace function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.touch_updated_at() is 'Trigger: stamps updated_at on every update.';
revoke execute on function private.touch_updated_at() from public, anon, authenticated;

create trigger notification_preferences_touch before update on public.notification_preferences
  for each row execute function private.touch_updated_at();
create trigger notification_settings_touch before update on public.notification_settings
  for each row execute function private.touch_updated_at();

-- The in-app inbox ------------------------------------------------------------------------------

create table public.notifications (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  type text not null,
  title text not null,
  body text not null default '',
  data jsonb not null default '{}'::jsonb,
  delivery_id bigint unique,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  archived_at timestamptz,
  constraint notifications_title_length check (char_length(title) between 1 and 200),
  constraint notifications_body_length check (char_length(body) <= 2000),
  constraint notifications_data_object check (jsonb_typeof(data) = 'object')
);
comment on table public.notifications is
  'In-app notifications (the bell). Owners read them and mark them read or archived; only the processor creates them.';
comment on column public.notifications.data is 'What the notification points at (room_id, message_id, ...) for the app to link to.';
comment on column public.notifications.delivery_id is 'The queue delivery that created the row: at most one row per delivery, however often it is retried.';
comment on column public.notifications.read_at is 'Null while unread.';
comment on column public.notifications.archived_at is 'Null unless archived (hidden from the default list).';

create index notifications_user_recent_idx on public.notifications (user_id, id desc);
create index notifications_user_unread_idx on public.notifications (user_id) where read_at is null and archived_at is null;

alter table public.notifications enable row level security;
revoke all on public.notifications from anon, authenticated;
grant select on public.notifications to authenticated;
grant update (read_at, archived_at) on public.notifications to authenticated;

create policy "users read their own notifications" on public.notifications
  for select to authenticated
  using (user_id = (select auth.uid()));
comment on policy "users read their own notifications" on public.notifications is 'A user sees only their own notifications.';

create policy "users mark their own notifications" on public.notifications
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
comment on policy "users mark their own notifications" on public.notifications is
  'A user marks their own notifications read, unread, archived (only read_at and archived_at are granted).';

create or replace function public.mark_all_notifications_read()
returns integer
language sql
volatile
security invoker
set search_path = ''
as $$
  with marked as (
    update public.notifications set read_at = now()
     where user_id = (select auth.uid()) and read_at is null
    returning 1
  )
  select count(*)::integer from marked;
$$;
comment on function public.mark_all_notifications_read() is 'Marks every unread notification of the caller read; returns how many.';
revoke execute on function public.mark_all_notifications_read() from public, anon;
grant execute on function public.mark_all_notifications_read() to authenticated;

create or replace function private.broadcast_notification_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object('schema', 'public', 'table', 'notifications', 'operation', tg_op, 'record', to_jsonb(new), 'old_record', null),
    'notifications',
    private.inbox_topic(new.user_id),
    true
  );
  return null;
end;
$$;
comment on function private.broadcast_notification_change() is
  'Trigger: a new or changed notification goes to its owner''s private channel user:<id> as event notifications.';
revoke execute on function private.broadcast_notification_change() from public, anon, authenticated;

create trigger notifications_broadcast
  after insert or update on public.notifications
  for each row execute function private.broadcast_notification_change();
comment on trigger notifications_broadcast on public.notifications is
  'Live bell: the owner''s inbox channel gets every new notification and every read/archive change.';

-- Web Push subscriptions ------------------------------------------------------------------------

create table public.push_subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  endpoint text not null unique,
  p256dh text not null,
  auth text not null,
  user_agent text,
  created_at timestamptz not null default now(),
  last_success_at timestamptz,
  constraint push_subscriptions_endpoint_url check (endpoint ~ '^https?://[^\s]+$' and char_length(endpoint) <= 2048),
  constraint push_subscriptions_p256dh_key check (p256dh ~ '^[A-Za-z0-9_-]{86,88}={0,2}$'),
  constraint push_subscriptions_auth_secret check (auth ~ '^[A-Za-z0-9_-]{22,24}={0,2}$'),
  constraint push_subscriptions_user_agent_length check (char_length(user_agent) <= 512)
);
comment on table public.push_subscriptions is
  'Web Push subscriptions (PushSubscription JSON) per browser or device. Owners only; removed when the push service answers 404/410.';
comment on column public.push_subscriptions.endpoint is 'The push service URL of this subscription (a capability: whoever knows it can push).';
comment on column public.push_subscriptions.p256dh is 'The browser''s P-256 public key (base64url), for aes128gcm encryption.';
comment on column public.push_subscriptions.auth is 'The browser''s 16-byte authentication secret (base64url).';

create index push_subscriptions_user_id_idx on public.push_subscriptions (user_id);

alter table public.push_subscriptions enable row level security;
revoke all on public.push_subscriptions from anon, authenticated;
grant select, delete on public.push_subscriptions to authenticated;
grant insert (user_id, endpoint, p256dh, auth, user_agent) on public.push_subscriptions to authenticated;

create policy "users read their own push subscriptions" on public.push_subscriptions
  for select to authenticated
  using (user_id = (select auth.uid()));
comment on policy "users read their own push subscriptions" on public.push_subscriptions is 'Owners only.';

create policy "users add their own push subscriptions" on public.push_subscriptions
  for insert to authenticated
  with check (user_id = (select auth.uid()));
comment on policy "users add their own push subscriptions" on public.push_subscriptions is 'A user subscribes only their own devices.';

create policy "users remove their own push subscriptions" on public.push_subscriptions
  for delete to authenticated
  using (user_id = (select auth.uid()));
comment on policy "users remove their own push subscriptions" on public.push_subscriptions is 'Owners only.';

create or replace function public.save_push_subscription(endpoint text, p256dh text, auth text, user_agent text default null)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  saved uuid;
begin
  if caller is null then
    raise exception 'sign in to subscribe to push notifications' using errcode = '42501';
  end if;
  -- The same browser signed in as someone else: the endpoint (a secret only that browser knows)
  -- now belongs to the caller, so the previous user's notifications stop going to it.
  insert into public.push_subscriptions as s (user_id, endpoint, p256dh, auth, user_agent)
  values (caller, save_push_subscription.endpoint, save_push_subscription.p256dh, save_push_subscription.auth,
          left(save_push_subscription.user_agent, 512))
  on conflict on constraint push_subscriptions_endpoint_key do update
    set user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, user_agent = excluded.user_agent
  returning s.id into saved;
  return saved;
end;
$$;
comment on function public.save_push_subscription(text, text, text, text) is
  'Stores the caller''s push subscription (upsert by endpoint: a browser re-subscribing or changing user keeps one row).';
revoke execute on function public.save_push_subscription(text, text, text, text) from public, anon;
grant execute on function public.save_push_subscription(text, text, text, text) to authenticated;
