// The Phoenix channels wire format as realtime-js speaks it: vsn 1.0.0 (JSON objects), vsn 2.0.0
// (JSON arrays, plus binary user-broadcast frames: kind 3 from clients, kind 4 to clients).
import { parseUntrustedJson } from "../gateway/json-depth.ts";

export type Vsn = "1.0.0" | "2.0.0";

export interface PhoenixMessage {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A user broadcast whose payload may be raw bytes (binary encoding) rather than JSON. */
export interface BinaryPayload {
  binary: Buffer;
}

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;
const ENCODING_BINARY = 0;
const ENCODING_JSON = 1;

export class FrameError extends Error {}

export function parseVsn(value: string | null): Vsn | undefined {
  if (value === null || value === "" || value === "1.0.0") return "1.0.0";
  if (value === "2.0.0") return "2.0.0";
  return undefined;
}

const asRef = (value: unknown): string | null => (typeof value === "string" ? value : typeof value === "number" ? String(value) : null);

function fromFields(join_ref: unknown, ref: unknown, topic: unknown, event: unknown, payload: unknown): PhoenixMessage {
  if (typeof topic !== "string" || typeof event !== "string") throw new FrameError("topic and event must be strings");
  return { join_ref: asRef(join_ref), ref: asRef(ref), topic, event, payload: payload ?? {} };
}

/** Decodes one client frame; throws FrameError for anything the protocol does not allow. */
export function decodeFrame(data: Buffer, isBinary: boolean, vsn: Vsn): PhoenixMessage {
  if (isBinary) {
    if (vsn !== "2.0.0") throw new FrameError("binary frames need vsn 2.0.0");
    return decodeUserBroadcastPush(data);
  }
  let parsed: unknown;
  try {
    parsed = parseUntrustedJson(data.toString("utf8"));
  } catch {
    throw new FrameError("frame is not JSON");
  }
  if (vsn === "2.0.0") {
    if (!Array.isArray(parsed) || parsed.length !== 5) throw new FrameError("vsn 2.0.0 frames are [join_ref, ref, topic, event, payload]");
    return fromFields(parsed[0], parsed[1], parsed[2], parsed[3], parsed[4]);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new FrameError("vsn 1.0.0 frames are objects");
  const m = parsed as Record<string, unknown>;
  return fromFields(m.join_ref, m.ref, m.topic, m.event, m.payload);
}

function decodeUserBroadcastPush(data: Buffer): PhoenixMessage {
  if (data.length < 7 || data[0] !== KIND_USER_BROADCAST_PUSH) throw new FrameError("unknown binary frame kind");
  const lengths = [data[1], data[2], data[3], data[4], data[5]];
  const encoding = data[6];
  let offset = 7;
  const parts: string[] = [];
  for (const length of lengths) {
    if (offset + length > data.length) throw new FrameError("binary frame shorter than its header");
    parts.push(data.toString("utf8", offset, offset + length));
    offset += length;
  }
  const [joinRef, ref, topic, event, meta] = parts;
  const body = data.subarray(offset);
  let userPayload: unknown;
  if (encoding === ENCODING_JSON) {
    try {
      userPayload = parseUntrustedJson(body.toString("utf8"));
    } catch {
      throw new FrameError("broadcast payload is not JSON");
    }
  } else if (encoding === ENCODING_BINARY) userPayload = { binary: Buffer.from(body) } satisfies BinaryPayload;
  else throw new FrameError("unknown payload encoding");
  let metaObject: Record<string, unknown> = {};
  if (meta) {
    try {
      metaObject = parseUntrustedJson(meta) as Record<string, unknown>;
    } catch {
      throw new FrameError("broadcast meta is not JSON");
    }
  }
  return {
    join_ref: joinRef || null,
    ref: ref || null,
    topic,
    event: "broadcast",
    payload: { ...metaObject, type: "broadcast", event, payload: userPayload },
  };
}

export const isBinaryPayload = (value: unknown): value is BinaryPayload =>
  typeof value === "object" && value !== null && Buffer.isBuffer((value as BinaryPayload).binary);

/** Encodes a server message as text (JSON) in the socket's format. */
export function encodeMessage(message: PhoenixMessage, vsn: Vsn): string {
  if (vsn === "2.0.0") return JSON.stringify([message.join_ref, message.ref, message.topic, message.event, message.payload]);
  return JSON.stringify(message);
}

/**
 * Encodes a server message whose payload is already JSON text: a change fanned out to many
 * channels is serialized once, and only the envelope (topic, join_ref) differs per channel.
 * Produces exactly what encodeMessage would for the parsed payload.
 */
export function encodeMessageWithPayloadJson(message: Omit<PhoenixMessage, "payload">, payloadJson: string, vsn: Vsn): string {
  const joinRef = message.join_ref === null ? "null" : JSON.stringify(message.join_ref);
  const ref = message.ref === null ? "null" : JSON.stringify(message.ref);
  const topic = JSON.stringify(message.topic);
  const event = JSON.stringify(message.event);
  if (vsn === "2.0.0") return `[${joinRef},${ref},${topic},${event},${payloadJson}]`;
  return `{"join_ref":${joinRef},"ref":${ref},"topic":${topic},"event":${event},"payload":${payloadJson}}`;
}

/**
 * A user broadcast to clients: a binary kind-4 frame on vsn 2.0.0 when the header fits (each part
 * ≤ 255 bytes), else the JSON form. Binary user payloads exist only on vsn 2.0.0.
 */
export function encodeUserBroadcast(
  topic: string,
  event: string,
  payload: unknown,
  meta: Record<string, unknown> | undefined,
  vsn: Vsn,
): string | Buffer {
  const metaText = meta ? JSON.stringify(meta) : "";
  const head = [Buffer.from(topic), Buffer.from(event), Buffer.from(metaText)];
  if (vsn === "2.0.0" && head.every((part) => part.length <= 255)) {
    const binary = isBinaryPayload(payload);
    const body = binary ? payload.binary : Buffer.from(JSON.stringify(payload ?? null));
    const header = Buffer.from([
      KIND_USER_BROADCAST,
      head[0].length,
      head[1].length,
      head[2].length,
      binary ? ENCODING_BINARY : ENCODING_JSON,
    ]);
    return Buffer.concat([header, ...head, body]);
  }
  const userPayload = isBinaryPayload(payload) ? payload.binary.toString("base64") : payload;
  return encodeMessage(
    {
      join_ref: null,
      ref: null,
      topic,
      event: "broadcast",
      payload: { type: "broadcast", event, payload: userPayload, ...(meta ? { meta } : {}) },
    },
    vsn,
  );
}
