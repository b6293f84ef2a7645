-- Chat rooms and their members.
--
-- A room is either `direct` (exactly two users, one room per pair) or a `group` (a name, a topic,
-- members with roles). Only members see a room and its member list. Rooms and memberships are
-- created and changed through the functions at the end of this file, which enforce the rules:
--
--   * direct rooms: get_or_create_direct_room(other) is idempotent and refuses when either user
--     blocked the other or the other's settings do not allow the caller to message them;
--   * groups: the creator is the single owner; owners add/remove admins and members and change
--     roles (handing over ownership makes the old owner an admin); admins add/remove members;
--     members only leave. Adding someone respects their blocks and messaging settings.
--
-- Members change their own row directly (muted, read position); everything else goes through
-- the functions. Membership checks in policies use security definer helpers in `private` so they
-- do not recurse into room_members' own policies.

create type public.room_kind as enum ('direct', 'group');
comment on type public.room_kind is 'direct: a private conversation between two users; group: a named room with roles.';

create type public.room_role as enum ('owner', 'admin', 'member');
comment on type public.room_role is
  'owner (one per group: everything, incl. roles), admin (adds/removes members, edits name/topic), member.';

create table public.rooms (
  id uuid primary key default gen_random_uuid(),
  kind public.room_kind not null,
  name text,
  topic text,
  created_by uuid references auth.users (id) on delete set null,
  direct_key text unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_message_at timestamptz,
  constraint rooms_group_has_name check (
    (kind = 'group' and char_length(trim(name)) between 1 and 100)
    or (kind = 'direct' and name is null)
  ),
  constraint rooms_topic_length check (char_length(topic) <= 500),
  constraint rooms_direct_key_only_for_direct check ((kind = 'direct') = (direct_key is not null))
);
comment on table public.rooms is
  'Chat rooms, direct (two users) or group. Members read them; owners and admins edit a group''s name and topic; owners delete groups.';
comment on column public.rooms.name is 'Group name (1-100 characters); null for direct rooms (show the other member instead).';
comment on column public.rooms.topic is 'Optional group topic, up to 500 characters.';
comment on column public.rooms.created_by is 'Who created the room (null once that account is deleted).';
comment on column public.rooms.direct_key is
  'For direct rooms, "<smaller user id>:<larger user id>": makes one room per pair of users.';
comment on column public.rooms.last_message_at is 'Time of the latest message, kept by a trigger; sorts room lists.';

create index rooms_created_by_idx on public.rooms (created_by);

