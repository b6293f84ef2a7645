-- Schema conventions every migration must keep: RLS on every exposed table, security definer
-- functions with a fixed search_path, an index under every foreign key and every column a policy
-- reads, auth.uid() and friends evaluated once per statement in policies, comments on everything
-- the dashboard shows, and nothing granted to anon that it does not need. These are the checks of
-- `supabase db lint` and the dashboard's Security / Performance Advisor that need no Docker.
begin;
set local search_path = extensions, public;
select plan(13);

select is_empty(
  $$ select c.oid::regclass::text from pg_catalog.pg_class as c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity $$,
  'every table in public has row level security enabled'
);

select is_empty(
  $$ select p.oid::regprocedure::text from pg_catalog.pg_proc as p
      where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
        and p.prosecdef
        and not exists (select from unnest(coalesce(p.proconfig, '{}')) as setting where setting like 'search_path=%') $$,
  'every security definer function in public and private has a fixed search_path'
);

select is_empty(
  $$ select p.oid::regprocedure::text from pg_catalog.pg_proc as p
      where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
        and not exists (select from unnest(coalesce(p.proconfig, '{}')) as setting where setting like 'search_path=%') $$,
  'every function in public and private sets its search_path'
);

select is_empty(
  $$ select con.conrelid::regclass::text || ' ' || con.conname from pg_catalog.pg_constraint as con
      where con.contype = 'f' and con.connamespace = 'public'::regnamespace
        and not exists (
          select from pg_catalog.pg_index as i
           where i.indrelid = con.conrelid
             and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(con.conkey)] = con.conkey) $$,
  'every foreign key in public has an index starting with its columns'
);

select is_empty(
  $$ select c.oid::regclass::text from pg_catalog.pg_class as c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
        and obj_description(c.oid, 'pg_class') is null $$,
  'every table and view in public has a comment'
);

select is_empty(
  $$ select p.oid::regprocedure::text from pg_catalog.pg_proc as p
      where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
        and obj_description(p.oid, 'pg_proc') is null $$,
  'every function in public and private has a comment'
);

select is_empty(
  $$ select pol.polrelid::regclass::text || ': ' || pol.polname from pg_catalog.pg_policy as pol
      join pg_catalog.pg_class as c on c.oid = pol.polrelid
      where c.relnamespace in ('public'::regnamespace, 'realtime'::regnamespace)
        and obj_description(pol.oid, 'pg_policy') is null $$,
  'every policy on public and realtime tables has a comment'
);

select is_empty(
  $$ select c.oid::regclass::text from pg_catalog.pg_class as c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
        and (has_table_privilege('anon', c.oid, 'select, insert, update, delete, truncate, references, trigger')
             or has_any_column_privilege('anon', c.oid, 'select, insert, update, references')) $$,
  'anon holds no privilege on any table in public'
);

select set_eq(
  $$ select p.oid::regprocedure::text from pg_catalog.pg_proc as p
      where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
        and has_function_privilege('anon', p.oid, 'execute') $$,
  $$ values ('is_username_available(text)') $$,
  'anon may execute only is_username_available among public and private functions'
);

select ok(
  not has_schema_privilege('anon', 'private', 'usage'),
  'anon cannot use the private schema'
);

select is_empty(
  $$ select c.oid::regclass::text from pg_catalog.pg_class as c
      where c.relnamespace in ('public'::regnamespace, 'graphql_public'::regnamespace)
        and c.relkind in ('r', 'p') and not c.relrowsecurity $$,
  'every table in a schema the API exposes ([api] schemas: public, graphql_public) has row level security enabled'
);

-- A bare auth.uid() in a policy runs once per row; wrapped in a scalar subquery Postgres runs it
-- once per statement (an initPlan). pg_get_expr prints the wrapped form as ( SELECT auth.uid() AS uid).
select is_empty(
  $$ select pol.polrelid::regclass::text || ': ' || pol.polname from pg_catalog.pg_policy as pol
      join pg_catalog.pg_class as c on c.oid = pol.polrelid
      where c.relnamespace in ('public'::regnamespace, 'realtime'::regnamespace, 'storage'::regnamespace)
        and regexp_replace(
              coalesce(pg_get_expr(pol.polqual, pol.polrelid), '') || ' ' || coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), ''),
              'SELECT auth\.(uid|jwt|role)\(\) AS \w+', '', 'g') ~ 'auth\.(uid|jwt|role)\(\)' $$,
  'every policy on public, realtime and storage tables calls auth.uid(), auth.jwt() and auth.role() as (select auth.uid())'
);

-- Flags and states (booleans, enums, timestamps tested for null) narrow no search, so they need no
-- index of their own: the ids beside them in the same policy do.
select is_empty(
  $$ select distinct pol.polrelid::regclass::text || '.' || a.attname
       from pg_catalog.pg_policy as pol
       join pg_catalog.pg_class as c on c.oid = pol.polrelid
       join pg_catalog.pg_depend as d
         on d.classid = 'pg_catalog.pg_policy'::regclass and d.objid = pol.oid
        and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = pol.polrelid and d.refobjsubid > 0
       join pg_catalog.pg_attribute as a on a.attrelid = pol.polrelid and a.attnum = d.refobjsubid
       join pg_catalog.pg_type as t on t.oid = a.atttypid
      where c.relnamespace = 'public'::regnamespace
        and t.typtype <> 'e' and a.atttypid not in ('boolean'::regtype, 'timestamptz'::regtype, 'timestamp'::regtype)
        and not exists (select from pg_catalog.pg_index as i where i.indrelid = pol.polrelid and i.indkey[0] = d.refobjsubid) $$,
  'every id-like column (not a flag, state or timestamp) of a public table that its own policies read leads an index'
);

select * from finish();
rollback;
