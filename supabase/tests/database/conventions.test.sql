-- Schema conventions every migration must keep: RLS on every exposed table, security definer
-- functions with a fixed search_path, an index under every foreign key, comments on everything
-- the dashboard shows, and nothing granted to anon that it does not need.
begin;
set local search_path = extensions, public;
select plan(10);

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

select * from finish();
rollback;
