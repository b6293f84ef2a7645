// Runs one request's transaction in ONE database round trip and ONE implicit transaction: the
// settings statement, the pre-request function and the main statement go out as Bind/Execute
// pairs closed by a single Sync on a pooled `authenticator` wire connection. The Sync commits;
// any error rolls everything back, set_config(..., true) values included. A singular write that
// must roll back raises from inside the main statement (see sql/wrap.ts), so it needs no second trip.
// `Prefer: count=planned|estimated` adds the planner's EXPLAIN to the same batch, after the main one.
// A transaction that must not persist (`Prefer: tx=rollback`) is wrapped in BEGIN ... ROLLBACK.
import type { Statement } from "./wire/connection.ts";
import type { WirePool } from "./wire/pool.ts";

const settingsStatements: string[] = [];

/** `select set_config($1, $2, true), ...` for `pairs` name/value pairs (names are bound too). */
function settingsSql(pairs: number): string {
  let sql = settingsStatements[pairs];
  if (!sql) {
    const calls = Array.from({ length: pairs }, (_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
    sql = `select ${calls.join(", ")}`;
    settingsStatements[pairs] = sql;
  }
  return sql;
}

export interface MainRow {
  total: string | null;
  page_total: string;
  body: string | null;
  inserted: string | null;
  response_headers: string | null;
  response_status: string | null;
  /** The planner's row estimate (from `explain`), when one was asked for. */
  planned?: number | null;
}

export interface TransactionInput {
  /** Name, value, name, value... (see request-context.ts). */
  settings: string[];
  /** Qualified, quoted pre-request function, e.g. `"public"."check_request"`. */
  preRequest: string | null;
  statement: string;
  params: (string | null)[];
  /** An `EXPLAIN (FORMAT JSON) ...` run after the statement with the same parameters. */
  explain?: string | null;
  /** End in ROLLBACK instead of the Sync's commit (`db-tx-end`, `Prefer: tx=rollback`). */
  rollback?: boolean;
}

/** `Plan Rows` of the top plan node in EXPLAIN (FORMAT JSON) output. */
function planRows(json: string | null | undefined): number | null {
  if (!json) return null;
  const rows = (JSON.parse(json) as { Plan?: { "Plan Rows"?: unknown } }[])[0]?.Plan?.["Plan Rows"];
  return typeof rows === "number" ? Math.trunc(rows) : null;
}

export async function runTransaction(pool: WirePool, input: TransactionInput): Promise<MainRow> {
  const statements: Statement[] = [];
  // BEGIN turns the implicit transaction into an explicit one that the closing ROLLBACK ends,
  // still in the same round trip.
  if (input.rollback) statements.push({ sql: "begin", params: [] });
  statements.push({ sql: settingsSql(input.settings.length / 2), params: input.settings });
  if (input.preRequest) statements.push({ sql: `select ${input.preRequest}()`, params: [] });
  statements.push({ sql: input.statement, params: input.params });
  const main = statements.length - 1;
  if (input.explain) statements.push({ sql: input.explain, params: input.params });
  if (input.rollback) statements.push({ sql: "rollback", params: [] });
  const results = await pool.run(statements);
  const { columns, rows } = results[main];
  const values = rows[0];
  const row: Record<string, string | null> = {};
  for (let i = 0; i < columns.length; i++) row[columns[i]] = values[i];
  const result = row as unknown as MainRow;
  if (input.explain) result.planned = planRows(results[main + 1].rows[0]?.[0]);
  return result;
}
