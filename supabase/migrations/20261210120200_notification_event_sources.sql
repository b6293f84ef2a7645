-- Where notification events come from: triggers that write the event in the same transaction as
-- the change that causes it (the outbox, see the queue migration). Everything here works on a
-- hosted Supabase project too: Auth's own tables (auth.users, auth.sessions, auth.mfa_factors)
-- accept triggers from the project's `postgres` role, so the welcome mail and the security
-- notices no longer depend on the Auth server sending them.
--
--   type                        cause                                           recipients
--   welcome                     auth.users.email_confirmed_at set (confirmed)   the user
--   new_message                 a message posted                                the room's other members
--   mention                     a message naming @username                      those members (instead of new_message)
--   direct_conversation         added to a direct room by the other person      the added user
--   room_added                  added to a group by someone else                the added user
--   security.new_device         a session from a user agent never seen before   the user (not on the first sign-in)
--   security.password_changed   auth.users.encrypted_password changed           the user
--   security.email_changed      auth.users.email changed                        the user, at the OLD address
--   security.mfa_enabled        an MFA factor verified                          the user
--   security.mfa_disabled       a verified MFA factor removed                   the user
--   file_ready                  enqueued by the file pipeline (service role, public.enqueue_notification)

-- Chat ------------------------------------------------------------------------------------------

create or replace function private.enqueue_message_notifications()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  room public.rooms;
  sender_name text;
  mentioned uuid[];
  others uuid[];
  payload jsonb;
begin
  select * into room from public.rooms as r where r.id = new.room_id;
  select p.display_name into sender_name from public.profiles as p where p.id = new.sender_id;
  select coalesce(array_agg(m.user_id), '{}') into others
    from public.room_members as m
   where m.room_id = new.room_id and m.user_id is distinct from new.sender_id;
  if cardinality(others) = 0 then
    return null;
  end if;
  -- @username (3-30 letters, digits, underscores, as profiles allow), matched case-insensitively
  -- against the room's members only: naming someone outside the room notifies nobody.
  if new.body like '%@%' then
    select coalesce(array_agg(p.id), '{}') into mentioned
      from public.profiles as p
     where p.id = any(others)
       and lower(p.username) in (select lower(match[1]) from regexp_matches(new.body, '@([A-Za-z0-9_]{3,30})', 'g') as match);
  else
    mentioned := '{}';
  end if;
  payload := jsonb_build_object(
    'room_id', new.room_id,
    'room_name', room.name,
    'room_kind', room.kind,
    'message_id', new.id,
    'sender_id', new.sender_id,
    'sender_name', coalesce(sender_name, 'Someone'),
    'body_preview', left(new.body, 200)
  );
  perform private.enqueue_notification('mention', mentioned, payload, new.sender_id, 'mention:' || new.id);
  perform private.enqueue_notification(
    'new_message',
    array(select o from unnest(others) as o where not o = any(mentioned)),
    payload,
    new.sender_id,
    'new_message:' || new.id
  );
  return null;
end;
$$;
comment on function private.enqueue_message_notifications() is
  'Trigger: a posted message notifies the room''s other members (new_message), or mention for the members it names with @username.';
revoke execute on function private.enqueue_message_notifications() from public, anon, authenticated;

create trigger messages_enqueue_notifications
  after insert on public.messages
  for each row execute function private.enqueue_message_notifications();
comment on trigger messages_enqueue_notifications on public.messages is 'Notifications: new_message and mention events.';

create or replace function private.enqueue_membership_notification()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  room public.rooms;
  adder uuid := (select auth.uid());
  adder_name text;
begin
  -- Joining on one's own (creating a room, accepting) is no news to oneself.
  if new.user_id = adder then
    return null;
  end if;
  select * into room from public.rooms as r where r.id = new.room_id;
  select p.display_name into adder_name from public.profiles as p where p.id = adder;
  perform private.enqueue_notification(
    case when room.kind = 'direct' then 'direct_conversation' else 'room_added' end,
    array[new.user_id],
    jsonb_build_object('room_id', new.room_id, 'room_name', room.name, 'room_kind', room.kind,
                       'actor_name', coalesce(adder_name, 'Someone')),
    adder,
    'member:' || new.room_id || ':' || new.user_id || ':' || extract(epoch from new.joined_at)
  );
  return null;
end;
$$;
comment on function private.enqueue_membership_notification() is
  'Trigger: someone added to a room by another user is notified (direct_conversation for a direct room, room_added for a group).';
revoke execute on function private.enqueue_membership_notification() from public, anon, authenticated;

