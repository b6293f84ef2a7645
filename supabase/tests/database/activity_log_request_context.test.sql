-- Activity log request context: the client IP and user agent come from headers the client
-- controls, so only a single host address and a cleaned, bounded user agent are stored.
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


select from tests.create_user('rc_ann');

-- One profile change made during an API request with the given headers, as the signed-in user;
-- returns the IP and user agent of the entry it logged.
create or replace function tests.log_with_headers(headers text)
returns table (ip inet, user_agent text)
language plpgsql as $$
begin
  perform set_config('request.headers', headers, true);
  update public.profiles set bio = 'changed ' || gen_random_uuid() where id = auth.uid();
  perform set_config('request.headers', '', true);
  return query
    select a.ip, a.user_agent from public.activity_log as a
     where a.user_id = auth.uid() and a.action = 'profile.updated'
     order by a.id desc limit 1;
end;
$$;
grant execute on function tests.log_with_headers(text) to authenticated;

select tests.authenticate_as('rc_ann');

-- IP ------------------------------------------------------------------------------------------

select results_eq(
  $$ select ip from tests.log_with_headers('{"x-forwarded-for": "2001:db8::7, 10.0.0.1"}') $$,
  $$ values ('2001:db8::7'::inet) $$,
  'an IPv6 client address is kept'
);
select results_eq(
  $$ select ip from tests.log_with_headers('{"x-forwarded-for": "10.0.0.0/8"}') $$,
  $$ values (null::inet) $$,
  'a network (address with a mask) is not stored as the client IP'
);
select results_eq(
  $$ select ip from tests.log_with_headers('{"x-forwarded-for": "203.0.113.9:8080"}') $$,
  $$ values (null::inet) $$,
  'an address with a port is not stored'
);
select results_eq(
  $$ select ip from tests.log_with_headers('{"x-forwarded-for": "fe80::1%eth0"}') $$,
  $$ values (null::inet) $$,
  'an address with a zone is not stored'
);
select results_eq(
  format($$ select ip from tests.log_with_headers(%L) $$,
    json_build_object('x-forwarded-for', repeat('1', 100000), 'x-real-ip', '198.51.100.4')::text),
  $$ values (null::inet) $$,
  'a huge x-forwarded-for is refused whole (no fallback to other headers) and the change still goes through'
);

-- User agent ----------------------------------------------------------------------------------

select results_eq(
  $$ select user_agent from tests.log_with_headers(
       '{"user-agent": "  Mozilla/5.0\u001b[31m fake\r\n2026-01-01 admin logged in\u0085 \u202egnp.exe\u0007  "}') $$,
  $$ values ('Mozilla/5.0[31m fake2026-01-01 admin logged in gnp.exe') $$,
  'control characters (C0, C1, DEL) and bidi overrides are removed and the rest trimmed'
);
select results_eq(
  format($$ select char_length(user_agent) from tests.log_with_headers(%L) $$,
    json_build_object('user-agent', repeat('a', 100000))::text),
  $$ values (512) $$,
  'a long user agent is cut to 512 characters'
);
select results_eq(
  $$ select user_agent from tests.log_with_headers('{"user-agent": "\u0001\u0002\t\n"}') $$,
  $$ values (null::text) $$,
  'a user agent of nothing but control characters is stored as null'
);
select results_eq(
  $$ select ip, user_agent from tests.log_with_headers('{"user-agent": "a\u0000b", "x-forwarded-for": "203.0.113.1"}') $$,
  $$ values (null::inet, null::text) $$,
  'unreadable headers (a NUL escape) log no IP or user agent instead of failing the change'
);
select is(
  (select count(*)::int from activity_log where user_id = tests.uid('rc_ann') and action = 'profile.updated'),
  9,
  'every one of the changes above was made and logged once'
);

-- The table refuses dirty values whoever writes them -----------------------------------------

reset role;
set local role service_role;
select throws_ok(
  $$ insert into activity_log (user_id, action, ip) values (tests.uid('rc_ann'), 'test.logged', '10.0.0.0/8') $$,
  '23514', null, 'the service role cannot store a network as an IP'
);
select throws_ok(
  $$ insert into activity_log (user_id, action, user_agent) values (tests.uid('rc_ann'), 'test.logged', e'bad\nagent') $$,
  '23514', null, 'the service role cannot store a user agent with control characters'
);
select lives_ok(
  $$ insert into activity_log (user_id, action, ip, user_agent) values (tests.uid('rc_ann'), 'test.logged', '203.0.113.5', 'curl/8') $$,
  'clean values are accepted'
);
reset role;

select * from finish();
rollback;
