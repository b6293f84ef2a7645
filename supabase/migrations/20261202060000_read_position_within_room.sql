-- A member's read position points at a message of the same room.
--
-- room_members.last_read_message_id only referenced messages(id), so a member could set their read
-- position (a column they may update directly) to a message of another room: unread counts went
-- wrong and the id of a message in a room they are not in was accepted without complaint. The read
-- position now references the pair (room_id, id) of messages, so it can only name a message of the
-- member's own room; deleting that message clears the read position alone (never room_id).

-- The pair is unique since id is; the unique index also serves "latest N of a room" and unread
-- counts, so it replaces the plain (room_id, id) index.
create unique index messages_room_id_id_key on public.messages (room_id, id);
alter table public.messages add constraint messages_room_id_id_key unique using index messages_room_id_id_key;
comment on constraint messages_room_id_id_key on public.messages is
  'Target of room_members'' read position: a message together with its room.';
drop index public.messages_room_id_id_idx;

-- Read positions that already point into another room are meaningless: forget them.
update public.room_members as rm
   set last_read_message_id = null
 where rm.last_read_message_id is not null
   and not exists (
     select from public.messages as m where m.id = rm.last_read_message_id and m.room_id = rm.room_id
   );

alter table public.room_members drop constraint room_members_last_read_message_id_fkey;
alter table public.room_members
  add constraint room_members_last_read_message_in_room_fkey
  foreign key (room_id, last_read_message_id) references public.messages (room_id, id)
  on delete set null (last_read_message_id);
comment on constraint room_members_last_read_message_in_room_fkey on public.room_members is
  'The read position is a message of the member''s own room; deleting it clears the read position only.';

create index room_members_room_id_last_read_message_id_idx on public.room_members (room_id, last_read_message_id);
drop index public.room_members_last_read_message_id_idx;
