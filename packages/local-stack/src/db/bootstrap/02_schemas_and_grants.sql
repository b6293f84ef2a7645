-- 02 · Database ownership, the Supabase schemas, and who may use them.
--
-- Database-level state (owner, database grants, schemas, default privileges) lives in the database,
-- so unlike 01 this runs again on every recreated database.
--
-- Mirrors: supabase/postgres init-scripts (initial-schema, auth-schema, storage-schema,
-- realtime-schema, post-setup), migrations 10000000000000_demote-postgres, 20211115181400,
-- 20211122051245, 20211130151719, 20220317095840_pg_graphql, 20250421084701_revoke_admin_roles_
-- from_postgres, 20250709135250, 20251121132723_correct_search_path_pgbouncer,
-- 20251121141100_supabase_auth_admin_db_grants, 20251105172723, 20260506172403; the CLI's
-- templates/schema.sql (_realtime).

-- Objects below are created by supabase_admin whatever superuser we are connected as, so owners
-- and `alter default privileges for role supabase_admin` match Supabase.
set local role supabase_admin;

-- The image runs `alter database postgres owner to postgres`: the developer's role owns the
-- database, hence `public` (owned by pg_database_owner) and the right to create schemas.
do $$
begin
  execute format('alter database %I owner to postgres', current_database());
  execute format('grant all on database %I to postgres, dashboard_user', current_database());
  -- Service roles that create their own schemas/objects at boot.
  execute format('grant create on database %I to supabase_auth_admin, supabase_realtime_admin, supabase_etl_admin', current_database());
end $$;

-- pg_reload_conf() is superuser-only by default; Supabase lets postgres call it.
grant execute on function pg_catalog.pg_reload_conf() to postgres;

-- public ---------------------------------------------------------------------------------------
-- Every table, view, sequence and function created in public by postgres (migrations, Studio) or
-- supabase_admin is reachable by the API roles; RLS, not grants, is the intended gate. (The CLI
-- revokes these for postgres when `[api] auto_expose_new_tables = false`; that is the applier's job.)
grant usage on schema public to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on functions to postgres, anon, authenticated, service_role;
-- Realtime's admin reads user tables for postgres_changes.
grant create, usage on schema public to supabase_realtime_admin;

-- extensions -----------------------------------------------------------------------------------
-- Extensions live here, not in public, so they stay out of the API; the schema is on postgres'
-- and PostgREST's search_path so gen_random_uuid(), crypt(), uuid_generate_v4() resolve unqualified.
create schema if not exists extensions authorization supabase_admin;
grant usage on schema extensions to postgres, anon, authenticated, service_role, supabase_realtime_admin;
grant all on schema extensions to postgres, dashboard_user;
-- postgres can use, and re-grant, whatever extensions create (20230224042246_grant_extensions_perms_for_postgres.sql).
alter default privileges for role supabase_admin in schema extensions grant all on tables to postgres with grant option;
alter default privileges for role supabase_admin in schema extensions grant all on sequences to postgres with grant option;
alter default privileges for role supabase_admin in schema extensions grant all on routines to postgres with grant option;

-- auth -----------------------------------------------------------------------------------------
-- Owned by supabase_admin, its objects by supabase_auth_admin (GoTrue). The API roles may only
-- resolve names (auth.uid() in policies); postgres reads and writes the tables (04/05) but cannot
-- create objects here since 2025 (20250421084701 revokes CREATE).
create schema if not exists auth authorization supabase_admin;
grant usage on schema auth to anon, authenticated, service_role, postgres, supabase_realtime_admin;
grant all on schema auth to supabase_auth_admin, dashboard_user;

-- storage --------------------------------------------------------------------------------------
-- The image only creates the schema; Storage's migrations fill it (06). postgres holds USAGE
-- WITH GRANT OPTION so it can expose storage to custom roles (20250709135250).
create schema if not exists storage authorization supabase_admin;
grant usage on schema storage to postgres with grant option;
grant usage on schema storage to anon, authenticated, service_role;
grant all on schema storage to supabase_storage_admin, dashboard_user;
-- storage-schema.sql (run by the image as postgres): anything postgres creates here is exposed.
alter default privileges for role postgres in schema storage grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema storage grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema storage grant all on functions to postgres, anon, authenticated, service_role;

-- realtime -------------------------------------------------------------------------------------
-- Owned by supabase_admin; Realtime's own migrations (07) create the objects as
-- supabase_realtime_admin, which holds everything on the schema.
create schema if not exists realtime authorization supabase_admin;
grant usage on schema realtime to postgres with grant option;
grant usage on schema realtime to anon, authenticated, service_role;
grant all on schema realtime to supabase_realtime_admin with grant option;
alter default privileges for role supabase_admin in schema realtime grant all on tables to postgres, dashboard_user;
alter default privileges for role supabase_admin in schema realtime grant all on sequences to postgres, dashboard_user;
alter default privileges for role supabase_admin in schema realtime grant all on functions to postgres, dashboard_user;

-- Realtime's server keeps its own bookkeeping here (CLI templates/schema.sql); never exposed.
create schema if not exists _realtime authorization postgres;

-- graphql_public -------------------------------------------------------------------------------
-- Listed in `[api] schemas`, so PostgREST must find it. pg_graphql is not shipped with stock
-- PostgreSQL (and is off by default on images after 2026-04-21), so the schema only holds the
-- placeholder Supabase installs when the extension is absent.
create schema if not exists graphql_public authorization supabase_admin;
grant usage on schema graphql_public to postgres with grant option;
grant usage on schema graphql_public to anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema graphql_public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema graphql_public grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema graphql_public grant all on functions to postgres, anon, authenticated, service_role;

create or replace function graphql_public.graphql(
  "operationName" text default null,
  query text default null,
  variables jsonb default null,
  extensions jsonb default null
)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'errors', jsonb_build_array(jsonb_build_object('message', 'pg_graphql extension is not enabled.'))
  );
$$;
comment on function graphql_public.graphql(text, text, jsonb, jsonb) is
  'Placeholder for pg_graphql''s entry point: answers that the extension is not enabled, as Supabase does without pg_graphql.';

-- pgbouncer ------------------------------------------------------------------------------------
-- Poolers (Supavisor, PgBouncer) log users in through this auth query instead of a userlist file.
create schema if not exists pgbouncer authorization supabase_admin;
grant usage on schema pgbouncer to pgbouncer;

create or replace function pgbouncer.get_auth(p_usename text)
returns table (username text, password text)
language plpgsql
security definer
set search_path = ''
as $$
begin
  raise debug 'PgBouncer auth request: %', p_usename;
  return query
    select rolname::text,
           case when rolvaliduntil < now() then null else rolpassword::text end
    from pg_catalog.pg_authid
    where rolname = p_usename and rolcanlogin;
end;
$$;
comment on function pgbouncer.get_auth(text) is
  'auth_query for the connection pooler: the password verifier of a login role (null once expired).';
revoke execute on function pgbouncer.get_auth(text) from public;
grant execute on function pgbouncer.get_auth(text) to pgbouncer;

reset role;
