// INSERT / UPSERT / UPDATE / DELETE as one statement: the payload is ONE bound JSON value expanded
// by json_populate_record in Postgres; RETURNING feeds the same read builder that shapes GETs.
import { RestError } from "../errors.ts";
import type { Filter, LogicTree } from "../parse/filters.ts";
import { parseJsonBody } from "../parse/json-body.ts";
import { countsExactly, type Preferences } from "../parse/prefer.ts";
import type { ApiQuery } from "../parse/query-params.ts";
import type { SelectItem } from "../parse/select.ts";
import type { Relation, SchemaCache } from "../schema-cache.ts";
import { assertPathsUsed, buildRead, type ReadContext, rootCondition } from "./build-read.ts";
import { columnExpression, ident, orderTerm, Params, qualified } from "./fragments.ts";
import { type BodyShape, wrapStatement } from "./wrap.ts";

export interface MutationInput {
  cache: SchemaCache;
  relation: Relation;
  query: ApiQuery;
  prefs: Preferences;
  shape: BodyShape;
  stripNulls: boolean;
  /** `vnd.pgrst.object`: the write must touch exactly one row or roll back. */
  singular?: boolean;
  /** `Prefer: max-affected=N` with handling=strict (PATCH/DELETE): more rows roll back. */
  maxAffected?: number;
  /** Apply the root filters to the returned rows (POST, as PostgREST does). */
  applyRootFilters?: boolean;
}

export interface BuiltStatement {
  sql: string;
  params: (string | null)[];
  /** A limited update/delete's limit: more changed rows roll back (PGRST110). */
  maxChanged?: number;
}

function missingColumn(relation: Relation, column: string): RestError {
  return new RestError(400, "PGRST204", `Could not find the '${column}' column of '${relation.name}' in the schema cache`);
}

/** Parses the JSON body into rows, checking keys as PostgREST does. */
export function payloadRows(body: string, relation: Relation, columnsParam: string[] | undefined): { rows: unknown[]; columns: string[] } {
  const parsed = parseJsonBody(body);
  const rows = Array.isArray(parsed) ? parsed : [parsed];
  if (rows.some((r) => r === null || typeof r !== "object" || Array.isArray(r)))
    throw new RestError(400, "PGRST102", "Empty or invalid json");
  let columns: string[];
  if (columnsParam) columns = columnsParam;
  else {
    columns = Object.keys((rows[0] ?? {}) as object);
    const signature = [...columns].sort().join("\u0000");
    if (
      rows.some(
        (r) =>
          Object.keys(r as object)
            .sort()
            .join("\u0000") !== signature,
      )
    )
      throw new RestError(400, "PGRST102", "All object keys must match");
  }
  for (const column of columns) if (!relation.columns.some((c) => c.name === column)) throw missingColumn(relation, column);
  return { rows, columns };
}

function readContext(input: MutationInput, params: Params): ReadContext {
  return { cache: input.cache, params, nodes: input.query.nodes, maxRows: null, counter: 0, usedPaths: new Set() };
}

function returning(input: MutationInput, alias: string): string {
  return input.prefs.return === "representation" || input.prefs.return === "headers-only" ? `${ident(alias)}.*` : "1";
}

/** The SELECT shaping the written rows (`pgrst_source`) as `items`: embeds, embedded modifiers and
 * order. Root filters shape only what an insert returns: updates and deletes already applied them. */
function representation(input: MutationInput, ctx: ReadContext, items: SelectItem[]): string {
  const { relation } = input;
  return buildRead(ctx, { from: `pgrst_source AS ${ident(relation.name)}`, alias: relation.name, relation }, items, {
    path: [],
    applyFilters: input.applyRootFilters === true,
    applyPaging: false,
  }).sql;
}

function finish(
  input: MutationInput,
  ctx: ReadContext,
  cte: string,
  inserted: string | null,
  select: SelectItem[],
  requirePut = false,
  maxChanged?: number,
): BuiltStatement {
  const { relation } = input;
  const wantsRows = input.prefs.return === "representation" || input.prefs.return === "headers-only";
  // Built even when no rows are returned: an embedded filter or modifier the select does not name
  // is refused (PGRST108) whatever the Prefer header says, never silently left out of the write.
  const checked = readContext(input, new Params());
  representation(input, checked, select);
  assertPathsUsed(checked);
  let rows = "SELECT * FROM pgrst_source";
  if (wantsRows) {
    const items: SelectItem[] =
      input.prefs.return === "headers-only" ? relation.primaryKey.map((name) => ({ kind: "field", name, json: [] }) as SelectItem) : select;
    rows = representation(input, ctx, items);
  }
  const sql = wrapStatement({
    ctes: [`pgrst_source AS (${cte})`],
    rows,
    shape: wantsRows ? input.shape : "none",
    stripNulls: input.stripNulls,
    countSql: countsExactly(input.prefs) ? "SELECT 1 FROM pgrst_source" : null,
    inserted,
    requireOne: input.singular && !requirePut,
    requirePut,
    maxAffected: input.maxAffected,
    maxChanged,
  });
  return { sql, params: ctx.params.values, maxChanged };
}

