-- Read positions: a member's last_read_message_id names a message of that member's own room,
-- never one of another room; losing that message clears the read position and nothing else.
begin;
set local search_path = extensions, public;
select plan(8);

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


select from tests.create_user('rp_ann');
select from tests.create_user('rp_ben');
select from tests.create_user('rp_cat');

select tests.authenticate_as('rp_ann');
create temporary table room on commit drop as
  select create_group_room('Ours', null, array[tests.uid('rp_ben')]) as id;
grant select on room to authenticated;
insert into messages (room_id, body) values ((select id from room), 'ours 1'), ((select id from room), 'ours 2');
select tests.authenticate_as('rp_cat');
create temporary table other_room on commit drop as
  select create_group_room('Theirs') as id;
grant select on other_room to authenticated;
insert into messages (room_id, body) values ((select id from other_room), 'theirs');
reset role;
create temporary table ids on commit drop as
  select (select id from messages where body = 'ours 1') as ours_1,
         (select id from messages where body = 'ours 2') as ours_2,
         (select id from messages where body = 'theirs') as theirs;
grant select on ids to authenticated;

select tests.authenticate_as('rp_ann');
select lives_ok(
  $$ update room_members set last_read_message_id = (select ours_1 from ids)
      where room_id = (select id from room) and user_id = auth.uid() $$,
  'a member sets their read position to a message of their room'
);
select throws_ok(
  $$ update room_members set last_read_message_id = (select theirs from ids)
      where room_id = (select id from room) and user_id = auth.uid() $$,
  '23503', null, 'a member cannot set their read position to a message of another room'
);
select results_eq(
  $$ select last_read_message_id from room_members where room_id = (select id from room) and user_id = auth.uid() $$,
  $$ select ours_1 from ids $$,
  'the refused update changed nothing'
);
select results_eq(
  $$ select count(*)::int from room_members where room_id = (select id from room) $$,
  $$ values (2) $$,
  'and the room keeps its members'
);
select throws_ok(
  $$ select mark_room_read((select id from room), (select theirs from ids)) $$,
  '22023', null, 'mark_room_read refuses a message of another room too'
);

-- Losing the message clears only the read position.
reset role;
delete from messages where id = (select ours_1 from ids);
select results_eq(
  $$ select room_id, last_read_message_id from room_members where user_id = tests.uid('rp_ann') and room_id = (select id from room) $$,
  $$ select (select id from room), null::bigint $$,
  'deleting the message a member last read clears their read position and keeps the membership'
);

-- A whole room goes away cleanly even with read positions in it.
select tests.authenticate_as('rp_ann');
select mark_room_read((select id from room));
select lives_ok($$ delete from rooms where id = (select id from room) $$, 'the owner deletes a group whose members have read positions');
reset role;
select is_empty(
  $$ select from room_members where room_id = (select id from room) $$,
  'its memberships went with it'
);

select * from finish();
rollback;
