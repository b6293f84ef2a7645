// Broadcasting from servers over HTTP, as Supabase's Realtime API: `POST /api/broadcast` with a
// batch of messages, and `POST /api/broadcast/<topic>/events/<event>` for one. Private messages are
// sent only when the caller's claims pass the INSERT policies of realtime.messages.

import { parseUntrustedJson } from "../gateway/json-depth.ts";
import { BodyTooLargeError, type GatewayRequest, type GatewayResponse, json } from "../gateway/types.ts";
import { bearerToken } from "../keys/verify-jwt.ts";
import { TokenError, type VerifiedToken, verifyRealtimeToken } from "./access-token.ts";
import { writeAccess } from "./authorization.ts";
import { type BroadcastMessage, publishBroadcast } from "./broadcast.ts";
import { routeKey } from "./channel.ts";
import type { RealtimeRuntime } from "./runtime.ts";

const MAX_PAYLOAD_BYTES = 3000 * 1024;
const accepted = (): GatewayResponse => ({ status: 202, headers: { "content-type": "application/json; charset=utf-8" }, body: "" });
const unauthorized = () => json(401, { message: "Unauthorized" });
const tooLarge = () => json(422, { message: "Payload size exceeds tenant limit" });

/** A path segment's text, or undefined when its %-escapes are malformed (`room%ZZ`). */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

async function caller(runtime: RealtimeRuntime, request: GatewayRequest): Promise<VerifiedToken | undefined> {
  const apikey = typeof request.headers.apikey === "string" ? request.headers.apikey : undefined;
  const token = bearerToken(request.headers.authorization) ?? apikey;
  if (!token) return undefined;
  try {
    return await verifyRealtimeToken(runtime.verifier, token);
  } catch (error) {
    if (error instanceof TokenError) return undefined;
    throw error;
  }
}

interface OutgoingMessage {
  topic: string;
  event: string;
  payload: unknown;
  isPrivate: boolean;
  id?: string;
}

async function send(runtime: RealtimeRuntime, who: VerifiedToken, messages: OutgoingMessage[]): Promise<void> {
  const allowed = new Map<string, boolean>();
  for (const message of messages) {
    if (message.isPrivate) {
      let may = allowed.get(message.topic);
      if (may === undefined) {
        may = await writeAccess(runtime.sql, message.topic, who.claims, "broadcast");
        allowed.set(message.topic, may);
      }
      if (!may) continue;
    }
    const broadcast: BroadcastMessage = {
      route: routeKey(message.topic, message.isPrivate),
      event: message.event,
      payload: message.payload,
      ...(message.id ? { meta: { id: message.id } } : {}),
    };
    await publishBroadcast(runtime.registry, runtime.fanout, broadcast);
  }
}

export async function handleRestBroadcast(runtime: RealtimeRuntime, request: GatewayRequest): Promise<GatewayResponse> {
  const single = /^\/api\/broadcast\/([^/]+)\/events\/([^/]+)\/?$/.exec(request.path);
  if (request.path !== "/api/broadcast" && request.path !== "/api/broadcast/" && !single) return json(404, { message: "Not found" });
  if (request.method !== "POST") return json(405, { message: "Method not allowed" });
  const who = await caller(runtime, request);
  if (!who) return unauthorized();
  const topic = single ? decodeSegment(single[1]) : undefined;
  const event = single ? decodeSegment(single[2]) : undefined;
  if (single && (topic === undefined || event === undefined))
    return json(400, { message: "Invalid percent-encoding in the topic or event of the path" });
  let body: Buffer;
  try {
    // Read no further than the limit: a larger body is refused without being held in memory.
    body = await request.body(MAX_PAYLOAD_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return tooLarge();
    throw error;
  }
  if (single && topic !== undefined && event !== undefined) {
    const contentType = String(request.headers["content-type"] ?? "");
    let payload: unknown;
    if (contentType.includes("application/octet-stream")) payload = { binary: Buffer.from(body) };
    else {
      try {
        payload = body.length === 0 ? {} : parseUntrustedJson(body.toString("utf8"));
      } catch {
        return json(400, { message: "Invalid JSON body" });
      }
    }
    const isPrivate = request.url.searchParams.get("private") === "true";
    await send(runtime, who, [{ topic, event, payload, isPrivate }]);
    return accepted();
  }
  let parsed: unknown;
  try {
    parsed = parseUntrustedJson(body.toString("utf8"));
  } catch {
    return json(400, { message: "Invalid JSON body" });
  }
  const list = (parsed as { messages?: unknown })?.messages;
  if (!Array.isArray(list)) return json(422, { errors: { messages: ["can't be blank"] } });
  const messages: OutgoingMessage[] = [];
  for (const item of list) {
    const m = item as Record<string, unknown>;
    if (typeof m !== "object" || m === null || typeof m.topic !== "string" || typeof m.event !== "string")
      return json(422, { errors: { messages: [{ topic: ["can't be blank"], event: ["can't be blank"] }] } });
    messages.push({
      topic: m.topic,
      event: m.event,
      payload: m.payload ?? {},
      isPrivate: m.private === true || m.private === "true",
      id: typeof m.id === "string" ? m.id : undefined,
    });
  }
  await send(runtime, who, messages);
  return accepted();
}
