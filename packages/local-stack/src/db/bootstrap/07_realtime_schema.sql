-- 07 · The realtime schema objects applications use: Broadcast messages and their authorization.
--
-- realtime.messages carries Broadcast/Presence authorization and database-originated broadcasts.
-- Projects write policies `on realtime.messages` (SELECT = may receive, INSERT = may send) that
-- test realtime.topic() and `extension`; Realtime checks them by inserting/selecting probe rows
-- as the client's role. Database code sends with realtime.send() / realtime.broadcast_changes().
--
-- Mirrors: supabase/realtime lib/realtime/tenants/repo/migrations (through
-- 20260709120000_fix_apply_rls_filter_role_leak) as captured in priv/repo/tenant_db_dump_17.sql,
-- and supabase/postgres init-scripts/00000000000003-realtime-schema.sql.
--
-- Not here: the postgres_changes machinery (realtime.subscription, the equality_op /
-- user_defined_filter / wal_column / wal_rls types, apply_rls, list_changes, ...). That belongs to
-- basekit's Realtime service and can be added by a later bootstrap file.

set local role supabase_realtime_admin;

-- Partitioned by day on inserted_at, as Supabase does, so old messages are dropped a partition at
-- a time. Rows can only be inserted while a partition covers now(): see
-- _basekit.maintain_realtime_message_partitions() below.
create table realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  id uuid not null default gen_random_uuid(),
  binary_payload bytea,
  constraint messages_pkey primary key (id, inserted_at),
  constraint messages_payload_exclusive check (payload is null or binary_payload is null)
) partition by range (inserted_at);
comment on table realtime.messages is
  'Broadcast messages and channel-authorization probes. Policies on this table decide who may join (SELECT) and send (INSERT) on private channels.';
