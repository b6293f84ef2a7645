-- 14 · postgres configures PostgREST the way it can on Supabase.
--
-- Supabase projects tune their API in migrations: `alter role authenticator set
-- pgrst.db_aggregates_enabled = 'true'`, `... set statement_timeout = '15s'`, then
-- `notify pgrst, 'reload config'`. On Supabase `supautils` lets the non-superuser postgres do that;
-- stock PostgreSQL refuses it (`permission denied to alter role`, or `permission denied to set
-- parameter` for the pgrst.* names). Two narrow grants give postgres exactly that and no more:
--  * ADMIN OPTION on authenticator (PostgreSQL 16+ requires it, next to CREATEROLE, to alter a role),
--    without INHERIT or SET: postgres gains none of authenticator's rights and cannot become it;
--  * SET on the pgrst.* parameters PostgREST reads from the database (its in-database config), which
--    PostgreSQL demands before a non-superuser stores a setting of an unknown (placeholder) name.
-- postgres stays NOSUPERUSER.

set local client_min_messages = warning;

do $$
declare
  parameter text;
begin
  if current_setting('server_version_num')::int >= 160000 then
    execute 'grant authenticator to postgres with admin option, inherit false, set false';
  end if;
  if current_setting('server_version_num')::int >= 150000 then
    foreach parameter in array array[
      'db_aggregates_enabled', 'db_anon_role', 'db_extra_search_path', 'db_hoisted_tx_settings',
      'db_max_rows', 'db_plan_enabled', 'db_pre_config', 'db_pre_request', 'db_prepared_statements',
      'db_root_spec', 'db_schemas', 'db_tx_end', 'jwt_aud', 'jwt_cache_max_lifetime',
      'jwt_role_claim_key', 'jwt_secret', 'jwt_secret_is_base64', 'openapi_mode',
      'openapi_security_active', 'openapi_server_proxy_uri', 'server_cors_allowed_origins',
      'server_timing_enabled', 'server_trace_header'
    ] loop
      execute format('grant set on parameter %I to postgres', 'pgrst.' || parameter);
    end loop;
  end if;
end $$;
