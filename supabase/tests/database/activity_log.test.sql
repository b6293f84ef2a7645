-- Activity log: written by triggers and functions, read by the account's owner and by admins,
-- never changed or removed by anyone.
begin;
set local search_path = extensions, public;
select plan(13);

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

select from tests.create_user('al_ann');
select from tests.create_user('al_ben');
select from tests.create_user('al_mod', '{}', '{"role": "moderator"}');
select from tests.create_user('al_admin', '{}', '{"role": "admin"}');

-- A password change made by Auth is logged.
update auth.users set encrypted_password = crypt('new-password', gen_salt('bf', 4)) where id = tests.uid('al_ann');
select results_eq(
  $$ select action, target_type from activity_log where user_id = tests.uid('al_ann') $$,
  $$ values ('password.changed', 'user') $$,
  'changing auth.users.encrypted_password logs password.changed'
);
update auth.users set last_sign_in_at = now() where id = tests.uid('al_ann');
select is(
  (select count(*)::int from activity_log where user_id = tests.uid('al_ann')),
  1,
  'other auth.users updates are not logged as password changes'
);

-- Entries written during an API request carry the client's IP and user agent.
select from set_config('request.headers', '{"x-forwarded-for": "203.0.113.7, 10.0.0.1", "user-agent": "pgtap-browser"}', true);
select tests.authenticate_as('al_ben');
update profiles set bio = 'from the API' where id = tests.uid('al_ben');
reset role;
select results_eq(
  $$ select actor_id, ip, user_agent from activity_log where user_id = tests.uid('al_ben') and action = 'profile.updated' $$,
  $$ values (tests.uid('al_ben'), '203.0.113.7'::inet, 'pgtap-browser') $$,
  'the actor, IP (first x-forwarded-for hop) and user agent come from the request'
);
select from set_config('request.headers', '', true);

-- Reading ---------------------------------------------------------------------------------------

select tests.authenticate_as_anon();
select throws_ok($$ select * from activity_log $$, '42501', null, 'anon cannot read the activity log');

select tests.authenticate_as('al_ben');
select is_empty(
  $$ select * from activity_log where user_id <> tests.uid('al_ben') $$,
  'a user reads only entries about their own account'
);
select isnt_empty($$ select * from activity_log $$, 'a user reads their own entries');
select throws_ok(
  $$ insert into activity_log (user_id, action) values (tests.uid('al_ben'), 'profile.updated') $$,
  '42501', null, 'users cannot write entries directly'
);
select throws_ok(
  $$ delete from activity_log where user_id = tests.uid('al_ben') $$,
  '42501', null, 'users cannot delete their entries'
);

select tests.authenticate_as('al_mod');
select is_empty(
  $$ select * from activity_log where user_id = tests.uid('al_ann') $$,
  'a moderator does not read other users'' activity'
);

select tests.authenticate_as('al_admin');
select isnt_empty(
  $$ select * from activity_log where user_id = tests.uid('al_ann') $$,
  'an admin reads every user''s activity'
);

-- Append-only, even for roles that bypass RLS.
set local role service_role;
select throws_ok(
  $$ update activity_log set action = 'x.y' where user_id = tests.uid('al_ann') $$,
  '42501', null, 'the service role cannot update entries'
);
reset role;
select throws_ok(
  $$ delete from activity_log where user_id = tests.uid('al_ann') $$,
  '42501', 'activity_log is append-only: delete is not allowed', 'not even postgres deletes entries'
);
select throws_ok(
  $$ truncate activity_log $$,
  '42501', 'activity_log is append-only: truncate is not allowed', 'the log cannot be truncated'
);

select * from finish();
rollback;
