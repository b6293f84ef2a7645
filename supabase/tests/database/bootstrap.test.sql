-- The database a fresh basekit stack hands to migrations behaves like a fresh Supabase database:
-- roles and memberships, the auth.* claim helpers, RLS as seen by anon / authenticated /
-- service_role, what `postgres` may do to auth, storage and realtime, and the publication.
-- Runs as postgres or as a superuser (everything is rolled back).
begin;

set local search_path = extensions, public;

select plan(53);

-- Roles --------------------------------------------------------------------------------------------

select set_has(
  $$ select rolname::text from pg_catalog.pg_roles $$,
  $$ values ('anon'), ('authenticated'), ('service_role'), ('authenticator'), ('postgres'),
            ('supabase_admin'), ('supabase_auth_admin'), ('supabase_storage_admin'),
            ('supabase_realtime_admin'), ('supabase_functions_admin'), ('supabase_replication_admin'),
            ('supabase_read_only_user'), ('dashboard_user'), ('pgbouncer') $$,
  'every Supabase role exists'
);

select is_superuser('supabase_admin', 'supabase_admin is a superuser');

select ok(
  (select not rolsuper or oid = 10 from pg_catalog.pg_roles where rolname = 'postgres'),
  'postgres is not a superuser (unless it is the cluster''s bootstrap superuser)'
);

select results_eq(
  $$ select rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin, rolinherit
     from pg_catalog.pg_roles where rolname = 'postgres' $$,
  $$ values (true, true, true, true, true, true) $$,
  'postgres can create databases and roles, replicate, bypass RLS and log in'
);

select results_eq(
  $$ select rolname::text collate "default", rolcanlogin, rolinherit, rolbypassrls
     from pg_catalog.pg_roles
     where rolname in ('anon', 'authenticated', 'service_role', 'authenticator')
     order by rolname $$,
  $$ values ('anon', false, true, false),
            ('authenticated', false, true, false),
            ('authenticator', true, false, false),
            ('service_role', false, true, true) $$,
  'API roles cannot log in and inherit; authenticator logs in without inheriting; only service_role bypasses RLS'
);

select ok(pg_has_role('authenticator', 'anon', 'member')
      and pg_has_role('authenticator', 'authenticated', 'member')
      and pg_has_role('authenticator', 'service_role', 'member'),
  'authenticator can switch to anon, authenticated and service_role');

select ok(not pg_has_role('authenticator', 'service_role', 'usage'),
  'authenticator holds no privileges of the roles it switches to');

select ok(pg_has_role('postgres', 'anon', 'member')
      and pg_has_role('postgres', 'authenticated', 'member')
      and pg_has_role('postgres', 'service_role', 'member'),
  'postgres can act as the API roles');

select ok(pg_has_role('postgres', 'pg_read_all_data', 'member')
      and pg_has_role('postgres', 'pg_signal_backend', 'member')
      and pg_has_role('postgres', 'pg_monitor', 'member'),
  'postgres reads all data, signals backends and monitors');

select ok(pg_has_role('supabase_storage_admin', 'authenticator', 'member'),
  'supabase_storage_admin can switch roles through authenticator');

select ok(not pg_has_role('anon', 'authenticated', 'member')
      and not pg_has_role('authenticated', 'service_role', 'member'),
  'API roles are not members of each other');

select results_eq(
  $$ select r.rolname::text collate "default", s.setconfig collate "default"
     from pg_catalog.pg_db_role_setting s
     join pg_catalog.pg_roles r on r.oid = s.setrole
     where s.setdatabase = 0 and r.rolname in ('anon', 'authenticated')
     order by r.rolname $$,
  $$ values ('anon', array['statement_timeout=3s']),
            ('authenticated', array['statement_timeout=8s']) $$,
  'anon statements time out after 3s, authenticated after 8s'
);

select ok(
  (select setconfig @> array['statement_timeout=8s', 'lock_timeout=8s']
   from pg_catalog.pg_db_role_setting
   where setdatabase = 0 and setrole = 'authenticator'::regrole),
  'authenticator has an 8s statement and lock timeout'
);

select ok(
  (select setconfig @> array['search_path="$user", public, extensions']
   from pg_catalog.pg_db_role_setting
   where setdatabase = 0 and setrole = 'postgres'::regrole),
  'postgres searches public, then extensions'
);

