-- Live chat channels: no chat table is published for postgres_changes (DELETE events skip RLS),
-- the database broadcasts each change on private topics instead, and only members (for
-- room:<id>:changes) or the user themselves (for user:<id>) may receive them; nobody may send.
begin;
set local search_path = extensions, public;
select plan(21);

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


select from tests.create_user('lc_ann');
select from tests.create_user('lc_ben');
select from tests.create_user('lc_cat');
select from tests.create_user('lc_outsider');

select tests.authenticate_as('lc_ann');
create temporary table room on commit drop as
  select create_group_room('Live', null, array[tests.uid('lc_ben'), tests.uid('lc_cat')]) as id;
grant select on room to authenticated, service_role;
reset role;

-- What the database broadcast on a topic (one transaction: ordered by event and operation).
create or replace function tests.broadcasts(topic text)
returns table (event text, operation text, record jsonb, old_record jsonb)
language sql stable security definer set search_path = '' as $$
  select m.event, m.payload ->> 'operation', nullif(m.payload -> 'record', 'null'), nullif(m.payload -> 'old_record', 'null')
    from realtime.messages as m
   where m.topic = broadcasts.topic and m.extension = 'broadcast' and m.private
   order by m.event, m.payload ->> 'operation';
$$;
create or replace function tests.room_topic() returns text language sql stable as $$
  select 'room:' || (select id from room) || ':changes';
$$;
grant execute on all functions in schema tests to authenticated, service_role;

-- Publication -----------------------------------------------------------------------------------

select is_empty(
  $$ select tablename from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' $$,
  'no public table is published for postgres_changes (their DELETE events would reach everyone)'
);

-- Who may join ----------------------------------------------------------------------------------

-- Probe rows, as Realtime inserts them to decide a join.
insert into realtime.messages (topic, extension, private)
values (tests.room_topic(), 'broadcast', true), ('user:' || tests.uid('lc_ben'), 'broadcast', true);

select tests.authenticate_as('lc_ben');
select from set_config('realtime.topic', tests.room_topic(), true);
select isnt_empty(
  $$ select from realtime.messages where topic = realtime.topic() and extension = 'broadcast' $$,
  'a member may join room:<id>:changes'
);
select throws_ok(
  $$ insert into realtime.messages (topic, extension, payload, event) values (realtime.topic(), 'broadcast', '{"record": {"body": "forged"}}', 'messages') $$,
  '42501', null, 'a member may not send on room:<id>:changes (no forged database events)'
);
select from set_config('realtime.topic', 'user:' || tests.uid('lc_ben'), true);
select isnt_empty(
  $$ select from realtime.messages where topic = realtime.topic() and extension = 'broadcast' $$,
  'a user may join their own inbox user:<id>'
);
select throws_ok(
  $$ insert into realtime.messages (topic, extension, payload, event) values (realtime.topic(), 'broadcast', '{}', 'messages') $$,
  '42501', null, 'a user may not send on their own inbox'
);

select tests.authenticate_as('lc_outsider');
select from set_config('realtime.topic', tests.room_topic(), true);
select is_empty(
  $$ select from realtime.messages where topic = realtime.topic() $$,
  'a non-member may not join room:<id>:changes'
);
select from set_config('realtime.topic', 'user:' || tests.uid('lc_ben'), true);
select is_empty(
  $$ select from realtime.messages where topic = realtime.topic() $$,
  'nobody may join another user''s inbox'
);
select throws_ok(
  $$ insert into realtime.messages (topic, extension, payload, event) values (realtime.topic(), 'broadcast', '{}', 'messages') $$,
  '42501', null, 'nobody may send on another user''s inbox'
);
reset role;
delete from realtime.messages where event is null;

-- What the database sends ----------------------------------------------------------------------

select tests.authenticate_as('lc_ben');
insert into messages (room_id, body) values ((select id from room), 'launch at noon');
reset role;
select results_eq(
  $$ select event, operation, record ->> 'body', old_record from tests.broadcasts(tests.room_topic()) where event = 'messages' $$,
  $$ values ('messages', 'INSERT', 'launch at noon', null::jsonb) $$,
  'a posted message goes to the room''s channel'
);
select results_eq(
  $$ select handle, (select count(*)::int from tests.broadcasts('user:' || tests.uid(handle)) where event = 'messages' and record ->> 'body' = 'launch at noon')
       from unnest(array['lc_ann', 'lc_ben', 'lc_cat', 'lc_outsider']) as handle $$,
  $$ values ('lc_ann', 1), ('lc_ben', 1), ('lc_cat', 1), ('lc_outsider', 0) $$,
  'and to the inbox of every member, and of nobody else'
);

