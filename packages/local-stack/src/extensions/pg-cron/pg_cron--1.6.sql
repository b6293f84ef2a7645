-- basekit's pg_cron 1.6: the SQL surface of citusdata/pg_cron (schema cron, cron.job,
-- cron.job_run_details, cron.schedule/unschedule/alter_job/schedule_in_database) written in
-- PL/pgSQL. The jobs are run by the local stack (src/extensions/pg-cron/cron-scheduler.ts), which
-- reads cron.job, connects as each job's user to its database, and records every run here.
--
-- pg_cron's C functions act as the calling role (GetUserId()). A PL/pgSQL function that may write
-- cron.job must be SECURITY DEFINER, where current_user is the owner; so the caller is taken from
-- the session instead: its SET ROLE if any, else its login role (cron._acting_role()).
\echo Use "CREATE EXTENSION pg_cron" to load this file. \quit

do $$
begin
  if pg_catalog.current_database() <> coalesce(nullif(pg_catalog.current_setting('cron.database_name', true), ''), 'postgres') then
    raise exception 'can only create extension in database %', coalesce(nullif(pg_catalog.current_setting('cron.database_name', true), ''), 'postgres')
      using detail = 'Jobs must be scheduled from the database configured in cron.database_name, since the pg_cron background worker reads job descriptions from this database.';
  end if;
end $$;

create schema cron;

create sequence cron.jobid_seq;
create table cron.job (
  jobid bigint primary key default pg_catalog.nextval('cron.jobid_seq'),
  schedule text not null,
  command text not null,
  nodename text not null default 'localhost',
  nodeport int not null default pg_catalog.inet_server_port(),
  database text not null default pg_catalog.current_database(),
  username text not null default current_user,
  active boolean not null default true,
  jobname text
);
create unique index jobname_username_idx on cron.job (jobname, username);
alter table cron.job add constraint jobname_username_uniq unique using index jobname_username_idx;
comment on table cron.job is 'Scheduled jobs; each runs as username in database.';
grant select on cron.job to public;
alter table cron.job enable row level security;
create policy cron_job_policy on cron.job using (username = current_user);

create sequence cron.runid_seq;
create table cron.job_run_details (
  jobid bigint,
  runid bigint primary key default pg_catalog.nextval('cron.runid_seq'),
  job_pid integer,
  database text,
  username text,
  command text,
  status text,
  return_message text,
  start_time timestamptz,
  end_time timestamptz
);
comment on table cron.job_run_details is
  'One row per run: status starting -> running -> succeeded | failed, with the command''s last result or error.';
grant select, delete on cron.job_run_details to public;
alter table cron.job_run_details enable row level security;
create policy cron_job_run_details_policy on cron.job_run_details using (username = current_user);

grant select on sequence cron.jobid_seq, cron.runid_seq to public;

select pg_catalog.pg_extension_config_dump('cron.job', '');
select pg_catalog.pg_extension_config_dump('cron.jobid_seq', '');
select pg_catalog.pg_extension_config_dump('cron.job_run_details', '');
select pg_catalog.pg_extension_config_dump('cron.runid_seq', '');

-- Telling the scheduler ------------------------------------------------------------------------------

create function cron.job_cache_invalidate()
returns trigger
language plpgsql
as $$
begin
  -- Delivered at commit: the scheduler reloads cron.job once the change is visible.
  perform pg_catalog.pg_notify('pg_cron', 'jobs');
  return null;
end;
$$;
comment on function cron.job_cache_invalidate() is 'invalidate job cache';

create trigger cron_job_cache_invalidate
  after insert or update or delete or truncate on cron.job
  for each statement execute function cron.job_cache_invalidate();

-- Schedules ---------------------------------------------------------------------------------------------

