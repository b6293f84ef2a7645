-- Realtime for chat.
--
-- postgres_changes: messages, reactions and memberships are published on `supabase_realtime`;
-- Realtime re-checks each change against the subscriber's RLS, so members only receive their
-- rooms' rows.
--
-- Typing indicators and presence go through the private Broadcast/Presence channel
-- `room:<room id>`. Realtime authorizes a private channel by reading (join = receive) and
-- inserting (send/track) rows of realtime.messages under the user's RLS with realtime.topic() set
-- to the channel name: the policies below let exactly the room's members in.

alter publication supabase_realtime add table public.messages, public.message_reactions, public.room_members;

create or replace function private.room_id_from_topic(topic text)
returns uuid
language sql
immutable
set search_path = ''
as $$
  select case
    when topic ~ '^room:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
    then substr(topic, 6)::uuid
  end;
$$;
comment on function private.room_id_from_topic(text) is 'The room id of a channel topic "room:<uuid>", or null for any other topic.';

revoke execute on function private.room_id_from_topic(text) from public, anon;
grant execute on function private.room_id_from_topic(text) to authenticated, service_role;

create policy "room members receive room broadcasts and presence" on realtime.messages
  for select to authenticated
  using (
    extension in ('broadcast', 'presence')
    and private.is_room_member(private.room_id_from_topic((select realtime.topic())))
  );
comment on policy "room members receive room broadcasts and presence" on realtime.messages is
  'Joining the private channel room:<id> (typing, presence) is allowed to that room''s members only.';

create policy "room members send room broadcasts and presence" on realtime.messages
  for insert to authenticated
  with check (
    extension in ('broadcast', 'presence')
    and private.is_room_member(private.room_id_from_topic((select realtime.topic())))
  );
comment on policy "room members send room broadcasts and presence" on realtime.messages is
  'Only members of a room send typing events and track presence on room:<id>.';