-- auth.uid(), auth.role(), auth.email(), auth.jwt() ------------------------------------------------

select is(auth.uid(), null, 'auth.uid() is null outside a request');
select is(auth.jwt(), null, 'auth.jwt() is null outside a request');

set local request.jwt.claims = '{"sub": "8c6a3e5f-2c55-4b6e-9a3c-0d1f7f0f4a11", "role": "authenticated", "email": "ann@example.com", "aud": "authenticated"}';

select is(auth.uid(), '8c6a3e5f-2c55-4b6e-9a3c-0d1f7f0f4a11'::uuid, 'auth.uid() returns the sub claim of request.jwt.claims');
select is(auth.role(), 'authenticated', 'auth.role() returns the role claim');
select is(auth.email(), 'ann@example.com', 'auth.email() returns the email claim');
select is(auth.jwt() ->> 'aud', 'authenticated', 'auth.jwt() returns all the claims');

set local request.jwt.claim.sub = '00000000-0000-0000-0000-0000000000aa';
select is(auth.uid(), '00000000-0000-0000-0000-0000000000aa'::uuid, 'the legacy request.jwt.claim.sub wins over request.jwt.claims');
set local request.jwt.claim.sub = '';
select is(auth.uid(), '8c6a3e5f-2c55-4b6e-9a3c-0d1f7f0f4a11'::uuid, 'an empty legacy claim falls back to request.jwt.claims');

set local request.jwt.claims = '{"sub": "not-a-uuid"}';
select throws_ok('select auth.uid()', '22P02', null, 'a sub that is not a uuid makes auth.uid() fail');
set local request.jwt.claims = '';

-- Row level security as the API roles --------------------------------------------------------------
-- A table created by postgres, like a project migration's: default privileges expose it to the API
-- roles, RLS with one policy decides what they see.

set local role postgres;
create table public.bootstrap_test_notes (
  id int primary key,
  owner_id uuid not null,
  body text not null
);
alter table public.bootstrap_test_notes enable row level security;
create policy "owners read their notes" on public.bootstrap_test_notes
  for select to authenticated
  using (owner_id = (select auth.uid()));
insert into public.bootstrap_test_notes values
  (1, '8c6a3e5f-2c55-4b6e-9a3c-0d1f7f0f4a11', 'ann''s note'),
  (2, '2b0b8d0e-6b9e-4f43-9c53-3b1c2a8e7d22', 'bob''s note');
reset role;

select ok(has_table_privilege('anon', 'public.bootstrap_test_notes', 'select')
      and has_table_privilege('authenticated', 'public.bootstrap_test_notes', 'insert')
      and has_table_privilege('service_role', 'public.bootstrap_test_notes', 'delete'),
  'tables postgres creates in public are granted to the API roles');

set local role anon;
select is_empty('select * from public.bootstrap_test_notes', 'anon sees no row where no policy lets it');
select throws_ok('select * from auth.users', '42501', null, 'anon cannot read auth.users');
reset role;

set local role authenticated;
set local request.jwt.claims = '{"sub": "8c6a3e5f-2c55-4b6e-9a3c-0d1f7f0f4a11", "role": "authenticated"}';
select results_eq('select id from public.bootstrap_test_notes', array[1], 'authenticated sees only the rows its policy allows');
select throws_ok(
  $$ insert into public.bootstrap_test_notes values (3, '8c6a3e5f-2c55-4b6e-9a3c-0d1f7f0f4a11', 'x') $$,
  '42501', null, 'authenticated cannot insert without an insert policy'
);
select throws_ok('select * from auth.sessions', '42501', null, 'authenticated cannot read auth tables');
reset role;

set local role service_role;
select results_eq('select id from public.bootstrap_test_notes order by id', array[1, 2], 'service_role bypasses RLS');
reset role;
set local request.jwt.claims = '';

-- What postgres may do to the Supabase schemas -----------------------------------------------------

set local role postgres;

