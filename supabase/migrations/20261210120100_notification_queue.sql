-- The notification queue: a transactional outbox of events, fanned out into one delivery per
-- recipient and channel, claimed by the processor (the `notification-processor` Edge Function).
--
--   event (outbox)  written by triggers in the same transaction as the change that causes it, so
--                   a rolled-back change notifies nobody and a committed one is never lost. An
--                   idempotency key makes the same event enqueued twice one event.
--   fan-out         the processor's claim first expands new events into deliveries, one per
--                   (event, recipient, channel): that unique key is what makes a delivery happen
--                   at most once per user and channel, however often anything is retried. An
--                   unknown type or a payload missing required keys is recorded on the event as
--                   its error and fans out to nobody.
--   claim           ready deliveries are locked with SKIP LOCKED (so processors run side by side)
--                   and made invisible for a visibility timeout: a processor that dies mid-batch
--                   loses nothing, its deliveries come back when the timeout ends. Preferences,
--                   mutes and blocks suppress (recorded with the reason); quiet hours defer.
--   complete        the processor reports each outcome under its claim id (a stale claim, whose
--                   deliveries were re-claimed after the timeout, changes nothing): sent,
--                   suppressed, or failed. A failure that retrying can help waits an exponential
--                   backoff with jitter; after max_attempts, or when retrying cannot help, the
--                   delivery is dead (a dead letter, with its last error).
--
-- Users have no access to any of this (schema private, RLS on, no grants): they cannot read the
-- queue or enqueue events in anyone's name. The processor calls the claim/complete functions
-- with the service role.

create table private.notification_events (
  id bigint generated always as identity primary key,
  type text not null,
  actor_id uuid,
  recipient_ids uuid[] not null,
  payload jsonb not null default '{}'::jsonb,
  idempotency_key text unique,
  created_at timestamptz not null default now(),
  fanned_out_at timestamptz,
  error text,
  constraint notification_events_recipient_count check (cardinality(recipient_ids) <= 100000)
);
comment on table private.notification_events is
  'The outbox: one row per event (type, who caused it, to whom, payload), written in the transaction of its cause.';
comment on column private.notification_events.type is 'A public.notification_types type; not a foreign key, so an unknown type is recorded and rejected with a reason.';
comment on column private.notification_events.actor_id is 'The user whose action caused the event (never notified of it; blocks are checked against them).';
comment on column private.notification_events.idempotency_key is 'Enqueueing the same key again is a no-op.';
comment on column private.notification_events.fanned_out_at is 'When the event was expanded into deliveries (or rejected); null while new.';
comment on column private.notification_events.error is 'Why the event fanned out to nobody (unknown type, malformed payload).';

create index notification_events_new_idx on private.notification_events (id) where fanned_out_at is null;

