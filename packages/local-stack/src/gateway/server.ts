// The one HTTP port of the stack (Supabase's API port): routes /auth/v1, /rest/v1, /storage/v1,
// /realtime/v1 and /functions/v1 to their services, answers CORS preflights and /health, and
// turns API keys into bearer tokens as Supabase's gateway does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { ApiKeys } from "../keys/api-keys.ts";
import type { Logger } from "../log/logger.ts";
import { rewriteAuthorization } from "./bearer-token.ts";
import { corsHeaders, preflightHeaders } from "./cors.ts";
import { BodyTooLargeError, type GatewayRequest, type GatewayResponse, json, type Service } from "./types.ts";

const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface GatewayOptions {
  services: Service[];
  keys: ApiKeys;
  logger: Logger;
  /** Extra fields for /health (version, uptime source). */
  health?: () => Record<string, unknown>;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(new BodyTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLargeError(limit));
      } else chunks.push(chunk);
    });
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/** How long the unread rest of a refused request's body is read and discarded before the
 * connection is cut. */
const LINGER_MS = 5000;

/**
 * An answer given before the body was read (a refusal) leaves the rest of the body unread: read
 * and discard it for a while, so the client, still sending, gets the answer instead of a reset
 * (nginx's lingering close), then cut the connection rather than leave it waiting.
 */
function lingerThenClose(req: IncomingMessage): void {
  if (req.complete) return;
  req.removeAllListeners("data");
  req.resume();
  const timer = setTimeout(() => {
    if (!req.complete) req.socket.destroy();
  }, LINGER_MS);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
  req.socket.once("close", () => clearTimeout(timer));
}

function send(res: ServerResponse, response: GatewayResponse, withCors = true): void {
  const headers = withCors ? { ...corsHeaders, ...response.headers } : (response.headers ?? {});
  const body = response.body;
  if (!(body instanceof Readable) && !res.req.complete) res.once("finish", () => lingerThenClose(res.req));
  if (body instanceof Readable) {
    res.writeHead(response.status, headers);
    body.pipe(res);
    body.once("error", () => res.destroy());
    return;
  }
  res.writeHead(response.status, headers);
  res.end(body ?? undefined);
}

/** The request's URL; undefined when the Host header or the target cannot form one (`Host: [`). */
function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? "/";
  // Only origin-form targets: "//host/path" would otherwise be read as another authority.
  if (!target.startsWith("/") || target.startsWith("//")) return undefined;
  try {
    return new URL(target, `http://${req.headers.host ?? "localhost"}`);
  } catch {
    return undefined;
  }
}

export function createGateway(options: GatewayOptions): Server {
  const { services, keys, logger } = options;
  const ordered = services
    .filter((s): s is Service & { prefix: string } => typeof s.prefix === "string")
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const started = Date.now();

  async function health(): Promise<GatewayResponse> {
    const details: Record<string, unknown> = {};
    for (const service of services) details[service.name] = service.health ? await service.health() : { status: "ok" };
    return json(200, { status: "ok", uptime_seconds: Math.round((Date.now() - started) / 1000), ...options.health?.(), services: details });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    if (!url) return send(res, json(400, { message: "Bad Request: invalid Host header or request target" }));
    const method = req.method ?? "GET";
    const service = ordered.find((s) => url.pathname === s.prefix || url.pathname.startsWith(`${s.prefix}/`));
    if (method === "OPTIONS" && !service?.ownsCors) {
      const requested = req.headers["access-control-request-headers"];
      return send(res, { status: 200, headers: preflightHeaders(typeof requested === "string" ? requested : undefined), body: "ok" });
    }
    if (url.pathname === "/health") return send(res, await health());
    if (!service?.handle) return send(res, json(404, { message: "no Route matched with those values" }));
    rewriteAuthorization(req.headers, keys);
    const request: GatewayRequest = {
      method,
      url,
      path: url.pathname.slice(service.prefix.length) || "/",
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress ?? "",
      body: (limit = DEFAULT_BODY_LIMIT) => readBody(req, limit),
      raw: req,
    };
    send(res, await service.handle(request), !service.ownsCors);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        if (!res.headersSent)
          send(res, json(413, { code: 413, error_code: "request_too_large", msg: error.message, message: error.message }));
        return;
      }
      logger.error("unhandled gateway error", { path: req.url, error: (error as Error).stack ?? String(error) });
      if (!res.headersSent) send(res, json(500, { message: "An unexpected error occurred" }));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65000;
  server.on("upgrade", (req, socket, head) => {
    const path = (req.url ?? "/").split("?")[0];
    const service = ordered.find((s) => s.upgrade && (path === s.prefix || path.startsWith(`${s.prefix}/`)));
    if (!service?.upgrade) {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    service.upgrade(req, socket, head);
  });
  return server;
}
