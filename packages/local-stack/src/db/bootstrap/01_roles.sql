-- 01 · Cluster roles: the login and API roles a Supabase database has before anything else runs.
--
-- Roles belong to the cluster, not the database: they survive a database drop/recreate (`db reset`)
-- and an external PostgreSQL may already have some of them (at least a superuser `postgres`). So
-- every role is created only when missing and then ALTERed to the attributes Supabase gives it.
--
-- Mirrors: supabase/postgres migrations/db/init-scripts/00000000000000-initial-schema.sql and the
-- role changes of migrations/db/migrations/* (demote-postgres, alter_api_roles_for_inherit,
-- set_authenticator_timeout, set_lock_timeout_to_authenticator_role, grant_pg_monitor_to_postgres,
-- grant_predefined_roles_to_postgres, grant_with_admin_to_postgres_16_and_above,
-- revoke_createrole_from_auth_admin, supabase_superuser), the realtime init script, and the CLI's
-- templates (globals.sql for attributes, schema.sql for the local password `postgres`).

-- Everything below needs a superuser (CREATEROLE cannot grant SUPERUSER, BYPASSRLS or REPLICATION).
do $$
begin
  if not (select rolsuper from pg_catalog.pg_roles where rolname = current_user) then
    raise exception 'basekit bootstrap must run as a superuser, not as "%"', current_user
      using hint = 'Connect with the cluster superuser (supabase_admin on the embedded cluster, usually postgres on your own server).';
  end if;
end $$;

-- Re-running on a cluster that already has the roles repeats every GRANT; PostgreSQL reports each
-- as a NOTICE. They are expected, so keep them out of the output.
set local client_min_messages = warning;

-- 1. Create what is missing. Attributes are set by the ALTERs below, whatever existed before.
do $$
declare
  role_name text;
begin
  foreach role_name in array array[
    'supabase_admin', 'postgres', 'anon', 'authenticated', 'service_role', 'authenticator',
    'supabase_auth_admin', 'supabase_storage_admin', 'supabase_realtime_admin',
    'supabase_functions_admin', 'supabase_replication_admin', 'supabase_etl_admin',
    'supabase_read_only_user', 'supabase_superuser', 'dashboard_user', 'pgbouncer'
  ] loop
    if not exists (select from pg_catalog.pg_roles where rolname = role_name) then
      execute format('create role %I', role_name);
    end if;
  end loop;
end $$;

-- 2. Attributes.

-- The platform's own superuser: owns the Supabase schemas, runs internal migrations.
alter role supabase_admin with superuser createdb createrole replication bypassrls login;

-- `postgres` is what developers and the CLI connect as. Supabase demotes it (10000000000000_demote-
-- postgres.sql): powerful, but not a superuser. On an external server the bootstrap may itself be
-- connected as `postgres`, or `postgres` may be the cluster's bootstrap superuser (oid 10, which
-- PostgreSQL refuses to demote); then it keeps SUPERUSER.
alter role postgres with createdb createrole login replication bypassrls;
do $$
begin
  if current_user <> 'postgres'
     and (select oid from pg_catalog.pg_roles where rolname = 'postgres') <> 10 then
    alter role postgres with nosuperuser;
  end if;
end $$;

-- API roles PostgREST switches to per request (JWT `role` claim). INHERIT since 2023
-- (20230529180330_alter_api_roles_for_inherit.sql); service_role bypasses RLS.
alter role anon with nosuperuser nocreatedb nocreaterole noreplication nobypassrls nologin inherit;
alter role authenticated with nosuperuser nocreatedb nocreaterole noreplication nobypassrls nologin inherit;
alter role service_role with nosuperuser nocreatedb nocreaterole noreplication bypassrls nologin inherit;

-- PostgREST's login role: NOINHERIT, so it has no rights of its own until it SET ROLEs.
alter role authenticator with nosuperuser nocreatedb nocreaterole noreplication nobypassrls login noinherit;

-- Service roles: each owns its service's schema objects and runs its migrations.
-- supabase_auth_admin lost CREATEROLE in 2026-08 (20260821154147_revoke_createrole_from_auth_admin.sql).
alter role supabase_auth_admin with nosuperuser nocreatedb nocreaterole noreplication nobypassrls login noinherit;
alter role supabase_storage_admin with nosuperuser nocreatedb createrole noreplication nobypassrls login noinherit;
alter role supabase_realtime_admin with nosuperuser nocreatedb createrole replication nobypassrls login noinherit;
alter role supabase_functions_admin with nosuperuser nocreatedb createrole noreplication nobypassrls login noinherit;

-- Replication / read-only / ETL users used by platform tooling.
alter role supabase_replication_admin with nosuperuser nocreatedb nocreaterole replication nobypassrls login inherit;
alter role supabase_etl_admin with nosuperuser nocreatedb nocreaterole replication bypassrls login inherit;
alter role supabase_read_only_user with nosuperuser nocreatedb nocreaterole noreplication bypassrls login inherit;

-- Group role Supabase grants to postgres for platform-managed privileges (2025-12); holds nothing here.
alter role supabase_superuser with nosuperuser nocreatedb nocreaterole noreplication nobypassrls nologin inherit;

-- Studio's role (NOLOGIN) and the connection pooler's auth-query user.
alter role dashboard_user with nosuperuser createdb createrole replication nobypassrls nologin inherit;
alter role pgbouncer with nosuperuser nocreatedb nocreaterole noreplication nobypassrls login inherit;

-- 3. Passwords: every login role's local password is `postgres` (CLI templates/schema.sql). The
-- role this script is connected as keeps its password: changing it would lock out whoever passed
-- us the connection URL.
do $$
declare
  role_name text;
begin
  foreach role_name in array array[
    'supabase_admin', 'postgres', 'authenticator', 'supabase_auth_admin', 'supabase_storage_admin',
    'supabase_realtime_admin', 'supabase_functions_admin', 'supabase_replication_admin',
    'supabase_etl_admin', 'supabase_read_only_user', 'pgbouncer'
  ] loop
    if role_name <> current_user then
      execute format('alter role %I with password %L', role_name, 'postgres');
    end if;
  end loop;
end $$;

-- 4. Per-role settings (cluster-wide, `ALTER ROLE ... SET`).

-- Short timeouts protect the database from slow API queries (initial-schema.sql,
-- 20221028101028_set_authenticator_timeout.sql, 20231130133139_set_lock_timeout_...).
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';
-- Not mirrored: Supabase also sets `session_preload_libraries = 'supautils, safeupdate'` on
-- authenticator (and postgres). Those libraries are not part of stock PostgreSQL, and naming a
-- missing library would make every login fail; basekit's REST layer rejects filterless
-- UPDATE/DELETE itself instead.

alter role supabase_admin set search_path = "$user", public, auth, extensions;
alter role postgres set search_path = "$user", public, extensions;
alter role supabase_auth_admin set search_path = auth;
alter role supabase_auth_admin set idle_in_transaction_session_timeout = 60000;
alter role supabase_storage_admin set search_path = storage;
alter role supabase_realtime_admin set search_path = public, extensions, realtime;
alter role supabase_functions_admin set search_path = supabase_functions;

-- 5. Memberships.

-- PostgREST switches from authenticator to the role the JWT names.
grant anon, authenticated, service_role to authenticator;

-- postgres can act as the API roles (tests do `set role authenticated`), read everything for
-- dashboards, signal backends and monitor (20230201083204, 20230306081037, 20240606060239).
grant anon, authenticated, service_role to postgres;
grant pg_read_all_data, pg_signal_backend, pg_monitor to postgres;
grant supabase_superuser to postgres, supabase_etl_admin;
-- The CLI's webhook.sql makes postgres a member of the functions admin (it manages hooks).
grant supabase_functions_admin to postgres;

-- Since PostgreSQL 16 a CREATEROLE role may only grant roles it holds WITH ADMIN OPTION; Supabase
-- gives postgres that on the API roles so it can grant them to roles it creates
-- (20250605172253_grant_with_admin_to_postgres_16_and_above.sql). The syntax is 16+ only, hence EXECUTE.
do $$
begin
  if current_setting('server_version_num')::int >= 160000 then
    execute 'grant anon, authenticated, service_role to postgres with admin option';
  end if;
end $$;

-- Table ownership stands in for Supabase's `supautils` extension. On Supabase, postgres is NOT a
-- member of the service admins (revoked 2024-25); instead supautils' `policy_grants` and
-- `drop_trigger_grants` let it manage policies and drop triggers on auth.users, storage.objects,
-- realtime.messages and friends without owning them. Stock PostgreSQL has no such hook, so
-- basekit falls back to what Supabase itself did before supautils (20220609081115_grant-supabase-
-- auth-admin-and-supabase-storage-admin-to-postgres.sql, the CLI's globals.sql) and what Realtime's
-- own migration keeps when supautils is absent (20260707120000_restrict_realtime_schema): postgres
-- inherits from the three service admins. Effect: `create policy ... on storage.objects`,
-- `on realtime.messages`, `drop trigger ... on auth.users` work as on Supabase. It is more
-- permissive than Supabase (postgres could also ALTER those tables); that is the price of stock
-- PostgreSQL. On 16+ the membership cannot be used with SET ROLE, only inherited.
do $$
begin
  if current_setting('server_version_num')::int >= 160000 then
    execute 'grant supabase_auth_admin, supabase_storage_admin, supabase_realtime_admin to postgres with inherit true, set false';
  else
    execute 'grant supabase_auth_admin, supabase_storage_admin, supabase_realtime_admin to postgres';
  end if;
end $$;

-- Storage's server connects as supabase_storage_admin and SET ROLEs to the request's role through
-- authenticator (20231013070755_grant_authenticator_to_supabase_storage_admin.sql).
grant authenticator to supabase_storage_admin;

-- Realtime's admin checks channel authorization as the API roles (realtime init script).
grant anon, authenticated, service_role to supabase_realtime_admin;
-- realtime.list_changes sets log_min_messages, a superuser-only parameter.
grant set on parameter log_min_messages to supabase_realtime_admin;

-- Read-only and ETL users read every table.
grant pg_read_all_data to supabase_read_only_user, supabase_etl_admin;
