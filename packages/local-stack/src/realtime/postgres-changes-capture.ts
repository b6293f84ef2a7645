// Reads committed row changes from a permanent logical replication slot (plugin pgoutput) over a
// streaming replication connection, for the publications Realtime serves. The slot's position
// only advances past a transaction once it has been handed on, so changes made while the stack
// was down are streamed when it starts again. The stream can be started again after it ends (the
// database restarted or was recreated); the service's supervisor does that (change-stream.ts).
import type { Writable } from "node:stream";
import { connect, type Sql } from "../db/connect.ts";
import type { Logger } from "../log/logger.ts";
import { formatLsn, PgOutputDecoder, type PgOutputMessage, type Relation } from "./pgoutput-decoder.ts";

export const PUBLICATIONS = ["supabase_realtime", "supabase_realtime_messages_publication"];

export interface CapturedTransaction {
  /** The transaction's id (32-bit, as pgoutput's BEGIN gives it). */
  xid: number;
  commitTime: Date;
  endLsn: bigint;
  messages: PgOutputMessage[];
}

export interface CaptureOptions {
  url: string;
  slot: string;
  logger: Logger;
  /** Handles one transaction; the slot advances past it when the promise settles. */
  onTransaction: (transaction: CapturedTransaction, relations: Map<number, Relation>) => Promise<void>;
  /** A relation was (re)described: its definition may have changed. */
  onRelation?: (relation: Relation) => void;
}

const STATUS_INTERVAL_MS = 1000;

export class ChangeCapture {
  private decoder = new PgOutputDecoder();
  private replication?: Sql;
  private stream?: Writable;
  private open?: CapturedTransaction;
  private readonly queue: CapturedTransaction[] = [];
  private processing = false;
  private ackedLsn = 0n;
  private idleLsn = 0n;
  private sentLsn = -1n;
  private statusTimer?: NodeJS.Timeout;
  private stopped = false;
  /** Resolves when the current stream ends, with why. */
  ended: Promise<Error> = new Promise(() => {});

  constructor(private readonly options: CaptureOptions) {}

  /** Creates the slot when missing (idempotent; the slot survives restarts). True when created. */
  static async ensureSlot(admin: Sql, slot: string): Promise<boolean> {
    const [existing] = await admin`select plugin from pg_catalog.pg_replication_slots where slot_name = ${slot}`;
    if (existing) return false;
    await admin`select pg_catalog.pg_create_logical_replication_slot(${slot}, 'pgoutput')`;
    return true;
  }

  async start(publications: string[]): Promise<void> {
    // Relations are described afresh on every stream; a transaction cut off mid-way is re-sent.
    this.decoder = new PgOutputDecoder();
    this.open = undefined;
    // Everything already read is handed on first, so the slot restarts right after it.
    while (this.processing || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    this.replication = connect(this.options.url, {
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      fetch_types: false,
      connection: { replication: "database", application_name: "basekit realtime" } as never,
    });
    const names = publications.map((name) => `"${name.replace(/"/g, '""')}"`).join(",");
    const stream = await this.replication
      .unsafe(`START_REPLICATION SLOT "${this.options.slot}" LOGICAL 0/0 (proto_version '1', publication_names '${names}')`)
      .writable();
    this.stream = stream;
    const replication = this.replication;
    this.ended = new Promise<Error>((resolve) => {
      const end = (error: Error) => {
        if (this.stream === stream) this.stream = undefined;
        if (this.statusTimer) clearInterval(this.statusTimer);
        replication.end({ timeout: 1 }).catch(() => {});
        resolve(error);
      };
      stream.once("error", (error: Error) => end(error));
      stream.once("close", () => end(new Error("replication stream closed")));
    });
    stream.on("data", (chunk: Buffer) => this.receive(chunk));
    stream.on("error", () => {});
    this.statusTimer = setInterval(() => this.sendStatus(false), STATUS_INTERVAL_MS);
    this.statusTimer.unref();
  }

  /** The database was recreated: positions of the old one mean nothing for the new slot. */
  forgetPositions(): void {
    this.ackedLsn = 0n;
    this.idleLsn = 0n;
    this.sentLsn = -1n;
  }

  private receive(chunk: Buffer): void {
    if (chunk[0] === 0x77) {
      // XLogData: 'w', start LSN, end LSN, server clock, then one pgoutput message.
      this.handle(this.decoder.decode(chunk.subarray(25)));
    } else if (chunk[0] === 0x6b) {
      // Keepalive: 'k', server WAL end, clock, reply-requested flag.
      const walEnd = chunk.readBigUInt64BE(1);
      if (!this.open && this.queue.length === 0 && !this.processing && walEnd > this.idleLsn) this.idleLsn = walEnd;
      if (chunk[17]) this.sendStatus(true);
    }
  }

  private handle(message: PgOutputMessage): void {
    switch (message.kind) {
      case "begin":
        this.open = { xid: message.xid, commitTime: message.commitTime, endLsn: 0n, messages: [] };
        return;
      case "relation":
        this.options.onRelation?.(message.relation);
        return;
      case "commit":
        // After a reconnect the slot re-sends what it had not been told was handled.
        if (this.open && message.endLsn <= this.ackedLsn) this.open = undefined;
        if (this.open) {
          this.open.endLsn = message.endLsn;
          this.open.commitTime = message.commitTime;
          this.queue.push(this.open);
          this.open = undefined;
          this.drain();
        }
        return;
      case "other":
        return;
      default:
        this.open?.messages.push(message);
    }
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        try {
          await this.options.onTransaction(next, this.decoder.relations);
        } catch (error) {
          this.options.logger.error("realtime change delivery failed", { error: (error as Error).message });
        }
        this.ackedLsn = next.endLsn;
      }
    } finally {
      this.processing = false;
    }
  }

  /** Standby status update: everything up to the acknowledged LSN may be discarded by the slot. */
  private sendStatus(force: boolean): void {
    const lsn = this.confirmed;
    if (!this.stream || this.stopped || (!force && lsn === this.sentLsn)) return;
    const message = Buffer.alloc(34);
    message[0] = 0x72; // 'r'
    message.writeBigUInt64BE(lsn, 1);
    message.writeBigUInt64BE(lsn, 9);
    message.writeBigUInt64BE(lsn, 17);
    message.writeBigInt64BE(BigInt(Date.now() - Date.UTC(2000, 0, 1)) * 1000n, 25);
    message[33] = 0;
    this.stream.write(message);
    this.sentLsn = lsn;
  }

  /** Everything before this LSN has been handed on (or held no change for us). */
  private get confirmed(): bigint {
    return [this.ackedLsn, this.idleLsn].reduce((a, b) => (b > a ? b : a));
  }

  get position(): string {
    return formatLsn(this.confirmed);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.statusTimer) clearInterval(this.statusTimer);
    // Wait for transactions already read, then report the final position before closing.
    for (let i = 0; i < 100 && (this.processing || this.queue.length > 0); i++) await new Promise((r) => setTimeout(r, 20));
    this.stopped = false;
    this.sendStatus(true);
    this.stopped = true;
    const stream = this.stream;
    if (stream)
      await new Promise<void>((resolve) => {
        stream.once("close", () => resolve());
        stream.end();
        setTimeout(resolve, 1000).unref();
      });
    await this.replication?.end({ timeout: 1 }).catch(() => {});
  }
}