create function public.bootstrap_test_on_signup() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  return new;
end;
$$;
select lives_ok(
  $$ create trigger bootstrap_test_on_signup after insert on auth.users
     for each row execute function public.bootstrap_test_on_signup() $$,
  'postgres can create a trigger on auth.users'
);
select lives_ok(
  'drop trigger bootstrap_test_on_signup on auth.users',
  'postgres can drop a trigger on auth.users'
);
select lives_ok(
  $$ create table public.bootstrap_test_profiles (
       id uuid primary key references auth.users (id) on delete cascade,
       name text
     ) $$,
  'postgres can reference auth.users in a foreign key'
);
select lives_ok(
  $$ insert into auth.users (id, email) values ('8c6a3e5f-2c55-4b6e-9a3c-0d1f7f0f4a11', 'ann@example.com') $$,
  'postgres can write auth.users'
);
select lives_ok(
  'alter publication supabase_realtime add table public.bootstrap_test_profiles',
  'postgres can add a table to the supabase_realtime publication'
);
select lives_ok(
  $$ create policy "bootstrap test uploads" on storage.objects for insert to authenticated
     with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid()::text)) $$,
  'postgres can create policies on storage.objects'
);
select lives_ok(
  $$ create policy "bootstrap test receive" on realtime.messages for select to authenticated
     using (realtime.topic() = 'room:1' and extension = 'broadcast') $$,
  'postgres can create policies on realtime.messages'
);
select lives_ok(
  'create extension if not exists citext with schema extensions',
  'postgres can enable a trusted extension'
);

reset role;

-- Extensions ---------------------------------------------------------------------------------------

select ok(
  (select count(*) = 2 from pg_catalog.pg_extension
   where extname in ('pgcrypto', 'uuid-ossp') and extnamespace = 'extensions'::regnamespace),
  'pgcrypto and uuid-ossp live in schema extensions'
);
select isnt(extensions.crypt('secret', extensions.gen_salt('bf')), null, 'pgcrypto''s crypt() works');

-- Publication and event triggers -------------------------------------------------------------------

select results_eq(
  $$ select pg_catalog.pg_get_userbyid(pubowner)::text collate "default", puballtables, pubinsert, pubupdate, pubdelete, pubtruncate
     from pg_catalog.pg_publication where pubname = 'supabase_realtime' $$,
  $$ values ('postgres', false, true, true, true, true) $$,
  'publication supabase_realtime is owned by postgres and publishes insert, update, delete and truncate'
);

select set_has(
  $$ select evtname::text from pg_catalog.pg_event_trigger where evtenabled <> 'D' $$,
  $$ values ('pgrst_ddl_watch'), ('pgrst_drop_watch') $$,
  'PostgREST schema-reload event triggers are enabled'
);

-- Storage and realtime tables ----------------------------------------------------------------------

select has_table('storage', 'buckets', 'storage.buckets exists');
select has_table('storage', 'objects', 'storage.objects exists');
select has_table('realtime', 'messages', 'realtime.messages exists');

select results_eq(
  $$ select c.oid::regclass::text, c.relrowsecurity
     from pg_catalog.pg_class c
     where c.oid in ('storage.buckets'::regclass, 'storage.objects'::regclass, 'realtime.messages'::regclass,
                     'auth.users'::regclass)
     order by 1 $$,
  $$ values ('auth.users', true), ('realtime.messages', true), ('storage.buckets', true), ('storage.objects', true) $$,
  'auth.users, storage.buckets, storage.objects and realtime.messages have RLS enabled'
);

select ok(has_table_privilege('authenticated', 'storage.objects', 'select, insert, update, delete')
      and has_table_privilege('anon', 'storage.buckets', 'select'),
  'the API roles hold all privileges on storage tables (RLS decides)');

select is(
  array[storage.foldername('u1/photos/cat.png')::text, storage.filename('u1/photos/cat.png'), storage.extension('u1/photos/cat.png')],
  array['{u1,photos}', 'cat.png', 'png'],
  'storage.foldername(), filename() and extension() split an object key'
);

select has_column('auth', 'users', 'is_anonymous', 'auth.users has is_anonymous');
select col_is_pk('auth', 'refresh_tokens', 'id', 'auth.refresh_tokens is keyed by its bigserial id');

set local realtime.topic = 'room:1';
select is(realtime.topic(), 'room:1', 'realtime.topic() reads the realtime.topic setting');

set local role postgres;
select lives_ok(
  $$ select realtime.send('{"text": "hi"}', 'message', 'room:1', true) $$,
  'realtime.send() runs'
);
select results_eq(
  $$ select event, payload ->> 'text', private from realtime.messages where topic = 'room:1' $$,
  $$ values ('message', 'hi', true) $$,
  'realtime.send() stores the broadcast in realtime.messages'
);
reset role;

select * from finish();
rollback;
