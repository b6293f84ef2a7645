-- Messages and reactions.
--
-- Members read every message of their rooms (including soft-deleted ones, whose body is emptied so
-- clients can show "message deleted"), post as themselves, and edit their own messages. Nobody
-- posts in a direct room when either user blocked the other. Messages are never hard-deleted by
-- users: delete_message() soft-deletes (sender, group owner/admin, or a moderator).
--
-- Read positions live in room_members; mark_room_read() moves them, list_my_rooms() returns the
-- caller's rooms with unread counts, search_messages() does full-text search over what the caller
-- may read. Ids are a bigint sequence so "newer than" and "latest 50" are index range scans.

create table public.messages (
  id bigint generated always as identity primary key,
  room_id uuid not null references public.rooms (id) on delete cascade,
  sender_id uuid default auth.uid() references public.profiles (id) on delete set null,
  body text not null,
  reply_to_id bigint references public.messages (id) on delete set null,
  attachments jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now(),
  edited_at timestamptz,
  deleted_at timestamptz,
  constraint messages_body_length check (
    (deleted_at is null and char_length(body) between 1 and 4000 and body ~ '\S')
    or (deleted_at is not null and body = '')
  ),
  constraint messages_attachments_array check (jsonb_typeof(attachments) = 'array' and jsonb_array_length(attachments) <= 10)
);
comment on table public.messages is
  'Chat messages. Members of the room read them and post as themselves; senders edit their own; deletion is soft (delete_message).';
comment on column public.messages.sender_id is 'Author (defaults to the caller); null once the account is deleted.';
comment on column public.messages.body is 'Text, 1-4000 characters; emptied when the message is deleted.';
comment on column public.messages.reply_to_id is 'The message this one answers (thread), in the same room.';
comment on column public.messages.attachments is
  'Up to 10 attachment references (placeholder for the files feature), e.g. [{"path": "room-id/file.png", "type": "image/png"}].';
comment on column public.messages.edited_at is 'Set when the body was changed after posting.';
comment on column public.messages.deleted_at is 'Soft delete: set by delete_message(); body and attachments are then emptied.';

-- "Latest N of a room", "newer than my read position", unread counts.
create index messages_room_id_id_idx on public.messages (room_id, id);
create index messages_sender_id_idx on public.messages (sender_id);
create index messages_reply_to_id_idx on public.messages (reply_to_id) where reply_to_id is not null;
-- Full-text search ('simple' configuration: no language-specific stemming, works for any language).
create index messages_body_search_idx on public.messages using gin (to_tsvector('simple'::regconfig, body));

alter table public.room_members
  add constraint room_members_last_read_message_id_fkey
  foreign key (last_read_message_id) references public.messages (id) on delete set null;
create index room_members_last_read_message_id_idx on public.room_members (last_read_message_id);

