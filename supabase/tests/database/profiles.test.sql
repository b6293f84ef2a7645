-- Profiles: created from sign-up metadata by the auth.users trigger (also when Auth inserts as
-- supabase_auth_admin), usernames valid and unique case-insensitively, readable by signed-in users,
-- editable by their owner only.
begin;
set local search_path = extensions, public;
select plan(27);

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

-- Sign-up ---------------------------------------------------------------------------------------

select from tests.create_user('pt_ann', '{"username": "Pt_Ann", "display_name": "Ann A.", "bio": "hi", "timezone": "Europe/Paris", "locale": "fr-CA"}');
select from tests.create_user('pt_ben', '{"username": "PT_ANN"}');
select from tests.create_user('pt_cid', '{"username": "no spaces allowed!"}');
select from tests.create_user('pt.dee-x', '{"timezone": "Mars/Olympus", "locale": "not a locale"}');

select results_eq(
  $$ select username, display_name, bio, timezone, locale from profiles where id = tests.uid('pt_ann') $$,
  $$ values ('Pt_Ann', 'Ann A.', 'hi', 'Europe/Paris', 'fr-CA') $$,
  'sign-up metadata fills the new profile'
);
select ok(
  (select username ~ '^PT_ANN_[0-9]+$' from profiles where id = tests.uid('pt_ben')),
  'a username taken case-insensitively gets a numeric suffix instead of failing the sign-up'
);
select ok(
  (select username ~ '^[A-Za-z0-9_]{3,30}$' and username like 'no_spaces_allowed%' from profiles where id = tests.uid('pt_cid')),
  'an invalid requested username is turned into a valid one'
);
select results_eq(
  $$ select username, display_name, timezone, locale from profiles where id = tests.uid('pt.dee-x') $$,
  $$ values ('pt_dee_x', 'pt_dee_x', 'UTC', 'en') $$,
  'without metadata the username comes from the email and invalid time zone / locale fall back to defaults'
);
select is(
  (select count(*)::int from user_settings where user_id = tests.uid('pt_ann')),
  1,
  'every new user also gets a settings row'
);

-- The trigger runs with its owner's rights: Auth's role may insert users without any right on public.
select ok(
  not has_table_privilege('supabase_auth_admin', 'public.profiles', 'insert'),
  'supabase_auth_admin itself cannot insert profiles'
);
select ok(
  (select p.prosecdef and 'search_path=""' = any (p.proconfig)
     from pg_proc as p where p.oid = 'private.handle_new_user()'::regprocedure),
  'the sign-up trigger function is security definer with an empty search_path'
);

-- Reading ---------------------------------------------------------------------------------------

select tests.authenticate_as_anon();
select throws_ok($$ select * from profiles $$, '42501', null, 'anon cannot read profiles');
select is(public.is_username_available('pt_ann'), false, 'anon can check that a username is taken (case-insensitively)');
select is(public.is_username_available('pt_free_name'), true, 'anon can check that a username is free');
select is(public.is_username_available('x'), false, 'a too short username is not available');

select tests.authenticate_as('pt_ben');
select is(
  (select username from profiles where id = tests.uid('pt_ann')),
  'Pt_Ann',
  'a signed-in user reads other users'' profiles'
);

-- Updating --------------------------------------------------------------------------------------

select lives_ok(
  $$ update profiles set display_name = 'Ben', bio = 'new bio', timezone = 'America/New_York' where id = tests.uid('pt_ben') $$,
  'the owner updates their profile'
);
select results_eq(
  $$ with changed as (update profiles set bio = 'hacked' where id = tests.uid('pt_ann') returning 1) select count(*)::int from changed $$,
  $$ values (0) $$,
  'a user cannot update someone else''s profile'
);
select throws_ok(
  $$ update profiles set created_at = now() - interval '1 year' where id = tests.uid('pt_ben') $$,
  '42501', null, 'non-editable columns cannot be changed'
);
select throws_ok(
  $$ update profiles set username = 'PT_ann' where id = tests.uid('pt_ben') $$,
  '23505', null, 'usernames stay unique whatever their case'
);
select throws_ok(
  $$ update profiles set username = 'a b' where id = tests.uid('pt_ben') $$,
  '23514', null, 'an invalid username is rejected'
);
select throws_ok(
  $$ update profiles set timezone = 'Nowhere/Land' where id = tests.uid('pt_ben') $$,
  '23514', 'unknown time zone: Nowhere/Land', 'an unknown time zone is rejected'
);
select throws_ok(
  $$ update profiles set bio = repeat('x', 501) where id = tests.uid('pt_ben') $$,
  '23514', null, 'bios are at most 500 characters'
);
select throws_ok(
  $$ insert into profiles (id, username, display_name) values (gen_random_uuid(), 'pt_new', 'x') $$,
  '42501', null, 'users cannot insert profiles'
);
select throws_ok(
  $$ delete from profiles where id = tests.uid('pt_ben') $$,
  '42501', null, 'users cannot delete profiles'
);

reset role;
select results_eq(
  $$ select display_name, bio, timezone from profiles where id = tests.uid('pt_ben') $$,
  $$ values ('Ben', 'new bio', 'America/New_York') $$,
  'the owner''s changes were saved'
);
select is((select bio from profiles where id = tests.uid('pt_ann')), 'hi', 'the other profile is untouched');
select ok(
  (select updated_at >= created_at from profiles where id = tests.uid('pt_ben')),
  'updated_at is maintained'
);
select results_eq(
  $$ select action, actor_id, metadata -> 'fields' from activity_log where user_id = tests.uid('pt_ben') and action = 'profile.updated' $$,
  $$ values ('profile.updated', tests.uid('pt_ben'), '["bio", "display_name", "timezone"]'::jsonb) $$,
  'a profile change is logged with the changed field names'
);

-- Account deletion removes the profile and settings.
delete from auth.users where id = tests.uid('pt_cid');
select is((select count(*)::int from profiles where username like 'no_spaces_allowed%'), 0, 'deleting the auth user deletes the profile');

select is(
  (select count(*)::int from user_settings where user_id not in (select id from profiles)),
  0,
  'no settings row outlives its profile'
);

select * from finish();
rollback;
