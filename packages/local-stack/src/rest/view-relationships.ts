// Views take part in embedding as PostgREST lets them: each view column that shows a base-table
// column (through other views too) carries that column's keys, so a view gets the foreign keys
// (both directions) and the primary/unique keys whose columns it shows, under the constraint's name.
import { type ForeignKey, type Relation, relationKey } from "./schema-cache.ts";
import { viewTargetOrigins } from "./view-columns.ts";

export interface RawView {
  schema: string;
  name: string;
  /** pg_rewrite.ev_action as text. */
  definition: string;
  /** The columns the view's rule reads, with their names. */
  origins: { oid: number; schema: string; table: string; attnum: number; column: string }[];
}

/** A unique index of a table some view reads (the table may be outside the exposed schemas). */
export interface OriginKey {
  schema: string;
  table: string;
  primary: boolean;
  columns: string[];
}

/** Per view: base table key -> base column -> the view column showing it. */
type ViewColumns = Map<string, Map<string, string>>;

function directColumns(view: RawView, relation: Relation): Map<string, { key: string; column: string }> {
  const shown = new Map<string, { key: string; column: string }>();
  for (const target of viewTargetOrigins(view.definition)) {
    const origin = view.origins.find((o) => o.oid === target.table && o.attnum === target.column);
    const viewColumn = relation.columns[target.resno - 1]?.name;
    if (origin && viewColumn) shown.set(viewColumn, { key: relationKey(origin.schema, origin.table), column: origin.column });
  }
  return shown;
}

export function inferViewKeys(
  relations: Map<string, Relation>,
  tableKeys: ForeignKey[],
  views: RawView[],
  originKeys: OriginKey[],
): ForeignKey[] {
  const direct = new Map<string, Map<string, { key: string; column: string }>>();
  for (const view of views) {
    const relation = relations.get(relationKey(view.schema, view.name));
    if (relation) direct.set(relationKey(view.schema, view.name), directColumns(view, relation));
  }
  // Follow views over views down to a table (a cycle cannot exist; the depth bound is a guard).
  const resolve = (key: string, column: string, depth = 0): { key: string; column: string } => {
    const next = direct.get(key)?.get(column);
    return next && depth < 32 ? resolve(next.key, next.column, depth + 1) : { key, column };
  };
  const byView = new Map<string, ViewColumns>();
  for (const [viewKey, columns] of direct) {
    const mapped: ViewColumns = new Map();
    for (const viewColumn of columns.keys()) {
      const base = resolve(viewKey, viewColumn);
      const forTable = mapped.get(base.key) ?? new Map<string, string>();
      if (!forTable.has(base.column)) forTable.set(base.column, viewColumn);
      mapped.set(base.key, forTable);
    }
    byView.set(viewKey, mapped);
  }
  const shownAs = (viewKey: string, table: string, columns: string[]): string[] | undefined => {
    const forTable = byView.get(viewKey)?.get(table);
    const names = columns.map((c) => forTable?.get(c));
    return names.every((n) => n !== undefined) ? (names as string[]) : undefined;
  };

  // Primary and unique keys.
  const uniques = new Map<string, OriginKey[]>();
  for (const key of originKeys) {
    const table = relationKey(key.schema, key.table);
    uniques.set(table, [...(uniques.get(table) ?? []), key]);
  }
  for (const [viewKey, tables] of byView) {
    const view = relations.get(viewKey);
    if (!view) continue;
    for (const table of tables.keys()) {
      for (const key of uniques.get(table) ?? []) {
        const columns = shownAs(viewKey, table, key.columns);
        if (!columns) continue;
        if (key.primary && !view.primaryKey.length) view.primaryKey = columns;
        view.uniqueKeys.push(columns);
      }
    }
  }

  // Foreign keys held by a view, then foreign keys pointing at a view (also from views).
  const viewRelations = [...byView.keys()].map((key) => ({ key, relation: relations.get(key) }));
  const held: ForeignKey[] = [];
  for (const fk of tableKeys)
    for (const { key, relation } of viewRelations) {
      const columns = shownAs(key, relationKey(fk.schema, fk.table), fk.columns);
      if (columns && relation) held.push({ ...fk, schema: relation.schema, table: relation.name, columns });
    }
  const pointing: ForeignKey[] = [];
  for (const fk of [...tableKeys, ...held])
    for (const { key, relation } of viewRelations) {
      const foreignColumns = shownAs(key, relationKey(fk.foreignSchema, fk.foreignTable), fk.foreignColumns);
      if (foreignColumns && relation) pointing.push({ ...fk, foreignSchema: relation.schema, foreignTable: relation.name, foreignColumns });
    }
  return [...tableKeys, ...held, ...pointing];
}
