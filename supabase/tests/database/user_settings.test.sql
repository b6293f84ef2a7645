-- Security settings (owner-only) and the session functions: a user lists and revokes only their
-- own sessions in auth.sessions.
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

select from tests.create_user('st_ann');
select from tests.create_user('st_ben');

insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip) values
  ('00000000-0000-4000-c000-000000000001', tests.uid('st_ann'), now(), now(), 'aal1', 'laptop', '10.0.0.1'),
  ('00000000-0000-4000-c000-000000000002', tests.uid('st_ann'), now(), now(), 'aal1', 'phone', '10.0.0.2'),
  ('00000000-0000-4000-c000-000000000003', tests.uid('st_ann'), now(), now(), 'aal1', 'tablet', '10.0.0.3'),
  ('00000000-0000-4000-c000-000000000004', tests.uid('st_ben'), now(), now(), 'aal1', 'ben-laptop', '10.0.0.4');

-- Settings --------------------------------------------------------------------------------------

select tests.authenticate_as_anon();
select throws_ok($$ select * from user_settings $$, '42501', null, 'anon cannot read settings');
select throws_ok($$ select * from list_my_sessions() $$, '42501', null, 'anon cannot list sessions');

select tests.authenticate_as('st_ann');
select results_eq(
  $$ select user_id, allow_messages_from::text, show_online_status from user_settings $$,
  $$ values (tests.uid('st_ann'), 'everyone', true) $$,
  'a user sees only their own settings, with the defaults'
);
select lives_ok(
  $$ update user_settings set allow_messages_from = 'nobody', show_online_status = false where user_id = tests.uid('st_ann') $$,
  'the owner changes their settings'
);
select results_eq(
  $$ with changed as (update user_settings set allow_messages_from = 'nobody' where user_id = tests.uid('st_ben') returning 1)
     select count(*)::int from changed $$,
  $$ values (0) $$,
  'a user cannot change someone else''s settings'
);
select throws_ok(
  $$ update user_settings set user_id = tests.uid('st_ben') where user_id = tests.uid('st_ann') $$,
  '42501', null, 'the owner column cannot be changed'
);
select throws_ok(
  $$ insert into user_settings (user_id) values (tests.uid('st_ann')) $$,
  '42501', null, 'users cannot insert settings rows'
);
select throws_ok(
  $$ update user_settings set notification_preferences = '[]' where user_id = tests.uid('st_ann') $$,
  '23514', null, 'notification preferences must be a JSON object'
);

-- Sessions --------------------------------------------------------------------------------------

select tests.authenticate_as('st_ann', '00000000-0000-4000-c000-000000000001');
select set_eq(
  $$ select user_agent from list_my_sessions() $$,
  $$ values ('laptop'), ('phone'), ('tablet') $$,
  'list_my_sessions returns the caller''s sessions only'
);
select results_eq(
  $$ select id from list_my_sessions() where is_current $$,
  $$ values ('00000000-0000-4000-c000-000000000001'::uuid) $$,
  'the session of the calling token is marked current'
);
select is(revoke_my_session('00000000-0000-4000-c000-000000000004'), false, 'revoking another user''s session does nothing');
select is(revoke_my_session('00000000-0000-4000-c000-000000000002'), true, 'a user revokes one of their sessions');
select is(revoke_my_other_sessions(), 1, 'revoke_my_other_sessions signs out every other session of the caller');
select throws_ok($$ select * from auth.sessions $$, '42501', null, 'users cannot read auth.sessions directly');

reset role;
select set_eq(
  $$ select id from auth.sessions where user_id in (tests.uid('st_ann'), tests.uid('st_ben')) $$,
  $$ values ('00000000-0000-4000-c000-000000000001'::uuid), ('00000000-0000-4000-c000-000000000004'::uuid) $$,
  'only the current session of the caller and the other user''s session remain'
);
select results_eq(
  $$ select action, target_id from activity_log where user_id = tests.uid('st_ann') and action like 'session.%' order by id $$,
  $$ values ('session.revoked', '00000000-0000-4000-c000-000000000002'), ('session.revoked_others', null) $$,
  'revocations are logged'
);
select results_eq(
  $$ select action, metadata ->> 'allow_messages_from' from activity_log where user_id = tests.uid('st_ann') and action = 'settings.updated' $$,
  $$ values ('settings.updated', 'nobody') $$,
  'settings changes are logged'
);
select results_eq(
  $$ select allow_messages_from::text, show_online_status from user_settings where user_id = tests.uid('st_ann') $$,
  $$ values ('nobody', false) $$,
  'the owner''s settings were saved'
);
select is(
  (select allow_messages_from::text from user_settings where user_id = tests.uid('st_ben')),
  'everyone',
  'the other user''s settings are untouched'
);

select tests.authenticate_as('st_ben');
select is_empty(
  $$ select * from user_settings where user_id = tests.uid('st_ann') $$,
  'another user cannot read someone''s settings'
);

select ok(
  (select p.prosecdef and 'search_path=""' = any (p.proconfig)
     from pg_proc as p where p.oid = 'public.revoke_my_session(uuid)'::regprocedure),
  'revoke_my_session is security definer with an empty search_path'
);

select * from finish();
rollback;
