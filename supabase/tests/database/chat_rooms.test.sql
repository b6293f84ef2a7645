-- Chat rooms and memberships: who sees rooms, direct rooms (idempotent, blocks, messaging
-- settings), group creation and the role rules for adding, removing, promoting and leaving.
begin;
set local search_path = extensions, public;
select plan(38);

-- Test users and sign-in (same block in every file, so each file runs alone; rolled back with it).
-- tests.create_user(handle, user_metadata, app_metadata) inserts an auth user <handle>@pgtap.test
-- the way Auth does; tests.authenticate_as(handle) switches to role authenticated with that
-- user's JWT claims; `reset role` returns to postgres.
create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;
create or replace function tests.create_user(handle text, user_metadata jsonb default '{}', app_metadata jsonb default '{}')
returns uuid language sql security definer set search_path = '' as $$
  insert into auth.users (id, instance_id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
  values (gen_random_uuid(), '00000000-0000-0000-0000-000000000000', 'authenticated', 'authenticated', handle || '@pgtap.test',
          user_metadata, '{"provider": "email", "providers": ["email"]}'::jsonb || app_metadata, now(), now())
  returning id;
$$;
create or replace function tests.uid(handle text)
returns uuid language sql stable security definer set search_path = '' as $$
  select id from auth.users where email = handle || '@pgtap.test';
$$;
create or replace function tests.claims(handle text, session_id uuid default null)
returns text language sql stable security definer set search_path = '' as $$
  select json_build_object('sub', id, 'role', 'authenticated', 'aud', 'authenticated', 'email', email,
    'app_metadata', raw_app_meta_data, 'user_metadata', raw_user_meta_data, 'session_id', session_id)::text
  from auth.users where email = handle || '@pgtap.test';
$$;
create or replace function tests.authenticate_as(handle text, session_id uuid default null)
returns void language plpgsql as $$
begin
  if tests.uid(handle) is null then raise exception 'no test user %', handle; end if;
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', tests.claims(handle, session_id), true);
end;
$$;
create or replace function tests.authenticate_as_anon()
returns void language plpgsql as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claims', '{"role": "anon"}', true);
end;
$$;
grant execute on all functions in schema tests to anon, authenticated, service_role;

select from tests.create_user('cr_owner');
select from tests.create_user('cr_admin');
select from tests.create_user('cr_member');
select from tests.create_user('cr_outsider');
select from tests.create_user('cr_blocker');
select from tests.create_user('cr_private');
select from tests.create_user('cr_friends');
select from tests.create_user('cr_site_admin', '{}', '{"role": "admin"}');
update user_settings set allow_messages_from = 'nobody' where user_id = tests.uid('cr_private');
update user_settings set allow_messages_from = 'shared_rooms' where user_id = tests.uid('cr_friends');
insert into user_blocks (blocker_id, blocked_id) values (tests.uid('cr_blocker'), tests.uid('cr_owner'));

-- Groups ----------------------------------------------------------------------------------------

select tests.authenticate_as('cr_owner');
create temporary table room on commit drop as
  select create_group_room('Team', 'Planning', array[tests.uid('cr_admin'), tests.uid('cr_member')]) as id;
grant select on room to authenticated, anon;
select set_eq(
  $$ select user_id, role::text from room_members where room_id = (select id from room) $$,
  $$ values (tests.uid('cr_owner'), 'owner'), (tests.uid('cr_admin'), 'member'), (tests.uid('cr_member'), 'member') $$,
  'create_group_room makes the caller owner and adds the members'
);
select throws_ok(
  $$ select create_group_room('Nope', null, array[tests.uid('cr_blocker')]) $$,
  '42501', null, 'a group cannot include someone who blocked the creator'
);
select throws_ok(
  $$ select create_group_room('Nope', null, array[tests.uid('cr_private')]) $$,
  '42501', null, 'a group cannot include someone who accepts messages from nobody'
);
select throws_ok(
  $$ select create_group_room('   ') $$,
  '23514', null, 'a group needs a name'
);
select throws_ok(
  $$ insert into rooms (kind, name) values ('group', 'direct insert') $$,
  '42501', null, 'rooms are created through the functions only'
);
select lives_ok(
  $$ select set_room_member_role((select id from room), tests.uid('cr_admin'), 'admin') $$,
  'the owner promotes a member to admin'
);

select tests.authenticate_as('cr_member');
select results_eq(
  $$ select name, topic from rooms $$,
  $$ values ('Team', 'Planning') $$,
  'a member sees the room'
);
select is((select count(*)::int from room_members where room_id = (select id from room)), 3, 'a member sees the other members');
select results_eq(
  $$ with changed as (update rooms set name = 'Mine' where id = (select id from room) returning 1) select count(*)::int from changed $$,
  $$ values (0) $$,
  'a plain member cannot rename the group'
);
select throws_ok(
  $$ select add_room_member((select id from room), tests.uid('cr_outsider')) $$,
  '42501', null, 'a plain member cannot add members'
);
select throws_ok(
  $$ update room_members set role = 'owner' where user_id = tests.uid('cr_member') $$,
  '42501', null, 'a member cannot change their own role directly'
);
select lives_ok(
  $$ update room_members set muted = true where room_id = (select id from room) and user_id = tests.uid('cr_member') $$,
  'a member mutes the room for themselves'
);
select results_eq(
  $$ with changed as (update room_members set muted = true where user_id = tests.uid('cr_admin') returning 1) select count(*)::int from changed $$,
  $$ values (0) $$,
  'a member cannot change another member''s row'
);
select throws_ok($$ delete from room_members where user_id = tests.uid('cr_member') $$, '42501', null, 'memberships are not deleted directly');

select tests.authenticate_as('cr_outsider');
select is_empty($$ select * from rooms where id = (select id from room) $$, 'a non-member does not see the room');
select is_empty($$ select * from room_members where room_id = (select id from room) $$, 'a non-member does not see the members');
select throws_ok(
  $$ select add_room_member((select id from room), tests.uid('cr_outsider')) $$,
  '42501', null, 'a non-member cannot add themselves'
);

select tests.authenticate_as('cr_site_admin');
select is_empty($$ select * from rooms where id = (select id from room) $$, 'site admins get no access to other people''s rooms');

select tests.authenticate_as_anon();
select throws_ok($$ select * from rooms $$, '42501', null, 'anon cannot read rooms');
select throws_ok($$ select * from room_members $$, '42501', null, 'anon cannot read memberships');

select tests.authenticate_as('cr_admin');
select lives_ok(
  $$ update rooms set topic = 'Shipping' where id = (select id from room) $$,
  'a group admin edits the topic'
);
select lives_ok(
  $$ select add_room_member((select id from room), tests.uid('cr_outsider')) $$,
  'a group admin adds a member'
);
select throws_ok(
  $$ select add_room_member((select id from room), tests.uid('cr_friends'), 'admin') $$,
  '42501', null, 'only the owner adds admins'
);
select throws_ok(
  $$ select set_room_member_role((select id from room), tests.uid('cr_member'), 'admin') $$,
  '42501', null, 'only the owner changes roles'
);
select throws_ok(
  $$ select remove_room_member((select id from room), tests.uid('cr_owner')) $$,
  '42501', null, 'nobody removes the owner'
);
select lives_ok(
  $$ select remove_room_member((select id from room), tests.uid('cr_outsider')) $$,
  'a group admin removes a member'
);
select results_eq(
  $$ with gone as (delete from rooms where id = (select id from room) returning 1) select count(*)::int from gone $$,
  $$ values (0) $$,
  'an admin cannot delete the group'
);

-- Leaving: the owner hands over to the admin.
select tests.authenticate_as('cr_owner');
select lives_ok($$ select leave_room((select id from room)) $$, 'the owner leaves the group');
reset role;
select results_eq(
  $$ select role::text from room_members where room_id = (select id from room) and user_id = tests.uid('cr_admin') $$,
  $$ values ('owner') $$,
  'ownership passes to the admin'
);
select results_eq(
  $$ select action from activity_log where user_id = tests.uid('cr_outsider') and target_id = (select id::text from room) order by id $$,
  $$ values ('room.joined'), ('room.removed') $$,
  'joining and being removed are logged for the member'
);

-- Direct rooms ----------------------------------------------------------------------------------

select tests.authenticate_as('cr_owner');
create temporary table dm on commit drop as select get_or_create_direct_room(tests.uid('cr_member')) as id;
grant select on dm to authenticated;
select is(get_or_create_direct_room(tests.uid('cr_member')), (select id from dm), 'get_or_create_direct_room is idempotent');
select throws_ok(
  $$ select get_or_create_direct_room(tests.uid('cr_owner')) $$,
  '22023', null, 'no direct room with oneself'
);
select throws_ok(
  $$ select get_or_create_direct_room(tests.uid('cr_blocker')) $$,
  '42501', null, 'a blocked user cannot open a direct room with the blocker'
);
select throws_ok(
  $$ select get_or_create_direct_room(tests.uid('cr_private')) $$,
  '42501', null, 'nobody opens a direct room with a user who accepts messages from nobody'
);
select throws_ok(
  $$ select get_or_create_direct_room(tests.uid('cr_friends')) $$,
  '42501', null, 'shared_rooms: a stranger cannot open a direct room'
);
select throws_ok(
  $$ select leave_room((select id from dm)) $$,
  '22023', null, 'direct rooms cannot be left'
);

select tests.authenticate_as('cr_member');
select is(get_or_create_direct_room(tests.uid('cr_owner')), (select id from dm), 'the other user gets the same direct room');

select tests.authenticate_as('cr_blocker');
select throws_ok(
  $$ select get_or_create_direct_room(tests.uid('cr_owner')) $$,
  '42501', null, 'the blocker cannot open a direct room with the blocked user either'
);

select * from finish();
rollback;
