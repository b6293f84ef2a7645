// The schema cache: what PostgREST knows of the exposed schemas (relations, columns, keys, foreign
// keys, functions, role settings), read from the catalogs in one query and rebuilt on
// `NOTIFY pgrst, 'reload schema'`.
import type { Sql } from "postgres";
import { inferViewKeys, type OriginKey, type RawView } from "./view-relationships.ts";

export interface Column {
  name: string;
  /** format_type(): `integer`, `text[]`, `timestamp with time zone`, ... */
  type: string;
  /** pg_type.typname, e.g. `int4`, `_text`, `tsvector`. */
  udt: string;
  nullable: boolean;
  /** The default expression as SQL text (trusted: it comes from the catalog). */
  default: string | null;
  description: string | null;
}

export interface Relation {
  schema: string;
  name: string;
  kind: "table" | "view" | "materialized_view" | "foreign_table" | "partitioned_table";
  columns: Column[];
  primaryKey: string[];
  /** Column sets that are unique (PK and unique constraints/indexes), for one-to-one detection. */
  uniqueKeys: string[][];
  /** Computed fields: name -> the qualified function taking this relation's row. */
  computedFields?: Record<string, string>;
  description: string | null;
}

export interface ForeignKey {
  name: string;
  schema: string;
  table: string;
  columns: string[];
  foreignSchema: string;
  foreignTable: string;
  foreignColumns: string[];
}

export interface FunctionArg {
  name: string;
  type: string;
  /** true when the argument has a default and can be left out. */
  optional: boolean;
  variadic: boolean;
}

export interface RestFunction {
  schema: string;
  name: string;
  args: FunctionArg[];
  returnsSet: boolean;
  /** `void`, a scalar type name, or `composite` with returnRelation set when it is a known relation. */
  returnType: string;
  returnKind: "scalar" | "composite" | "void" | "record";
  returnRelation: { schema: string; name: string } | null;
  /** OUT/TABLE columns of a `returns table(...)` / `setof record` function. */
  outColumns: string[];
  volatility: "i" | "s" | "v";
  description: string | null;
}

export interface SchemaCache {
  relations: Map<string, Relation>;
  foreignKeys: ForeignKey[];
  functions: Map<string, RestFunction[]>;
  /** `ALTER ROLE ... SET` values per role (statement_timeout etc.), applied per request. */
  roleSettings: Map<string, Record<string, string>>;
  /** `pgrst.db_pre_request` set on the authenticator role (Supabase's in-database config). */
  preRequest: string | null;
  schemaDescriptions: Map<string, string | null>;
  /** Zone names PostgreSQL knows (pg_timezone_names), for `Prefer: timezone=`. */
  timezones?: Set<string>;
}

export const relationKey = (schema: string, name: string) => `${schema}\u0000${name}`;

