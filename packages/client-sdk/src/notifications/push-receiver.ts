// The local stack's push receiver as a PushManager: in development the browser's own push service
// (FCM for Chromium) is out of reach, so the subscription comes from basekit's receiver at
// /push/v1, which decrypts and shows what the processor sends. Never used against a hosted project.
import { BasekitApiError } from "../lib/errors.ts";
import type { PushManagerLike } from "./push.ts";

export interface ReceiverSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  toJSON(): { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  /** As PushSubscription.unsubscribe: later pushes to the endpoint get 410. */
  unsubscribe(): Promise<boolean>;
}

/** A PushManager stand-in backed by `<apiUrl>/push/v1` (basekit start only). */
export function localPushReceiver(
  apiUrl: string,
  fetchImpl: typeof fetch = fetch,
): PushManagerLike & {
  subscribe(options: { applicationServerKey: string }): Promise<ReceiverSubscription>;
} {
  const base = `${apiUrl.replace(/\/+$/, "")}/push/v1`;
  return {
    async subscribe(options) {
      const response = await fetchImpl(`${base}/subscriptions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ applicationServerKey: options.applicationServerKey }),
      });
      const body = (await response.json().catch(() => ({}))) as {
        endpoint?: string;
        keys?: { p256dh: string; auth: string };
        error?: string;
      };
      if (response.status !== 201 || !body.endpoint || !body.keys)
        throw new BasekitApiError(`push receiver: ${body.error ?? `HTTP ${response.status}`}`, "push_receiver_error", {
          status: response.status,
        });
      const { endpoint, keys } = body as { endpoint: string; keys: { p256dh: string; auth: string } };
      return {
        endpoint,
        keys,
        toJSON: () => ({ endpoint, expirationTime: null, keys }),
        async unsubscribe() {
          const id = endpoint.slice(endpoint.lastIndexOf("/") + 1);
          const answer = await fetchImpl(`${base}/subscriptions/${id}`, { method: "DELETE" });
          return answer.status === 204;
        },
      };
    },
  };
}
