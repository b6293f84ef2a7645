// The subset of Resend's HTTP API the inbox answers, with Resend's request and response shapes:
// `POST /emails` (send, with Resend's `Idempotency-Key`) and `GET /emails/:id` (retrieve), Bearer
// key required.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { MessageStore, StoredMessage } from "./message-store.ts";

export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** Resend takes `email@example.com` or `Name <email@example.com>` and refuses anything else with 422. */
const address = z.string().regex(/^(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\s*>|\s*[^\s@<>]+@[^\s@<>]+\s*)$/);
const addressList = z.union([address, z.array(address).min(1).max(50)]);
const sendRequest = z.object({
  from: z.string().min(1),
  to: addressList,
  subject: z.string(),
  html: z.string().optional(),
  text: z.string().optional(),
  cc: addressList.optional(),
  bcc: addressList.optional(),
  reply_to: addressList.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});

const resendError = (status: number, name: string, message: string): ApiAnswer => ({ status, body: { statusCode: status, name, message } });
const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Resend refuses requests without `Authorization: Bearer <key>`; any key is accepted locally. */
export function checkApiKey(authorization: string | undefined): ApiAnswer | undefined {
  if (!authorization)
    return resendError(
      401,
      "missing_api_key",
      "Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY",
    );
  if (!/^bearer\s+\S+/i.test(authorization)) return resendError(400, "validation_error", "API key is invalid");
  return undefined;
}

/** Resend keeps idempotency keys 24 hours: a retried send returns the first email instead of a second. */
const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const sentByKey = new WeakMap<MessageStore, Map<string, { fingerprint: string; id: string; at: number }>>();

function idempotentSends(store: MessageStore) {
  const sends = sentByKey.get(store) ?? new Map<string, { fingerprint: string; id: string; at: number }>();
  sentByKey.set(store, sends);
  const now = Date.now();
  for (const [key, entry] of sends) if (now - entry.at > IDEMPOTENCY_TTL_MS) sends.delete(key);
  return sends;
}

export function sendEmail(store: MessageStore, body: Buffer, contentType: string | undefined, idempotencyKey?: string): ApiAnswer {
  if (idempotencyKey !== undefined && (idempotencyKey.length < 1 || idempotencyKey.length > 256))
    return resendError(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
  const fingerprint = createHash("sha256").update(body).digest("hex");
  const sends = idempotencyKey === undefined ? undefined : idempotentSends(store);
  const earlier = idempotencyKey === undefined ? undefined : sends?.get(idempotencyKey);
  if (earlier && earlier.fingerprint !== fingerprint)
    return resendError(
      409,
      "invalid_idempotent_request",
      "Same idempotency key used with a different request payload. Change your idempotency key or payload.",
    );
  if (earlier) return { status: 200, body: { id: earlier.id } };
  const answer = storeEmail(store, body, contentType);
  if (idempotencyKey !== undefined && answer.status === 200)
    sends?.set(idempotencyKey, { fingerprint, id: (answer.body as { id: string }).id, at: Date.now() });
  return answer;
}

function storeEmail(store: MessageStore, body: Buffer, contentType: string | undefined): ApiAnswer {
  if (!contentType?.toLowerCase().startsWith("application/json"))
    return resendError(422, "validation_error", "Invalid `content-type` header. It must be `application/json`.");
  let input: unknown;
  try {
    input = JSON.parse(body.toString("utf8"));
  } catch {
    return resendError(422, "validation_error", "Invalid JSON body.");
  }
  if (!input || typeof input !== "object" || Array.isArray(input)) return resendError(422, "validation_error", "Invalid JSON body.");
  const missing = ["from", "to", "subject"].find((field) => (input as Record<string, unknown>)[field] === undefined);
  if (missing) return resendError(422, "missing_required_field", `Missing \`${missing}\` field.`);
  const parsed = sendRequest.safeParse(input);
  if (!parsed.success)
    return resendError(422, "validation_error", `Invalid \`${String(parsed.error.issues[0]?.path[0] ?? "body")}\` field.`);
  const email = parsed.data;
  if (email.html === undefined && email.text === undefined)
    return resendError(422, "missing_required_field", "Missing `html` or `text` field.");
  const stored = store.add({
    from: email.from,
    to: list(email.to),
    cc: list(email.cc),
    bcc: list(email.bcc),
    reply_to: list(email.reply_to),
    subject: email.subject,
    html: email.html ?? "",
    text: email.text ?? "",
    headers: email.headers ?? {},
    tags: email.tags ?? [],
  });
  return { status: 200, body: { id: stored.id } };
}

export function retrieveEmail(store: MessageStore, id: string): ApiAnswer {
  const message = store.get(id);
  if (!message) return resendError(404, "not_found", "Email not found");
  return { status: 200, body: asResendEmail(message) };
}

function asResendEmail(message: StoredMessage) {
  return {
    object: "email",
    id: message.id,
    to: message.to,
    from: message.from,
    created_at: message.created_at,
    subject: message.subject,
    html: message.html,
    text: message.text,
    bcc: message.bcc,
    cc: message.cc,
    reply_to: message.reply_to,
    last_event: "delivered",
  };
}
