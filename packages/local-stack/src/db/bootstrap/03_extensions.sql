-- 03 · Extensions enabled on a fresh Supabase database.
--
-- Mirrors: supabase/postgres init-scripts/00000000000000-initial-schema.sql (uuid-ossp, pgcrypto,
-- pg_stat_statements in schema extensions) and 20230224042246_grant_extensions_perms_for_postgres.sql.
--
-- Left out, because stock PostgreSQL does not ship them: pgjwt (older images only), pg_graphql,
-- pg_net, supabase_vault, pgsodium. `postgres` can enable trusted extensions itself later (it owns
-- the database and has CREATE on schema extensions); untrusted ones need the superuser, where
-- Supabase uses supautils' privileged_extensions.

set local role supabase_admin;

create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;

-- pg_stat_statements can be created anywhere but fails on every query unless the server preloads
-- it (shared_preload_libraries); only enable it where it works.
do $$
begin
  if 'pg_stat_statements' = any (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))
     and exists (select from pg_catalog.pg_available_extensions where name = 'pg_stat_statements') then
    create extension if not exists pg_stat_statements with schema extensions;
  end if;
end $$;

-- What the extensions just created: postgres may use and re-grant it, Studio may manage it.
grant all on all tables in schema extensions to postgres with grant option;
grant all on all sequences in schema extensions to postgres with grant option;
grant all on all routines in schema extensions to postgres with grant option;
grant all on all tables in schema extensions to dashboard_user;
grant all on all sequences in schema extensions to dashboard_user;
grant all on all routines in schema extensions to dashboard_user;

reset role;
