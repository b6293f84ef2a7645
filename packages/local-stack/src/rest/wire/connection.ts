// One PostgreSQL connection speaking the extended query protocol for the REST hot path. A batch
// of statements is sent as Bind/Execute pairs closed by ONE Sync, so the batch is one implicit
// transaction (committed at the Sync, rolled back whole on any error) with no BEGIN or COMMIT.
// Statements are prepared once per connection (Parse + Describe on first use, then Bind only);
// values are always bound as text and results read as text. Batches pipeline: several may be in
// flight, answered in order.
import { createHash } from "node:crypto";
import { connect as connectTcp, type Socket } from "node:net";
import {
  BACKEND,
  MessageWriter,
  readDataRow,
  readErrorFields,
  readRowDescription,
  type ServerError,
  writeBind,
  writeCloseStatement,
  writeDescribeStatement,
  writeExecute,
  writeParse,
  writePassword,
  writeSaslInitial,
  writeStartup,
  writeSync,
  writeTerminate,
} from "./messages.ts";
import { SCRAM_MECHANISM, type ScramExchange, startScram } from "./scram.ts";

export interface ConnectOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  applicationName?: string;
  /** Prepared statements kept per connection before the oldest are closed. */
  maxStatements?: number;
}

/** Connection options from a `postgresql://user:password@host:port/database` URL. */
export function optionsFromUrl(url: string, applicationName?: string): ConnectOptions {
  const parsed = new URL(url);
  return {
    host: parsed.searchParams.get("host") ?? (parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1"),
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)) || decodeURIComponent(parsed.username),
    applicationName,
  };
}

/** An error the server reported, shaped like postgres.js's PostgresError (same field names). */
// The class gets the server's fields (severity, code, detail, hint, position, ...) from the
// interface of the same name, so they are declared once, in ServerError.
export interface PostgresServerError extends Omit<ServerError, "message"> {}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class PostgresServerError extends Error {
  override name = "PostgresError";
  /** The batch failed only because a cached statement went stale; running it again is safe. */
  retryable = false;

  constructor(fields: ServerError) {
    super(fields.message);
    Object.assign(this, fields);
  }
}

/** The database could not be reached or the connection broke (not an error the server reported). */
export class ConnectionLostError extends Error {
  override name = "ConnectionLostError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface Statement {
  sql: string;
  params: readonly (string | null)[];
}

export interface StatementResult {
  columns: string[];
  rows: (string | null)[][];
}

interface Prepared {
  name: string;
  /** Filled from the Describe answer; null until it arrives. */
  columns: string[] | null;
  confirmed: boolean;
  /** Why its Parse failed: batches that bound it meanwhile fail with the same error. */
  parseError?: ServerError;
}

interface Batch {
  prepared: Prepared[];
  /** Statements this batch sent Parse for. */
  parsedHere: Set<Prepared>;
  rows: (string | null)[][][];
  index: number;
  error?: ServerError;
  failedAt: number;
  sentAt: number;
  resolve(results: StatementResult[]): void;
  reject(error: Error): void;
}

export class WireConnection {
  private readonly statements = new Map<string, Prepared>();
  private readonly queue: Batch[] = [];
  private readonly writer = new MessageWriter();
  private readonly maxStatements: number;
  private counter = 0;
  private pending: Buffer[] = [];
  private pendingSize = 0;
  private needed = 0;
  private flushing = false;
  private startup?: { resolve(): void; reject(error: Error): void; scram?: ScramExchange };
  closed = false;
  /** performance.now() of the last batch sent. */
  lastUsed = performance.now();

  private constructor(
    private readonly socket: Socket,
    private readonly options: ConnectOptions,
  ) {
    this.maxStatements = options.maxStatements ?? 500;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", (error) => this.fail(new ConnectionLostError(error.message, { cause: error })));
    socket.on("close", () => this.fail(new ConnectionLostError("database connection closed")));
  }

  static connect(options: ConnectOptions): Promise<WireConnection> {
    return new Promise((resolve, reject) => {
      const socket = options.host.startsWith("/")
        ? connectTcp({ path: `${options.host}/.s.PGSQL.${options.port}` })
        : connectTcp({ host: options.host, port: options.port });
      const connection = new WireConnection(socket, options);
      connection.startup = { resolve: () => resolve(connection), reject };
      socket.once("connect", () => {
        const parameters: Record<string, string> = { user: options.user, database: options.database, client_encoding: "UTF8" };
        if (options.applicationName) parameters.application_name = options.applicationName;
        writeStartup(connection.writer, parameters);
        socket.write(connection.writer.take());
      });
    });
  }