select tests.authenticate_as('lc_ben');
select delete_message((select id from messages where body = 'launch at noon'));
reset role;
select results_eq(
  $$ select operation, record ->> 'body', record ->> 'deleted_at' is not null, old_record
       from tests.broadcasts(tests.room_topic()) where event = 'messages' and operation = 'UPDATE' $$,
  $$ values ('UPDATE', '', true, null::jsonb) $$,
  'a soft delete goes to the room''s channel without the old text'
);
select is(
  (select count(*)::int from realtime.messages where payload::text like '%launch at noon%'),
  4,
  'the deleted text was broadcast only when it was posted (room + 3 inboxes)'
);

select tests.authenticate_as('lc_ann');
insert into messages (room_id, body) values ((select id from room), 'react to me');
insert into message_reactions (message_id, emoji) values ((select id from messages where body = 'react to me'), '👍');
delete from message_reactions where emoji = '👍';
reset role;
select results_eq(
  $$ select operation, coalesce(record, old_record) ->> 'emoji', coalesce(record, old_record) ->> 'user_id'
       from tests.broadcasts(tests.room_topic()) where event = 'message_reactions' $$,
  $$ values ('DELETE', '👍', tests.uid('lc_ann')::text), ('INSERT', '👍', tests.uid('lc_ann')::text) $$,
  'added and removed reactions go to the room''s channel, with the removed row'
);
select is_empty(
  $$ select from realtime.messages where topic like 'user:%' and event = 'message_reactions' $$,
  'reactions are not sent to inboxes'
);

select tests.authenticate_as('lc_cat');
select mark_room_read((select id from room));
reset role;
select results_eq(
  $$ select operation, (record ->> 'last_read_message_id')::bigint from tests.broadcasts('user:' || tests.uid('lc_cat')) where event = 'room_members' and operation = 'UPDATE' $$,
  $$ select 'UPDATE', max(id) from messages where room_id = (select id from room) $$,
  'a moved read position goes to the member''s inbox'
);
select results_eq(
  $$ select record ->> 'user_id' from tests.broadcasts(tests.room_topic()) where event = 'room_members' and operation = 'UPDATE' $$,
  $$ values (tests.uid('lc_cat')::text) $$,
  'and to the room''s channel, for read receipts'
);

select tests.authenticate_as('lc_ann');
select remove_room_member((select id from room), tests.uid('lc_cat'));
reset role;
select results_eq(
  $$ select operation, old_record ->> 'user_id', record from tests.broadcasts('user:' || tests.uid('lc_cat')) where operation = 'DELETE' $$,
  $$ values ('DELETE', tests.uid('lc_cat')::text, null::jsonb) $$,
  'a removed member''s inbox hears of the removal'
);
select results_eq(
  $$ select old_record ->> 'user_id' from tests.broadcasts(tests.room_topic()) where event = 'room_members' and operation = 'DELETE' $$,
  $$ values (tests.uid('lc_cat')::text) $$,
  'and so does the room''s channel'
);
select is_empty(
  $$ select from realtime.messages where topic not in (tests.room_topic(), 'user:' || tests.uid('lc_ann'), 'user:' || tests.uid('lc_ben'), 'user:' || tests.uid('lc_cat'))
       and (payload::text like '%' || (select id from room) || '%') $$,
  'no change of the room went to any other topic'
);

-- Deleting the room: each member's inbox hears of it, the dead room's channel is not flooded.
delete from realtime.messages where topic in (tests.room_topic(), 'user:' || tests.uid('lc_ann'), 'user:' || tests.uid('lc_ben'));
select tests.authenticate_as('lc_ann');
delete from rooms where id = (select id from room);
reset role;
select results_eq(
  $$ select handle, (select count(*)::int from tests.broadcasts('user:' || tests.uid(handle)) where event = 'room_members' and operation = 'DELETE')
       from unnest(array['lc_ann', 'lc_ben']) as handle $$,
  $$ values ('lc_ann', 1), ('lc_ben', 1) $$,
  'deleting a group tells each member''s inbox'
);
select is_empty(
  $$ select from tests.broadcasts(tests.room_topic()) $$,
  'and sends nothing more on the deleted room''s channel'
);

select * from finish();
rollback;