const CATALOG_QUERY = `
with schemas as (select n.oid, n.nspname from pg_namespace n where n.nspname = any($1::text[])),
rels as (
  select c.oid, s.nspname as schema, c.relname as name, c.relkind::text as kind,
         obj_description(c.oid, 'pg_class') as description
  from pg_class c join schemas s on s.oid = c.relnamespace
  where c.relkind in ('r', 'v', 'm', 'f', 'p')
),
uniques as (
  select i.indrelid as relid, i.indisprimary as primary,
         array(select a.attname from unnest(i.indkey) with ordinality k(attnum, ord)
               join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.ord) as cols
  from pg_index i join rels r on r.oid = i.indrelid
  where i.indisunique and i.indpred is null and i.indexprs is null
),
-- What an exposed view's rule reads: (view rule, table, column), for view relationships.
view_reads as (
  select r.oid as view_oid, rw.oid as rule_oid, d.refobjid as origin, d.refobjsubid as attnum
  from rels r join pg_rewrite rw on rw.ev_class = r.oid
  join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = rw.oid and d.refclassid = 'pg_class'::regclass
  where r.kind in ('v', 'm') and d.refobjsubid > 0 and d.refobjid <> r.oid
)
select json_build_object(
  'relations', coalesce((select json_agg(json_build_object(
      'schema', r.schema, 'name', r.name, 'kind', r.kind, 'description', r.description,
      'columns', coalesce((select json_agg(json_build_object(
          'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'udt', t.typname,
          'nullable', not a.attnotnull, 'default', pg_get_expr(d.adbin, d.adrelid),
          'description', col_description(r.oid, a.attnum)) order by a.attnum)
        from pg_attribute a join pg_type t on t.oid = a.atttypid
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped), '[]'),
      'primary_key', coalesce((select to_json(u.cols) from uniques u where u.relid = r.oid and u.primary limit 1), '[]'),
      'unique_keys', coalesce((select json_agg(u.cols) from uniques u where u.relid = r.oid), '[]'))) from rels r), '[]'),
  'foreign_keys', coalesce((select json_agg(json_build_object(
      'name', con.conname, 'schema', ns.nspname, 'table', c.relname,
      'columns', array(select a.attname from unnest(con.conkey) with ordinality k(attnum, ord)
                       join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord),
      'foreign_schema', fns.nspname, 'foreign_table', fc.relname,
      'foreign_columns', array(select a.attname from unnest(con.confkey) with ordinality k(attnum, ord)
                       join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord)))
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid join pg_namespace ns on ns.oid = c.relnamespace
    join pg_class fc on fc.oid = con.confrelid join pg_namespace fns on fns.oid = fc.relnamespace
    where con.contype = 'f' and (ns.nspname = any($1::text[]) or fns.nspname = any($1::text[])
      or con.conrelid in (select origin from view_reads) or con.confrelid in (select origin from view_reads))), '[]'),
  'views', coalesce((select json_agg(json_build_object(
      'schema', r.schema, 'name', r.name, 'definition', rw.ev_action::text,
      'origins', coalesce((select json_agg(json_build_object('oid', v.origin::bigint, 'schema', n.nspname, 'table', c.relname,
          'attnum', v.attnum, 'column', a.attname))
        from view_reads v join pg_class c on c.oid = v.origin join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = v.origin and a.attnum = v.attnum
        where v.rule_oid = rw.oid), '[]')))
    from rels r join pg_rewrite rw on rw.ev_class = r.oid where r.kind in ('v', 'm')), '[]'),
  'view_origin_keys', coalesce((select json_agg(json_build_object('schema', n.nspname, 'table', c.relname, 'primary', i.indisprimary,
      'columns', array(select a.attname from unnest(i.indkey) with ordinality k(attnum, ord)
                       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.ord)))
    from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
    where i.indisunique and i.indpred is null and i.indexprs is null and i.indrelid in (select origin from view_reads)), '[]'),
  'functions', coalesce((select json_agg(json_build_object(
      'schema', s.nspname, 'name', p.proname, 'description', obj_description(p.oid, 'pg_proc'),
      'volatility', p.provolatile, 'returns_set', p.proretset, 'variadic', p.provariadic <> 0,
      'nargs', p.pronargs, 'ndefaults', p.pronargdefaults,
      'arg_names', coalesce(p.proargnames, '{}'), 'arg_modes', coalesce(p.proargmodes::text[], '{}'),
      'arg_types', array(select format_type(t, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) t),
      'return_type', format_type(p.prorettype, null), 'return_typtype', rt.typtype,
      'return_relation', case when rt.typrelid <> 0 then
        (select json_build_object('schema', rn.nspname, 'name', rc.relname) from pg_class rc
         join pg_namespace rn on rn.oid = rc.relnamespace where rc.oid = rt.typrelid) end,
      'computed_on', case when p.pronargs = 1 then
        (select json_build_object('schema', an.nspname, 'name', ac.relname) from pg_type at join pg_class ac on ac.oid = at.typrelid
         join pg_namespace an on an.oid = ac.relnamespace where at.oid = p.proargtypes[0]) end))
    from pg_proc p join schemas s on s.oid = p.pronamespace join pg_type rt on rt.oid = p.prorettype
    where p.prokind = 'f'), '[]'),
  'role_settings', coalesce((select json_agg(json_build_object('role', r.rolname, 'settings', rs.setconfig) order by rs.setdatabase)
    from pg_db_role_setting rs join pg_roles r on r.oid = rs.setrole
    where rs.setdatabase in (0, (select oid from pg_database where datname = current_database()))), '[]'),
  'schemas', coalesce((select json_agg(json_build_object('name', s.nspname, 'description', obj_description(s.oid, 'pg_namespace'))) from schemas s), '[]')
)::text as cache`;

interface RawFunction {
  schema: string;
  name: string;
  description: string | null;
  volatility: "i" | "s" | "v";
  returns_set: boolean;
  variadic: boolean;
  nargs: number;
  ndefaults: number;
  arg_names: string[];
  arg_modes: string[];
  arg_types: string[];
  return_type: string;
  return_typtype: string;
  return_relation: { schema: string; name: string } | null;
  /** The relation whose row type is the only parameter (a computed field candidate). */
  computed_on: { schema: string; name: string } | null;
}