  /** Batches sent and not yet answered. */
  get inFlight(): number {
    return this.queue.length;
  }

  /** Milliseconds the oldest unanswered batch has been waiting (0 when idle). */
  waiting(now: number): number {
    return this.queue.length ? now - this.queue[0].sentAt : 0;
  }

  /** Runs the statements as one implicit transaction (one Sync). */
  run(statements: readonly Statement[]): Promise<StatementResult[]> {
    if (this.closed) return Promise.reject(new ConnectionLostError("database connection closed"));
    // Statement text goes out NUL-terminated: a NUL inside would desynchronise the connection,
    // failing every batch pipelined on it. Refused before anything reaches the shared writer.
    if (statements.some((statement) => statement.sql.includes("\0")))
      return Promise.reject(new TypeError("SQL statement text cannot contain a NUL character"));
    const now = performance.now();
    this.lastUsed = now;
    const w = this.writer;
    const prepared: Prepared[] = [];
    const parsedHere = new Set<Prepared>();
    for (const statement of statements) {
      let entry = this.statements.get(statement.sql);
      if (!entry) {
        entry = { name: `r${++this.counter}`, columns: null, confirmed: false };
        if (this.statements.size >= this.maxStatements) this.evictOldest();
        this.statements.set(statement.sql, entry);
        writeParse(w, entry.name, statement.sql);
        writeDescribeStatement(w, entry.name);
        parsedHere.add(entry);
      }
      prepared.push(entry);
      writeBind(w, entry.name, statement.params);
      writeExecute(w);
    }
    writeSync(w);
    this.scheduleFlush();
    return new Promise((resolve, reject) => {
      this.queue.push({ prepared, parsedHere, rows: prepared.map(() => []), index: 0, failedAt: -1, sentAt: now, resolve, reject });
    });
  }

  /** Closes the least recently prepared statement; its Close goes out before this batch's Parse. */
  private evictOldest(): void {
    const [sql, entry] = this.statements.entries().next().value as [string, Prepared];
    this.statements.delete(sql);
    writeCloseStatement(this.writer, entry.name);
  }

