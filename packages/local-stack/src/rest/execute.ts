// Runs one request's transaction in ONE database round trip: BEGIN, the settings statement, the
// pre-request function, the main statement and COMMIT are written to one pooled `authenticator`
// connection together (pipelined) and their answers read back. Only when the answer must decide
// between COMMIT and ROLLBACK (singular mutations) does a second round trip happen.
import type { ReservedSql, Sql } from "postgres";

/** Applies every key of a JSON object with set_config(key, value, is_local = true). */
const SETTINGS_SQL = "select set_config(k, v, true) from json_each_text($1) as s(k, v)";

export interface MainRow {
  total: string | null;
  page_total: string;
  body: string | null;
  inserted: string | null;
  response_headers: string | null;
  response_status: string | null;
}

export interface TransactionInput {
  readOnly: boolean;
  settings: string;
  /** Qualified, quoted pre-request function, e.g. `"public"."check_request"`. */
  preRequest: string | null;
  statement: string;
  params: (string | null)[];
  /** Decides after the statement whether to commit; omitted = always commit (fully pipelined). */
  decide?: (row: MainRow) => boolean;
}

async function settle(queries: Promise<unknown>[]): Promise<unknown[]> {
  const results = await Promise.allSettled(queries);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value);
}

export async function runTransaction(pool: Sql, input: TransactionInput): Promise<MainRow> {
  const conn: ReservedSql = await pool.reserve();
  try {
    const queries: Promise<unknown>[] = [
      conn.unsafe(input.readOnly ? "begin isolation level read committed read only" : "begin isolation level read committed").execute(),
      conn.unsafe(SETTINGS_SQL, [input.settings]).execute(),
    ];
    if (input.preRequest) queries.push(conn.unsafe(`select ${input.preRequest}()`).execute());
    const main = conn.unsafe<MainRow[]>(input.statement, input.params).execute();
    queries.push(main);
    if (!input.decide) {
      const end = conn.unsafe("commit").execute();
      queries.push(end);
      try {
        await settle(queries);
      } catch (error) {
        await end.catch(() => {});
        throw error;
      }
      return (await main)[0];
    }
    try {
      await settle(queries);
    } catch (error) {
      await conn.unsafe("rollback").catch(() => {});
      throw error;
    }
    const row = (await main)[0];
    await conn.unsafe(input.decide(row) ? "commit" : "rollback");
    return row;
  } finally {
    conn.release();
  }
}
