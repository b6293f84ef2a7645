-- 08 · The Realtime publication and the event triggers a Supabase database carries.
--
-- Mirrors: supabase/postgres init-scripts/00000000000000-initial-schema.sql (publication),
-- 00000000000003-post-setup.sql and migrations 20220126121436_finer-postgrest-triggers,
-- 20220321174452, 20231020085357, 20250402065937 (owner supabase_admin),
-- 20260820000001_rescope_pg_graphql_access_trigger, 20260923021047_update_pgrst_watch_triggers.

-- Publication -----------------------------------------------------------------------------------
-- postgres_changes streams what is in this publication. It starts empty; projects add tables with
-- `alter publication supabase_realtime add table ...`, which needs the publication's owner: the
-- image creates it as postgres, so postgres owns it.
do $$
begin
  if not exists (select from pg_catalog.pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime with (publish = 'insert, update, delete, truncate');
  end if;
end $$;
alter publication supabase_realtime owner to postgres;

set local role supabase_admin;
-- `drop event trigger if exists` below reports a NOTICE on a fresh database; expected.
set local client_min_messages = warning;

-- PostgREST schema cache ------------------------------------------------------------------------
-- PostgREST caches the schema and reloads on `NOTIFY pgrst, 'reload schema'`. These triggers send
-- it after DDL a client could see: on schemas, tables, views, functions, types, rules, comments,
-- and triggers; never for temporary objects nor (since 2026-09) for objects inside the Supabase
-- service schemas, whose churn is not the API's business.

create or replace function extensions.pgrst_ddl_watch()
returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  cmd record;
begin
  for cmd in select * from pg_catalog.pg_event_trigger_ddl_commands() loop
    if (
      cmd.command_tag in (
        'CREATE SCHEMA', 'ALTER SCHEMA',
        'CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO', 'ALTER TABLE',
        'CREATE FOREIGN TABLE', 'ALTER FOREIGN TABLE',
        'CREATE VIEW', 'ALTER VIEW',
        'CREATE MATERIALIZED VIEW', 'ALTER MATERIALIZED VIEW',
        'CREATE FUNCTION', 'ALTER FUNCTION',
        'CREATE TYPE', 'ALTER TYPE',
        'CREATE RULE',
        'COMMENT'
      )
      and coalesce(cmd.schema_name, '') not in ('pg_temp', 'auth', 'realtime', '_realtime', 'storage')
    ) or (
      -- A trigger's identity reads `name on schema.table`; skip those on temporary tables.
      cmd.command_tag = 'CREATE TRIGGER' and cmd.object_identity not like '% pg\_temp.%'
    ) then
      notify pgrst, 'reload schema';
    end if;
  end loop;
end;
$$;
comment on function extensions.pgrst_ddl_watch() is 'Tells PostgREST to reload its schema cache after DDL that changes the API.';

create or replace function extensions.pgrst_drop_watch()
returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  obj record;
begin
  for obj in select * from pg_catalog.pg_event_trigger_dropped_objects() loop
    if (
      obj.object_type in ('schema', 'table', 'foreign table', 'view', 'materialized view', 'function', 'type', 'rule')
      and obj.is_temporary is false
      and coalesce(obj.schema_name, '') not in ('auth', 'realtime', '_realtime', 'storage')
    ) or (
      obj.object_type = 'trigger' and obj.object_identity not like '% pg\_temp.%'
    ) then
      notify pgrst, 'reload schema';
    end if;
  end loop;
end;
$$;
comment on function extensions.pgrst_drop_watch() is 'Tells PostgREST to reload its schema cache after a DROP that changes the API.';

drop event trigger if exists pgrst_ddl_watch;
create event trigger pgrst_ddl_watch on ddl_command_end
  execute function extensions.pgrst_ddl_watch();

drop event trigger if exists pgrst_drop_watch;
create event trigger pgrst_drop_watch on sql_drop
  execute function extensions.pgrst_drop_watch();

-- Extension access ------------------------------------------------------------------------------
-- When a project enables pg_cron or pg_net (possible on an external server that ships them),
-- Supabase hands their objects to postgres and the API roles. Same here.

create or replace function extensions.grant_pg_cron_access()
returns event_trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (
    select
    from pg_catalog.pg_event_trigger_ddl_commands() ev
    join pg_catalog.pg_extension e on ev.objid = e.oid
    where e.extname = 'pg_cron'
  ) then
    grant usage on schema cron to postgres with grant option;
    alter default privileges in schema cron grant all on tables to postgres with grant option;
    alter default privileges in schema cron grant all on functions to postgres with grant option;
    alter default privileges in schema cron grant all on sequences to postgres with grant option;
    alter default privileges for role supabase_admin in schema cron grant all on tables to postgres with grant option;
    alter default privileges for role supabase_admin in schema cron grant all on functions to postgres with grant option;
    alter default privileges for role supabase_admin in schema cron grant all on sequences to postgres with grant option;
    grant all privileges on all tables in schema cron to postgres with grant option;
    -- Jobs are managed through cron.schedule(), not by writing cron.job directly.
    revoke all on table cron.job from postgres;
    grant select on table cron.job to postgres with grant option;
    revoke trigger on cron.job_run_details from postgres;
  end if;
end;
$$;
comment on function extensions.grant_pg_cron_access() is 'Grants access to pg_cron';

drop event trigger if exists issue_pg_cron_access;
create event trigger issue_pg_cron_access on ddl_command_end
  when tag in ('CREATE EXTENSION')
  execute function extensions.grant_pg_cron_access();

create or replace function extensions.grant_pg_net_access()
returns event_trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (
    select
    from pg_catalog.pg_event_trigger_ddl_commands() ev
    join pg_catalog.pg_extension e on ev.objid = e.oid
    where e.extname = 'pg_net'
  ) then
    grant usage on schema net to supabase_functions_admin, postgres, anon, authenticated, service_role;
  end if;
end;
$$;
comment on function extensions.grant_pg_net_access() is 'Grants access to pg_net';

drop event trigger if exists issue_pg_net_access;
create event trigger issue_pg_net_access on ddl_command_end
  when tag in ('CREATE EXTENSION')
  execute function extensions.grant_pg_net_access();

-- Event-trigger functions are infrastructure: postgres may call them but they belong to supabase_admin.
grant all on function extensions.pgrst_ddl_watch(), extensions.pgrst_drop_watch(),
  extensions.grant_pg_cron_access(), extensions.grant_pg_net_access()
  to postgres with grant option;
grant all on function extensions.grant_pg_cron_access(), extensions.grant_pg_net_access() to dashboard_user;

reset role;