create table public.room_members (
  room_id uuid not null references public.rooms (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role public.room_role not null default 'member',
  joined_at timestamptz not null default now(),
  muted boolean not null default false,
  last_read_message_id bigint,
  last_read_at timestamptz,
  primary key (room_id, user_id)
);
comment on table public.room_members is
  'Membership of users in rooms, with their role and read position. Members see their rooms'' members; each member updates only their own muted flag and read position.';
comment on column public.room_members.role is 'owner, admin or member (direct rooms: both users are members).';
comment on column public.room_members.muted is 'The member silenced notifications for this room.';
comment on column public.room_members.last_read_message_id is 'The newest message this member has read (see mark_room_read).';
comment on column public.room_members.last_read_at is 'When the member last marked the room read.';

create index room_members_user_id_idx on public.room_members (user_id);
-- One owner per group at most.
create unique index room_members_one_owner_idx on public.room_members (room_id) where role = 'owner';

alter table public.rooms enable row level security;
alter table public.room_members enable row level security;

-- Membership helpers ------------------------------------------------------------------------------

create or replace function private.my_room_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select room_id from public.room_members where user_id = (select auth.uid());
$$;
comment on function private.my_room_ids() is
  'Ids of the rooms the caller belongs to. Policies use `room_id = any (array(select private.my_room_ids()))`, evaluated once per query.';

create or replace function private.room_role(room_id uuid, user_id uuid)
returns public.room_role
language sql
stable
security definer
set search_path = ''
as $$
  select m.role from public.room_members as m where m.room_id = room_role.room_id and m.user_id = room_role.user_id;
$$;
comment on function private.room_role(uuid, uuid) is 'The role of a user in a room, or null when not a member.';

create or replace function private.is_room_member(room_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select from public.room_members as m where m.room_id = is_room_member.room_id and m.user_id = (select auth.uid())
  );
$$;
comment on function private.is_room_member(uuid) is 'True when the caller is a member of the room.';

create or replace function private.may_contact(sender uuid, recipient uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select sender is not null
     and recipient is not null
     and sender <> recipient
     and exists (select from public.profiles where id = recipient)
     and not private.is_blocked_between(sender, recipient)
     and case coalesce((select s.allow_messages_from from public.user_settings as s where s.user_id = recipient), 'everyone')
           when 'everyone' then true
           when 'nobody' then false
           when 'shared_rooms' then exists (
             select from public.room_members as mine
               join public.room_members as theirs on theirs.room_id = mine.room_id
              where mine.user_id = sender and theirs.user_id = recipient)
         end;
$$;
comment on function private.may_contact(uuid, uuid) is
  'Whether sender may open a direct room with recipient or add them to a group: no block either way and recipient''s allow_messages_from permits it.';

revoke execute on function private.my_room_ids(), private.room_role(uuid, uuid), private.is_room_member(uuid),
  private.may_contact(uuid, uuid) from public, anon;
grant execute on function private.my_room_ids(), private.room_role(uuid, uuid), private.is_room_member(uuid),
  private.may_contact(uuid, uuid) to authenticated, service_role;

-- Grants and policies -----------------------------------------------------------------------------

revoke all on public.rooms, public.room_members from anon, authenticated;
grant select, delete on public.rooms to authenticated;
grant update (name, topic) on public.rooms to authenticated;
grant select on public.room_members to authenticated;
grant update (muted, last_read_message_id, last_read_at) on public.room_members to authenticated;

create policy "members read their rooms" on public.rooms
  for select to authenticated
  using (id = any (array(select private.my_room_ids())));
comment on policy "members read their rooms" on public.rooms is
  'A room is visible to its members only.';

create policy "group owners and admins edit the group" on public.rooms
  for update to authenticated
  using (kind = 'group' and private.room_role(id, (select auth.uid())) in ('owner', 'admin'))
  with check (kind = 'group' and private.room_role(id, (select auth.uid())) in ('owner', 'admin'));
comment on policy "group owners and admins edit the group" on public.rooms is
  'Owners and admins of a group change its name and topic (the only columns granted).';

create policy "group owners delete the group" on public.rooms
  for delete to authenticated
  using (kind = 'group' and private.room_role(id, (select auth.uid())) = 'owner');
comment on policy "group owners delete the group" on public.rooms is
  'Only the owner deletes a group (its members and messages go with it). Direct rooms are never deleted by users.';

create policy "members read their rooms' members" on public.room_members
  for select to authenticated
  using (room_id = any (array(select private.my_room_ids())));
comment on policy "members read their rooms' members" on public.room_members is
  'Members see who else is in their rooms (and their read positions).';

create policy "members update their own membership" on public.room_members
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
comment on policy "members update their own membership" on public.room_members is
  'A member changes only their own row: muted and read position (the only columns granted).';

-- Bookkeeping and activity --------------------------------------------------------------------------

create or replace function private.touch_room()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.touch_room() is 'Trigger: stamps rooms.updated_at when name or topic change.';

create trigger rooms_touch
  before update of name, topic on public.rooms
  for each row execute function private.touch_room();
comment on trigger rooms_touch on public.rooms is 'updated_at on edits.';

create or replace function private.log_room_created()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.log_activity(new.created_by, 'room.created', 'room', new.id::text,
    jsonb_build_object('kind', new.kind, 'name', new.name));
  return null;
end;
$$;
comment on function private.log_room_created() is 'Trigger: logs room.created for the creator.';

create trigger rooms_log_created
  after insert on public.rooms
  for each row execute function private.log_room_created();
comment on trigger rooms_log_created on public.rooms is 'Activity: room.created.';

create or replace function private.log_membership_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.log_activity(new.user_id, 'room.joined', 'room', new.room_id::text,
      jsonb_build_object('role', new.role));
  elsif tg_op = 'DELETE' then
    perform private.log_activity(old.user_id,
      case when auth.uid() is distinct from old.user_id then 'room.removed' else 'room.left' end,
      'room', old.room_id::text, jsonb_build_object('role', old.role));
  elsif new.role is distinct from old.role then
    perform private.log_activity(new.user_id, 'room.role_changed', 'room', new.room_id::text,
      jsonb_build_object('from', old.role, 'to', new.role));
  end if;
  return null;
end;
$$;
comment on function private.log_membership_change() is
  'Trigger: logs room.joined, room.left / room.removed and room.role_changed for the member concerned.';

create trigger room_members_log_change
  after insert or delete or update of role on public.room_members
  for each row execute function private.log_membership_change();
comment on trigger room_members_log_change on public.room_members is 'Activity: joins, leaves, removals, role changes.';

revoke execute on function private.touch_room(), private.log_room_created(), private.log_membership_change()
  from public, anon, authenticated;

-- API: direct rooms ---------------------------------------------------------------------------------

create or replace function public.get_or_create_direct_room(other_user_id uuid)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  pair text;
  found_room uuid;
begin
  if caller is null then
    raise exception 'sign in to open a conversation' using errcode = '42501';
  end if;
  if other_user_id is null or other_user_id = caller then
    raise exception 'a direct room needs another user' using errcode = '22023';
  end if;
  if private.is_blocked_between(caller, other_user_id) then
    raise exception 'you cannot message this user' using errcode = '42501';
  end if;

  pair := least(caller, other_user_id)::text || ':' || greatest(caller, other_user_id)::text;
  select id into found_room from public.rooms where direct_key = pair;
  if found_room is not null then
    return found_room;
  end if;

  if not private.may_contact(caller, other_user_id) then
    raise exception 'you cannot message this user' using errcode = '42501';
  end if;

  insert into public.rooms (kind, created_by, direct_key)
  values ('direct', caller, pair)
  on conflict (direct_key) do nothing
  returning id into found_room;
  if found_room is null then
    -- Created concurrently by the other user: return theirs.
    select id into found_room from public.rooms where direct_key = pair;
    return found_room;
  end if;
  insert into public.room_members (room_id, user_id, role)
  values (found_room, caller, 'member'), (found_room, other_user_id, 'member');
  return found_room;
end;
$$;
comment on function public.get_or_create_direct_room(uuid) is
  'Returns the direct room between the caller and other_user_id, creating it if needed (idempotent). Refused if either blocked the other, or (for a new room) if the other''s allow_messages_from does not permit the caller.';

-- API: groups -------------------------------------------------------------------------------------

create or replace function public.create_group_room(name text, topic text default null, member_ids uuid[] default '{}')
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  new_room uuid;
  member uuid;
begin
  if caller is null then
    raise exception 'sign in to create a group' using errcode = '42501';
  end if;
  insert into public.rooms (kind, name, topic, created_by)
  values ('group', trim(create_group_room.name), create_group_room.topic, caller)
  returning id into new_room;
  insert into public.room_members (room_id, user_id, role) values (new_room, caller, 'owner');
  foreach member in array coalesce(member_ids, '{}') loop
    continue when member = caller
      or exists (select from public.room_members where room_id = new_room and user_id = member);
    if not private.may_contact(caller, member) then
      raise exception 'you cannot add user % to a group', member using errcode = '42501';
    end if;
    insert into public.room_members (room_id, user_id, role) values (new_room, member, 'member');
  end loop;
  return new_room;
end;
$$;
comment on function public.create_group_room(text, text, uuid[]) is
  'Creates a group owned by the caller with the given members (as role member). Fails as a whole if any member may not be contacted by the caller (block or messaging settings).';

create or replace function private.require_group_role(room_id uuid, allowed public.room_role[])
returns public.room_role
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  caller_role public.room_role := private.room_role(room_id, auth.uid());
begin
  if caller_role is null then
    raise exception 'not a member of this room' using errcode = '42501';
  end if;
  if (select kind from public.rooms where id = require_group_role.room_id) <> 'group' then
    raise exception 'direct rooms have fixed members' using errcode = '22023';
  end if;
  if not caller_role = any (allowed) then
    raise exception 'your role (%) does not allow this', caller_role using errcode = '42501';
  end if;
  return caller_role;
end;
$$;
comment on function private.require_group_role(uuid, public.room_role[]) is
  'Raises unless the room is a group and the caller''s role in it is one of allowed; returns that role.';

create or replace function public.add_room_member(room_id uuid, user_id uuid, role public.room_role default 'member')
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller_role public.room_role := private.require_group_role(add_room_member.room_id, '{owner,admin}');
begin
  if add_room_member.role = 'owner' then
    raise exception 'ownership is handed over with set_room_member_role' using errcode = '22023';
  end if;
  if add_room_member.role = 'admin' and caller_role <> 'owner' then
    raise exception 'only the owner adds admins' using errcode = '42501';
  end if;
  if exists (select from public.room_members as m where m.room_id = add_room_member.room_id and m.user_id = add_room_member.user_id) then
    return;
  end if;
  if not private.may_contact(auth.uid(), add_room_member.user_id) then
    raise exception 'you cannot add this user' using errcode = '42501';
  end if;
  insert into public.room_members (room_id, user_id, role)
  values (add_room_member.room_id, add_room_member.user_id, add_room_member.role);
end;
$$;
comment on function public.add_room_member(uuid, uuid, public.room_role) is
  'Adds a user to a group (no-op if already a member). Owners add admins or members, admins add members; the user''s blocks and messaging settings are respected.';

create or replace function public.remove_room_member(room_id uuid, user_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller_role public.room_role := private.require_group_role(remove_room_member.room_id, '{owner,admin}');
  target_role public.room_role := private.room_role(remove_room_member.room_id, remove_room_member.user_id);
begin
  if remove_room_member.user_id = auth.uid() then
    raise exception 'use leave_room to leave a room' using errcode = '22023';
  end if;
  if target_role is null then
    raise exception 'not a member of this room' using errcode = '22023';
  end if;
  if target_role = 'owner' or (caller_role = 'admin' and target_role <> 'member') then
    raise exception 'your role (%) cannot remove a member with role %', caller_role, target_role using errcode = '42501';
  end if;
  delete from public.room_members as m where m.room_id = remove_room_member.room_id and m.user_id = remove_room_member.user_id;
end;
$$;
comment on function public.remove_room_member(uuid, uuid) is
  'Removes someone from a group: the owner removes admins and members, admins remove members. Nobody removes the owner.';

create or replace function public.set_room_member_role(room_id uuid, user_id uuid, role public.room_role)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
begin
  perform private.require_group_role(set_room_member_role.room_id, '{owner}');
  if set_room_member_role.user_id = caller then
    raise exception 'hand ownership to another member instead' using errcode = '22023';
  end if;
  if private.room_role(set_room_member_role.room_id, set_room_member_role.user_id) is null then
    raise exception 'not a member of this room' using errcode = '22023';
  end if;
  if set_room_member_role.role = 'owner' then
    -- Hand-over: the old owner stays on as an admin.
    update public.room_members as m set role = 'admin'
     where m.room_id = set_room_member_role.room_id and m.user_id = caller;
  end if;
  update public.room_members as m set role = set_room_member_role.role
   where m.room_id = set_room_member_role.room_id and m.user_id = set_room_member_role.user_id;
end;
$$;
comment on function public.set_room_member_role(uuid, uuid, public.room_role) is
  'Owner only: makes a member admin or member, or hands ownership over (the previous owner becomes admin).';

create or replace function public.leave_room(room_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  caller_role public.room_role := private.require_group_role(leave_room.room_id, '{owner,admin,member}');
  successor uuid;
begin
  if caller_role = 'owner' then
    select m.user_id into successor
      from public.room_members as m
     where m.room_id = leave_room.room_id and m.user_id <> caller
     order by (m.role = 'admin') desc, m.joined_at, m.user_id
     limit 1;
    if successor is null then
      -- Last one out: the group goes away with its messages.
      delete from public.rooms where id = leave_room.room_id;
      return;
    end if;
    delete from public.room_members as m where m.room_id = leave_room.room_id and m.user_id = caller;
    update public.room_members as m set role = 'owner'
     where m.room_id = leave_room.room_id and m.user_id = successor;
    return;
  end if;
  delete from public.room_members as m where m.room_id = leave_room.room_id and m.user_id = caller;
end;
$$;
comment on function public.leave_room(uuid) is
  'The caller leaves a group. A leaving owner hands ownership to the longest-standing admin (else member); the last member leaving deletes the group.';

revoke execute on function private.require_group_role(uuid, public.room_role[]) from public, anon, authenticated;
revoke execute on function public.get_or_create_direct_room(uuid), public.create_group_room(text, text, uuid[]),
  public.add_room_member(uuid, uuid, public.room_role), public.remove_room_member(uuid, uuid),
  public.set_room_member_role(uuid, uuid, public.room_role), public.leave_room(uuid) from public, anon;
grant execute on function public.get_or_create_direct_room(uuid), public.create_group_room(text, text, uuid[]),
  public.add_room_member(uuid, uuid, public.room_role), public.remove_room_member(uuid, uuid),
  public.set_room_member_role(uuid, uuid, public.room_role), public.leave_room(uuid) to authenticated, service_role;
