-- Notifications: the queue functions (enqueue, fan-out, claim, complete, backoff, quiet hours) and
-- every policy on the notification tables: each user sees and changes only their own.
begin;
set local search_path = extensions, public;
select plan(47);

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

select from tests.create_user('nt_ann', '{"username": "nt_ann"}');
select from tests.create_user('nt_ben', '{"username": "nt_ben"}');

-- The queue ---------------------------------------------------------------------------------------

select ok(private.enqueue_notification('welcome', array[tests.uid('nt_ann')], '{}', null, 'nt:welcome') is not null,
  'enqueue_notification writes an event and returns its id');
select is(private.enqueue_notification('welcome', array[tests.uid('nt_ann')], '{}', null, 'nt:welcome'), null,
  'the same idempotency key again is a no-op');
select is(private.enqueue_notification('welcome', '{}'::uuid[], '{}', null, null), null, 'no recipients, no event');
select private.enqueue_notification('no_such_type', array[tests.uid('nt_ann')], '{}', null, 'nt:unknown');
select private.enqueue_notification('room_added', array[tests.uid('nt_ann')], '{"room_id": "not-a-uuid"}', null, 'nt:malformed');
select private.enqueue_notification('direct_conversation', array[tests.uid('nt_ann'), tests.uid('nt_ben')],
  jsonb_build_object('room_id', gen_random_uuid()), tests.uid('nt_ben'), 'nt:direct');

