// The outer statement every request runs: a CTE producing the rows, then ONE result row holding
// the total count, the page size, the JSON (or CSV) body built by Postgres, and the
// response.headers / response.status a function may have set. A singular write (`requireOne`), a
// PUT touching other than one row, a write over `max-affected` or a limited update/delete changing
// more rows than its limit fails inside the statement, rolling the transaction back without a
// second round trip.
import { randomBytes } from "node:crypto";
export type BodyShape = "array" | "object" | "csv" | "none" | "scalar" | "scalar-set";

export interface WrapInput {
  /** `pgrst_source AS (...)` and any other CTEs. */
  ctes: string[];
  /** A SELECT producing the rows of the answer (as `_t`). */
  rows: string;
  shape: BodyShape;
  stripNulls?: boolean;
  /** A SELECT whose row count is the total (Prefer: count), or null. */
  countSql?: string | null;
  /** Expression counting rows an upsert inserted, or null. */
  inserted?: string | null;
  /** Raise (see rowCheckFailure) unless exactly one row: writes with `vnd.pgrst.object`. */
  requireOne?: boolean;
  /** Raise unless exactly one row: PUT (PGRST115). */
  requirePut?: boolean;
  /** Raise when more rows than this: `Prefer: max-affected=N` with handling=strict (PGRST124). */
  maxAffected?: number;
  /** Raise when the write changed more rows than this: a limited update/delete (PGRST110). */
  maxChanged?: number;
}

export type RowCheck = "singular" | "put" | "max-affected" | "limit";

/** Per process, so no value a client sends can forge the failure below. */
const SINGULAR_MARKER = `pgrst_singular_${randomBytes(8).toString("hex")}:`;

/** page_total, or an error (22P02 naming the marker, the failed check and the row count). */
function checkedPageTotal(input: WrapInput): string {
  const fail = (check: RowCheck, rows = "count(_t)") => `('${SINGULAR_MARKER}${check}:' || ${rows})::integer::text`;
  const cases: string[] = [];
  if (input.requireOne) cases.push(`WHEN count(_t) <> 1 THEN ${fail("singular")}`);
  if (input.requirePut) cases.push(`WHEN count(_t) <> 1 THEN ${fail("put")}`);
  // Bound-free literals: the limits are parsed integers, never client text.
  if (input.maxAffected !== undefined) cases.push(`WHEN count(_t) > ${Math.trunc(input.maxAffected)} THEN ${fail("max-affected")}`);
  // Every changed row counts, also those an `!inner` embed leaves out of the answer.
  if (input.maxChanged !== undefined) {
    const changed = "(SELECT count(*) FROM pgrst_source)";
    cases.push(`WHEN ${changed} > ${Math.trunc(input.maxChanged)} THEN ${fail("limit", changed)}`);
  }
  if (!cases.length) return "count(_t)::text";
  return `CASE ${cases.join(" ")} ELSE count(_t)::text END`;
}

/** The failed check and row count when a database error is one raised by checkedPageTotal. */
export function rowCheckFailure(error: { code?: string; message: string }): { check: RowCheck; rows: number } | null {
  if (error.code !== "22P02") return null;
  const at = error.message.indexOf(SINGULAR_MARKER);
  if (at < 0) return null;
  const match = /^(singular|put|max-affected|limit):(\d+)/.exec(error.message.slice(at + SINGULAR_MARKER.length));
  return match ? { check: match[1] as RowCheck, rows: Number(match[2]) } : null;
}

/** The row count when a database error is the raised singular failure, else null. */
export function singularFailure(error: { code?: string; message: string }): number | null {
  const failure = rowCheckFailure(error);
  return failure?.check === "singular" ? failure.rows : null;
}

// CSV as PostgREST writes it: the first row's keys, then each row's record text without its
// parentheses (PostgreSQL's quoting: fields with commas, quotes, parentheses, backslashes or
// whitespace in double quotes, NULL as nothing, booleans t/f); "\n" alone when there are no rows.
const CSV_HEADER = "coalesce((SELECT string_agg(k, ',') FROM json_object_keys(json_agg(_t)->0) AS k), '')";
const CSV_ROWS = "coalesce(string_agg(substring(_t::text, 2, length(_t::text) - 2), E'\\n'), '')";

/** nulls=stripped: object fields holding null are dropped, at any depth. */
const strip = (json: string, stripNulls: boolean) => (stripNulls ? `json_strip_nulls(${json})` : json);

function bodyExpression(shape: BodyShape, stripNulls: boolean): string {
  const row = stripNulls ? "json_strip_nulls(row_to_json(_t))" : "_t";
  switch (shape) {
    case "array":
      return `coalesce(json_agg(${row}), '[]')::text`;
    case "object":
      return `coalesce(json_agg(${row})->0, 'null')::text`;
    case "scalar":
      return `coalesce(${strip("json_agg(_t.pgrst_scalar)->0", stripNulls)}, 'null')::text`;
    case "scalar-set":
      return `coalesce(${strip("json_agg(_t.pgrst_scalar)", stripNulls)}, '[]')::text`;
    case "csv":
      return `${CSV_HEADER} || E'\\n' || ${CSV_ROWS}`;
    case "none":
      return "NULL::text";
  }
}

export function wrapStatement(input: WrapInput): string {
  const total = input.countSql ? `(SELECT count(*) FROM (${input.countSql}) AS _c)::text` : "NULL::text";
  return [
    `WITH ${input.ctes.join(", ")}`,
    `SELECT ${total} AS total, ${checkedPageTotal(input)} AS page_total, ${bodyExpression(input.shape, input.stripNulls ?? false)} AS body,`,
    `${input.inserted ?? "NULL::text"} AS inserted,`,
    "nullif(current_setting('response.headers', true), '') AS response_headers,",
    "nullif(current_setting('response.status', true), '') AS response_status",
    `FROM (${input.rows}) AS _t`,
  ].join(" ");
}
