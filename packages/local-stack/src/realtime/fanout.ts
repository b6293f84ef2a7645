// Fan-out between stack instances serving one database: broadcasts and presence diffs are
// delivered locally at once and relayed to the other instances with NOTIFY. Payloads too large for
// a notification (8000 bytes) are stored in _realtime.relay and announced by id. Notifications
// are heard on a connection of their own, opened afresh by `relisten` after the database restarted
// (postgres.js gives up re-listening if the database is not back yet).
import { randomUUID } from "node:crypto";
import type { Sql } from "../db/connect.ts";
import type { Logger } from "../log/logger.ts";

export const FANOUT_CHANNEL = "basekit_realtime";
const MAX_NOTIFY_BYTES = 7900;

export type RelayMessage =
  | { kind: "broadcast"; route: string; event: string; payload: unknown; binary?: string; meta?: Record<string, unknown> }
  | { kind: "presence"; route: string; joins: Record<string, unknown>; leaves: Record<string, unknown> };

interface Envelope {
  origin: string;
  message?: RelayMessage;
  relayId?: number;
}

export class Fanout {
  /** Identifies this process's service, so it ignores its own notifications. */
  readonly origin = randomUUID();
  private listener?: Sql;
  private cleanup?: NodeJS.Timeout;

  constructor(
    private readonly sql: Sql,
    private readonly logger: Logger,
    private readonly deliver: (message: RelayMessage) => void,
    /** Opens the connection notifications are heard on. */
    private readonly openListener: () => Sql,
  ) {}

  private async listen(): Promise<void> {
    const listener = this.openListener();
    this.listener = listener;
    await listener.listen(FANOUT_CHANNEL, (text) => {
      this.receive(text).catch((error: Error) => this.logger.error("realtime relay failed", { error: error.message }));
    });
  }

  /** Listens again on a new connection (the database restarted or was recreated). */
  async relisten(): Promise<void> {
    await this.listener?.end({ timeout: 1 }).catch(() => {});
    await this.listen();
  }

  async start(): Promise<void> {
    await this.listen();
    this.cleanup = setInterval(() => {
      this.sql`delete from _realtime.relay where created_at < now() - interval '1 minute'`.catch(() => {});
    }, 30_000);
    this.cleanup.unref();
  }

  async publish(message: RelayMessage): Promise<void> {
    const text = JSON.stringify({ origin: this.origin, message } satisfies Envelope);
    if (Buffer.byteLength(text) <= MAX_NOTIFY_BYTES) {
      await this.sql.notify(FANOUT_CHANNEL, text);
      return;
    }
    const [row] = await this.sql<
      { id: number }[]
    >`insert into _realtime.relay (message) values (${this.sql.json(message as never)}) returning id`;
    await this.sql.notify(FANOUT_CHANNEL, JSON.stringify({ origin: this.origin, relayId: Number(row.id) } satisfies Envelope));
  }

  private async receive(text: string): Promise<void> {
    const envelope = JSON.parse(text) as Envelope;
    if (envelope.origin === this.origin) return;
    if (envelope.message) return this.deliver(envelope.message);
    if (envelope.relayId !== undefined) {
      const [row] = await this.sql<{ message: RelayMessage }[]>`select message from _realtime.relay where id = ${envelope.relayId}`;
      if (row) this.deliver(row.message);
    }
  }

  async close(): Promise<void> {
    if (this.cleanup) clearInterval(this.cleanup);
    await this.listener?.end({ timeout: 1 }).catch(() => {});
  }
}