export function buildInsert(input: MutationInput, body: string): BuiltStatement {
  const { relation, query, prefs } = input;
  const params = new Params();
  const ctx = readContext(input, params);
  const { rows, columns } = payloadRows(body, relation, query.columns);
  const table = `${qualified(relation.schema, relation.name)} AS ${ident(relation.name)}`;
  const ret = returning(input, relation.name);
  const conflictTarget = query.onConflict ?? relation.primaryKey;
  for (const c of conflictTarget) if (!relation.columns.some((col) => col.name === c)) throw missingColumn(relation, c);
  const upsert = prefs.resolution !== undefined && conflictTarget.length > 0;
  let cte: string;
  if (rows.length === 0) cte = `SELECT ${ret === "1" ? "1" : "*"} FROM ${table} WHERE false`;
  else if (columns.length === 0) {
    if (rows.length > 1) throw new RestError(400, "PGRST102", "Empty or invalid json");
    cte = `INSERT INTO ${table} DEFAULT VALUES RETURNING ${ret}`;
  } else {
    const payload = params.add(JSON.stringify(rows));
    const values = columns.map((name) => {
      const value = `pgrst_body.${ident(name)}`;
      if (prefs.missing !== "default") return value;
      const fallback = relation.columns.find((c) => c.name === name)?.default ?? "NULL";
      return `CASE WHEN pgrst_payload.j::jsonb ? ${params.add(name)}::text THEN ${value} ELSE ${fallback} END`;
    });
    let conflict = "";
    if (upsert) {
      const target = conflictTarget.map(ident).join(", ");
      const updates = columns.map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`);
      conflict =
        prefs.resolution === "ignore-duplicates" || updates.length === 0
          ? ` ON CONFLICT (${target}) DO NOTHING`
          : ` ON CONFLICT (${target}) DO UPDATE SET ${updates.join(", ")}`;
    }
    const inserted = upsert ? `, (${ident(relation.name)}.xmax = 0) AS pgrst_inserted` : "";
    cte =
      `INSERT INTO ${table} (${columns.map(ident).join(", ")}) ` +
      `SELECT ${values.join(", ")} FROM json_array_elements(${payload}::json) AS pgrst_payload(j), ` +
      `LATERAL json_populate_record(NULL::${qualified(relation.schema, relation.name)}, pgrst_payload.j) AS pgrst_body` +
      `${conflict} RETURNING ${ret}${inserted}`;
  }
  const inserted = upsert && rows.length && columns.length ? "(SELECT count(*) FROM pgrst_source WHERE pgrst_inserted)::text" : null;
  return finish(input, ctx, cte, inserted, query.select);
}

/** The rows a PATCH/DELETE changes: `from` joins into the statement, `where` selects them. */
interface MutationScope {
  from: string | null;
  where: string;
  maxChanged?: number;
}

/** The root filters and, with `limit`/`offset` (only with an `order`, see parameter-scope.ts), only
 * the first rows of that order, joined back on the order's columns as PostgREST 10-12 did. An order
 * on columns that are not unique can match more rows than the limit: that rolls back (PGRST110). */
function mutationScope(ctx: ReadContext, relation: Relation, query: ApiQuery, verb: string): MutationScope {
  const root = query.nodes.get("") ?? { filters: [] };
  const source = { from: "", alias: relation.name, relation };
  const conditions = root.filters.map((f: Filter | LogicTree) => rootCondition(ctx, source, f));
  const limited = root.limit !== undefined || root.offset !== undefined;
  if (!limited) {
    if (!conditions.length) throw new RestError(400, "21000", `${verb} requires a WHERE clause`);
    return { from: null, where: conditions.join(" AND ") };
  }
  const terms = root.order ?? [];
  if (terms.some((term) => term.relation !== undefined))
    throw new RestError(400, "PGRST127", "Feature not implemented", "A limited update or delete cannot be ordered by an embedded resource");
  const alias = ident(relation.name);
  const order = terms.map((term) => orderTerm(term, columnExpression(relation.name, relation, term.column, term.json, ctx.params)));
  const keys = [...new Set(terms.map((term) => term.column))];
  let paging = "";
  if (root.limit !== undefined) paging += ` LIMIT ${ctx.params.add(String(root.limit))}::bigint`;
  if (root.offset !== undefined) paging += ` OFFSET ${ctx.params.add(String(root.offset))}::bigint`;
  const filtered = conditions.length ? ` WHERE ${conditions.join(" AND ")}` : "";
  const from =
    `(SELECT ${keys.map((k) => `${alias}.${ident(k)}`).join(", ")} FROM ${qualified(relation.schema, relation.name)} AS ${alias}` +
    `${filtered} ORDER BY ${order.join(", ")}${paging}) AS pgrst_affected_rows`;
  const join = keys.map((k) => `${alias}.${ident(k)} = pgrst_affected_rows.${ident(k)}`);
  return { from, where: [...conditions, ...join].join(" AND "), maxChanged: root.limit };
}

export function buildUpdate(input: MutationInput, body: string): BuiltStatement {
  const { relation, query } = input;
  const params = new Params();
  const ctx = readContext(input, params);
  const { rows, columns } = payloadRows(body, relation, query.columns);
  // One set of new values: with several, which one a row gets would be arbitrary.
  if (rows.length > 1)
    throw new RestError(400, "PGRST102", "Empty or invalid json", `A PATCH body holds one object, not an array of ${rows.length}`);
  const row = rows[0] ?? {};
  const table = `${qualified(relation.schema, relation.name)} AS ${ident(relation.name)}`;
  // `{}` changes nothing: the scope is still checked, but its binds stay out of the statement.
  const scope = mutationScope(columns.length ? ctx : readContext(input, new Params()), relation, query, "UPDATE");
  const cte =
    columns.length === 0
      ? `SELECT ${returning(input, relation.name) === "1" ? "1" : "*"} FROM ${table} WHERE false`
      : `UPDATE ${table} SET ${columns.map((c) => `${ident(c)} = pgrst_body.${ident(c)}`).join(", ")} ` +
        `FROM json_populate_record(NULL::${qualified(relation.schema, relation.name)}, ${params.add(JSON.stringify(row))}::json) AS pgrst_body` +
        `${scope.from ? `, ${scope.from}` : ""} WHERE ${scope.where} RETURNING ${returning(input, relation.name)}`;
  return finish(input, ctx, cte, null, query.select, false, scope.maxChanged);
}

export function buildDelete(input: MutationInput): BuiltStatement {
  const { relation, query } = input;
  const params = new Params();
  const ctx = readContext(input, params);
  const scope = mutationScope(ctx, relation, query, "DELETE");
  const cte =
    `DELETE FROM ${qualified(relation.schema, relation.name)} AS ${ident(relation.name)}${scope.from ? ` USING ${scope.from}` : ""} ` +
    `WHERE ${scope.where} RETURNING ${returning(input, relation.name)}`;
  return finish(input, ctx, cte, null, query.select, false, scope.maxChanged);
}

/** PUT's filters: `eq` on each primary key column, nothing else (PGRST105); no limit/offset (PGRST114). */
function putFilters(relation: Relation, query: ApiQuery): Filter[] {
  const root = query.nodes.get("") ?? { filters: [] };
  if (root.limit !== undefined || root.offset !== undefined)
    throw new RestError(400, "PGRST114", "limit/offset querystring parameters are not allowed for PUT");
  const invalid = () => new RestError(405, "PGRST105", "Filters must include all and only primary key columns with 'eq' operators");
  for (const [key, mods] of query.nodes) if (key !== "" && mods.filters.length) throw invalid();
  const filters: Filter[] = [];
  for (const f of root.filters) {
    if (f.kind !== "filter" || f.negated || f.json.length || f.operation.kind !== "op" || f.operation.op !== "eq" || f.operation.quantifier)
      throw invalid();
    filters.push(f);
  }
  const named = new Set(filters.map((f) => f.column));
  if (!relation.primaryKey.length || named.size !== relation.primaryKey.length || relation.primaryKey.some((k) => !named.has(k)))
    throw invalid();
  return filters;
}

/** PUT: insert one row or replace the one with the URL's primary key (ON CONFLICT on the key). The
 * payload's key must equal the URL's, else nothing is written and the statement fails (PGRST115). */
export function buildPut(input: MutationInput, body: string): BuiltStatement {
  const { relation, query } = input;
  const filters = putFilters(relation, query);
  const params = new Params();
  const ctx = readContext(input, params);
  const { rows, columns } = payloadRows(body, relation, query.columns);
  if (rows.length === 0 || columns.length === 0)
    throw new RestError(400, "PGRST115", "Payload values do not match URL in primary key column(s)");
  const table = `${qualified(relation.schema, relation.name)} AS ${ident(relation.name)}`;
  const source = { from: "", alias: "pgrst_body", relation };
  const where = filters.map((f) => rootCondition(ctx, source, f)).join(" AND ");
  const updates = columns.map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`).join(", ");
  const cte =
    `INSERT INTO ${table} (${columns.map(ident).join(", ")}) ` +
    `SELECT ${columns.map((c) => `pgrst_body.${ident(c)}`).join(", ")} FROM json_array_elements(${params.add(JSON.stringify(rows))}::json) AS pgrst_payload(j), ` +
    `LATERAL json_populate_record(NULL::${qualified(relation.schema, relation.name)}, pgrst_payload.j) AS pgrst_body WHERE ${where} ` +
    `ON CONFLICT (${relation.primaryKey.map(ident).join(", ")}) DO UPDATE SET ${updates} ` +
    `RETURNING ${returning(input, relation.name)}, (${ident(relation.name)}.xmax = 0) AS pgrst_inserted`;
  return finish(input, ctx, cte, "(SELECT count(*) FROM pgrst_source WHERE pgrst_inserted)::text", query.select, true);
}
