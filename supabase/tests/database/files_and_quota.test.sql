-- Files and storage quota: the owner reads their file records, only the service role writes them, a
-- verdict is final, file_ready is enqueued once when a file becomes ready, and the per-user quota
-- on storage.objects refuses what would exceed it (probe and final row alike) and nothing else.
begin;
set local search_path = extensions, public;
select plan(15);

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

select from tests.create_user('fq_ann');
select from tests.create_user('fq_ben');
insert into storage.buckets (id, name) values ('fq-bucket', 'fq-bucket');
insert into public.storage_quotas (user_id, quota_bytes) values (tests.uid('fq_ann'), 100);

-- Quota: rows written as the table owner still pass the trigger, as Storage writes them.
create or replace function tests.put_object(handle text, name text, bytes bigint, field text default 'size')
returns void language sql security definer set search_path = '' as $$
  insert into storage.objects (bucket_id, name, owner_id, metadata)
  values ('fq-bucket', name, tests.uid(handle)::text, jsonb_build_object(field, bytes))
  on conflict (bucket_id, name) do update set metadata = excluded.metadata, owner_id = excluded.owner_id;
$$;
grant execute on function tests.put_object(text, text, bigint, text) to authenticated, service_role;

select lives_ok($$ select tests.put_object('fq_ann', 'ann/a.bin', 60) $$, 'an object within the quota is stored');
select throws_ok(
  $$ select tests.put_object('fq_ann', 'ann/b.bin', 41) $$,
  '42501', 'Storage quota exceeded: 60 of 100 bytes used, this file needs 41', 'one byte past the quota is refused'
);
select throws_ok(
  $$ select tests.put_object('fq_ann', 'ann/c.bin', 500, 'contentLength') $$,
  '42501', null, 'the permission probe''s declared length is checked before any byte is read'
);
select lives_ok($$ select tests.put_object('fq_ann', 'ann/a.bin', 100) $$, 'replacing an object counts only the new size');
select is(
  (select array_agg(name order by name) from storage.objects where bucket_id = 'fq-bucket'),
  array['ann/a.bin'], 'refused objects left no row'
);
select lives_ok($$ select tests.put_object('fq_ben', 'ben/big.bin', 1000) $$, 'another user has their own (default) quota');
select is(private.storage_quota_bytes(tests.uid('fq_ben')), 104857600::bigint, 'the default quota is 100 MiB');

-- Files: only the service role writes records; owners read theirs.
set local role service_role;
insert into public.files (owner_id, bucket_id, path, size, declared_mime_type)
values (tests.uid('fq_ann'), 'attachments', 'room/photo.png', 10, 'image/png'),
       (tests.uid('fq_ann'), 'attachments', 'room/tool.png', 10, 'image/png');
reset role;

select tests.authenticate_as('fq_ann');
select is((select count(*)::int from public.files where owner_id = tests.uid('fq_ann')), 2, 'the owner reads their file records');
select throws_ok(
  $$ update public.files set status = 'ready' where path = 'room/photo.png' $$,
  '42501', null, 'users cannot change a record (no update privilege)'
);
select tests.authenticate_as('fq_ben');
select is((select count(*)::int from public.files where owner_id = tests.uid('fq_ann')), 0, 'others see no record of it');
select throws_ok(
  $$ insert into public.files (owner_id, bucket_id, path, size) values (tests.uid('fq_ben'), 'x', 'y', 1) $$,
  '42501', null, 'users cannot write records'
);
reset role;

set local role service_role;
update public.files set status = 'ready', detected_mime_type = 'image/png', width = 4, height = 4 where path = 'room/photo.png';
update public.files set status = 'rejected', rejection_reason = 'declared image/png, bytes are application/x-msdownload'
 where path = 'room/tool.png';
reset role;
select is(
  (select count(*)::int from private.notification_events
    where type = 'file_ready' and recipient_ids = array[tests.uid('fq_ann')] and payload ->> 'file_name' = 'photo.png'),
  1, 'a ready file enqueues one file_ready event for its owner'
);
select is(
  (select count(*)::int from private.notification_events where type = 'file_ready' and payload ->> 'file_name' = 'tool.png'),
  0, 'a rejected file enqueues nothing'
);
select throws_ok(
  $$ update public.files set status = 'ready', rejection_reason = null where path = 'room/tool.png' $$,
  '23514', null, 'a rejected file cannot be made ready'
);
select throws_ok(
  $$ update public.files set status = 'rejected' where path = 'room/photo.png' $$,
  '23514', null, 'a ready file cannot be rejected afterwards'
);

select * from finish();
rollback;