create table public.message_reactions (
  message_id bigint not null references public.messages (id) on delete cascade,
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  emoji text not null,
  room_id uuid not null references public.rooms (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (message_id, user_id, emoji),
  constraint message_reactions_emoji_length check (char_length(emoji) between 1 and 32 and emoji !~ '\s')
);
comment on table public.message_reactions is
  'Emoji reactions to messages. Members of the room read them; each member adds and removes their own.';
comment on column public.message_reactions.emoji is 'The reaction: an emoji or a short code, 1-32 characters, no spaces.';
comment on column public.message_reactions.room_id is
  'Room of the message (copied by a trigger) so policies and realtime filters need no join.';

create index message_reactions_user_id_idx on public.message_reactions (user_id);
create index message_reactions_room_id_idx on public.message_reactions (room_id);

alter table public.messages enable row level security;
alter table public.message_reactions enable row level security;

-- Helpers ---------------------------------------------------------------------------------------

create or replace function private.can_post_in_room(room_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.is_room_member(can_post_in_room.room_id)
     and not exists (
       select from public.rooms as r
         join public.room_members as other on other.room_id = r.id and other.user_id <> (select auth.uid())
        where r.id = can_post_in_room.room_id
          and r.kind = 'direct'
          and private.is_blocked_between((select auth.uid()), other.user_id)
     );
$$;
comment on function private.can_post_in_room(uuid) is
  'True when the caller is a member and, for a direct room, neither user blocked the other.';

revoke execute on function private.can_post_in_room(uuid) from public, anon;
grant execute on function private.can_post_in_room(uuid) to authenticated, service_role;

-- Grants and policies ---------------------------------------------------------------------------

revoke all on public.messages, public.message_reactions from anon, authenticated;
grant select on public.messages to authenticated;
grant insert (room_id, body, reply_to_id, attachments) on public.messages to authenticated;
grant update (body, attachments) on public.messages to authenticated;
grant select, delete on public.message_reactions to authenticated;
grant insert (message_id, emoji) on public.message_reactions to authenticated;

create policy "members read room messages" on public.messages
  for select to authenticated
  using (room_id = any (array(select private.my_room_ids())));
comment on policy "members read room messages" on public.messages is
  'Members of a room read all its messages (soft-deleted ones arrive with an empty body).';

create policy "members post in their rooms" on public.messages
  for insert to authenticated
  with check (sender_id = (select auth.uid()) and private.can_post_in_room(room_id));
comment on policy "members post in their rooms" on public.messages is
  'Members post as themselves; not in a direct room where either user blocked the other.';

create policy "senders edit their messages" on public.messages
  for update to authenticated
  using (sender_id = (select auth.uid()) and deleted_at is null)
  with check (sender_id = (select auth.uid()) and deleted_at is null);
comment on policy "senders edit their messages" on public.messages is
  'Only the sender changes the body or attachments of a message that is not deleted.';

create policy "members read reactions" on public.message_reactions
  for select to authenticated
  using (room_id = any (array(select private.my_room_ids())));
comment on policy "members read reactions" on public.message_reactions is
  'Members of a room see all reactions in it.';

create policy "members react as themselves" on public.message_reactions
  for insert to authenticated
  with check (user_id = (select auth.uid()) and private.can_post_in_room(room_id));
comment on policy "members react as themselves" on public.message_reactions is
  'Members who may post in the room add reactions in their own name.';

create policy "users remove their reactions" on public.message_reactions
  for delete to authenticated
  using (user_id = (select auth.uid()));
comment on policy "users remove their reactions" on public.message_reactions is
  'A user removes only their own reactions.';

-- Triggers --------------------------------------------------------------------------------------

create or replace function private.prepare_message()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.reply_to_id is not null
     and (tg_op = 'INSERT' or new.reply_to_id is distinct from old.reply_to_id)
     and not exists (select from public.messages where id = new.reply_to_id and room_id = new.room_id) then
    raise exception 'a reply must answer a message of the same room' using errcode = '23503';
  end if;
  if tg_op = 'UPDATE' and new.deleted_at is null
     and (new.body is distinct from old.body or new.attachments is distinct from old.attachments) then
    new.edited_at := now();
  end if;
  return new;
end;
$$;
comment on function private.prepare_message() is
  'Trigger: replies stay within their room; edits stamp edited_at.';

create trigger messages_prepare
  before insert or update on public.messages
  for each row execute function private.prepare_message();
comment on trigger messages_prepare on public.messages is 'Reply check and edited_at.';

create or replace function private.bump_room_last_message()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.rooms as r
     set last_message_at = latest.at
    from (select room_id, max(created_at) as at from inserted group by room_id) as latest
   where r.id = latest.room_id
     and (r.last_message_at is null or r.last_message_at < latest.at);
  return null;
end;
$$;
comment on function private.bump_room_last_message() is
  'Statement trigger: moves rooms.last_message_at forward once per insert statement (cheap for bulk inserts).';

create trigger messages_bump_room
  after insert on public.messages
  referencing new table as inserted
  for each statement execute function private.bump_room_last_message();
comment on trigger messages_bump_room on public.messages is 'rooms.last_message_at.';

create or replace function private.prepare_reaction()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  message_room uuid;
begin
  select room_id into message_room from public.messages where id = new.message_id and deleted_at is null;
  if message_room is null then
    raise exception 'no such message' using errcode = '23503';
  end if;
  new.room_id := message_room;
  return new;
end;
$$;
comment on function private.prepare_reaction() is
  'Trigger: copies the message''s room onto the reaction; refuses reactions to deleted messages.';

create trigger message_reactions_prepare
  before insert on public.message_reactions
  for each row execute function private.prepare_reaction();
comment on trigger message_reactions_prepare on public.message_reactions is 'room_id from the message.';

revoke execute on function private.prepare_message(), private.bump_room_last_message(), private.prepare_reaction()
  from public, anon, authenticated;

-- API -------------------------------------------------------------------------------------------

create or replace function public.delete_message(message_id bigint)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  target public.messages;
  by_role text;
begin
  select * into target from public.messages where id = delete_message.message_id;
  if target.id is null then
    raise exception 'no such message' using errcode = 'P0002';
  end if;
  if target.sender_id = caller and private.is_room_member(target.room_id) then
    by_role := 'sender';
  elsif (select kind from public.rooms where id = target.room_id) = 'group'
        and private.room_role(target.room_id, caller) in ('owner', 'admin') then
    by_role := 'room_' || private.room_role(target.room_id, caller)::text;
  -- Moderators act on reported messages only (public.reports: the moderation migration).
  elsif private.is_moderator() and exists (select from public.reports where reports.message_id = target.id) then
    by_role := 'moderator';
  elsif private.is_room_member(target.room_id) then
    raise exception 'you cannot delete this message' using errcode = '42501';
  else
    raise exception 'no such message' using errcode = 'P0002';
  end if;
  if target.deleted_at is not null then
    return;
  end if;
  update public.messages
     set deleted_at = now(), body = '', attachments = '[]'::jsonb
   where id = target.id;
  perform private.log_activity(target.sender_id, 'message.deleted', 'message', target.id::text,
    jsonb_build_object('room_id', target.room_id, 'deleted_by', by_role));
end;
$$;
comment on function public.delete_message(bigint) is
  'Soft-deletes a message (body and attachments emptied). Allowed to its sender, to a group''s owner and admins, and to moderators for reported messages.';

create or replace function public.mark_room_read(room_id uuid, up_to_message_id bigint default null)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
  newest bigint := coalesce(
    up_to_message_id,
    (select max(m.id) from public.messages as m where m.room_id = mark_room_read.room_id)
  );
begin
  if up_to_message_id is not null and not exists (
    select from public.messages as m where m.id = up_to_message_id and m.room_id = mark_room_read.room_id
  ) then
    raise exception 'message % is not in this room', up_to_message_id using errcode = '22023';
  end if;
  update public.room_members as rm
     set last_read_message_id = greatest(rm.last_read_message_id, newest),
         last_read_at = now()
   where rm.room_id = mark_room_read.room_id and rm.user_id = (select auth.uid());
  if not found then
    raise exception 'not a member of this room' using errcode = '42501';
  end if;
end;
$$;
comment on function public.mark_room_read(uuid, bigint) is
  'Marks the room read up to a message (default: the newest). The read position never moves backwards. Runs with the caller''s rights.';

create or replace function public.list_my_rooms()
returns table (
  room_id uuid,
  kind public.room_kind,
  name text,
  topic text,
  role public.room_role,
  muted boolean,
  other_user_id uuid,
  last_message_at timestamptz,
  last_read_message_id bigint,
  unread_count bigint
)
language sql
stable
set search_path = ''
as $$
  select r.id, r.kind, r.name, r.topic, me.role, me.muted,
         (select o.user_id from public.room_members as o
           where r.kind = 'direct' and o.room_id = r.id and o.user_id <> me.user_id limit 1),
         r.last_message_at, me.last_read_message_id,
         (select count(*) from public.messages as m
           where m.room_id = r.id
             and m.id > coalesce(me.last_read_message_id, 0)
             and m.deleted_at is null
             and m.sender_id is distinct from me.user_id)
    from public.room_members as me
    join public.rooms as r on r.id = me.room_id
   where me.user_id = (select auth.uid())
   order by r.last_message_at desc nulls last, r.created_at desc;
$$;
comment on function public.list_my_rooms() is
  'The caller''s rooms, most recently active first, with role, mute flag, the other user of a direct room and the number of unread messages from others. Runs with the caller''s rights (RLS applies).';

create or replace function public.search_messages(query text, room_id uuid default null, max_results integer default 50)
returns setof public.messages
language sql
stable
set search_path = ''
as $$
  select m.*
    from public.messages as m
   where to_tsvector('simple'::regconfig, m.body) @@ websearch_to_tsquery('simple'::regconfig, query)
     and m.deleted_at is null
     and (search_messages.room_id is null or m.room_id = search_messages.room_id)
   order by m.id desc
   limit least(greatest(coalesce(max_results, 50), 1), 200);
$$;
comment on function public.search_messages(text, uuid, integer) is
  'Full-text search (web-search syntax: words, "phrases", -exclusions, or) over the messages the caller can read, newest first; optionally within one room; at most 200 results. Runs with the caller''s rights (RLS applies).';

revoke execute on function public.delete_message(bigint), public.mark_room_read(uuid, bigint), public.list_my_rooms(),
  public.search_messages(text, uuid, integer) from public, anon;
grant execute on function public.delete_message(bigint), public.mark_room_read(uuid, bigint), public.list_my_rooms(),
  public.search_messages(text, uuid, integer) to authenticated, service_role;
