-- Live chat over private channels, broadcast by the database.
--
-- Until now messages, reactions and memberships were published for postgres_changes. Realtime
-- re-checks inserts and updates against the subscriber's RLS, but it cannot check a DELETE (the
-- row is gone), so every DELETE's primary key went to everyone subscribed to the table: any
-- signed-in user learned who left or was removed from which private room (room_members' key is
-- room_id + user_id) and who took back which reaction where (message_reactions' key). So no
-- private chat table stays in the `supabase_realtime` publication.
--
-- Instead, triggers send each change with realtime.send() on private Broadcast channels, and
-- Realtime lets a client join such a channel only when the policies below on realtime.messages
-- allow it:
--
--   room:<room id>:changes  a room's new, edited and (soft-)deleted messages, added and removed
--                           reactions, and joined, changed and departed members (role, read
--                           position). Received by the room's members.
--   user:<user id>          a user's inbox: new messages in any of their rooms and changes to their
--                           own memberships (added to a room, removed, read position moved, the
--                           room deleted). Received by that user only.
--
-- Nobody may send on these topics (there is no INSERT policy), so a member cannot forge an event
-- that looks like it came from the database. Typing and presence stay on `room:<room id>`, where
-- members send.
--
-- Every event is named after its table (`messages`, `message_reactions`, `room_members`) and
-- carries {schema, table, operation, record, old_record}, the shape of
-- realtime.broadcast_changes(): `record` is the row after INSERT or UPDATE, `old_record` the row
-- a DELETE removed. An UPDATE carries no old_record, so a soft-deleted message's text is not sent
-- again.
--
-- Realtime checks the policies when a client joins (and when it refreshes its token): someone
-- removed from a room keeps a channel they already joined until they leave it or rejoin, as on
-- Supabase.

alter publication supabase_realtime drop table public.messages, public.message_reactions, public.room_members;

-- Topics -----------------------------------------------------------------------------------------

create or replace function private.room_changes_topic(room_id uuid)
returns text
language sql
immutable
set search_path = ''
as $$
  select 'room:' || room_id::text || ':changes';
$$;
comment on function private.room_changes_topic(uuid) is 'The private channel of a room''s database changes: room:<room id>:changes.';

create or replace function private.room_id_from_changes_topic(topic text)
returns uuid
language sql
immutable
set search_path = ''
as $$
  select case when topic like '%:changes' then private.room_id_from_topic(left(topic, -length(':changes'))) end;
$$;
comment on function private.room_id_from_changes_topic(text) is
  'The room id of a topic "room:<uuid>:changes", or null for any other topic.';

create or replace function private.inbox_topic(user_id uuid)
returns text
language sql
immutable
set search_path = ''
as $$
  select 'user:' || user_id::text;
$$;
comment on function private.inbox_topic(uuid) is 'The private channel of a user''s inbox: user:<user id>.';

revoke execute on function private.room_changes_topic(uuid), private.room_id_from_changes_topic(text), private.inbox_topic(uuid)
  from public, anon;
grant execute on function private.room_changes_topic(uuid), private.room_id_from_changes_topic(text), private.inbox_topic(uuid)
  to authenticated, service_role;

-- Who may join ----------------------------------------------------------------------------------

create policy "room members receive the room's changes" on realtime.messages
  for select to authenticated
  using (
    extension = 'broadcast'
    and private.is_room_member(private.room_id_from_changes_topic((select realtime.topic())))
  );
comment on policy "room members receive the room's changes" on realtime.messages is
  'Joining room:<id>:changes (messages, reactions, members of the room) is allowed to that room''s members only. Nobody sends on it.';

create policy "users receive their own inbox" on realtime.messages
  for select to authenticated
  using (
    extension = 'broadcast'
    and (select realtime.topic()) = private.inbox_topic((select auth.uid()))
  );
comment on policy "users receive their own inbox" on realtime.messages is
  'Joining user:<id> (new messages in the user''s rooms, changes to their memberships) is allowed to that user only. Nobody sends on it.';

-- Sending ---------------------------------------------------------------------------------------

create or replace function private.broadcast_chat_change(
  topic text,
  table_name text,
  operation text,
  row_after jsonb,
  row_before jsonb
)
returns void
language sql
volatile
set search_path = ''
as $$
  select realtime.send(
    jsonb_build_object(
      'schema', 'public',
      'table', table_name,
      'operation', operation,
      'record', row_after,
      'old_record', row_before
    ),
    table_name,
    topic,
    true
  );
$$;
comment on function private.broadcast_chat_change(text, text, text, jsonb, jsonb) is
  'Sends one chat change on a private topic, as event <table> with {schema, table, operation, record, old_record}. Only the chat triggers call it: they run as the owner, whom the realtime.messages policies do not restrict.';

create or replace function private.room_exists(room_id uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select from public.rooms as r where r.id = room_exists.room_id);
$$;
comment on function private.room_exists(uuid) is
  'False while a room is being deleted (inside the cascade): its rows'' changes are then not broadcast one by one.';

create or replace function private.broadcast_message_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- A room being deleted takes its messages along (replies' reply_to_id set null on the way):
  -- nobody needs those changes one by one.
  if tg_op = 'UPDATE' and not private.room_exists(new.room_id) then
    return null;
  end if;
  perform private.broadcast_chat_change(private.room_changes_topic(new.room_id), 'messages', tg_op, to_jsonb(new), null);
  if tg_op = 'INSERT' then
    perform private.broadcast_chat_change(private.inbox_topic(m.user_id), 'messages', tg_op, to_jsonb(new), null)
       from public.room_members as m
      where m.room_id = new.room_id;
  end if;
  return null;
end;
$$;
comment on function private.broadcast_message_change() is
  'Trigger: a posted message goes to room:<id>:changes and to every member''s inbox; an edit or soft delete to room:<id>:changes.';

create trigger messages_broadcast
  after insert or update on public.messages
  for each row execute function private.broadcast_message_change();
comment on trigger messages_broadcast on public.messages is
  'Live chat: posted, edited and soft-deleted messages on the room''s private channel.';

create or replace function private.broadcast_reaction_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.broadcast_chat_change(private.room_changes_topic(new.room_id), 'message_reactions', tg_op, to_jsonb(new), null);
  elsif private.room_exists(old.room_id) then
    perform private.broadcast_chat_change(private.room_changes_topic(old.room_id), 'message_reactions', tg_op, null, to_jsonb(old));
  end if;
  return null;
end;
$$;
comment on function private.broadcast_reaction_change() is
  'Trigger: added and removed reactions go to room:<id>:changes (not when the whole room is being deleted).';

create trigger message_reactions_broadcast
  after insert or delete on public.message_reactions
  for each row execute function private.broadcast_reaction_change();
comment on trigger message_reactions_broadcast on public.message_reactions is
  'Live chat: reactions on the room''s private channel.';

create or replace function private.broadcast_membership_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  changed_room uuid := case when tg_op = 'DELETE' then old.room_id else new.room_id end;
  member_id uuid := case when tg_op = 'DELETE' then old.user_id else new.user_id end;
  row_after jsonb := case when tg_op = 'DELETE' then null else to_jsonb(new) end;
  row_before jsonb := case when tg_op = 'DELETE' then to_jsonb(old) end;
begin
  if tg_op = 'UPDATE' and new is not distinct from old then
    return null;
  end if;
  perform private.broadcast_chat_change(private.inbox_topic(member_id), 'room_members', tg_op, row_after, row_before);
  -- When the room itself is being deleted, the inboxes above are all its members need (read
  -- positions cleared by the cascade included).
  if private.room_exists(changed_room) then
    perform private.broadcast_chat_change(private.room_changes_topic(changed_room), 'room_members', tg_op, row_after, row_before);
  end if;
  return null;
end;
$$;
comment on function private.broadcast_membership_change() is
  'Trigger: joins, changes (role, mute, read position) and departures go to the member''s inbox and to room:<id>:changes.';

create trigger room_members_broadcast
  after insert or update or delete on public.room_members
  for each row execute function private.broadcast_membership_change();
comment on trigger room_members_broadcast on public.room_members is
  'Live chat: memberships on the member''s inbox and the room''s private channel.';

revoke execute on function private.room_exists(uuid), private.broadcast_chat_change(text, text, text, jsonb, jsonb), private.broadcast_message_change(),
  private.broadcast_reaction_change(), private.broadcast_membership_change() from public, anon, authenticated;
