-- User blocks: private to the blocker, made and removed only in one's own name.
begin;
set local search_path = extensions, public;
select plan(9);

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

select from tests.create_user('ub_ann');
select from tests.create_user('ub_ben');
select from tests.create_user('ub_cid');

select tests.authenticate_as_anon();
select throws_ok($$ select * from user_blocks $$, '42501', null, 'anon cannot read blocks');

select tests.authenticate_as('ub_ann');
select lives_ok($$ insert into user_blocks (blocked_id) values (tests.uid('ub_ben')) $$, 'a user blocks another');
select throws_ok(
  $$ insert into user_blocks (blocker_id, blocked_id) values (tests.uid('ub_cid'), tests.uid('ub_ben')) $$,
  '42501', null, 'a user cannot block in someone else''s name'
);
select throws_ok(
  $$ insert into user_blocks (blocked_id) values (tests.uid('ub_ann')) $$,
  '23514', null, 'a user cannot block themselves'
);
select results_eq($$ select blocked_id from user_blocks $$, $$ values (tests.uid('ub_ben')) $$, 'the blocker sees their block');

select tests.authenticate_as('ub_ben');
select is_empty($$ select * from user_blocks $$, 'the blocked user does not see the block');
select results_eq(
  $$ with gone as (delete from user_blocks where blocked_id = tests.uid('ub_ben') returning 1) select count(*)::int from gone $$,
  $$ values (0) $$,
  'the blocked user cannot remove the block'
);

select tests.authenticate_as('ub_ann');
select results_eq(
  $$ with gone as (delete from user_blocks where blocked_id = tests.uid('ub_ben') returning 1) select count(*)::int from gone $$,
  $$ values (1) $$,
  'the blocker unblocks'
);
select is(private.is_blocked_between(tests.uid('ub_ann'), tests.uid('ub_ben')), false, 'after unblocking no block remains');

select * from finish();
rollback;
