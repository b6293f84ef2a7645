-- The avatars and attachments buckets: avatars are public and written only under one's own id;
-- attachments are read by the room's members only and written by a member under their own id.
begin;
set local search_path = extensions, public;
select plan(14);

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

select from tests.create_user('sb_ann');
select from tests.create_user('sb_ben');
select from tests.create_user('sb_eve');
insert into public.rooms (id, kind, name) values ('5b000000-0000-4000-8000-000000000001', 'group', 'storage buckets');
insert into public.room_members (room_id, user_id) values
  ('5b000000-0000-4000-8000-000000000001', tests.uid('sb_ann')),
  ('5b000000-0000-4000-8000-000000000001', tests.uid('sb_ben'));

select results_eq(
  $$ select id, public, file_size_limit from storage.buckets where id in ('avatars', 'attachments') order by id $$,
  $$ values ('attachments'::text, false, 26214400::bigint), ('avatars', true, 2097152) $$,
  'the migration makes both buckets with their settings'
);

select tests.authenticate_as('sb_ann');
select lives_ok(
  format($$ insert into storage.objects (bucket_id, name, owner_id) values ('avatars', '%s/me.png', '%s') $$, tests.uid('sb_ann'), tests.uid('sb_ann')),
  'a user uploads an avatar under their own id'
);
select throws_ok(
  format($$ insert into storage.objects (bucket_id, name) values ('avatars', '%s/me.png') $$, tests.uid('sb_ben')),
  '42501', null, 'but not under someone else''s'
);
select lives_ok(
  format($$ insert into storage.objects (bucket_id, name) values ('attachments', '5b000000-0000-4000-8000-000000000001/%s/photo.png') $$, tests.uid('sb_ann')),
  'a member uploads an attachment into their room under their own id'
);
select throws_ok(
  format($$ insert into storage.objects (bucket_id, name) values ('attachments', '5b000000-0000-4000-8000-000000000001/%s/forged.png') $$, tests.uid('sb_ben')),
  '42501', null, 'a member cannot upload in another member''s name'
);
select throws_ok(
  $$ insert into storage.objects (bucket_id, name) values ('attachments', 'not-a-room/x/y.png') $$,
  '42501', null, 'a key naming no room is refused, not an error'
);

select tests.authenticate_as('sb_ben');
select is(
  (select count(*)::int from storage.objects where bucket_id = 'attachments' and name like '5b000000-0000-4000-8000-000000000001/%'),
  1, 'another member sees the attachment'
);
select is(
  (select count(*)::int from storage.objects where bucket_id = 'avatars' and owner_id = tests.uid('sb_ann')::text),
  1, 'avatars are readable by other users'
);
-- Hidden by the update policy, the uploader's row is simply not matched (checked at the end).
select lives_ok(
  format($$ update storage.objects set name = name || '.bak' where bucket_id = 'attachments' and split_part(name, '/', 2) = '%s' $$, tests.uid('sb_ann')),
  'another member''s rename of the uploader''s attachment matches nothing'
);

select tests.authenticate_as('sb_eve');
select is(
  (select count(*)::int from storage.objects where bucket_id = 'attachments'),
  0, 'a non-member sees no attachment'
);
select throws_ok(
  format($$ insert into storage.objects (bucket_id, name) values ('attachments', '5b000000-0000-4000-8000-000000000001/%s/x.png') $$, tests.uid('sb_eve')),
  '42501', null, 'a non-member cannot upload into the room'
);

select tests.authenticate_as_anon();
select is((select count(*)::int from storage.objects where bucket_id = 'attachments'), 0, 'anon sees no attachment');
select is(
  (select count(*)::int from storage.objects where bucket_id = 'avatars' and owner_id = tests.uid('sb_ann')::text),
  1, 'anon reads avatars'
);
reset role;
select is(
  (select count(*)::int from storage.objects where bucket_id = 'attachments' and name like '%.bak'),
  0, 'the attachment was not renamed'
);

select * from finish();
rollback;
