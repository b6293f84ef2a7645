-- Messages and reactions: members read and post, senders edit, soft deletion rules, blocks in
-- direct rooms, threads stay in their room, read positions, unread counts and full-text search.
begin;
set local search_path = extensions, public;
select plan(35);

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

select from tests.create_user('cm_owner');
select from tests.create_user('cm_member');
select from tests.create_user('cm_outsider');
select from tests.create_user('cm_mod', '{}', '{"role": "moderator"}');

select tests.authenticate_as('cm_owner');
create temporary table room on commit drop as
  select create_group_room('Chat', null, array[tests.uid('cm_member')]) as id,
         get_or_create_direct_room(tests.uid('cm_member')) as dm,
         create_group_room('Elsewhere') as other;
grant select on room to authenticated, anon;

-- Posting ---------------------------------------------------------------------------------------

select lives_ok(
  $$ insert into messages (room_id, body) values ((select id from room), 'first searchable message about lighthouses') $$,
  'a member posts in their room'
);
select is((select sender_id from messages order by id desc limit 1), tests.uid('cm_owner'), 'the sender is the caller');
select throws_ok(
  $$ insert into messages (room_id, sender_id, body) values ((select id from room), tests.uid('cm_member'), 'forged') $$,
  '42501', null, 'nobody posts in someone else''s name'
);
select throws_ok(
  $$ insert into messages (room_id, body) values ((select id from room), repeat('x', 4001)) $$,
  '23514', null, 'bodies are at most 4000 characters'
);
select throws_ok(
  $$ insert into messages (room_id, body) values ((select id from room), '   ') $$,
  '23514', null, 'blank messages are rejected'
);
insert into messages (room_id, body) values ((select other from room), 'in the other room');
select throws_ok(
  $$ insert into messages (room_id, body, reply_to_id)
     values ((select id from room), 'cross-room reply', (select max(id) from messages where room_id = (select other from room))) $$,
  '23503', null, 'a reply must stay in the room of the message it answers'
);

select tests.authenticate_as('cm_member');
select lives_ok(
  $$ insert into messages (room_id, body, reply_to_id)
     values ((select id from room), 'a reply', (select min(id) from messages where room_id = (select id from room))) $$,
  'a member replies in a thread'
);
select lives_ok(
  $$ insert into messages (room_id, body) values ((select dm from room), 'direct hello') $$,
  'a member posts in their direct room'
);
select set_eq(
  $$ select body from messages $$,
  $$ values ('first searchable message about lighthouses'), ('a reply'), ('direct hello') $$,
  'a member reads the messages of their rooms only'
);
select results_eq(
  $$ with changed as (update messages set body = 'edited by someone else' where sender_id = tests.uid('cm_owner') returning 1)
     select count(*)::int from changed $$,
  $$ values (0) $$,
  'a member cannot edit someone else''s message'
);
select lives_ok(
  $$ update messages set body = 'a reply (edited)' where body = 'a reply' $$,
  'the sender edits their message'
);
select ok((select edited_at is not null from messages where body = 'a reply (edited)'), 'an edit sets edited_at');
select throws_ok(
  $$ update messages set room_id = (select other from room) where body = 'a reply (edited)' $$,
  '42501', null, 'a message cannot be moved to another room'
);
select throws_ok($$ delete from messages where sender_id = tests.uid('cm_member') $$, '42501', null, 'messages are not hard-deleted by users');

-- Reactions -------------------------------------------------------------------------------------

select lives_ok(
  $$ insert into message_reactions (message_id, emoji) values ((select min(id) from messages where room_id = (select id from room)), '👍') $$,
  'a member reacts to a message'
);
select is((select room_id from message_reactions), (select id from room), 'a reaction carries the message''s room');

select tests.authenticate_as('cm_outsider');
select is_empty($$ select * from messages $$, 'a non-member reads no messages');
select is_empty($$ select * from message_reactions $$, 'a non-member reads no reactions');
select throws_ok(
  $$ insert into messages (room_id, body) values ((select id from room), 'let me in') $$,
  '42501', null, 'a non-member cannot post'
);
select throws_ok(
  $$ insert into message_reactions (message_id, emoji) values ((select 1::bigint), 'x') $$,
  null, null, 'a non-member cannot react'
);
select is_empty($$ select * from search_messages('lighthouses') $$, 'search finds nothing the caller cannot read');

select tests.authenticate_as_anon();
select throws_ok($$ select * from messages $$, '42501', null, 'anon cannot read messages');

-- Blocks in direct rooms ------------------------------------------------------------------------

reset role;
insert into user_blocks (blocker_id, blocked_id) values (tests.uid('cm_owner'), tests.uid('cm_member'));
select tests.authenticate_as('cm_member');
select throws_ok(
  $$ insert into messages (room_id, body) values ((select dm from room), 'are you there?') $$,
  '42501', null, 'a blocked user cannot post in the direct room'
);
select lives_ok(
  $$ insert into messages (room_id, body) values ((select id from room), 'still fine in the group') $$,
  'blocks do not silence group rooms'
);
select tests.authenticate_as('cm_owner');
select throws_ok(
  $$ insert into messages (room_id, body) values ((select dm from room), 'I blocked you') $$,
  '42501', null, 'the blocker cannot post in the direct room either'
);

-- Read positions and search ---------------------------------------------------------------------

select results_eq(
  $$ select unread_count from list_my_rooms() where room_id = (select id from room) $$,
  $$ values (2::bigint) $$,
  'unread counts others'' messages after the read position'
);
select lives_ok($$ select mark_room_read((select id from room)) $$, 'mark_room_read marks the room read');
select results_eq(
  $$ select unread_count from list_my_rooms() where room_id = (select id from room) $$,
  $$ values (0::bigint) $$,
  'after marking read nothing is unread'
);
select results_eq(
  $$ select other_user_id from list_my_rooms() where kind = 'direct' $$,
  $$ values (tests.uid('cm_member')) $$,
  'list_my_rooms names the other user of a direct room'
);
select results_eq(
  $$ select body from search_messages('lighthouses searchable') $$,
  $$ values ('first searchable message about lighthouses') $$,
  'full-text search finds readable messages'
);

-- Deletion --------------------------------------------------------------------------------------

select tests.authenticate_as('cm_member');
select throws_ok(
  $$ select delete_message((select min(id) from messages where room_id = (select id from room))) $$,
  '42501', null, 'a plain member cannot delete someone else''s message'
);
select tests.authenticate_as('cm_owner');
select lives_ok(
  $$ select delete_message((select id from messages where body = 'still fine in the group')) $$,
  'the group owner deletes a member''s message'
);
reset role;
select results_eq(
  $$ select body, deleted_at is not null from messages where sender_id = tests.uid('cm_member') and room_id = (select id from room) and deleted_at is not null $$,
  $$ values ('', true) $$,
  'deletion is soft and empties the body'
);
select results_eq(
  $$ select actor_id, metadata ->> 'deleted_by' from activity_log where user_id = tests.uid('cm_member') and action = 'message.deleted' $$,
  $$ values (tests.uid('cm_owner'), 'room_owner') $$,
  'the deletion is logged for the sender'
);
create temporary table first_message on commit drop as
  select min(id) as id from messages where room_id = (select id from room);
grant select on first_message to authenticated;
select tests.authenticate_as('cm_mod');
select throws_ok(
  $$ select delete_message((select id from first_message)) $$,
  'P0002', null, 'a moderator cannot delete (or even find) a message nobody reported'
);

select * from finish();
rollback;