create table private.notification_deliveries (
  id bigint generated always as identity primary key,
  event_id bigint not null references private.notification_events (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  channel public.notification_channel not null,
  status text not null default 'queued',
  digest_key text,
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  available_at timestamptz not null default now(),
  claim_id uuid,
  outcome text,
  last_error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  constraint notification_deliveries_once unique (event_id, user_id, channel),
  constraint notification_deliveries_status check (status in ('queued', 'sent', 'suppressed', 'dead')),
  constraint notification_deliveries_attempts check (attempts >= 0 and max_attempts between 1 and 100)
);
comment on table private.notification_deliveries is
  'The queue: one delivery per event, recipient and channel (unique, so at most one each). Dead letters are status = dead.';
comment on column private.notification_deliveries.status is 'queued (waiting or claimed), sent, suppressed (by preferences, mute, block...), dead (failed for good).';
comment on column private.notification_deliveries.digest_key is 'Queued emails of one user with the same key are folded into one email (e.g. room:<id>).';
comment on column private.notification_deliveries.available_at is 'When it may be claimed: after the backoff, the quiet hours, the digest window, or the visibility timeout of a claim.';
comment on column private.notification_deliveries.claim_id is 'The claim holding it; completions under any other claim are ignored.';
comment on column private.notification_deliveries.outcome is 'Why it was sent or suppressed (e.g. "turned off in preferences", the provider''s id).';
comment on column private.notification_deliveries.last_error is 'The last failure, kept on retries and on the dead letter.';

create index notification_deliveries_ready_idx on private.notification_deliveries (available_at, id) where status = 'queued';
create index notification_deliveries_digest_idx on private.notification_deliveries (user_id, digest_key)
  where status = 'queued' and digest_key is not null;
create index notification_deliveries_user_id_idx on private.notification_deliveries (user_id);

alter table private.notification_events enable row level security;
alter table private.notification_deliveries enable row level security;
revoke all on private.notification_events, private.notification_deliveries from public, anon, authenticated;
grant select on private.notification_events, private.notification_deliveries to service_role;

-- Enqueueing ------------------------------------------------------------------------------------

create or replace function private.enqueue_notification(
  type text,
  recipient_ids uuid[],
  payload jsonb default '{}'::jsonb,
  actor_id uuid default null,
  idempotency_key text default null
)
returns bigint
language sql
volatile
security definer
set search_path = ''
as $$
  insert into private.notification_events (type, actor_id, recipient_ids, payload, idempotency_key)
  select enqueue_notification.type, enqueue_notification.actor_id, enqueue_notification.recipient_ids,
         coalesce(enqueue_notification.payload, '{}'::jsonb), enqueue_notification.idempotency_key
   where cardinality(enqueue_notification.recipient_ids) > 0
  on conflict (idempotency_key) do nothing
  returning id;
$$;
comment on function private.enqueue_notification(text, uuid[], jsonb, uuid, text) is
  'Writes one event to the outbox (nothing for no recipients or a key already used); returns its id or null.';
revoke execute on function private.enqueue_notification(text, uuid[], jsonb, uuid, text) from public, anon, authenticated;

create or replace function public.enqueue_notification(
  type text,
  recipient_ids uuid[],
  payload jsonb default '{}'::jsonb,
  actor_id uuid default null,
  idempotency_key text default null
)
returns bigint
language sql
volatile
security definer
set search_path = ''
as $$
  select private.enqueue_notification(type, recipient_ids, payload, actor_id, idempotency_key);
$$;
comment on function public.enqueue_notification(text, uuid[], jsonb, uuid, text) is
  'Server-side code (service role only, e.g. the file pipeline) enqueues an event. Users cannot.';
revoke execute on function public.enqueue_notification(text, uuid[], jsonb, uuid, text) from public, anon, authenticated;
grant execute on function public.enqueue_notification(text, uuid[], jsonb, uuid, text) to service_role;

-- Fan-out ---------------------------------------------------------------------------------------

create or replace function private.fan_out_notification_events(max_events integer)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  event record;
  kind public.notification_types;
  missing text[];
  fanned integer := 0;
begin
  for event in
    select e.* from private.notification_events as e
     where e.fanned_out_at is null
     order by e.id
     limit max_events
       for update skip locked
  loop
    select * into kind from public.notification_types as t where t.type = event.type;
    if not found then
      update private.notification_events set fanned_out_at = now(), error = format('unknown event type %L', event.type)
       where id = event.id;
      continue;
    end if;
    if jsonb_typeof(event.payload) <> 'object' then
      missing := array['(payload is not a JSON object)'];
    else
      select array_agg(k) into missing from unnest(kind.required_payload) as k where not event.payload ? k;
    end if;
    if missing is null and event.payload ? 'room_id' and event.payload ->> 'room_id' !~ '^[0-9a-fA-F-]{36}$' then
      missing := array['room_id (not a uuid)'];
    end if;
    if missing is not null then
      update private.notification_events
         set fanned_out_at = now(), error = 'malformed payload: missing or invalid ' || array_to_string(missing, ', ')
       where id = event.id;
      continue;
    end if;
    insert into private.notification_deliveries (event_id, user_id, channel, digest_key, available_at)
    select event.id, p.id, c.channel,
           case when kind.digest and c.channel = 'email' then 'room:' || (event.payload ->> 'room_id') end,
           case when kind.digest and c.channel = 'email'
                then now() + make_interval(secs => coalesce(s.email_digest_seconds, 300))
                else now() end
      from (select distinct r from unnest(event.recipient_ids) as r) as recipient
      join public.profiles as p on p.id = recipient.r
      left join public.notification_settings as s on s.user_id = p.id
     cross join unnest(kind.channels) as c(channel)
     where p.id is distinct from event.actor_id
    on conflict on constraint notification_deliveries_once do nothing;
    update private.notification_events set fanned_out_at = now() where id = event.id;
    fanned := fanned + 1;
  end loop;
  return fanned;
end;
$$;
comment on function private.fan_out_notification_events(integer) is
  'Expands up to max_events new events into deliveries (one per existing recipient and channel of the type, never the actor); rejects unknown types and malformed payloads with the reason.';
revoke execute on function private.fan_out_notification_events(integer) from public, anon, authenticated;

-- Preferences, mutes, blocks, quiet hours -------------------------------------------------------

create or replace function private.quiet_hours_end(user_id uuid, at timestamptz)
returns timestamptz
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  settings public.notification_settings;
  zone text;
  local_now timestamp;
  local_end timestamp;
begin
  select * into settings from public.notification_settings as s where s.user_id = quiet_hours_end.user_id;
  if settings.quiet_hours_start is null then
    return null;
  end if;
  select coalesce(p.timezone, 'UTC') into zone from public.profiles as p where p.id = quiet_hours_end.user_id;
  local_now := at at time zone coalesce(zone, 'UTC');
  if not (case when settings.quiet_hours_start < settings.quiet_hours_end
               then local_now::time >= settings.quiet_hours_start and local_now::time < settings.quiet_hours_end
               else local_now::time >= settings.quiet_hours_start or local_now::time < settings.quiet_hours_end end) then
    return null;
  end if;
  local_end := local_now::date + settings.quiet_hours_end;
  if local_end <= local_now then
    local_end := local_end + interval '1 day';
  end if;
  return local_end at time zone coalesce(zone, 'UTC');
end;
$$;
comment on function private.quiet_hours_end(uuid, timestamptz) is
  'When the user''s quiet hours (in their profile''s time zone) end, if `at` falls within them; null otherwise.';
revoke execute on function private.quiet_hours_end(uuid, timestamptz) from public, anon, authenticated;

create or replace function private.notification_suppression(
  user_id uuid,
  channel public.notification_channel,
  kind public.notification_types,
  actor_id uuid,
  payload jsonb
)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when kind.mandatory then null
    when actor_id is not null and private.is_blocked_between(user_id, actor_id) then 'blocked'
    when kind.type = 'new_message' and exists (
      select from public.room_members as m
       where m.room_id = (payload ->> 'room_id')::uuid and m.user_id = notification_suppression.user_id and m.muted
    ) then 'room muted'
    when exists (
      select from public.notification_preferences as p
       where p.user_id = notification_suppression.user_id and p.type = kind.type
         and p.channel = notification_suppression.channel and not p.enabled
    ) then 'turned off in preferences'
  end;
$$;
comment on function private.notification_suppression(uuid, public.notification_channel, public.notification_types, uuid, jsonb) is
  'Why a delivery must not go out (blocked, room muted, turned off in preferences), or null. Mandatory types are never suppressed.';
revoke execute on function private.notification_suppression(uuid, public.notification_channel, public.notification_types, uuid, jsonb)
  from public, anon, authenticated;

create or replace function private.notification_retry_delay(attempts integer)
returns interval
language sql
volatile
set search_path = ''
as $$
  -- Exponential (10 s, 20 s, 40 s, ... capped at 1 h) with "equal jitter": between half and all
  -- of it, so deliveries that failed together do not all come back at the same instant.
  select make_interval(secs => least(3600, 10 * power(2, least(greatest(attempts, 1), 20) - 1)) * (0.5 + random() / 2));
$$;
comment on function private.notification_retry_delay(integer) is
  'Backoff before retry number attempts+1: exponential from 10 s, capped at 1 h, with jitter (50-100 %).';
revoke execute on function private.notification_retry_delay(integer) from public, anon, authenticated;

-- Claiming --------------------------------------------------------------------------------------

create or replace function public.claim_notification_deliveries(batch_size integer default 100, visibility_timeout_seconds integer default 60)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  claim uuid := gen_random_uuid();
  invisible_until timestamptz;
  candidate record;
  kind public.notification_types;
  reason text;
  deferred_until timestamptz;
  address text;
  subscriptions jsonb;
  group_ids bigint[];
  group_payloads jsonb;
  taken bigint[] := '{}';
  claimed jsonb := '[]'::jsonb;
begin
  if batch_size is null or batch_size not between 1 and 1000 then
    raise exception 'batch_size must be between 1 and 1000' using errcode = '22023';
  end if;
  if visibility_timeout_seconds is null or visibility_timeout_seconds not between 1 and 3600 then
    raise exception 'visibility_timeout_seconds must be between 1 and 3600' using errcode = '22023';
  end if;
  invisible_until := clock_timestamp() + make_interval(secs => visibility_timeout_seconds);
  perform private.fan_out_notification_events(batch_size);

  for candidate in
    select d.id, d.user_id, d.channel, d.digest_key, d.attempts, e.id as event_id, e.type, e.actor_id, e.payload,
           e.created_at as event_created_at
      from private.notification_deliveries as d
      join private.notification_events as e on e.id = d.event_id
     where d.status = 'queued' and d.available_at <= now()
     order by d.available_at, d.id
     limit batch_size
       for update of d skip locked
  loop
    continue when candidate.id = any(taken);
    select * into kind from public.notification_types as t where t.type = candidate.type;
    if not found then
      update private.notification_deliveries
         set status = 'dead', last_error = format('unknown event type %L', candidate.type), finished_at = now()
       where id = candidate.id;
      continue;
    end if;

    reason := private.notification_suppression(candidate.user_id, candidate.channel, kind, candidate.actor_id, candidate.payload);
    address := null;
    subscriptions := null;
    if reason is null and candidate.channel = 'email' then
      select coalesce(candidate.payload ->> 'to_email', nullif(u.email, '')) into address from auth.users as u where u.id = candidate.user_id;
      if address is null then
        reason := 'recipient has no email address';
      end if;
    elsif reason is null and candidate.channel = 'push' then
      select jsonb_agg(jsonb_build_object('id', s.id, 'endpoint', s.endpoint, 'keys', jsonb_build_object('p256dh', s.p256dh, 'auth', s.auth)))
        into subscriptions
        from public.push_subscriptions as s where s.user_id = candidate.user_id;
      if subscriptions is null then
        reason := 'recipient has no push subscription';
      end if;
    end if;
    if reason is not null then
      update private.notification_deliveries
         set status = 'suppressed', outcome = reason, finished_at = now(), claim_id = null
       where id = candidate.id;
      continue;
    end if;

    -- In-app rows are silent: quiet hours hold back only what buzzes or lands in a mailbox.
    if candidate.channel <> 'in_app' and not kind.ignores_quiet_hours then
      deferred_until := private.quiet_hours_end(candidate.user_id, now());
      if deferred_until is not null then
        update private.notification_deliveries
           set available_at = deferred_until, outcome = 'deferred by quiet hours'
         where id = candidate.id;
        continue;
      end if;
    end if;

    -- A digest takes every queued email of the same user and room along, ready or not yet.
    group_ids := array[candidate.id];
    group_payloads := jsonb_build_array(jsonb_build_object(
      'event_id', candidate.event_id, 'type', candidate.type, 'payload', candidate.payload, 'created_at', candidate.event_created_at));
    if candidate.digest_key is not null then
      with siblings as (
        select d.id, e.id as event_id, e.type, e.payload, e.created_at
          from private.notification_deliveries as d
          join private.notification_events as e on e.id = d.event_id
         where d.status = 'queued' and d.user_id = candidate.user_id and d.channel = 'email'
           and d.digest_key = candidate.digest_key and d.id <> candidate.id and not d.id = any(taken)
           and private.notification_suppression(d.user_id, d.channel, kind, e.actor_id, e.payload) is null
         order by d.id
         limit 200
           for update of d skip locked
      )
      select group_ids || coalesce(array_agg(s.id order by s.id), '{}'),
             group_payloads || coalesce(jsonb_agg(jsonb_build_object(
               'event_id', s.event_id, 'type', s.type, 'payload', s.payload, 'created_at', s.created_at) order by s.id), '[]'::jsonb)
        into group_ids, group_payloads
        from siblings as s;
    end if;

    update private.notification_deliveries
       set attempts = attempts + 1, claim_id = claim, available_at = invisible_until, outcome = null
     where id = any(group_ids);
    taken := taken || group_ids;

    claimed := claimed || jsonb_build_object(
      'id', candidate.id,
      'ids', to_jsonb(group_ids),
      'channel', candidate.channel,
      'user_id', candidate.user_id,
      'type', candidate.type,
      'category', kind.category,
      'mandatory', kind.mandatory,
      'attempt', candidate.attempts + 1,
      'event_id', candidate.event_id,
      'payload', candidate.payload,
      'events', group_payloads,
      'email', address,
      'recipient_name', (select p.display_name from public.profiles as p where p.id = candidate.user_id),
      'push_subscriptions', subscriptions
    );
  end loop;
  return jsonb_build_object('claim_id', claim, 'deliveries', claimed);
end;
$$;
comment on function public.claim_notification_deliveries(integer, integer) is
  'Processor only (service role): fans out new events, then claims up to batch_size ready deliveries for visibility_timeout_seconds, applying preferences, mutes, blocks (suppressed) and quiet hours (deferred). Returns {claim_id, deliveries: [...]}, digests as one delivery with several ids.';
revoke execute on function public.claim_notification_deliveries(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_notification_deliveries(integer, integer) to service_role;

-- Completing ------------------------------------------------------------------------------------

create or replace function public.complete_notification_deliveries(claim_id uuid, results jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  summary jsonb;
begin
  if jsonb_typeof(results) is distinct from 'array' then
    raise exception 'results must be a JSON array' using errcode = '22023';
  end if;
  with reported as (
    select r.id, r.status, r.reason, coalesce(r.retryable, false) as retryable, r.in_app
      from jsonb_to_recordset(results) as r(id bigint, status text, reason text, retryable boolean, in_app jsonb)
     where r.status in ('sent', 'suppressed', 'failed')
  ),
  finished as (
    update private.notification_deliveries as d
       set status = case
             when r.status <> 'failed' then r.status
             when r.retryable and d.attempts < d.max_attempts then 'queued'
             else 'dead' end,
           available_at = case
             when r.status = 'failed' and r.retryable and d.attempts < d.max_attempts
               then now() + private.notification_retry_delay(d.attempts)
             else d.available_at end,
           outcome = case when r.status <> 'failed' then left(r.reason, 1000) else d.outcome end,
           last_error = case when r.status = 'failed' then left(coalesce(r.reason, 'failed without a reason'), 1000) else d.last_error end,
           finished_at = case when r.status = 'failed' and r.retryable and d.attempts < d.max_attempts then null else now() end,
           claim_id = null
      from reported as r
     where d.id = r.id and d.claim_id = complete_notification_deliveries.claim_id and d.status = 'queued'
    returning d.id, d.user_id, d.channel, d.event_id, d.status, r.in_app
  ),
  inbox as (
    insert into public.notifications (user_id, type, title, body, data, delivery_id)
    select f.user_id, e.type,
           left(coalesce(nullif(f.in_app ->> 'title', ''), e.type), 200),
           left(coalesce(f.in_app ->> 'body', ''), 2000),
           case when jsonb_typeof(f.in_app -> 'data') = 'object' then f.in_app -> 'data' else '{}'::jsonb end,
           f.id
      from finished as f
      join private.notification_events as e on e.id = f.event_id
      join public.profiles as p on p.id = f.user_id
     where f.status = 'sent' and f.channel = 'in_app'
    on conflict (delivery_id) do nothing
    returning 1
  )
  select jsonb_build_object(
    'sent', count(*) filter (where f.status = 'sent'),
    'suppressed', count(*) filter (where f.status = 'suppressed'),
    'retrying', count(*) filter (where f.status = 'queued'),
    'dead', count(*) filter (where f.status = 'dead'),
    'in_app', (select count(*) from inbox)
  ) into summary
  from finished as f;
  return summary;
end;
$$;
comment on function public.complete_notification_deliveries(uuid, jsonb) is
  'Processor only (service role): records [{id, status: sent|suppressed|failed, reason, retryable, in_app: {title, body, data}}] for deliveries still held by claim_id. In-app deliveries become notifications rows here; failures back off or become dead letters.';
revoke execute on function public.complete_notification_deliveries(uuid, jsonb) from public, anon, authenticated;
grant execute on function public.complete_notification_deliveries(uuid, jsonb) to service_role;

create or replace function public.forget_push_subscriptions(subscription_ids uuid[])
returns integer
language sql
volatile
security definer
set search_path = ''
as $$
  with gone as (delete from public.push_subscriptions where id = any(subscription_ids) returning 1)
  select count(*)::integer from gone;
$$;
comment on function public.forget_push_subscriptions(uuid[]) is
  'Processor only (service role): removes subscriptions whose push service answered 404 or 410 (expired or unsubscribed).';
revoke execute on function public.forget_push_subscriptions(uuid[]) from public, anon, authenticated;
grant execute on function public.forget_push_subscriptions(uuid[]) to service_role;