  /** Batches queued in the same event-loop turn (e.g. requests read from several client sockets)
   * accumulate in the writer and leave in one write: loopback writes are a large share of a small
   * request's cost. */
  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      if (!this.closed && this.writer.size) this.socket.write(this.writer.take());
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    // Batches still in the writer go out before the Terminate.
    writeTerminate(this.writer);
    return new Promise((resolve) => {
      this.socket.once("close", () => resolve());
      this.socket.end(this.writer.take());
    });
  }

  private fail(error: Error): void {
    this.closed = true;
    this.startup?.reject(error);
    this.startup = undefined;
    // A batch the server answered with a FATAL error (shutdown, terminated backend) gets that error.
    for (const batch of this.queue.splice(0)) batch.reject(batch.error ? new PostgresServerError(batch.error) : error);
    this.socket.destroy();
  }

  /** Splits the stream into messages; a message cut between chunks is joined once complete. */
  private receive(chunk: Buffer): void {
    if (this.pendingSize) {
      this.pending.push(chunk);
      this.pendingSize += chunk.length;
      if (this.pendingSize < this.needed) return;
      chunk = Buffer.concat(this.pending, this.pendingSize);
      this.pending = [];
      this.pendingSize = 0;
    }
    let at = 0;
    while (chunk.length - at >= 5) {
      const end = at + 1 + chunk.readInt32BE(at + 1);
      if (end > chunk.length) break;
      try {
        this.handle(chunk[at], chunk.subarray(at + 5, end));
      } catch (error) {
        this.fail(error as Error);
        return;
      }
      at = end;
    }
    if (at < chunk.length) {
      const rest = chunk.subarray(at);
      this.pending = [rest];
      this.pendingSize = rest.length;
      this.needed = rest.length >= 5 ? 1 + rest.readInt32BE(1) : 5;
    }
  }

  private handle(type: number, body: Buffer): void {
    if (this.startup) {
      this.handleStartup(type, body);
      return;
    }
    const batch = this.queue[0];
    switch (type) {
      case BACKEND.dataRow:
        batch.rows[batch.index].push(readDataRow(body));
        return;
      case BACKEND.commandComplete:
      case BACKEND.emptyQuery:
        batch.index++;
        return;
      case BACKEND.parseComplete:
        batch.prepared[batch.index].confirmed = true;
        return;
      case BACKEND.rowDescription:
        batch.prepared[batch.index].columns = readRowDescription(body);
        return;
      case BACKEND.noData:
        batch.prepared[batch.index].columns = [];
        return;
      case BACKEND.error:
        batch.error = readErrorFields(body);
        batch.failedAt = batch.index;
        return;
      case BACKEND.readyForQuery:
        this.queue.shift();
        this.finish(batch);
        return;
      default:
        // BindComplete, ParameterDescription, CloseComplete, notices, notifications, parameter status.
        return;
    }
  }

  private finish(batch: Batch): void {
    if (!batch.error) {
      batch.resolve(batch.prepared.map((p, i) => ({ columns: p.columns ?? [], rows: batch.rows[i] })));
      return;
    }
    const failed = batch.failedAt >= 0 && batch.failedAt < batch.prepared.length ? batch.prepared[batch.failedAt] : undefined;
    // A statement whose Parse failed was never created: forget it so the next use parses again.
    for (const entry of batch.parsedHere)
      if (!entry.confirmed) {
        this.forget(entry);
        if (entry === failed) entry.parseError = batch.error;
      }
    const missing = batch.error.code === "26000";
    // Bound while another batch's Parse of the same text was failing: that failure is the answer.
    if (missing && failed?.parseError) {
      batch.reject(new PostgresServerError(failed.parseError));
      return;
    }
    const error = new PostgresServerError(batch.error);
    const stale = missing || (error.code === "0A000" && /cached plan must not change result type/.test(error.message));
    if (stale && failed) {
      this.forget(failed);
      error.retryable = true;
    }
    batch.reject(error);
  }

  private forget(entry: Prepared): void {
    for (const [sql, candidate] of this.statements)
      if (candidate === entry) {
        this.statements.delete(sql);
        return;
      }
  }

  private handleStartup(type: number, body: Buffer): void {
    const startup = this.startup;
    if (!startup) return;
    if (type === BACKEND.error) {
      this.startup = undefined;
      startup.reject(new PostgresServerError(readErrorFields(body)));
      this.socket.destroy();
      return;
    }
    if (type === BACKEND.readyForQuery) {
      this.startup = undefined;
      startup.resolve();
      return;
    }
    if (type !== BACKEND.authentication) return;
    const kind = body.readInt32BE(0);
    const w = this.writer;
    switch (kind) {
      case 0: // AuthenticationOk
        return;
      case 3: // cleartext
        writePassword(w, this.options.password, true);
        break;
      case 5: {
        // MD5: md5(md5(password + user) + salt), hex, prefixed "md5".
        const md5 = (data: string | Buffer) => createHash("md5").update(data).digest("hex");
        const inner = md5(this.options.password + this.options.user);
        writePassword(w, `md5${md5(Buffer.concat([Buffer.from(inner), body.subarray(4, 8)]))}`, true);
        break;
      }
      case 10: {
        // SASL: the mechanisms offered follow as NUL-terminated names.
        const mechanisms = body.toString("utf8", 4).split("\u0000");
        if (!mechanisms.includes(SCRAM_MECHANISM)) throw new Error(`unsupported SASL mechanisms: ${mechanisms.join(", ")}`);
        startup.scram = startScram(this.options.password);
        writeSaslInitial(w, SCRAM_MECHANISM, startup.scram.first);
        break;
      }
      case 11: // SASLContinue
        if (!startup.scram) throw new Error("SCRAM: unexpected SASLContinue");
        writePassword(w, startup.scram.final(body.toString("utf8", 4)), false);
        break;
      case 12: // SASLFinal
        startup.scram?.verify(body.toString("utf8", 4));
        return;
      default:
        throw new Error(`unsupported authentication request ${kind}`);
    }
    this.socket.write(w.take());
  }
}
