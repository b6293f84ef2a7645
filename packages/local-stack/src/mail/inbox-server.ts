// The local mail inbox's HTTP server, on its own port: Resend's API to send (POST /emails), a
// JSON API to read and delete what was sent, Mailpit's read API, and a web page at `/`.
// Browsers reach it only from the origins browser-access.ts allows.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type BrowserAccess, browserAccess } from "./browser-access.ts";
import { inboxPage } from "./inbox-page.ts";
import { mailpitAnswer } from "./mailpit-api.ts";
import type { MessageStore } from "./message-store.ts";
import { checkApiKey, retrieveEmail, sendEmail } from "./resend-api.ts";

const BODY_LIMIT = 10 * 1024 * 1024;

/** CORS for an allowed Origin, echoed back (never `*`, so no other origin can read). */
function allowCors(res: ServerResponse, origin: string): void {
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("access-control-allow-methods", "GET, POST, DELETE, OPTIONS");
  res.setHeader("access-control-allow-headers", "authorization, content-type");
}

function reply(res: ServerResponse, status: number, body: unknown, contentType = "application/json; charset=utf-8"): void {
  const text = typeof body === "string" && !contentType.startsWith("application/json") ? body : JSON.stringify(body);
  res.writeHead(status, { vary: "Origin", "content-type": contentType });
  res.end(status === 204 ? undefined : text);
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.once("end", () => resolve(size > BODY_LIMIT ? undefined : Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

async function route(
  store: MessageStore,
  access: BrowserAccess,
  options: InboxServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // Refused before anything is read or changed: a foreign page's request (even a "simple" one
  // that needs no preflight) and a rebound DNS name.
  const origin = req.headers.origin;
  const sameOrigin = origin === `http://${req.headers.host}`;
  if (!access.allowsHost(req.headers.host) || (origin !== undefined && !sameOrigin && !access.allowsOrigin(origin))) {
    req.resume();
    return reply(res, 403, { error: "origin not allowed: the inbox answers loopback origins and the configured site_url only" });
  }
  if (origin !== undefined) allowCors(res, origin);
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://inbox");
  } catch {
    return reply(res, 400, { error: "invalid request URL" });
  }
  const method = req.method ?? "GET";
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (method === "OPTIONS") return reply(res, 204, null);
  if (method === "GET" && path === "/") return reply(res, 200, inboxPage(options.pushUrl), "text/html; charset=utf-8");

  if (path === "/emails" || path.startsWith("/emails/")) {
    const denied = checkApiKey(req.headers.authorization);
    if (denied) return reply(res, denied.status, denied.body);
    if (method === "POST" && path === "/emails") {
      const body = await readBody(req);
      if (!body) return reply(res, 413, { statusCode: 413, name: "validation_error", message: "Request body too large." });
      const key = req.headers["idempotency-key"];
      const answer = sendEmail(store, body, req.headers["content-type"], typeof key === "string" ? key : undefined);
      return reply(res, answer.status, answer.body);
    }
    const id = /^\/emails\/([^/]+)$/.exec(path)?.[1];
    if (method === "GET" && id) {
      const answer = retrieveEmail(store, id);
      return reply(res, answer.status, answer.body);
    }
    return reply(res, 405, { statusCode: 405, name: "method_not_allowed", message: "Method is not allowed for the requested path." });
  }

  const to = url.searchParams.get("to") ?? undefined;
  if (path === "/api/messages") {
    if (method === "GET") {
      const messages = store.list({ to });
      return reply(res, 200, { total: messages.length, messages });
    }
    if (method === "DELETE") return reply(res, 200, { deleted: store.clear({ to }) });
  }
  const id = /^\/api\/messages\/([^/]+)$/.exec(path)?.[1];
  if (id && method === "GET") {
    const message = store.get(id);
    return message ? reply(res, 200, message) : reply(res, 404, { error: "message not found" });
  }
  if (id && method === "DELETE") return store.delete(id) ? reply(res, 204, null) : reply(res, 404, { error: "message not found" });

  const mailpit = mailpitAnswer(store, method, path, url);
  if (mailpit) return reply(res, mailpit.status, mailpit.body);
  reply(res, 404, { error: "not found" });
}

export interface InboxServerOptions {
  /** `[auth] site_url`: the one non-loopback origin allowed to read the inbox. */
  siteUrl?: string;
  /** The push receiver's base URL (`<API>/push/v1`), whose decrypted messages the page lists. */
  pushUrl?: string;
}

export function createInboxServer(store: MessageStore, options: InboxServerOptions = {}): Server {
  const access = browserAccess(options.siteUrl ?? "");
  return createServer((req, res) => {
    route(store, access, options, req, res).catch((error: Error) => {
      if (!res.headersSent) reply(res, 500, { error: error.message });
      else res.destroy();
    });
  });
}