create trigger room_members_enqueue_notification
  after insert on public.room_members
  for each row execute function private.enqueue_membership_notification();
comment on trigger room_members_enqueue_notification on public.room_members is 'Notifications: direct_conversation and room_added events.';

-- Account and security (Auth's tables) ----------------------------------------------------------

create or replace function private.enqueue_account_notifications()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.email_confirmed_at is null and new.email_confirmed_at is not null and new.email is not null then
    perform private.enqueue_notification('welcome', array[new.id], jsonb_build_object('email', new.email), null, 'welcome:' || new.id);
  end if;
  if coalesce(old.encrypted_password, '') <> '' and new.encrypted_password is distinct from old.encrypted_password then
    perform private.enqueue_notification('security.password_changed', array[new.id], jsonb_build_object('changed_at', now()), null, null);
  end if;
  if old.email is not null and new.email is distinct from old.email then
    perform private.enqueue_notification(
      'security.email_changed',
      array[new.id],
      -- Sent to the old address: the one person who must hear of it is the one who may have lost the account.
      jsonb_build_object('old_email', old.email, 'new_email', new.email, 'to_email', old.email, 'changed_at', now()),
      null,
      null
    );
  end if;
  return null;
end;
$$;
comment on function private.enqueue_account_notifications() is
  'Trigger on auth.users: welcome when the email is confirmed; security notices when the password or the email changes.';
revoke execute on function private.enqueue_account_notifications() from public, anon, authenticated;

create trigger on_auth_user_notify
  after update of email_confirmed_at, encrypted_password, email on auth.users
  for each row execute function private.enqueue_account_notifications();
comment on trigger on_auth_user_notify on auth.users is 'Notifications: welcome, password and email changes.';

create table private.known_devices (
  user_id uuid not null references auth.users (id) on delete cascade,
  device text not null,
  first_seen_at timestamptz not null default now(),
  primary key (user_id, device)
);
comment on table private.known_devices is
  'Devices (user agents, hashed) each user has signed in from, so a sign-in from a new one can be reported. Sessions come and go; this stays.';
alter table private.known_devices enable row level security;
revoke all on private.known_devices from public, anon, authenticated;

create or replace function private.enqueue_new_device_notification()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  device text := md5(coalesce(new.user_agent, ''));
  first_sign_in boolean;
begin
  first_sign_in := not exists (select from private.known_devices as k where k.user_id = new.user_id);
  insert into private.known_devices (user_id, device) values (new.user_id, device) on conflict do nothing;
  if found and not first_sign_in then
    perform private.enqueue_notification(
      'security.new_device',
      array[new.user_id],
      jsonb_build_object('user_agent', left(new.user_agent, 300), 'ip', host(new.ip), 'signed_in_at', coalesce(new.created_at, now())),
      null,
      'new_device:' || new.id
    );
  end if;
  return null;
end;
$$;
comment on function private.enqueue_new_device_notification() is
  'Trigger on auth.sessions: a session from a user agent the user never signed in from before notifies them (not their very first sign-in).';
revoke execute on function private.enqueue_new_device_notification() from public, anon, authenticated;

create trigger on_auth_session_notify
  after insert on auth.sessions
  for each row execute function private.enqueue_new_device_notification();
comment on trigger on_auth_session_notify on auth.sessions is 'Notifications: sign-in from a new device.';

create or replace function private.enqueue_mfa_notification()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    if old.status = 'verified' and exists (select from auth.users as u where u.id = old.user_id) then
      perform private.enqueue_notification('security.mfa_disabled', array[old.user_id],
        jsonb_build_object('factor_type', old.factor_type, 'friendly_name', old.friendly_name), null, 'mfa_disabled:' || old.id);
    end if;
  elsif new.status = 'verified' and (tg_op = 'INSERT' or old.status is distinct from 'verified') then
    perform private.enqueue_notification('security.mfa_enabled', array[new.user_id],
      jsonb_build_object('factor_type', new.factor_type, 'friendly_name', new.friendly_name), null, 'mfa_enabled:' || new.id);
  end if;
  return null;
end;
$$;
comment on function private.enqueue_mfa_notification() is
  'Trigger on auth.mfa_factors: a factor becoming verified notifies mfa_enabled; a verified factor removed (not with the account) mfa_disabled.';
revoke execute on function private.enqueue_mfa_notification() from public, anon, authenticated;

create trigger on_auth_mfa_factor_notify
  after insert or update of status or delete on auth.mfa_factors
  for each row execute function private.enqueue_mfa_notification();
comment on trigger on_auth_mfa_factor_notify on auth.mfa_factors is 'Notifications: MFA enabled and disabled.';