function toFunction(raw: RawFunction): RestFunction {
  const modes = raw.arg_modes.length ? raw.arg_modes : raw.arg_types.map(() => "i");
  const args: FunctionArg[] = [];
  const outColumns: string[] = [];
  modes.forEach((mode, i) => {
    const name = raw.arg_names[i] ?? "";
    if (mode === "o" || mode === "t") outColumns.push(name);
    else args.push({ name, type: raw.arg_types[i], optional: false, variadic: mode === "v" });
    if (mode === "b") outColumns.push(name);
  });
  for (let i = args.length - raw.ndefaults; i < args.length; i++) if (i >= 0) args[i].optional = true;
  const returnKind =
    raw.return_type === "void" ? "void" : raw.return_type === "record" ? "record" : raw.return_typtype === "c" ? "composite" : "scalar";
  return {
    schema: raw.schema,
    name: raw.name,
    args,
    returnsSet: raw.returns_set,
    returnType: raw.return_type,
    returnKind,
    returnRelation: raw.return_relation,
    outColumns,
    volatility: raw.volatility,
    description: raw.description,
  };
}

const KINDS: Record<string, Relation["kind"]> = {
  r: "table",
  v: "view",
  m: "materialized_view",
  f: "foreign_table",
  p: "partitioned_table",
};

export async function loadSchemaCache(sql: Sql, schemas: string[]): Promise<SchemaCache> {
  const [row] = await sql.unsafe<{ cache: string }[]>(CATALOG_QUERY, [
    `{${schemas.map((s) => `"${s.replace(/["\\]/g, "\\$&")}"`).join(",")}}`,
  ]);
  const [zones] = await sql.unsafe<{ names: string }[]>("select coalesce(json_agg(name), '[]')::text as names from pg_timezone_names");
  const raw = JSON.parse(row.cache) as {
    relations: (Omit<Relation, "kind" | "primaryKey" | "uniqueKeys"> & { kind: string; primary_key: string[]; unique_keys: string[][] })[];
    foreign_keys: (Omit<ForeignKey, "foreignSchema" | "foreignTable" | "foreignColumns"> & {
      foreign_schema: string;
      foreign_table: string;
      foreign_columns: string[];
    })[];
    functions: RawFunction[];
    views: RawView[];
    view_origin_keys: OriginKey[];
    role_settings: { role: string; settings: string[] | null }[];
    schemas: { name: string; description: string | null }[];
  };
  const relations = new Map<string, Relation>();
  for (const r of raw.relations) {
    relations.set(relationKey(r.schema, r.name), {
      schema: r.schema,
      name: r.name,
      kind: KINDS[r.kind] ?? "table",
      columns: r.columns,
      primaryKey: r.primary_key,
      uniqueKeys: r.unique_keys,
      description: r.description,
    });
  }
  const functions = new Map<string, RestFunction[]>();
  for (const f of raw.functions) {
    const key = relationKey(f.schema, f.name);
    functions.set(key, [...(functions.get(key) ?? []), toFunction(f)]);
    // A function of one row returning one scalar is a computed field of that relation (PostgREST).
    const owner = f.computed_on ? relations.get(relationKey(f.computed_on.schema, f.computed_on.name)) : undefined;
    if (owner && !f.returns_set && f.return_typtype !== "c" && f.return_type !== "void" && f.return_type !== "record")
      owner.computedFields = { ...owner.computedFields, [f.name]: `"${f.schema.replace(/"/g, '""')}"."${f.name.replace(/"/g, '""')}"` };
  }
  const roleSettings = new Map<string, Record<string, string>>();
  for (const { role, settings } of raw.role_settings) {
    const current = roleSettings.get(role) ?? {};
    for (const entry of settings ?? []) {
      const eq = entry.indexOf("=");
      if (eq > 0) current[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    roleSettings.set(role, current);
  }
  const tableKeys = raw.foreign_keys.map((fk) => ({
    name: fk.name,
    schema: fk.schema,
    table: fk.table,
    columns: fk.columns,
    foreignSchema: fk.foreign_schema,
    foreignTable: fk.foreign_table,
    foreignColumns: fk.foreign_columns,
  }));
  return {
    relations,
    foreignKeys: inferViewKeys(relations, tableKeys, raw.views, raw.view_origin_keys),
    functions,
    roleSettings,
    preRequest: roleSettings.get("authenticator")?.["pgrst.db_pre_request"] ?? null,
    schemaDescriptions: new Map(raw.schemas.map((s) => [s.name, s.description])),
    timezones: new Set(JSON.parse(zones.names) as string[]),
  };
}