-- Other events (the seed's) are claimed too: the assertions look at ours only.
create temporary table claimed as select public.claim_notification_deliveries(1000, 30) as result;
select is((select error from private.notification_events where idempotency_key = 'nt:unknown'), 'unknown event type ''no_such_type''',
  'an unknown type is rejected with the reason');
select is((select error from private.notification_events where idempotency_key = 'nt:malformed'),
  'malformed payload: missing or invalid room_id (not a uuid)', 'a malformed payload is rejected with the reason');
select results_eq(
  $$ select d.user_id, d.channel::text from private.notification_deliveries d join private.notification_events e on e.id = d.event_id
      where e.idempotency_key = 'nt:direct' order by d.channel $$,
  $$ values (tests.uid('nt_ann'), 'in_app'), (tests.uid('nt_ann'), 'email'), (tests.uid('nt_ann'), 'push') $$,
  'fan-out: one delivery per recipient and channel, never to the actor'
);
select is((select count(*)::int from private.notification_deliveries d join private.notification_events e on e.id = d.event_id
            where e.idempotency_key in ('nt:unknown', 'nt:malformed')), 0, 'rejected events fan out to nobody');
select results_eq(
  $$ select d.status, d.attempts, d.claim_id is not null, d.available_at > now() from private.notification_deliveries d
       join private.notification_events e on e.id = d.event_id where e.idempotency_key = 'nt:direct' and d.channel <> 'push' order by d.channel $$,
  $$ values ('queued', 1, true, true), ('queued', 1, true, true) $$,
  'claimed deliveries are invisible (available_at moved by the visibility timeout) and counted as an attempt'
);
select is((select d.outcome from private.notification_deliveries d join private.notification_events e on e.id = d.event_id
            where e.idempotency_key = 'nt:direct' and d.channel = 'push'), 'recipient has no push subscription',
  'a push delivery without subscriptions is suppressed with the reason');
select is(jsonb_array_length(public.claim_notification_deliveries(1000, 30) -> 'deliveries'), 0,
  'a second claim gets nothing another claim holds');

create temporary table ours as
  select d.id, d.channel::text as channel, (select result ->> 'claim_id' from claimed)::uuid as claim_id
    from private.notification_deliveries d join private.notification_events e on e.id = d.event_id
   where e.idempotency_key = 'nt:direct' and d.channel <> 'push';
select is(public.complete_notification_deliveries(gen_random_uuid(),
  (select jsonb_agg(jsonb_build_object('id', id, 'status', 'sent', 'reason', 'x')) from ours)) ->> 'sent', '0',
  'a completion under a stale claim id changes nothing');
select is(public.complete_notification_deliveries((select claim_id from ours limit 1), jsonb_build_array(
  jsonb_build_object('id', (select id from ours where channel = 'in_app'), 'status', 'sent', 'reason', 'ok',
                     'in_app', jsonb_build_object('title', 'Hi', 'body', 'there', 'data', jsonb_build_object('k', 1))),
  jsonb_build_object('id', (select id from ours where channel = 'email'), 'status', 'failed', 'reason', 'resend 503', 'retryable', true)))
  - 'suppressed', '{"dead": 0, "sent": 1, "in_app": 1, "retrying": 1}'::jsonb,
  'completion records sent, writes the in-app row, and sends a retryable failure back to the queue');
select results_eq(
  $$ select title, body, data from public.notifications where delivery_id = (select id from ours where channel = 'in_app') $$,
  $$ values ('Hi', 'there', '{"k": 1}'::jsonb) $$,
  'the in-app row carries what the processor rendered'
);
select results_eq(
  $$ select status, last_error, available_at > now(), claim_id is null from private.notification_deliveries where id = (select id from ours where channel = 'email') $$,
  $$ values ('queued', 'resend 503', true, true) $$,
  'a retryable failure waits its backoff with the last error'
);
update private.notification_deliveries set attempts = max_attempts, claim_id = '00000000-0000-0000-0000-000000000001'
 where id = (select id from ours where channel = 'email');
select is(public.complete_notification_deliveries('00000000-0000-0000-0000-000000000001', jsonb_build_array(
  jsonb_build_object('id', (select id from ours where channel = 'email'), 'status', 'failed', 'reason', 'resend 503', 'retryable', true))) ->> 'dead', '1',
  'after max_attempts the delivery is a dead letter');
select is((select status || ': ' || last_error from private.notification_deliveries where id = (select id from ours where channel = 'email')),
  'dead: resend 503', 'the dead letter keeps its last error');

select ok(
  (select bool_and(d >= make_interval(secs => least(3600, 10 * 2 ^ (n - 1)) * 0.5) and d <= make_interval(secs => least(3600, 10 * 2 ^ (n - 1))))
     from generate_series(1, 12) as n, lateral (select private.notification_retry_delay(n) as d from generate_series(1, 20)) as samples),
  'retry delays grow 10 s, 20 s, 40 s... capped at 1 h, each with 50-100 % jitter'
);

-- Quiet hours in the user's time zone ----------------------------------------------------------------

insert into public.notification_settings (user_id, quiet_hours_start, quiet_hours_end) values (tests.uid('nt_ben'), '22:00', '07:00');
update public.profiles set timezone = 'Europe/Paris' where id = tests.uid('nt_ben');
select is(private.quiet_hours_end(tests.uid('nt_ben'), '2026-01-15 23:30:00+01'), '2026-01-16 07:00:00+01'::timestamptz,
  'inside overnight quiet hours: deferred to their end the next morning, local time');
select is(private.quiet_hours_end(tests.uid('nt_ben'), '2026-01-15 12:00:00+01'), null, 'outside quiet hours: no deferral');

-- Who may call what ---------------------------------------------------------------------------------

select tests.authenticate_as('nt_ann');
select throws_ok($$ select public.claim_notification_deliveries(10, 30) $$, '42501', null, 'users cannot claim deliveries');
select throws_ok($$ select public.complete_notification_deliveries(gen_random_uuid(), '[]') $$, '42501', null, 'users cannot complete deliveries');
select throws_ok($$ select public.enqueue_notification('welcome', array[auth.uid()]) $$, '42501', null, 'users cannot enqueue events');
select throws_ok($$ select * from private.notification_events $$, '42501', null, 'users cannot read the outbox');
select throws_ok($$ select * from private.notification_deliveries $$, '42501', null, 'users cannot read the queue');

-- Policies --------------------------------------------------------------------------------------------

select is((select count(*)::int from public.notification_types), 11, 'signed-in users read the catalogue');

select lives_ok($$ insert into public.notification_preferences (type, channel, enabled) values ('new_message', 'email', false) $$,
  'users set their own preference');
select throws_ok($$ insert into public.notification_preferences (user_id, type, channel, enabled) values (tests.uid('nt_ben'), 'new_message', 'email', false) $$,
  '42501', null, 'nobody sets preferences for someone else');
select throws_ok($$ insert into public.notification_preferences (type, channel, enabled) values ('security.password_changed', 'email', false) $$,
  '42501', null, 'a mandatory type cannot be turned off');
select lives_ok($$ update public.notification_preferences set enabled = true where type = 'new_message' $$, 'users change their own preference');
select lives_ok($$ insert into public.notification_preferences (type, channel, enabled) values ('security.new_device', 'push', true) $$,
  'a mandatory type may be kept on');
select throws_ok($$ update public.notification_preferences set enabled = false where type = 'security.new_device' $$,
  '42501', null, 'but not turned off by an update');
select lives_ok($$ delete from public.notification_preferences where type = 'new_message' $$, 'users reset their own preference');

select lives_ok($$ insert into public.notification_settings (quiet_hours_start, quiet_hours_end) values ('23:00', '06:00') $$, 'users create their own settings');
select throws_ok($$ insert into public.notification_settings (user_id) values (tests.uid('nt_ben')) $$, '42501', null, 'nobody creates settings for someone else');
select throws_ok($$ update public.notification_settings set quiet_hours_start = '10:00', quiet_hours_end = '10:00' $$, '23514', null,
  'quiet hours cannot start and end at the same time');

select is((select count(*)::int from public.notifications), 1, 'users read their own notifications');
select lives_ok($$ update public.notifications set read_at = now() $$, 'users mark their own notifications read');
select throws_ok($$ update public.notifications set title = 'forged' $$, '42501', null, 'the title cannot be changed');
select throws_ok($$ insert into public.notifications (user_id, type, title) values (auth.uid(), 'welcome', 'forged') $$, '42501', null,
  'users cannot create notifications');

select lives_ok($$ select public.save_push_subscription('https://push.example/ann', repeat('A', 87), repeat('B', 22)) $$, 'users save a push subscription');
select throws_ok($$ insert into public.push_subscriptions (user_id, endpoint, p256dh, auth) values (tests.uid('nt_ben'), 'https://push.example/x', repeat('A', 87), repeat('B', 22)) $$,
  '42501', null, 'nobody subscribes someone else''s device');

select tests.authenticate_as('nt_ben');
select is((select count(*)::int from public.notifications), 0, 'nobody reads another user''s notifications');
select is((select count(*)::int from public.notification_settings), 1, 'settings: only their own row');
select is((select count(*)::int from public.push_subscriptions), 0, 'nobody reads another user''s push subscriptions');
update public.notifications set read_at = null;
delete from public.push_subscriptions;
delete from public.notification_preferences;
reset role;
select results_eq(
  $$ select (select read_at is not null from public.notifications where user_id = tests.uid('nt_ann')),
            (select count(*)::int from public.push_subscriptions where user_id = tests.uid('nt_ann')),
            (select count(*)::int from public.notification_preferences where user_id = tests.uid('nt_ann')) $$,
  $$ values (true, 1, 1) $$,
  'another user''s update and deletes change nothing'
);
select tests.authenticate_as('nt_ben');
select lives_ok($$ select public.save_push_subscription('https://push.example/ann', repeat('A', 87), repeat('B', 22)) $$,
  'the same browser signed in as another user takes the endpoint over');
reset role;
select is((select user_id from public.push_subscriptions where endpoint = 'https://push.example/ann'), tests.uid('nt_ben'),
  'one row per endpoint, now the new user''s');

select * from finish();
rollback;
