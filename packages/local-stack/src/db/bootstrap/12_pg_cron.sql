-- 12 · pg_cron: off by default, as on hosted Supabase; a migration turns it on with
-- `create extension if not exists pg_cron` (with schema pg_catalog or extensions, as you like).
--
-- On the embedded server `pg_cron` is basekit's emulation (src/extensions/pg-cron), a trusted
-- extension: role postgres may create it, its script runs as the superuser and grants postgres
-- what Supabase's after-create script grants. On Supabase, supautils runs the whole CREATE
-- EXTENSION as the superuser, so the issue_pg_cron_access event trigger (08) grants as the
-- superuser too; here the trigger fires as the role that ran CREATE EXTENSION, which cannot
-- re-grant the superuser's grant options ("grant options cannot be granted back to your own
-- grantor"). Running it as its owner (supabase_admin) gives the same result as on Supabase. An
-- event-trigger function cannot be called directly, so this lends nobody any rights.

set local role supabase_admin;

alter function extensions.grant_pg_cron_access() security definer;

reset role;
