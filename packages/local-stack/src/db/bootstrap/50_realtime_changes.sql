-- 50 · What basekit's Realtime service needs in the database for postgres_changes, private
-- channel authorization and fan-out between several stack instances.
--
-- Supabase's Realtime keeps equivalent machinery (realtime.subscription, apply_rls, list_changes)
-- in the realtime schema. basekit's service reads changes through a pgoutput slot instead of
-- wal2json and keeps its helpers in `_realtime`, the schema the Supabase CLI reserves for
-- Realtime's own bookkeeping. Nothing here is visible to the API roles, and no project migration
-- may depend on it: the same supabase/ folder must work on Supabase.

set local role supabase_admin;

-- Publications Realtime reads. Supabase's image creates `supabase_realtime` empty; projects add
-- their tables with `alter publication supabase_realtime add table ...`.
do $$
begin
  if not exists (select from pg_catalog.pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
  -- As on Supabase, the developer's role owns it, so migrations can add and drop tables.
  alter publication supabase_realtime owner to postgres;
  -- Database-originated broadcasts (realtime.send / broadcast_changes) stream from here, reported
  -- as realtime.messages rather than as its daily partitions.
  if not exists (select from pg_catalog.pg_publication where pubname = 'supabase_realtime_messages_publication')
     and to_regclass('realtime.messages') is not null then
    create publication supabase_realtime_messages_publication for table realtime.messages
      with (publish = 'insert', publish_via_partition_root = true);
  end if;
end $$;

create schema if not exists _realtime;

-- RLS checks for postgres_changes ----------------------------------------------------------------
-- One generated function per published table checks a changed row for many subscribers in one
-- call: per subscriber it sets role and JWT claims and selects the row by primary key under RLS.
-- The select is static SQL, so its plan is cached for the whole batch (dynamic EXECUTE per
-- subscriber is about seven times slower). Because the function has a SET clause, PostgreSQL
-- restores role and claims when it returns.

create or replace function _realtime.prepare_rls_check(entity regclass)
returns text
language plpgsql
set search_path = ''
as $$
declare
  key_columns text[];
  condition text;
  function_name text := 'rls_check_' || entity::oid::text;
begin
  select array_agg(a.attname::text order by a.attnum)
    into key_columns
  from pg_catalog.pg_index i
  join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
  where i.indrelid = entity and i.indisprimary;
  if key_columns is null then
    return null;
  end if;
  select string_agg(format('t.%1$I = k.%1$I', column_name), ' and ')
    into condition
  from unnest(key_columns) as column_name;
  -- Two instances may prepare the same table at once; CREATE OR REPLACE is not concurrency-safe.
  perform pg_catalog.pg_advisory_xact_lock(hashtext('_realtime.prepare_rls_check'), entity::oid::int);
  execute format($f$
    create or replace function _realtime.%1$I(row_values jsonb, roles text[], claims text[])
    returns int[]
    language plpgsql
    set search_path = ''
    as $body$
    declare
      k %2$s := jsonb_populate_record(null::%2$s, row_values);
      visible int[] := '{}';
      i int;
    begin
      for i in 1 .. coalesce(array_length(roles, 1), 0) loop
        perform set_config('role', roles[i], true);
        perform set_config('request.jwt.claims', claims[i], true);
        perform set_config('request.jwt.claim.sub', coalesce(claims[i]::jsonb ->> 'sub', ''), true);
        perform set_config('request.jwt.claim.role', coalesce(claims[i]::jsonb ->> 'role', ''), true);
        if exists (select 1 from %2$s t where %3$s) then
          visible := visible || i;
        end if;
      end loop;
      return visible;
    end
    $body$
  $f$, function_name, entity::text, condition);
  execute format('comment on function _realtime.%I(jsonb, text[], text[]) is %L', function_name,
    'basekit Realtime: indexes (1-based) of the subscribers (role, claims) that may select the row of ' || entity::text || ' with these key values under RLS.');
  execute format('revoke all on function _realtime.%I(jsonb, text[], text[]) from public', function_name);
  return '_realtime.' || quote_ident(function_name);
end;
$$;
comment on function _realtime.prepare_rls_check(regclass) is
  'basekit Realtime: (re)creates the batch RLS check function of a table and returns its name; null when the table has no primary key.';
revoke all on function _realtime.prepare_rls_check(regclass) from public;

-- Private channel authorization ----------------------------------------------------------------
-- As Supabase does: probe rows for the topic are inserted as the owner, then, as the client's role
-- with its claims and `realtime.topic` set, selected (read policy) and inserted again (write
-- policy). Everything is rolled back by raising at the end of a subtransaction.

create or replace function _realtime.channel_access(
  channel_topic text,
  claims text,
  extensions text[],
  check_write boolean,
  out extension text,
  out can_read boolean,
  out can_write boolean
)
returns setof record
language plpgsql
set search_path = ''
as $$
#variable_conflict use_column
declare
  results jsonb := '[]';
  probes jsonb;
  probe record;
  writable boolean;
  role_name text := coalesce(nullif(claims::jsonb ->> 'role', ''), 'anon');
  item jsonb;
begin
  begin
    with inserted as (
      insert into realtime.messages (topic, extension, private)
      select channel_topic, e, true from unnest(extensions) as e
      returning id, extension
    )
    select jsonb_object_agg(inserted.extension, inserted.id) into probes from inserted;
    perform set_config('role', role_name, true);
    perform set_config('request.jwt.claims', claims, true);
    perform set_config('request.jwt.claim.sub', coalesce(claims::jsonb ->> 'sub', ''), true);
    perform set_config('request.jwt.claim.role', role_name, true);
    perform set_config('request.headers', '{}', true);
    perform set_config('realtime.topic', channel_topic, true);
    for probe in select e as extension from unnest(extensions) as e loop
      writable := null;
      if check_write then
        begin
          insert into realtime.messages (topic, extension, private) values (channel_topic, probe.extension, true);
          writable := true;
        exception when insufficient_privilege then
          writable := false;
        end;
      end if;
      results := results || jsonb_build_object(
        'extension', probe.extension,
        'can_read', exists (
          select 1 from realtime.messages m
          where m.id = (probes ->> probe.extension)::uuid and m.topic = channel_topic
        ),
        'can_write', writable
      );
    end loop;
    raise exception using errcode = 'RTPRB', message = 'roll back authorization probes';
  exception when sqlstate 'RTPRB' then
    null;
  end;
  for item in select * from jsonb_array_elements(results) loop
    extension := item ->> 'extension';
    can_read := (item ->> 'can_read')::boolean;
    can_write := (item ->> 'can_write')::boolean;
    return next;
  end loop;
end;
$$;
comment on function _realtime.channel_access(text, text, text[], boolean) is
  'basekit Realtime: whether a client with these JWT claims may read (and write) a private channel topic per extension, by the policies on realtime.messages. Changes nothing.';
revoke all on function _realtime.channel_access(text, text, text[], boolean) from public;

-- Fan-out between instances ------------------------------------------------------------------------
-- Several stack instances may serve one database. Broadcasts and presence travel between them by
-- NOTIFY; payloads too large for a notification go through this table.

create unlogged table if not exists _realtime.relay (
  id bigint generated always as identity primary key,
  message jsonb not null,
  created_at timestamptz not null default now()
);
comment on table _realtime.relay is
  'basekit Realtime: broadcast/presence messages too large for NOTIFY, relayed between stack instances by id; rows older than a minute are deleted.';

create unlogged table if not exists _realtime.presence (
  instance text not null,
  topic text not null,
  presence_key text not null,
  phx_ref text not null,
  meta jsonb not null,
  primary key (instance, phx_ref)
);
comment on table _realtime.presence is
  'basekit Realtime: presence entries tracked on each stack instance, so an instance can send the full presence_state of a topic on join.';
create index if not exists presence_topic_index on _realtime.presence (topic);

-- Resuming after a restart ------------------------------------------------------------------------
-- Each instance reads changes from its own permanent slot; the subscriptions it served are kept
-- so that after a restart it waits for them to rejoin before streaming what happened meanwhile.

create table if not exists _realtime.subscriptions (
  instance text not null,
  subscription_key text not null,
  joined_at timestamptz not null default now(),
  primary key (instance, subscription_key)
);
comment on table _realtime.subscriptions is
  'basekit Realtime: postgres_changes subscriptions an instance serves (topic, subject and bindings hashed), awaited after a restart so changes made while it was down reach them.';

reset role;