-- One cron field, read as Vixie cron (and so pg_cron) reads it: a list of `*`, N or N-M, each
-- with an optional /step (a step needs a range), numbers or names (Jan, Sun). Parsing stops at
-- the first character that cannot continue the list; what follows up to the next blank is
-- ignored, as cron does. Returns the values, or null when the field is invalid.
create function cron._parse_schedule_field(field text, low int, high int, names text[])
returns int[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  pos int := 1;
  token text;
  first_value int;
  last_value int;
  step int;
  picked int[] := '{}';
begin
  loop
    if pg_catalog.substr(field, pos, 1) = '*' then
      first_value := low;
      last_value := high;
      pos := pos + 1;
    else
      token := substring(pg_catalog.substr(field, pos) from '^[A-Za-z0-9]+');
      first_value := cron._parse_schedule_number(token, low, names);
      if first_value is null then
        return null;
      end if;
      pos := pos + pg_catalog.length(token);
      if pg_catalog.substr(field, pos, 1) = '/' then
        return null; -- a step without a range
      end if;
      if pg_catalog.substr(field, pos, 1) <> '-' then
        if first_value < low or first_value > high then
          return null;
        end if;
        picked := picked || first_value;
        if pg_catalog.substr(field, pos, 1) = ',' then
          pos := pos + 1;
          continue;
        end if;
        exit;
      end if;
      pos := pos + 1;
      token := substring(pg_catalog.substr(field, pos) from '^[A-Za-z0-9]+');
      last_value := cron._parse_schedule_number(token, low, names);
      if last_value is null then
        return null;
      end if;
      pos := pos + pg_catalog.length(token);
    end if;

    step := 1;
    if pg_catalog.substr(field, pos, 1) = '/' then
      pos := pos + 1;
      token := substring(pg_catalog.substr(field, pos) from '^[A-Za-z0-9]+');
      step := cron._parse_schedule_number(token, 0, null);
      if step is null or step <= 0 then
        return null;
      end if;
      pos := pos + pg_catalog.length(token);
    end if;
    if first_value < low or first_value > high or last_value < low or last_value > high or step > high then
      return null;
    end if;
    picked := picked || array(select pg_catalog.generate_series(first_value, last_value, step));
    if pg_catalog.substr(field, pos, 1) = ',' then
      pos := pos + 1;
    else
      exit;
    end if;
  end loop;
  return array(select distinct value from pg_catalog.unnest(picked) as value order by value);
end;
$$;

-- A number in a cron field: a name from `names` (case-insensitive, its index + low) or digits.
create function cron._parse_schedule_number(token text, low int, names text[])
returns int
language sql
immutable
set search_path = ''
as $$
  select coalesce(
    (select (idx - 1)::int + low
     from pg_catalog.unnest(names) with ordinality as name_list(name, idx)
     where pg_catalog.lower(name) = pg_catalog.lower(token)
     order by idx limit 1),
    case when token ~ '^[0-9]{1,9}$' then token::int end
  );
$$;

-- A schedule as pg_cron accepts it: five cron fields (`$` = last day of the month), an @macro,
-- or 'N seconds' (1-59). Returns what the scheduler needs as jsonb, or null when invalid:
--   {"seconds": N} | {"reboot": true} |
--   {"minute": [...], "hour": [...], "dom": [...], "month": [...], "dow": [...] (0-7, 0 = 7 = Sunday),
--    "min_star", "hr_star", "dom_star", "dow_star", "dom_last": booleans}
create function cron._parse_schedule(schedule text)
returns jsonb
language plpgsql
immutable
strict
set search_path = ''
as $$
declare
  months constant text[] := array['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  weekdays constant text[] := array['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  every_hour constant jsonb := pg_catalog.to_jsonb(array(select pg_catalog.generate_series(0, 23)));
  every_day constant jsonb := pg_catalog.to_jsonb(array(select pg_catalog.generate_series(1, 31)));
  every_month constant jsonb := pg_catalog.to_jsonb(array(select pg_catalog.generate_series(1, 12)));
  every_weekday constant jsonb := pg_catalog.to_jsonb(array(select pg_catalog.generate_series(0, 7)));
  text_in text;
  fields text[];
  macro text;
  minutes int[];
  hours int[];
  days int[];
  month_list int[];
  weekday_list int[];
  seconds bigint;
begin
  if pg_catalog.length(schedule) >= 1000 then
    return null;
  end if;
  -- Leading blanks, blank lines and # comment lines are skipped, as in a crontab.
  text_in := pg_catalog.regexp_replace(schedule, '^([ \t]*(#[^\n]*)?\n)*[ \t]*', '');

  if pg_catalog.left(text_in, 1) = '@' then
    macro := substring(text_in from '^@([^ \t\n]*)');
    return case
      when macro in ('reboot', 'restart') then '{"reboot": true}'::jsonb
      when macro in ('yearly', 'annually') then pg_catalog.jsonb_build_object('minute', '[0]'::jsonb, 'hour', '[0]'::jsonb,
        'dom', '[1]'::jsonb, 'month', '[1]'::jsonb, 'dow', every_weekday, 'dow_star', true)
      when macro = 'monthly' then pg_catalog.jsonb_build_object('minute', '[0]'::jsonb, 'hour', '[0]'::jsonb,
        'dom', '[1]'::jsonb, 'month', every_month, 'dow', every_weekday, 'dow_star', true)
      when macro = 'weekly' then pg_catalog.jsonb_build_object('minute', '[0]'::jsonb, 'hour', '[0]'::jsonb,
        'dom', every_day, 'month', every_month, 'dow', '[0, 7]'::jsonb, 'dow_star', true)
      when macro in ('daily', 'midnight') then pg_catalog.jsonb_build_object('minute', '[0]'::jsonb, 'hour', '[0]'::jsonb,
        'dom', every_day, 'month', every_month, 'dow', every_weekday)
      when macro = 'hourly' then pg_catalog.jsonb_build_object('minute', '[0]'::jsonb, 'hour', every_hour,
        'dom', every_day, 'month', every_month, 'dow', every_weekday, 'hr_star', true)
    end;
  end if;

  -- Five fields separated by blanks; whatever follows the fifth is ignored, as cron does.
  fields := pg_catalog.regexp_match(text_in, '^([^ \t\n]+)[ \t]+([^ \t\n]+)[ \t]+([^ \t\n]+)[ \t]+([^ \t\n]+)[ \t]+([^ \t\n]+)');
  if fields is not null then
    minutes := cron._parse_schedule_field(fields[1], 0, 59, null);
    hours := cron._parse_schedule_field(fields[2], 0, 23, null);
    days := case when fields[3] = '$' then '{}'::int[] else cron._parse_schedule_field(fields[3], 1, 31, null) end;
    month_list := cron._parse_schedule_field(fields[4], 1, 12, months);
    weekday_list := cron._parse_schedule_field(fields[5], 0, 7, weekdays);
    if minutes is not null and hours is not null and days is not null and month_list is not null and weekday_list is not null then
      if 0 = any (weekday_list) or 7 = any (weekday_list) then
        weekday_list := array(select distinct value from pg_catalog.unnest(weekday_list || array[0, 7]) as value order by value);
      end if;
      return pg_catalog.jsonb_build_object(
        'minute', pg_catalog.to_jsonb(minutes), 'hour', pg_catalog.to_jsonb(hours), 'dom', pg_catalog.to_jsonb(days),
        'month', pg_catalog.to_jsonb(month_list), 'dow', pg_catalog.to_jsonb(weekday_list),
        'min_star', pg_catalog.left(fields[1], 1) = '*', 'hr_star', pg_catalog.left(fields[2], 1) = '*',
        'dom_star', pg_catalog.left(fields[3], 1) = '*', 'dow_star', pg_catalog.left(fields[5], 1) = '*',
        'dom_last', fields[3] = '$');
    end if;
  end if;

  -- pg_cron's interval form: '<1-59> second' or '<1-59> seconds'.
  seconds := substring(pg_catalog.lower(schedule) from '^\s*\+?([0-9]{1,9})\s*secon(?:d|ds\s*)$')::bigint;
  if seconds between 1 and 59 then
    return pg_catalog.jsonb_build_object('seconds', seconds);
  end if;
  return null;
end;
$$;
comment on function cron._parse_schedule(text) is
  'basekit: parses a pg_cron schedule (null when invalid); cron.schedule() validates with it and the scheduler runs by it.';

-- Who is calling ---------------------------------------------------------------------------------------

create function cron._acting_role()
returns text
language sql
stable
set search_path = ''
as $$
  -- SET ROLE is a session setting, unchanged by SECURITY DEFINER; without one, the login role acts.
  select case when pg_catalog.current_setting('role') = 'none' then session_user::text else pg_catalog.current_setting('role') end;
$$;
comment on function cron._acting_role() is
  'basekit: the role a cron.* call acts for (the session''s SET ROLE, else its login role).';

create function cron._is_superuser(role_name text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce((select rolsuper from pg_catalog.pg_roles where rolname = role_name), false);
$$;

-- Checks a role may own a job: it exists and can log in (the scheduler connects as it).
create function cron._assert_job_role(role_name text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = role_name) then
    raise exception 'role "%" does not exist', role_name;
  end if;
  if not (select rolcanlogin from pg_catalog.pg_roles where rolname = role_name) then
    raise exception 'role "%" can not log in', role_name
      using detail = 'Jobs may only be run by roles that have the LOGIN attribute.';
  end if;
end;
$$;

create function cron._assert_schedule(schedule text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if cron._parse_schedule(schedule) is null then
    raise exception 'invalid schedule: %', schedule
      using errcode = 'invalid_parameter_value', hint = 'Use cron format (e.g. 5 4 * * *), or interval format ''[1-59] seconds''';
  end if;
end;
$$;

create function cron._assert_can_connect(role_name text, database_name text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not exists (select from pg_catalog.pg_database where datname = database_name) then
    raise exception 'database "%" does not exist', database_name using errcode = 'undefined_database';
  end if;
  if not pg_catalog.has_database_privilege(role_name, database_name, 'CONNECT') then
    raise exception 'User % does not have CONNECT privilege on %', role_name, database_name;
  end if;
end;
$$;

-- Public API -----------------------------------------------------------------------------------------

-- Inserts (or, for a named job, updates) a job owned by the acting role, or by `username` when a
-- superuser names one. Called only from the SECURITY DEFINER functions below.
create function cron._schedule(
  p_job_name text, p_schedule text, p_command text, p_database text, p_username text, p_active boolean
)
returns bigint
language plpgsql
set search_path = ''
as $$
declare
  caller text := cron._acting_role();
  owner_name text := caller;
  database_name text := coalesce(p_database, pg_catalog.current_database());
  job_id bigint;
begin
  perform cron._assert_schedule(p_schedule);
  if p_username is not null then
    if not cron._is_superuser(caller) then
      raise exception 'must be superuser to create a job for another role';
    end if;
    perform cron._assert_job_role(p_username);
    owner_name := p_username;
  end if;
  perform cron._assert_can_connect(owner_name, database_name);

  if p_job_name is null then
    insert into cron.job (schedule, command, nodename, nodeport, database, username, active)
    values (p_schedule, p_command, 'localhost', pg_catalog.current_setting('port')::int, database_name, owner_name, p_active)
    returning jobid into job_id;
  else
    insert into cron.job (schedule, command, nodename, nodeport, database, username, active, jobname)
    values (p_schedule, p_command, 'localhost', pg_catalog.current_setting('port')::int, database_name, owner_name, p_active, p_job_name)
    on conflict on constraint jobname_username_uniq
      do update set schedule = excluded.schedule, command = excluded.command, database = excluded.database
    returning jobid into job_id;
  end if;
  return job_id;
end;
$$;

create function cron.schedule(schedule text, command text)
returns bigint
language sql
strict
security definer
set search_path = ''
as $$
  select cron._schedule(null, schedule, command, null, null, true);
$$;
comment on function cron.schedule(text, text) is 'schedule a pg_cron job';

create function cron.schedule(job_name text, schedule text, command text)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
begin
  if job_name is null then
    raise exception 'job_name can not be NULL';
  elsif schedule is null then
    raise exception 'schedule can not be NULL';
  elsif command is null then
    raise exception 'command can not be NULL';
  end if;
  return cron._schedule(job_name, schedule, command, null, null, true);
end;
$$;
comment on function cron.schedule(text, text, text) is 'schedule a pg_cron job';

create function cron.schedule_in_database(
  job_name text, schedule text, command text, database text, username text default null, active boolean default true
)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
begin
  if job_name is null then
    raise exception 'job_name can not be NULL';
  elsif schedule is null then
    raise exception 'schedule can not be NULL';
  elsif command is null then
    raise exception 'command can not be NULL';
  end if;
  return cron._schedule(job_name, schedule, command, database, username, coalesce(active, true));
end;
$$;
comment on function cron.schedule_in_database(text, text, text, text, text, boolean) is 'schedule a pg_cron job';

create function cron.unschedule(job_id bigint)
returns bool
language plpgsql
strict
security definer
set search_path = ''
as $$
declare
  caller text := cron._acting_role();
  owner_name text;
begin
  select username into owner_name from cron.job where jobid = job_id for update;
  if not found then
    raise exception 'could not find valid entry for job %', job_id;
  end if;
  if owner_name <> caller and not pg_catalog.has_table_privilege(caller, 'cron.job', 'DELETE') then
    raise exception 'permission denied for table job' using errcode = 'insufficient_privilege';
  end if;
  delete from cron.job where jobid = job_id;
  return true;
end;
$$;
comment on function cron.unschedule(bigint) is 'unschedule a pg_cron job';

create function cron.unschedule(job_name text)
returns bool
language plpgsql
strict
security definer
set search_path = ''
as $$
begin
  delete from cron.job where jobname = job_name and username = cron._acting_role();
  if not found then
    raise exception 'could not find valid entry for job ''%''', job_name;
  end if;
  return true;
end;
$$;
comment on function cron.unschedule(text) is 'unschedule a pg_cron job';

create function cron.alter_job(
  job_id bigint,
  schedule text default null,
  command text default null,
  database text default null,
  username text default null,
  active boolean default null
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller text := cron._acting_role();
  owner_name text := coalesce(username, caller);
begin
  if job_id is null then
    raise exception 'job_id can not be NULL';
  end if;
  if username is not null then
    if not cron._is_superuser(caller) then
      raise exception 'must be superuser to alter username';
    end if;
    perform cron._assert_job_role(username);
  end if;
  if database is not null then
    perform cron._assert_can_connect(owner_name, database);
  end if;
  if schedule is not null then
    perform cron._assert_schedule(schedule);
  end if;
  if num_nonnulls(schedule, command, database, username, active) = 0 then
    raise exception 'no updates specified'
      using hint = 'You must specify at least one job attribute to change when calling alter_job';
  end if;
  update cron.job as j
  set schedule = coalesce(alter_job.schedule, j.schedule),
      command = coalesce(alter_job.command, j.command),
      database = coalesce(alter_job.database, j.database),
      username = coalesce(alter_job.username, j.username),
      active = coalesce(alter_job.active, j.active)
  where j.jobid = job_id and (cron._is_superuser(caller) or j.username = caller);
  if not found then
    raise exception 'Job % does not exist or you don''t own it', job_id;
  end if;
end;
$$;
comment on function cron.alter_job(bigint, text, text, text, text, boolean) is
  'Alter the job identified by job_id. Any option left as NULL will not be modified.';

-- Privileges ---------------------------------------------------------------------------------------------

-- As pg_cron: administrators decide who may alter jobs or schedule them in another database.
revoke all on function cron.alter_job(bigint, text, text, text, text, boolean) from public;
revoke all on function cron.schedule_in_database(text, text, text, text, text, boolean) from public;
-- The helpers only serve the functions above.
revoke all on function cron._schedule(text, text, text, text, text, boolean) from public;

-- What Supabase's after-create script for pg_cron grants: postgres uses the cron schema and its
-- functions, and manages jobs through them (cron.job itself stays read-only to it).
do $$
begin
  if exists (select from pg_catalog.pg_roles where rolname = 'postgres') then
    grant usage on schema cron to postgres with grant option;
    grant all on all functions in schema cron to postgres with grant option;
    grant all privileges on all tables in schema cron to postgres with grant option;
    revoke all on table cron.job from postgres;
    grant select on table cron.job to postgres with grant option;
  end if;
end $$;
