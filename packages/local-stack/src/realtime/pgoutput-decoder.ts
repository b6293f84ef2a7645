// Decodes the messages of PostgreSQL's built-in `pgoutput` logical decoding plugin (protocol
// version 1): relations, transaction boundaries and row changes, with column values as text.

export interface RelationColumn {
  name: string;
  typeOid: number;
  isKey: boolean;
}

export interface Relation {
  oid: number;
  schema: string;
  table: string;
  /** `d` default (primary key), `f` full, `i` index, `n` nothing. */
  replicaIdentity: string;
  columns: RelationColumn[];
}

/** A tuple's values by column name: text, null, or undefined for an unchanged TOASTed value. */
export type TupleValues = Record<string, string | null | undefined>;

export type PgOutputMessage =
  | { kind: "begin"; finalLsn: bigint; commitTime: Date; xid: number }
  | { kind: "commit"; commitLsn: bigint; endLsn: bigint; commitTime: Date }
  | { kind: "relation"; relation: Relation }
  | { kind: "insert"; relationOid: number; record: TupleValues }
  | { kind: "update"; relationOid: number; record: TupleValues; oldRecord?: TupleValues }
  | { kind: "delete"; relationOid: number; oldRecord: TupleValues }
  | { kind: "truncate"; relationOids: number[] }
  | { kind: "other" };

const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

export const pgTimeToDate = (micros: bigint) => new Date(POSTGRES_EPOCH_MS + Number(micros / 1000n));

/** Relations are sent once per session before their first change; the decoder remembers them. */
export class PgOutputDecoder {
  readonly relations = new Map<number, Relation>();

  decode(message: Buffer): PgOutputMessage {
    const reader = new Reader(message, 1);
    switch (String.fromCharCode(message[0])) {
      case "B":
        return { kind: "begin", finalLsn: reader.int64(), commitTime: pgTimeToDate(reader.int64()), xid: reader.int32() };
      case "C": {
        reader.int8();
        return { kind: "commit", commitLsn: reader.int64(), endLsn: reader.int64(), commitTime: pgTimeToDate(reader.int64()) };
      }
      case "R": {
        const oid = reader.int32();
        const schema = reader.cstring() || "pg_catalog";
        const table = reader.cstring();
        const replicaIdentity = String.fromCharCode(reader.int8());
        const count = reader.int16();
        const columns: RelationColumn[] = [];
        for (let i = 0; i < count; i++) {
          const flags = reader.int8();
          const name = reader.cstring();
          const typeOid = reader.int32();
          reader.int32();
          columns.push({ name, typeOid, isKey: (flags & 1) === 1 });
        }
        const relation = { oid, schema, table, replicaIdentity, columns };
        this.relations.set(oid, relation);
        return { kind: "relation", relation };
      }
      case "I": {
        const relationOid = reader.int32();
        reader.int8(); // 'N'
        return { kind: "insert", relationOid, record: this.tuple(reader, relationOid) };
      }
      case "U": {
        const relationOid = reader.int32();
        let marker = String.fromCharCode(reader.int8());
        let oldRecord: TupleValues | undefined;
        if (marker === "K" || marker === "O") {
          oldRecord = this.tuple(reader, relationOid, marker === "K");
          marker = String.fromCharCode(reader.int8());
        }
        return { kind: "update", relationOid, record: this.tuple(reader, relationOid), oldRecord };
      }
      case "D": {
        const relationOid = reader.int32();
        const keyOnly = String.fromCharCode(reader.int8()) === "K";
        return { kind: "delete", relationOid, oldRecord: this.tuple(reader, relationOid, keyOnly) };
      }
      case "T": {
        const count = reader.int32();
        reader.int8();
        const relationOids: number[] = [];
        for (let i = 0; i < count; i++) relationOids.push(reader.int32());
        return { kind: "truncate", relationOids };
      }
      default:
        return { kind: "other" };
    }
  }

  private tuple(reader: Reader, relationOid: number, keyOnly = false): TupleValues {
    const relation = this.relations.get(relationOid);
    if (!relation) throw new Error(`pgoutput: change for unknown relation ${relationOid}`);
    const count = reader.int16();
    const values: TupleValues = {};
    for (let i = 0; i < count; i++) {
      const column = relation.columns[i];
      const type = String.fromCharCode(reader.int8());
      let value: string | null | undefined;
      if (type === "n") value = null;
      else if (type === "u") value = undefined;
      else {
        const length = reader.int32();
        value = reader.text(length);
      }
      // Key-only old tuples carry nulls for non-key columns: leave them out, as Supabase does.
      if (column && (!keyOnly || column.isKey)) values[column.name] = value;
    }
    return values;
  }
}

class Reader {
  constructor(
    private readonly buffer: Buffer,
    private offset: number,
  ) {}
  int8(): number {
    return this.buffer.readUInt8(this.offset++);
  }
  int16(): number {
    const value = this.buffer.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  int32(): number {
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  int64(): bigint {
    const value = this.buffer.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }
  cstring(): string {
    const end = this.buffer.indexOf(0, this.offset);
    const value = this.buffer.toString("utf8", this.offset, end);
    this.offset = end + 1;
    return value;
  }
  text(length: number): string {
    const value = this.buffer.toString("utf8", this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}

/** `0/16B3748` <-> bigint. */
export const parseLsn = (text: string): bigint => {
  const [high, low] = text.split("/");
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
};
export const formatLsn = (lsn: bigint): string =>
  `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
