// Logical decoding hands a transaction on as soon as its commit record is flushed, a moment before
// the committing session leaves the ProcArray; until then new snapshots still see it in progress.
// Under load that moment lasts: a client told of a change (a broadcast, a postgres_changes event)
// that fetches at once, or the RLS check of the change itself, did not find the row. So a captured
// transaction is delivered only once a new snapshot sees it committed.
import type { Sql } from "../db/connect.ts";

const FIRST_WAIT_MS = 2;
const MAX_WAIT_MS = 50;

/** Resolves when `xid` (a committed transaction's 32-bit id, from pgoutput's BEGIN) is visible. */
export async function untilCommitVisible(sql: Sql, xid: number, stopped: () => boolean = () => false): Promise<void> {
  for (let wait = FIRST_WAIT_MS; !stopped(); wait = Math.min(wait * 2, MAX_WAIT_MS)) {
    // The 32-bit id is widened with the epoch of the current snapshot's xmax (the one before it when
    // the id is above xmax's low half: it was assigned before the counter wrapped).
    const [{ visible }] = await sql<{ visible: boolean }[]>`
      select pg_catalog.pg_visible_in_snapshot(
               (((xmax >> 32) - (case when ${xid}::bigint > (xmax & 4294967295) then 1 else 0 end)) << 32 | ${xid}::bigint)::text::xid8,
               snap) as visible
      from (select s as snap, pg_catalog.pg_snapshot_xmax(s)::text::bigint as xmax
            from pg_catalog.pg_current_snapshot() as s) as current`;
    if (visible) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
