-- Moderation reports and realtime authorization: users report what they can read, moderators
-- handle reports and act on reported messages only; room channels admit members only.
begin;
set local search_path = extensions, public;
select plan(16);

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

select from tests.create_user('mr_ann');
select from tests.create_user('mr_ben');
select from tests.create_user('mr_outsider');
select from tests.create_user('mr_mod', '{}', '{"role": "moderator"}');

select tests.authenticate_as('mr_ann');
create temporary table room on commit drop as
  select create_group_room('Reports', null, array[tests.uid('mr_ben')]) as id;
grant select on room to authenticated;
select tests.authenticate_as('mr_ben');
insert into messages (room_id, body) values ((select id from room), 'offensive text');
insert into messages (room_id, body) values ((select id from room), 'harmless text');

-- Reports ---------------------------------------------------------------------------------------

select tests.authenticate_as('mr_ann');
select lives_ok(
  $$ insert into reports (message_id, reason) values ((select id from messages where body = 'offensive text'), 'harassment') $$,
  'a member reports a message they can read'
);
select results_eq(
  $$ select reported_user_id, status::text from reports $$,
  $$ values (tests.uid('mr_ben'), 'open') $$,
  'the reporter sees their report, with the sender filled in'
);
select results_eq(
  $$ with changed as (update reports set status = 'dismissed' returning 1) select count(*)::int from changed $$,
  $$ values (0) $$,
  'the reporter cannot change the status of their report'
);

select tests.authenticate_as('mr_outsider');
select throws_ok(
  $$ insert into reports (message_id, reason) values ((select 1::bigint), 'spam') $$,
  '42501', null, 'nobody reports a message they cannot read'
);
select is_empty($$ select * from reports $$, 'other users do not see the report');
select is_empty($$ select * from messages where body = 'offensive text' $$, 'other users do not see the reported message');

select tests.authenticate_as('mr_mod');
select isnt_empty($$ select * from reports where reporter_id = tests.uid('mr_ann') $$, 'a moderator sees every report');
select results_eq(
  $$ select body from messages where room_id = (select id from room) $$,
  $$ values ('offensive text') $$,
  'a moderator reads the reported message and only that one'
);
select lives_ok(
  $$ update reports set status = 'resolved', resolution_note = 'removed' where reporter_id = tests.uid('mr_ann') $$,
  'a moderator resolves a report'
);
select lives_ok(
  $$ select delete_message((select id from messages where body = 'offensive text')) $$,
  'a moderator deletes a reported message'
);
reset role;
select results_eq(
  $$ select resolved_by, resolved_at is not null from reports where reporter_id = tests.uid('mr_ann') $$,
  $$ values (tests.uid('mr_mod'), true) $$,
  'the resolution records the moderator'
);

-- Realtime --------------------------------------------------------------------------------------

select is_empty(
  $$ select tablename from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public'
       and tablename in ('messages', 'message_reactions', 'room_members', 'rooms', 'reports') $$,
  'no chat or moderation table is published to postgres_changes (see chat_live_channels.test.sql)'
);

select tests.authenticate_as('mr_ben');
select from set_config('realtime.topic', 'room:' || (select id from room), true);
select lives_ok(
  $$ insert into realtime.messages (topic, extension, payload, event) values (realtime.topic(), 'broadcast', '{"typing": true}', 'typing') $$,
  'a member may send on the room channel'
);
select isnt_empty(
  $$ select from realtime.messages where topic = realtime.topic() and extension = 'broadcast' $$,
  'a member may receive on the room channel'
);

select tests.authenticate_as('mr_outsider');
select throws_ok(
  $$ insert into realtime.messages (topic, extension, payload, event) values (realtime.topic(), 'presence', '{}', 'track') $$,
  '42501', null, 'a non-member may not send on the room channel'
);
select is_empty(
  $$ select from realtime.messages where topic = realtime.topic() $$,
  'a non-member may not join the room channel'
);

select * from finish();
rollback;
