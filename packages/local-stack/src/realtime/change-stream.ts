// Keeps postgres_changes flowing: starts the replication stream once the database holds what
// Realtime needs, and starts it again, with backoff and a log line per attempt, whenever it ends
// (the database restarted, or `basekit db reset` dropped and recreated it). When the database is
// a new one, the service is told so it can forget what it knew and write its state again.
import type { Sql } from "../db/connect.ts";
import type { Logger } from "../log/logger.ts";
import { ChangeCapture, PUBLICATIONS } from "./postgres-changes-capture.ts";

export interface ChangeStreamOptions {
  sql: Sql;
  capture: ChangeCapture;
  slot: string;
  logger: Logger;
  /** Resolves when the first stream may start (see resume-gate.ts). */
  opened: Promise<void>;
  /** Before every stream but the first; `recreated`: the database was dropped and created again. */
  onReconnect: (recreated: boolean) => Promise<void>;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2000;

class NotReady extends Error {}

export class ChangeStream {
  private stopping = false;
  private wake: () => void = () => {};
  private databaseOid?: number;
  private readonly running: Promise<void>;

  constructor(private readonly options: ChangeStreamOptions) {
    const stopped = new Promise<void>((resolve) => (this.wake = resolve));
    this.running = Promise.race([options.opened, stopped]).then(() => this.run());
  }

  private async run(): Promise<void> {
    const { capture, logger, slot } = this.options;
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        const publications = await this.connect();
        if (this.stopping) break;
        logger.info("streaming changes", { slot, publications, ...(attempt > 1 ? { attempt } : {}) });
        attempt = 0;
        const reason = await capture.ended;
        if (this.stopping) break;
        // Not at once: whoever ended the stream (a reset dropping the database) needs the slot free.
        logger.warn("replication stream ended; reconnecting", { slot, retryInMs: FIRST_RETRY_MS, error: reason.message });
        await this.pause(FIRST_RETRY_MS);
      } catch (error) {
        if (this.stopping) break;
        const wait = Math.min(FIRST_RETRY_MS * 2 ** Math.max(attempt - 1, 0), MAX_RETRY_MS);
        // Without logical replication (an external server with wal_level below logical) the rest
        // of Realtime still works; postgres_changes subscribers receive nothing, and this says why.
        logger.warn("replication not streaming; retrying", { slot, attempt, retryInMs: wait, error: (error as Error).message });
        await this.pause(wait);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => (clearTimeout(timer), resolve());
    });
  }

  /** Checks the database is ready and whether it is the one streamed before, then streams. */
  private async connect(): Promise<string[]> {
    const { sql, capture, slot } = this.options;
    const [state] = await sql<{ oid: number; ready: boolean }[]>`
      select d.oid::int as oid,
             exists (select from pg_catalog.pg_publication where pubname = 'supabase_realtime')
               and to_regprocedure('_realtime.prepare_rls_check(regclass)') is not null as ready
      from pg_catalog.pg_database d where d.datname = current_database()`;
    // During a reset the database exists a moment before its bootstrap has run.
    if (!state?.ready) throw new NotReady("database is not prepared for Realtime yet");
    const reconnect = this.databaseOid !== undefined;
    const recreated = reconnect && this.databaseOid !== state.oid;
    if (reconnect) await this.options.onReconnect(recreated);
    this.databaseOid = state.oid;
    const slotCreated = await ChangeCapture.ensureSlot(sql, slot);
    if (recreated || slotCreated) capture.forgetPositions();
    const existing = await sql<{ pubname: string }[]>`select pubname from pg_catalog.pg_publication where pubname = any(${PUBLICATIONS})`;
    const publications = existing.map((row) => row.pubname);
    await capture.start(publications);
    return publications;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.options.capture.stop();
    await this.running.catch(() => {});
    // A start that was under way when stop began has opened a stream since.
    await this.options.capture.stop();
  }
}
