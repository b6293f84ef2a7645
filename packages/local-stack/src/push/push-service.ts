// The local push receiver, at /push/v1 on the API port: it plays both ends that a browser relies
// on. As the push service (RFC 8030 + VAPID, RFC 8292) it accepts `POST /send/<id>` from any
// sender (web-push included) and answers as FCM or Mozilla's would: 201, 404 unknown, 410 gone,
// 400/401/403/413/415 for bad requests. As the browser it hands out subscriptions with real
// P-256 keys and decrypts what arrives (aes128gcm), shown by `GET /messages` and the inbox page.
//
//   POST   /subscriptions        {applicationServerKey?} -> PushSubscription JSON (201)
//   DELETE /subscriptions/<id>   the browser unsubscribes: later pushes get 410
//   POST   /send/<id>            the push endpoint
//   GET    /messages[?endpoint=] received pushes, decrypted, newest first
//   DELETE /messages[?endpoint=]
//
// Reading and subscribing are for the developer's own pages only (loopback and site_url origins).
import type { GatewayRequest, GatewayResponse, Service } from "../gateway/types.ts";
import { json } from "../gateway/types.ts";
import { browserAccess } from "../mail/browser-access.ts";
import type { StackContext } from "../services.ts";
import { decryptAes128gcm } from "./aes128gcm.ts";
import { SubscriptionStore } from "./subscription-store.ts";
import { checkVapid } from "./vapid.ts";

/** Push services cap payloads at 4 KiB (RFC 8291 recommends at least 4096 bytes be accepted). */
const MAX_PAYLOAD = 4096;
const ID = "[0-9a-f-]{36}";

export function createPushService(context: StackContext): Service {
  const { config, logger } = context;
  const log = logger.child({ service: "push" });
  const store = new SubscriptionStore();
  const access = browserAccess(config.auth.siteUrl);

  function corsHeaders(request: GatewayRequest): Record<string, string> | undefined {
    const origin = request.headers.origin;
    if (origin === undefined) return {};
    if (!access.allowsOrigin(origin)) return undefined;
    return {
      "access-control-allow-origin": origin,
      "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
      "access-control-allow-headers": "content-type",
      vary: "Origin",
    };
  }

  async function subscribe(request: GatewayRequest): Promise<GatewayResponse> {
    let input: { applicationServerKey?: unknown } = {};
    const body = await request.body(4096);
    if (body.length) {
      try {
        input = JSON.parse(body.toString("utf8"));
      } catch {
        return json(400, { error: "the body must be JSON" });
      }
    }
    const key = input.applicationServerKey;
    if (key !== undefined && (typeof key !== "string" || Buffer.from(key, "base64url").length !== 65))
      return json(400, { error: "applicationServerKey must be a base64url P-256 public key (65 bytes)" });
    const subscription = store.subscribe(typeof key === "string" ? Buffer.from(key, "base64url").toString("base64url") : null);
    return json(201, {
      endpoint: `${request.url.origin}/push/v1/send/${subscription.id}`,
      expirationTime: null,
      keys: { p256dh: subscription.ecdh.getPublicKey().toString("base64url"), auth: subscription.authSecret.toString("base64url") },
    });
  }

  async function receive(request: GatewayRequest, id: string): Promise<GatewayResponse> {
    const subscription = store.get(id);
    if (!subscription) return json(404, { error: "no such subscription" });
    if (subscription.unsubscribed) return json(410, { error: "the subscription has expired or was unsubscribed" });
    const vapid = await checkVapid(request.headers.authorization, request.url.origin);
    if (!vapid.ok) return json(vapid.status, { error: vapid.reason });
    if (subscription.applicationServerKey && vapid.publicKey !== subscription.applicationServerKey)
      return json(403, { error: "the VAPID key is not the one this subscription was made for" });
    const ttl = Number(request.headers.ttl);
    if (request.headers.ttl === undefined || !Number.isInteger(ttl) || ttl < 0) return json(400, { error: "a TTL header is required" });
    const topic = typeof request.headers.topic === "string" ? request.headers.topic : null;
    if (topic !== null && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return json(400, { error: "Topic must be up to 32 base64url characters" });
    const body = await request.body(MAX_PAYLOAD + 1);
    if (body.length > MAX_PAYLOAD) return json(413, { error: `payload larger than ${MAX_PAYLOAD} bytes` });
    if (body.length && request.headers["content-encoding"] !== "aes128gcm")
      return json(415, { error: "payloads must be encrypted with Content-Encoding: aes128gcm" });
    let text: string | null = null;
    let decryptError: string | null = null;
    if (body.length) {
      try {
        text = decryptAes128gcm(body, subscription).toString("utf8");
      } catch (error) {
        // A browser drops what it cannot decrypt; the receiver keeps it with the reason.
        decryptError = (error as Error).message;
      }
    }
    let parsed: unknown = null;
    try {
      parsed = text === null ? null : JSON.parse(text);
    } catch {
      parsed = null;
    }
    const message = store.add({
      subscription_id: id,
      endpoint: `${request.url.origin}/push/v1/send/${id}`,
      received_at: new Date().toISOString(),
      ttl,
      urgency: typeof request.headers.urgency === "string" ? request.headers.urgency : "normal",
      topic,
      vapid_subject: vapid.subject,
      text,
      json: parsed,
      decrypt_error: decryptError,
    });
    log.info("push received", { subscription: id, bytes: body.length, decrypted: decryptError === null });
    return { status: 201, headers: { location: `${request.url.origin}/push/v1/messages/${message.id}` } };
  }

  async function handle(request: GatewayRequest): Promise<GatewayResponse> {
    const { method, path } = request;
    const send = new RegExp(`^/send/(${ID})$`).exec(path);
    if (send) return method === "POST" ? receive(request, send[1]) : json(405, { error: "POST a push message" });

    // Everything else is the browser's side: the developer's own pages only.
    if (!access.allowsHost(request.headers.host)) return json(403, { error: "host not allowed" });
    const cors = corsHeaders(request);
    if (!cors)
      return json(403, { error: "origin not allowed: the push receiver answers loopback origins and the configured site_url only" });
    const withCors = (response: GatewayResponse): GatewayResponse => ({ ...response, headers: { ...response.headers, ...cors } });
    if (method === "OPTIONS") return withCors({ status: 204 });
    const endpoint = request.url.searchParams.get("endpoint") ?? undefined;
    if (path === "/subscriptions" && method === "POST") return withCors(await subscribe(request));
    const unsubscribe = new RegExp(`^/subscriptions/(${ID})$`).exec(path);
    if (unsubscribe && method === "DELETE")
      return withCors(store.unsubscribe(unsubscribe[1]) ? { status: 204 } : json(404, { error: "no such subscription" }));
    if (path === "/messages" && method === "GET") {
      const messages = store.list({ endpoint });
      return withCors(json(200, { total: messages.length, messages }));
    }
    if (path === "/messages" && method === "DELETE") return withCors(json(200, { deleted: store.clear({ endpoint }) }));
    return withCors(json(404, { error: "not found" }));
  }

  return {
    name: "push",
    prefix: "/push/v1",
    handle,
    ownsCors: true,
    health: () => ({ status: "ok", messages: store.list().length }),
  };
}
