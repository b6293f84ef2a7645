-- 09 · Database webhooks: the supabase_functions schema the CLI installs.
--
-- Studio's "Database Webhooks" create triggers `execute function supabase_functions.http_request(
-- url, method, headers_json, params_json, timeout_ms)`; each firing queues an HTTP call through
-- pg_net (net.http_get / net.http_post) and logs a row in supabase_functions.hooks.
--
-- Mirrors: supabase/cli apps/cli-go/internal/db/start/templates/webhook.sql and supabase/postgres
-- 20240822021428_enable_webhooks_by_default.sql. pg_net itself is not part of stock PostgreSQL:
-- http_request() compiles without it and fails at call time until something provides net.http_*.

set local role supabase_admin;

create schema if not exists supabase_functions authorization supabase_admin;
grant usage on schema supabase_functions to postgres, anon, authenticated, service_role;
grant all on schema supabase_functions to supabase_functions_admin;
alter default privileges for role supabase_admin in schema supabase_functions grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema supabase_functions grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema supabase_functions grant all on functions to postgres, anon, authenticated, service_role;

create table supabase_functions.migrations (
  version text not null,
  inserted_at timestamptz not null default now(),
  constraint migrations_pkey primary key (version)
);
comment on table supabase_functions.migrations is 'Versions of the webhook schema installed (the CLI''s ledger).';
insert into supabase_functions.migrations (version) values ('initial'), ('20210809183423_update_grants');

create table supabase_functions.hooks (
  id bigserial not null,
  hook_table_id integer not null,
  hook_name text not null,
  created_at timestamptz not null default now(),
  request_id bigint,
  constraint hooks_pkey primary key (id)
);
comment on table supabase_functions.hooks is 'Supabase Functions Hooks: Audit trail for triggered hooks.';
comment on column supabase_functions.hooks.hook_table_id is 'oid of the table whose trigger fired.';
comment on column supabase_functions.hooks.request_id is 'pg_net request id; its response lands in net._http_response.';
create index supabase_functions_hooks_request_id_idx on supabase_functions.hooks (request_id);
create index supabase_functions_hooks_h_table_id_h_name_idx on supabase_functions.hooks (hook_table_id, hook_name);

-- Trigger arguments: url, method (GET|POST), headers json, params json, timeout ms; 'null' or a
-- missing argument takes the default. POST sends {type, table, schema, record, old_record}.
create or replace function supabase_functions.http_request()
returns trigger
language plpgsql
security definer
set search_path = supabase_functions
as $$
declare
  url text := tg_argv[0];
  method text := tg_argv[1];
  headers jsonb := '{"Content-Type": "application/json"}';
  params jsonb := '{}';
  timeout_ms integer := 1000;
  request_id bigint;
begin
  if url is null or url = 'null' then
    raise exception 'url argument is missing';
  end if;
  if method is null or method = 'null' then
    raise exception 'method argument is missing';
  end if;
  if tg_argv[2] is not null and tg_argv[2] <> 'null' then
    headers := tg_argv[2]::jsonb;
  end if;
  if tg_argv[3] is not null and tg_argv[3] <> 'null' then
    params := tg_argv[3]::jsonb;
  end if;
  if tg_argv[4] is not null and tg_argv[4] <> 'null' then
    timeout_ms := tg_argv[4]::integer;
  end if;

  case method
    when 'GET' then
      select net.http_get(url, params, headers, timeout_ms) into request_id;
    when 'POST' then
      select net.http_post(
        url,
        jsonb_build_object('old_record', old, 'record', new, 'type', tg_op, 'table', tg_table_name, 'schema', tg_table_schema),
        params,
        headers,
        timeout_ms
      ) into request_id;
    else
      raise exception 'method argument % is invalid', method;
  end case;

  insert into supabase_functions.hooks (hook_table_id, hook_name, request_id)
  values (tg_relid, tg_name, request_id);

  return new;
end;
$$;
comment on function supabase_functions.http_request() is
  'Webhook trigger: calls url with the row change through pg_net and logs the request in supabase_functions.hooks.';

-- Owned by the functions admin (as the CLI leaves them); the trigger runs with its rights.
alter table supabase_functions.migrations owner to supabase_functions_admin;
alter table supabase_functions.hooks owner to supabase_functions_admin;
alter function supabase_functions.http_request() owner to supabase_functions_admin;
grant all on all tables in schema supabase_functions to supabase_functions_admin;
grant all on all sequences in schema supabase_functions to supabase_functions_admin;
revoke all on function supabase_functions.http_request() from public;
grant execute on function supabase_functions.http_request() to postgres, anon, authenticated, service_role;

reset role;
