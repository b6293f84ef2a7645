// The local mail inbox's HTTP server, on its own port: Resend's API to send (POST /emails), a
// JSON API to read and delete what was sent, Mailpit's read API, and a web page at `/`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { inboxPage } from "./inbox-page.ts";
import { mailpitAnswer } from "./mailpit-api.ts";
import type { MessageStore } from "./message-store.ts";
import { checkApiKey, retrieveEmail, sendEmail } from "./resend-api.ts";

const BODY_LIMIT = 10 * 1024 * 1024;
const cors = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
  "access-control-allow-headers": "authorization, content-type",
};

function reply(res: ServerResponse, status: number, body: unknown, contentType = "application/json; charset=utf-8"): void {
  const text = typeof body === "string" && !contentType.startsWith("application/json") ? body : JSON.stringify(body);
  res.writeHead(status, { ...cors, "content-type": contentType });
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

async function route(store: MessageStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://inbox");
  const method = req.method ?? "GET";
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (method === "OPTIONS") return reply(res, 204, null);
  if (method === "GET" && path === "/") return reply(res, 200, inboxPage, "text/html; charset=utf-8");

  if (path === "/emails" || path.startsWith("/emails/")) {
    const denied = checkApiKey(req.headers.authorization);
    if (denied) return reply(res, denied.status, denied.body);
    if (method === "POST" && path === "/emails") {
      const body = await readBody(req);
      if (!body) return reply(res, 413, { statusCode: 413, name: "validation_error", message: "Request body too large." });
      const answer = sendEmail(store, body, req.headers["content-type"]);
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

export function createInboxServer(store: MessageStore): Server {
  return createServer((req, res) => {
    route(store, req, res).catch((error: Error) => {
      if (!res.headersSent) reply(res, 500, { error: error.message });
      else res.destroy();
    });
  });
}
