// LISTEN on a few channels that survives the database going away (`basekit db reset` drops and
// recreates it; postgres.js re-listens once and gives up if the database is not back yet). Each
// check() sends a heartbeat on a channel of its own; one not heard by the next check means the
// listening connection is gone, so a new one is opened.
import { randomUUID } from "node:crypto";
import { connect, type Sql } from "../db/connect.ts";
import type { Logger } from "../log/logger.ts";

const HEARTBEAT_CHANNEL = "basekit_extensions_heartbeat";

export interface NotificationListenerOptions {
  url: string;
  /** Shown in pg_stat_activity (net.check_worker_is_up() looks for the pg_net worker's). */
  applicationName: string;
  channels: string[];
  onNotify(channel: string, payload: string): void;
  /** After every (re)connection: what was sent while nobody listened is to be looked at. */
  onListening(): void;
  logger: Logger;
}

export class NotificationListener {
  private sql?: Sql;
  private readonly token = randomUUID();
  private heartbeatPending = false;
  private closed = false;

  constructor(private readonly options: NotificationListenerOptions) {}

  async start(): Promise<void> {
    await this.listen().catch((error: Error) =>
      this.options.logger.debug("listen failed; retrying at the next check", { error: error.message }),
    );
  }

  private async listen(): Promise<void> {
    await this.sql?.end({ timeout: 1 }).catch(() => {});
    if (this.closed) return;
    const sql = connect(this.options.url, { max: 1, connection: { application_name: this.options.applicationName } });
    this.sql = sql;
    this.heartbeatPending = false;
    for (const channel of this.options.channels) {
      await sql.listen(channel, (payload) => this.options.onNotify(channel, payload));
    }
    await sql.listen(HEARTBEAT_CHANNEL, (payload) => {
      if (payload === this.token) this.heartbeatPending = false;
    });
    this.options.onListening();
  }

  /** Call periodically: reconnects when the last heartbeat went unheard, then sends the next. */
  async check(): Promise<void> {
    if (this.closed) return;
    if (this.heartbeatPending || !this.sql) await this.listen();
    if (!this.sql) return;
    this.heartbeatPending = true;
    await this.sql.notify(HEARTBEAT_CHANNEL, this.token);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.sql?.end({ timeout: 1 }).catch(() => {});
  }
}
