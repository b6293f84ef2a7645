// The `postgres_changes` payload Supabase sends for a row change: schema, table, commit time,
// type, column names and types, typed record / old_record (limited to the columns the
// subscriber's role may select), errors.
import type { Sql } from "../db/connect.ts";
import type { Relation, TupleValues } from "./pgoutput-decoder.ts";
import type { ChangeEvent } from "./postgres-changes-bindings.ts";
import type { TableCheck } from "./rls-check.ts";

export interface RowChange {
  relation: Relation;
  type: ChangeEvent;
  commitTime: Date;
  record?: TupleValues;
  oldRecord?: TupleValues;
}

export interface ChangeData {
  schema: string;
  table: string;
  commit_timestamp: string;
  type: ChangeEvent;
  columns: { name: string; type: string }[];
  record?: Record<string, unknown>;
  old_record?: Record<string, unknown>;
  errors: string[] | null;
}

/** pg_type names by oid, fetched once per unknown type. */
export class TypeNames {
  private readonly names = new Map<number, string>();
  constructor(private readonly sql: Sql) {}

  async load(oids: number[]): Promise<void> {
    const missing = [...new Set(oids)].filter((oid) => !this.names.has(oid));
    if (missing.length === 0) return;
    const rows = await this.sql<
      { oid: number; typname: string }[]
    >`select oid::int as oid, typname from pg_catalog.pg_type where oid = any(${missing}::oid[])`;
    for (const row of rows) this.names.set(Number(row.oid), row.typname);
  }

  /** The database was recreated: its own types have new oids. */
  forgetAll(): void {
    this.names.clear();
  }

  name(oid: number): string {
    return this.names.get(oid) ?? "text";
  }
}

const NUMBER_TYPES = new Set(["int2", "int4", "int8", "float4", "float8", "numeric", "oid"]);

/** Values as wal2json gives them: numbers and booleans typed, JSON parsed, the rest text. */
export function typedValue(text: string | null, type: string): unknown {
  if (text === null) return null;
  if (NUMBER_TYPES.has(type)) {
    const number = Number(text);
    return Number.isFinite(number) ? number : text;
  }
  if (type === "bool") return text === "t";
  if (type === "json" || type === "jsonb") {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function typedRecord(values: TupleValues, types: Record<string, string>, allowed: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || !allowed.has(name)) continue;
    out[name] = typedValue(value, types[name] ?? "text");
  }
  return out;
}

/** Builds the payload `data` for subscribers whose role may select `allowed` columns. */
export function changeData(
  change: RowChange,
  types: TypeNames,
  allowed: Set<string>,
  table: Pick<TableCheck, "rowSecurity" | "primaryKey">,
): ChangeData {
  const typeOf: Record<string, string> = {};
  for (const column of change.relation.columns) typeOf[column.name] = types.name(column.typeOid);
  const keys = table.primaryKey;
  const data: ChangeData = {
    schema: change.relation.schema,
    table: change.relation.table,
    commit_timestamp: change.commitTime.toISOString(),
    type: change.type,
    columns: change.relation.columns
      .filter((column) => allowed.has(column.name))
      .map((column) => ({ name: column.name, type: typeOf[column.name] })),
    errors: null,
  };
  if (keys.length === 0) {
    data.errors = ["Error 400: Bad Request, no primary key"];
    return data;
  }
  if (keys.some((key) => !allowed.has(key))) {
    data.errors = ["Error 401: Unauthorized"];
    return data;
  }
  if (change.record) {
    // Unchanged TOASTed values are not in the WAL: take them from the old row when it has them.
    const filled: TupleValues = { ...change.record };
    for (const [name, value] of Object.entries(filled))
      if (value === undefined && change.oldRecord?.[name] !== undefined) filled[name] = change.oldRecord[name];
    data.record = typedRecord(filled, typeOf, allowed);
  }
  if (change.type !== "INSERT") {
    // Without REPLICA IDENTITY FULL the old row is its key; an UPDATE that kept the key carries none.
    let old = change.oldRecord ?? Object.fromEntries(keys.map((key) => [key, change.record?.[key]]));
    if (change.type === "DELETE" && table.rowSecurity) old = Object.fromEntries(keys.map((key) => [key, old[key]]));
    data.old_record = typedRecord(old, typeOf, allowed);
  }
  return data;
}
