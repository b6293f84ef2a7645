// The PostgreSQL v3 wire messages the REST hot path needs: frontend messages encoded into one
// growing buffer per batch, and the backend messages it reads (rows, errors, authentication).

/** Appends frontend messages to one buffer, so a whole batch goes out in a single write. */
export class MessageWriter {
  private buffer = Buffer.allocUnsafe(1024);
  private length = 0;
  private start = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** Starts a message of `type` (0 = untyped, for the startup message). */
  begin(type: number): this {
    this.ensure(5);
    if (type) this.buffer[this.length++] = type;
    this.start = this.length;
    this.length += 4;
    return this;
  }

  /** Ends the current message by writing its length. */
  end(): this {
    this.buffer.writeInt32BE(this.length - this.start, this.start);
    return this;
  }

  int16(value: number): this {
    this.ensure(2);
    this.buffer.writeInt16BE(value, this.length);
    this.length += 2;
    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.buffer.writeInt32BE(value, this.length);
    this.length += 4;
    return this;
  }

  /** A NUL-terminated string. */
  cstring(value: string): this {
    this.ensure(Buffer.byteLength(value) + 1);
    this.length += this.buffer.write(value, this.length);
    this.buffer[this.length++] = 0;
    return this;
  }

  bytes(value: Buffer): this {
    this.ensure(value.length);
    value.copy(this.buffer, this.length);
    this.length += value.length;
    return this;
  }

  /** A length-prefixed value (-1 = NULL), as Bind carries parameters. */
  value(value: string | null): this {
    if (value === null) return this.int32(-1);
    const size = Buffer.byteLength(value);
    this.ensure(size + 4);
    this.buffer.writeInt32BE(size, this.length);
    this.length += 4 + this.buffer.write(value, this.length + 4);
    return this;
  }

  get size(): number {
    return this.length;
  }

  /** The bytes written so far (a copy: the writer may be reused). */
  take(): Buffer {
    const out = Buffer.from(this.buffer.subarray(0, this.length));
    this.length = 0;
    return out;
  }
}

const code = (letter: string) => letter.charCodeAt(0);

export const FRONTEND = {
  bind: code("B"),
  close: code("C"),
  describe: code("D"),
  execute: code("E"),
  parse: code("P"),
  password: code("p"),
  sync: code("S"),
  terminate: code("X"),
} as const;

export const BACKEND = {
  authentication: code("R"),
  backendKeyData: code("K"),
  bindComplete: code("2"),
  closeComplete: code("3"),
  commandComplete: code("C"),
  dataRow: code("D"),
  emptyQuery: code("I"),
  error: code("E"),
  noData: code("n"),
  notice: code("N"),
  notification: code("A"),
  parameterDescription: code("t"),
  parameterStatus: code("S"),
  parseComplete: code("1"),
  portalSuspended: code("s"),
  readyForQuery: code("Z"),
  rowDescription: code("T"),
} as const;

export function writeStartup(writer: MessageWriter, parameters: Record<string, string>): void {
  writer.begin(0).int32(196608);
  for (const [key, value] of Object.entries(parameters)) writer.cstring(key).cstring(value);
  writer.cstring("").end();
}

/** Parse a named statement; every parameter's type is left for the server to infer (unknown). */
export function writeParse(writer: MessageWriter, name: string, sql: string): void {
  writer.begin(FRONTEND.parse).cstring(name).cstring(sql).int16(0).end();
}

/** Bind the unnamed portal to a statement: text parameters, text results. */
export function writeBind(writer: MessageWriter, name: string, params: readonly (string | null)[]): void {
  writer.begin(FRONTEND.bind).cstring("").cstring(name).int16(0).int16(params.length);
  for (const param of params) writer.value(param);
  writer.int16(0).end();
}

export function writeDescribeStatement(writer: MessageWriter, name: string): void {
  writer.begin(FRONTEND.describe).bytes(Buffer.from("S")).cstring(name).end();
}

export function writeCloseStatement(writer: MessageWriter, name: string): void {
  writer.begin(FRONTEND.close).bytes(Buffer.from("S")).cstring(name).end();
}

/** Execute the unnamed portal to completion. */
export function writeExecute(writer: MessageWriter): void {
  writer.begin(FRONTEND.execute).cstring("").int32(0).end();
}

export function writeSync(writer: MessageWriter): void {
  writer.begin(FRONTEND.sync).end();
}

export function writeTerminate(writer: MessageWriter): void {
  writer.begin(FRONTEND.terminate).end();
}

export function writeSaslInitial(writer: MessageWriter, mechanism: string, data: string): void {
  const bytes = Buffer.from(data);
  writer.begin(FRONTEND.password).cstring(mechanism).int32(bytes.length).bytes(bytes).end();
}

export function writePassword(writer: MessageWriter, data: string, terminated: boolean): void {
  writer.begin(FRONTEND.password);
  if (terminated) writer.cstring(data);
  else writer.bytes(Buffer.from(data));
  writer.end();
}

/** A server error or notice, with the fields postgres.js exposes under the same names. */
export interface ServerError {
  severity?: string;
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  position?: string;
  internal_position?: string;
  internal_query?: string;
  where?: string;
  schema_name?: string;
  table_name?: string;
  column_name?: string;
  data_type_name?: string;
  constraint_name?: string;
  file?: string;
  line?: string;
  routine?: string;
}

const ERROR_FIELDS: Record<string, keyof ServerError> = {
  S: "severity",
  V: "severity",
  C: "code",
  M: "message",
  D: "detail",
  H: "hint",
  P: "position",
  p: "internal_position",
  q: "internal_query",
  W: "where",
  s: "schema_name",
  t: "table_name",
  c: "column_name",
  d: "data_type_name",
  n: "constraint_name",
  F: "file",
  L: "line",
  R: "routine",
};

/** The fields of an ErrorResponse / NoticeResponse body. */
export function readErrorFields(body: Buffer): ServerError {
  const fields: Partial<ServerError> = {};
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const key = ERROR_FIELDS[String.fromCharCode(body[at])];
    const end = body.indexOf(0, at + 1);
    if (key) fields[key] = body.toString("utf8", at + 1, end);
    at = end + 1;
  }
  return { ...fields, message: fields.message ?? "" };
}

/** A DataRow body as text values (null for SQL NULL). */
export function readDataRow(body: Buffer): (string | null)[] {
  const count = body.readInt16BE(0);
  const values = new Array<string | null>(count);
  let at = 2;
  for (let i = 0; i < count; i++) {
    const size = body.readInt32BE(at);
    at += 4;
    if (size < 0) values[i] = null;
    else {
      values[i] = body.toString("utf8", at, at + size);
      at += size;
    }
  }
  return values;
}

/** The column names of a RowDescription body. */
export function readRowDescription(body: Buffer): string[] {
  const count = body.readInt16BE(0);
  const names: string[] = [];
  let at = 2;
  for (let i = 0; i < count; i++) {
    const end = body.indexOf(0, at);
    names.push(body.toString("utf8", at, end));
    at = end + 1 + 18;
  }
  return names;
}
