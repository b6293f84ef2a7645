-- 11 · pg_net, enabled as in the CLI's stack: Database Webhooks (09) queue their calls through it.
--
-- On the embedded server, `pg_net` is basekit's emulation (src/extensions/pg-net: the same schema,
-- tables, functions and privileges; the local stack sends the requests after commit). On an
-- external server that ships the real pg_net, this creates the real one, whose own worker sends
-- (it needs shared_preload_libraries = 'pg_net' there). Without either, it is skipped and
-- net.http_* stays undefined.
--
-- Mirrors: supabase/postgres 20240822021428_enable_webhooks_by_default.sql (create extension
-- pg_net with schema extensions). The access grants come from the issue_pg_net_access event
-- trigger (08), as on Supabase.

set local role supabase_admin;

do $$
begin
  if exists (select from pg_catalog.pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net with schema extensions;
  else
    raise notice 'pg_net is not available on this server: net.http_* and Database Webhooks will fail until it is installed';
  end if;
end $$;

reset role;
