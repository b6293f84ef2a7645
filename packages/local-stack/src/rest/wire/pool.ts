// A pool of wire connections for the REST hot path. A batch goes to the least busy connection;
// while every connection is busy a new one is opened (up to `max`), and past that batches
// pipeline on the least busy one. Each batch ends its own transaction at its Sync, so batches
// sharing a connection never wait on each other's locks. Idle connections close after a while.
import { type ConnectOptions, type Statement, type StatementResult, WireConnection } from "./connection.ts";

export interface PoolOptions extends ConnectOptions {
  max: number;
  /** Seconds an idle connection stays open (one is always kept). */
  idleTimeout?: number;
}

export class WirePool {
  private readonly connections: WireConnection[] = [];
  private opening: Promise<WireConnection> | null = null;
  private readonly sweeper: NodeJS.Timeout;
  private ended = false;

  constructor(private readonly options: PoolOptions) {
    const idleMs = (options.idleTimeout ?? 60) * 1000;
    this.sweeper = setInterval(() => this.closeIdle(idleMs), Math.min(idleMs, 10_000));
    this.sweeper.unref();
  }

  /** Runs the statements as one implicit transaction; a batch hit by a stale statement runs again once. */
  async run(statements: readonly Statement[]): Promise<StatementResult[]> {
    try {
      return await (await this.acquire()).run(statements);
    } catch (error) {
      if (!(error as { retryable?: boolean }).retryable) throw error;
      return (await this.acquire()).run(statements);
    }
  }

  private acquire(): WireConnection | Promise<WireConnection> {
    if (this.ended) throw new Error("the REST database pool is closed");
    let best: WireConnection | undefined;
    for (let i = this.connections.length - 1; i >= 0; i--) {
      const connection = this.connections[i];
      if (connection.closed) {
        this.connections.splice(i, 1);
        continue;
      }
      if (!best || connection.inFlight < best.inFlight) best = connection;
    }
    if (best && (best.inFlight === 0 || this.opening || this.connections.length >= this.options.max)) return best;
    const opening = this.open();
    if (best) {
      opening.catch(() => {});
      return best;
    }
    return opening;
  }

  private open(): Promise<WireConnection> {
    if (this.opening) return this.opening;
    this.opening = WireConnection.connect(this.options)
      .then((connection) => {
        if (this.ended) {
          void connection.close();
          throw new Error("the REST database pool is closed");
        }
        this.connections.push(connection);
        return connection;
      })
      .finally(() => {
        this.opening = null;
      });
    return this.opening;
  }

  private closeIdle(idleMs: number): void {
    const now = Date.now();
    for (const connection of [...this.connections]) {
      if (this.connections.length <= 1) return;
      if (connection.inFlight === 0 && now - connection.lastUsed > idleMs) {
        this.connections.splice(this.connections.indexOf(connection), 1);
        void connection.close();
      }
    }
  }

  async end(): Promise<void> {
    this.ended = true;
    clearInterval(this.sweeper);
    await this.opening?.catch(() => {});
    await Promise.all(this.connections.splice(0).map((c) => c.close()));
  }
}