comment on column realtime.messages.topic is 'Channel name without the `realtime:` prefix; realtime.topic() returns it inside policies.';
comment on column realtime.messages.extension is '''broadcast'' or ''presence'': which feature the row authorizes or carries.';
comment on column realtime.messages.private is 'True for messages of private channels, which only subscribers passing the SELECT policies receive.';
comment on column realtime.messages.binary_payload is 'Payload of binary broadcasts (realtime.send_binary); exclusive with payload.';
-- Replay of recent private broadcasts after a join.
create index messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;

-- No policies: the project writes them. Until then only BYPASSRLS roles see or send anything.
alter table realtime.messages enable row level security;

-- The topic whose authorization is being checked (Realtime sets `realtime.topic` per probe).
create or replace function realtime.topic()
returns text
language sql
stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text
$$;
comment on function realtime.topic() is 'The channel topic being authorized or sent to (setting realtime.topic); use it in policies on realtime.messages.';

-- Broadcast a JSON message from SQL. Runs as the caller, so the caller's INSERT policies on
-- realtime.messages apply; failures become a WARNING and never abort the caller's transaction.
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
as $$
declare
  message_id uuid := gen_random_uuid();
begin
  begin
    -- Receivers deduplicate by payload.id; keep the caller's if it set one.
    if not payload ? 'id' then
      payload := jsonb_set(payload, '{id}', to_jsonb(message_id));
    end if;
    -- Policies consulted by this insert see the topic, as during a client's send.
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (message_id, payload, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;
comment on function realtime.send(jsonb, text, text, boolean) is
  'Broadcasts payload as event on topic (private channel unless private = false). Errors are reported as warnings.';

create or replace function realtime.send_binary(payload bytea, event text, topic text, private boolean default true)
returns void
language plpgsql
as $$
declare
  message_id uuid := gen_random_uuid();
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, binary_payload, event, topic, private, extension)
    values (message_id, payload, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;
comment on function realtime.send_binary(bytea, text, text, boolean) is 'realtime.send() for a binary payload.';

-- For row triggers: `perform realtime.broadcast_changes('room:' || new.room_id, tg_op, tg_op,
-- tg_table_name, tg_table_schema, new, old)` sends {record, old_record, operation, table, schema}.
create or replace function realtime.broadcast_changes(
  topic_name text,
  event_name text,
  operation text,
  table_name text,
  table_schema text,
  new record,
  old record,
  level text default 'ROW'
)
returns void
language plpgsql
as $$
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation not in ('INSERT', 'UPDATE', 'DELETE') then
    raise exception 'Unexpected operation type: %', operation;
  end if;
  perform realtime.send(
    jsonb_build_object(
      'old_record', old,
      'record', new,
      'operation', operation,
      'table', table_name,
      'schema', table_schema
    ),
    event_name,
    topic_name
  );
exception when others then
  raise exception 'Failed to process the row: %', sqlerrm;
end;
$$;
comment on function realtime.broadcast_changes(text, text, text, text, text, record, record, text) is
  'Broadcasts a row change (record, old_record, operation, table, schema) to a private topic; call it from a row trigger.';

-- Grants (as in Realtime's dump): the API roles may read, insert and update messages, RLS decides;
-- postgres and Studio get everything. Functions keep PostgreSQL's default EXECUTE for PUBLIC.
grant select, insert, update on realtime.messages to anon, authenticated, service_role;
grant all on realtime.messages to postgres, dashboard_user;
grant all on function realtime.topic(), realtime.send(jsonb, text, text, boolean),
  realtime.send_binary(bytea, text, text, boolean),
  realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  to postgres, dashboard_user;

set local role supabase_admin;

-- Realtime's Ecto migration ledger. Left empty (basekit does not run Realtime's migrations);
-- closed to every application role, as Realtime's 20260707120000 migration makes it.
create table realtime.schema_migrations (
  version bigint not null,
  inserted_at timestamp(0) default now(),
  constraint schema_migrations_pkey primary key (version)
);
comment on table realtime.schema_migrations is 'Realtime server migrations applied to this database (empty under basekit).';
revoke all on realtime.schema_migrations from postgres, dashboard_user, anon, authenticated, service_role, supabase_realtime_admin;

-- Partition upkeep ------------------------------------------------------------------------------
-- Supabase's Realtime keeps daily partitions `messages_YYYY_MM_DD` from yesterday to three days
-- ahead and drops older ones. basekit's stack must do the same: call this (as the superuser or
-- supabase_realtime_admin) at startup and at least daily. Without a partition for today every
-- insert fails (realtime.send only warns).
create schema if not exists _basekit;

create or replace function _basekit.maintain_realtime_message_partitions()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  day date;
  partition record;
begin
  -- Yesterday..+3 days also covers sessions whose TimeZone puts now()::timestamp on another date.
  for day in select generate_series(current_date - 1, current_date + 3, interval '1 day')::date loop
    if to_regclass(format('realtime.%I', 'messages_' || to_char(day, 'YYYY_MM_DD'))) is null then
      execute format(
        'create table realtime.%I partition of realtime.messages for values from (%L) to (%L)',
        'messages_' || to_char(day, 'YYYY_MM_DD'), day::timestamp, (day + 1)::timestamp
      );
    end if;
  end loop;
  -- Partitions whose whole day ended more than 72 hours ago.
  for partition in
    select child.relname
    from pg_catalog.pg_inherits i
    join pg_catalog.pg_class child on child.oid = i.inhrelid
    where i.inhparent = 'realtime.messages'::regclass
      and child.relname ~ '^messages_\d{4}_\d{2}_\d{2}$'
      and to_date(substr(child.relname, 10), 'YYYY_MM_DD') + 1 < (now() - interval '72 hours')::date
  loop
    execute format('drop table realtime.%I', partition.relname);
  end loop;
end;
$$;
comment on function _basekit.maintain_realtime_message_partitions() is
  'basekit: creates realtime.messages partitions from yesterday to +3 days and drops those older than 72 h, as Supabase Realtime does.';
-- For the stack's admin connection and the Realtime service's role, not for applications.
revoke execute on function _basekit.maintain_realtime_message_partitions() from public;
grant usage on schema _basekit to supabase_realtime_admin;
grant execute on function _basekit.maintain_realtime_message_partitions() to supabase_realtime_admin;

do $$ begin perform _basekit.maintain_realtime_message_partitions(); end $$;

reset role;
