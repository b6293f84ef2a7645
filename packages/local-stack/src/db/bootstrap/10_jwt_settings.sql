-- 10 · Database settings app.settings.jwt_secret and app.settings.jwt_exp.
--
-- The CLI stores the project's JWT secret and expiry on the database (templates/schema.sql:
-- `alter database postgres set "app.settings.jwt_secret" to :'jwt_secret'`), where SQL that signs
-- or checks tokens reads them with current_setting('app.settings.jwt_secret').
--
-- This file stays static: the applier passes the values as session settings in the same
-- transaction, before running it:
--   select set_config('basekit.jwt_secret', '<[auth] jwt_secret>', true),
--          set_config('basekit.jwt_exp', '<[auth] jwt_expiry, e.g. 3600>', true);
-- (`set local basekit.jwt_secret = '...'` works too). A setting that is absent or empty leaves the
-- database setting untouched, with a notice. The target is the current database, whatever its name.

do $$
declare
  jwt_secret text := nullif(current_setting('basekit.jwt_secret', true), '');
  jwt_exp text := nullif(current_setting('basekit.jwt_exp', true), '');
begin
  if jwt_secret is null then
    raise notice 'basekit.jwt_secret is not set: app.settings.jwt_secret left unchanged';
  else
    execute format('alter database %I set "app.settings.jwt_secret" to %L', current_database(), jwt_secret);
  end if;

  if jwt_exp is null then
    raise notice 'basekit.jwt_exp is not set: app.settings.jwt_exp left unchanged';
  else
    execute format('alter database %I set "app.settings.jwt_exp" to %L', current_database(), jwt_exp);
  end if;
end $$;
