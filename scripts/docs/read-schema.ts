// Reads what the schema docs show from the catalogs: tables and views of the public schema with
// their columns, keys, policies and comments, and the public functions the API exposes.
import type { Sql } from "../../packages/local-stack/src/db/connect.ts";

export interface Column {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
  comment: string | null;
  primaryKey: boolean;
}

export interface ForeignKey {
  columns: string[];
  nullable: boolean;
  target: string;
  targetColumns: string[];
}

export interface Policy {
  name: string;
  command: string;
  permissive: boolean;
  roles: string[];
  using: string | null;
  withCheck: string | null;
  comment: string | null;
}

export interface Table {
  name: string;
  kind: "table" | "view";
  comment: string | null;
  rowLevelSecurity: boolean;
  columns: Column[];
  foreignKeys: ForeignKey[];
  policies: Policy[];
}

export interface ApiFunction {
  signature: string;
  returns: string;
  securityDefiner: boolean;
  comment: string | null;
}

export interface Schema {
  tables: Table[];
  functions: ApiFunction[];
}

const commands: Record<string, string> = { r: "select", a: "insert", w: "update", d: "delete", "*": "all" };

export async function readSchema(sql: Sql): Promise<Schema> {
  // Names print qualified unless on the search path: fix it, so output never depends on a role's.
  await sql`select set_config('search_path', 'public', false)`;
  const tables = await sql<{ oid: number; name: string; relkind: string; comment: string | null; rls: boolean }[]>`
    select c.oid::int as oid, c.relname as name, c.relkind::text as relkind, obj_description(c.oid, 'pg_class') as comment, c.relrowsecurity as rls
      from pg_catalog.pg_class as c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
     order by c.relname`;
  const columns = await sql<(Column & { table: number })[]>`
    select a.attrelid::int as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as "notNull",
           pg_get_expr(d.adbin, d.adrelid) as default, col_description(a.attrelid, a.attnum) as comment,
           exists (select from pg_catalog.pg_constraint as k where k.conrelid = a.attrelid and k.contype = 'p' and a.attnum = any (k.conkey)) as "primaryKey"
      from pg_catalog.pg_attribute as a
      left join pg_catalog.pg_attrdef as d on d.adrelid = a.attrelid and d.adnum = a.attnum
     where a.attrelid in (select oid from pg_catalog.pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p', 'v', 'm'))
       and a.attnum > 0 and not a.attisdropped
     order by a.attrelid::regclass::text, a.attnum`;
  const foreignKeys = await sql<(ForeignKey & { table: number })[]>`
    select k.conrelid::int as table,
           array(select a.attname::text from unnest(k.conkey) with ordinality as u(n, i) join pg_catalog.pg_attribute as a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i) as columns,
           bool_or(not a.attnotnull) as nullable,
           k.confrelid::regclass::text as target,
           array(select a.attname::text from unnest(k.confkey) with ordinality as u(n, i) join pg_catalog.pg_attribute as a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i) as "targetColumns"
      from pg_catalog.pg_constraint as k
      join pg_catalog.pg_attribute as a on a.attrelid = k.conrelid and a.attnum = any (k.conkey)
     where k.contype = 'f' and k.connamespace = 'public'::regnamespace
     group by k.oid, k.conrelid, k.confrelid, k.conkey, k.confkey
     order by k.conrelid::regclass::text, k.conname`;
  const policies = await sql<(Omit<Policy, "command"> & { table: number; command: string })[]>`
    select p.polrelid::int as table, p.polname as name, p.polcmd::text as command, p.polpermissive as permissive,
           array(select case when r = 0 then 'public' else r::regrole::text end from unnest(p.polroles) as r order by 1) as roles,
           pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as "withCheck",
           obj_description(p.oid, 'pg_policy') as comment
      from pg_catalog.pg_policy as p
      join pg_catalog.pg_class as c on c.oid = p.polrelid
     where c.relnamespace = 'public'::regnamespace
     order by p.polname`;
  const functions = await sql<ApiFunction[]>`
    select regexp_replace(p.oid::regprocedure::text, '^public\\.', '') as signature, pg_get_function_result(p.oid) as returns,
           p.prosecdef as "securityDefiner", obj_description(p.oid, 'pg_proc') as comment
      from pg_catalog.pg_proc as p
     where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
     order by 1`;
  return {
    tables: tables.map((t) => ({
      name: t.name,
      kind: t.relkind === "v" || t.relkind === "m" ? "view" : "table",
      comment: t.comment,
      rowLevelSecurity: t.rls,
      columns: columns.filter((c) => c.table === t.oid).map(({ table: _, ...column }) => column),
      foreignKeys: foreignKeys.filter((k) => k.table === t.oid).map(({ table: _, ...key }) => key),
      policies: policies
        .filter((p) => p.table === t.oid)
        .map(({ table: _, ...policy }) => ({ ...policy, command: commands[policy.command] ?? policy.command })),
    })),
    functions: [...functions],
  };
}
