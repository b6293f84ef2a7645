// A pool of wire connections for the REST hot path. Batches pipeline on the least busy
// connection, up to `pipeline` in flight each, before another connection opens (up to `max`):
// few connections with several batches each mean fewer socket writes and backend wake-ups than
// one connection per request. A connection whose oldest batch is slow (a long query) takes no
// new batches while others can, so one slow request does not hold up the rest. Each batch ends
// its own transaction at its Sync, so batches sharing a connection never wait on each other's
// locks. Idle connections close after a while.
import { ConnectionLostError, type ConnectOptions, type Statement, type StatementResult, WireConnection } from "./connection.ts";

export interface PoolOptions extends ConnectOptions {
  max: number;
  /** Batches in flight on every connection before another one opens (default 8). */
  pipeline?: number;
  /** Milliseconds after which a connection's oldest batch counts as slow (default 20). */
  slowAfter?: number;
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
    if (this.ended) throw new ConnectionLostError("the REST database pool is closed");
    const pipeline = this.options.pipeline ?? 8;
    const slowAfter = this.options.slowAfter ?? 20;
    const now = performance.now();
    let best: WireConnection | undefined;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (let i = this.connections.length - 1; i >= 0; i--) {
      const connection = this.connections[i];
      if (connection.closed) {
        this.connections.splice(i, 1);
        continue;
      }
      // A slow connection ranks behind every connection that can still take batches.
      const load = connection.inFlight + (connection.waiting(now) > slowAfter ? pipeline : 0);
      if (load < bestLoad) {
        best = connection;
        bestLoad = load;
      }
    }
    if (best && (bestLoad < pipeline || this.connections.length >= this.options.max)) return best;
    const opening = this.open();
    // Every connection is full: the new one takes the batch unless a merely busy one can.
    if (best && best.waiting(now) <= slowAfter) {
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
          throw new ConnectionLostError("the REST database pool is closed");
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
    const now = performance.now();
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
