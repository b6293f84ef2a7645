// The local stack's pg_net worker. Woken by NOTIFY pg_net (sent when a transaction that queued a
// request commits) and by a periodic sweep, it drains net.http_request_queue as pg_net's
// background worker does: per batch of pg_net.batch_size, one transaction deletes the rows, sends
// them all at once, and inserts their responses; responses older than pg_net.ttl are deleted.
// Only committed rows are visible to it, so a rolled-back request is never sent; a batch cut short
// (the stack stopped) rolls back and is sent again later. It works only where the installed pg_net
// is basekit's (its control file's comment says so): the real pg_net sends its own requests.
import type { Sql } from "../../db/connect.ts";
import type { Logger } from "../../log/logger.ts";
import { type QueuedRequest, type ResponseRow, type SendLimits, sendRequest } from "./send-request.ts";

export interface NetWorkerHealth {
  /** basekit's pg_net is installed in the database, so this worker sends its requests. */
  emulated: boolean;
  sent: number;
  failed: number;
  last_error?: string;
}

interface Settings {
  emulated: boolean;
  batch_size: number;
  ttl: string;
}

export class NetWorker {
  private draining?: Promise<void>;
  private wakeAgain = false;
  private readonly stats: NetWorkerHealth = { emulated: false, sent: 0, failed: 0 };

  constructor(
    private readonly sql: Sql,
    private readonly logger: Logger,
    private readonly limits: SendLimits,
  ) {}

  health(): NetWorkerHealth {
    return { ...this.stats };
  }

  /** Drains the queue now, or once more after the drain under way. */
  wake(): void {
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: Error) => {
        // The database is away (restart, db reset) or pg_net is being dropped: the sweep retries.
        this.stats.last_error = error.message;
        this.logger.debug("pg_net queue not drained", { error: error.message });
      })
      .finally(() => {
        this.draining = undefined;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  /** Waits for the drain under way (used when stopping). */
  async idle(): Promise<void> {
    await this.draining;
  }

  private async settings(): Promise<Settings> {
    const [row] = await this.sql<Settings[]>`
      select exists (select from pg_available_extensions where name = 'pg_net' and installed_version is not null and comment like '%basekit%')
               and to_regclass('net.http_request_queue') is not null and to_regclass('net._http_response') is not null as emulated,
             coalesce(nullif(current_setting('pg_net.batch_size', true), ''), '200')::int as batch_size,
             coalesce(nullif(current_setting('pg_net.ttl', true), ''), '6 hours') as ttl`;
    return row;
  }

  private async drain(): Promise<void> {
    const settings = await this.settings();
    this.stats.emulated = settings.emulated;
    if (!settings.emulated) return;
    await this.sql`delete from net._http_response where created < now() - ${settings.ttl}::interval`;
    while ((await this.sendBatch(Math.max(1, settings.batch_size))) > 0) {}
  }

  private sendBatch(batchSize: number): Promise<number> {
    return this.sql.begin(async (tx) => {
      const requests = await tx<QueuedRequest[]>`
        with batch as (select id from net.http_request_queue order by id limit ${batchSize} for update skip locked)
        delete from net.http_request_queue as queue using batch where queue.id = batch.id
        returning queue.id, queue.method, queue.url, queue.headers, queue.body, queue.timeout_milliseconds`;
      if (requests.length === 0) return 0;
      const responses = await Promise.all(requests.map((request) => sendRequest(request, this.limits)));
      await tx`
        insert into net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
        select id, status_code, content_type, headers, content, timed_out, error_msg
        from jsonb_to_recordset(${tx.json(responses as never)}) as r(
          id bigint, status_code int, content_type text, headers jsonb, content text, timed_out bool, error_msg text)`;
      this.record(requests, responses);
      return requests.length;
    });
  }

  private record(requests: QueuedRequest[], responses: ResponseRow[]): void {
    responses.forEach((response, index) => {
      const { id, method, url } = requests[index];
      if (response.error_msg === null) {
        this.stats.sent++;
        this.logger.debug("pg_net request sent", { id, method, url, status: response.status_code });
      } else {
        this.stats.failed++;
        this.logger.info("pg_net request failed", { id, method, url, error: response.error_msg, timed_out: response.timed_out });
      }
    });
  }
}
