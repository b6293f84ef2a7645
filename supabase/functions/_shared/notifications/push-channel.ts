// Web Push through `web-push`: it encrypts the payload (aes128gcm, RFC 8291) and signs the VAPID
// header; the request itself goes out with fetch so it has a deadline and also reaches the local
// push receiver, which speaks plain HTTP on loopback. 404/410 mean the subscription is gone: it
// is removed. Several devices: sent if any got it.
import webpush from "npm:web-push@3.6.7";
import type { NotificationEnv } from "./env.ts";
import type { Rendered } from "./render.ts";
import { type ClaimedDelivery, failed, type Outcome, sent, suppressed } from "./types.ts";

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

type Attempt = { ok: true } | { gone: true } | { ok: false; retryable: boolean; reason: string };

export function createPushChannel(env: NotificationEnv, forget: (subscriptionIds: string[]) => Promise<void>) {
  const vapidDetails =
    env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY
      ? { subject: env.VAPID_SUBJECT, publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY }
      : null;

  async function pushOne(endpoint: string, keys: { p256dh: string; auth: string }, body: string, topic: string): Promise<Attempt> {
    const url = URL.parse(endpoint);
    if (!url || (url.protocol !== "https:" && !(env.PUSH_ALLOW_HTTP_ENDPOINTS && url.protocol === "http:")))
      return { ok: false, retryable: false, reason: "endpoint is not an https URL" };
    let request: { endpoint: string; headers: Record<string, string>; body: Uint8Array };
    try {
      request = webpush.generateRequestDetails({ endpoint, keys }, body, {
        vapidDetails: vapidDetails ?? undefined,
        TTL: 24 * 3600,
        topic,
        contentEncoding: "aes128gcm",
      });
    } catch (error) {
      return { ok: false, retryable: false, reason: `cannot encrypt for this subscription: ${(error as Error).message}` };
    }
    try {
      const response = await fetch(request.endpoint, {
        method: "POST",
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(env.NOTIFICATIONS_SEND_TIMEOUT_MS),
        redirect: "manual",
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return { ok: true };
      if (response.status === 404 || response.status === 410) return { gone: true };
      return { ok: false, retryable: RETRYABLE_STATUS.has(response.status), reason: `push service answered ${response.status}` };
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      return { ok: false, retryable: true, reason: timedOut ? "push service did not answer in time" : `push: ${(error as Error).message}` };
    }
  }

  return async function deliverPush(delivery: ClaimedDelivery, content: Rendered, siteUrl: string): Promise<Outcome> {
    if (!vapidDetails) return failed("VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY are not set", false);
    const subscriptions = delivery.push_subscriptions ?? [];
    const body = JSON.stringify({
      title: content.title,
      body: content.body,
      url: new URL(content.path, siteUrl).href,
      type: delivery.type,
      tag: `${delivery.type}:${delivery.event_id}`,
    });
    // The topic lets a push service replace an undelivered copy of the same delivery (a retry
    // after a crash) instead of showing it twice.
    const attempts = await Promise.all(subscriptions.map((s) => pushOne(s.endpoint, s.keys, body, `d${delivery.id}`)));
    const gone = subscriptions.filter((_, i) => "gone" in attempts[i]).map((s) => s.id);
    if (gone.length) await forget(gone);
    const delivered = attempts.filter((a) => "ok" in a && a.ok).length;
    if (delivered) return sent(`pushed to ${delivered} of ${subscriptions.length} device(s)`);
    const failures = attempts.filter((a): a is Extract<Attempt, { ok: false }> => "ok" in a && !a.ok);
    if (!failures.length) return suppressed("every push subscription has expired");
    return failed(
      failures.map((f) => f.reason).join("; "),
      failures.some((f) => f.retryable),
    );
  };
}
