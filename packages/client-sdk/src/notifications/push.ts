// Web Push subscriptions: the VAPID public key from the push-public-key function, a browser's
// PushManager subscription stored per device (save_push_subscription), removal on opt-out.
import type { Tables } from "../database.types.ts";
import { BasekitApiError } from "../lib/errors.ts";
import { invokeFunction } from "../lib/invoke-function.ts";
import { fromResponse } from "../lib/query-result.ts";
import { type BasekitResult, fail, guard, ok } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { validate } from "../lib/validate.ts";
import { type PushSubscriptionJson, pushSubscriptionJson } from "./notification-schemas.ts";

export type PushDevice = Pick<Tables<"push_subscriptions">, "id" | "endpoint" | "user_agent" | "created_at" | "last_success_at">;

/** What `subscribe` needs of a PushManager: a browser's, or the local push receiver's stand-in. */
export interface PushManagerLike {
  subscribe(options: { userVisibleOnly: boolean; applicationServerKey: string }): Promise<{ toJSON(): unknown }>;
}

export function createPushApi(supabase: BasekitSupabaseClient) {
  async function publicKey(): Promise<BasekitResult<string>> {
    const answer = await invokeFunction<{ publicKey?: string }>(supabase, "push-public-key", { method: "GET" });
    if (answer.error) return answer;
    return answer.data?.publicKey
      ? ok(answer.data.publicKey)
      : fail(new BasekitApiError("push-public-key answered without a key", "unknown_error"));
  }

  async function save(subscription: unknown, userAgent?: string): Promise<BasekitResult<string>> {
    const valid = validate(pushSubscriptionJson, subscription);
    if (valid.error) return valid;
    const { endpoint, keys } = valid.data;
    return fromResponse(
      await supabase.rpc("save_push_subscription", {
        endpoint,
        p256dh: keys.p256dh,
        auth: keys.auth,
        user_agent: userAgent?.slice(0, 512),
      }),
    );
  }

  return {
    /** The VAPID public key browsers subscribe with (base64url). */
    publicKey: (): Promise<BasekitResult<string>> => guard(publicKey),

    /** Subscribes this browser (its PushManager) and stores the subscription for the signed-in user. */
    subscribe: (
      pushManager: PushManagerLike,
      userAgent?: string,
    ): Promise<BasekitResult<{ id: string; subscription: PushSubscriptionJson }>> =>
      guard(async () => {
        const key = await publicKey();
        if (key.error) return key;
        const subscription = (await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key.data })).toJSON();
        const saved = await save(subscription, userAgent);
        if (saved.error) return saved;
        return ok({ id: saved.data, subscription: subscription as PushSubscriptionJson });
      }),

    /** Stores a subscription made elsewhere (PushSubscription.toJSON()). Returns its id. */
    save: (subscription: unknown, userAgent?: string): Promise<BasekitResult<string>> => guard(() => save(subscription, userAgent)),

    /** Forgets one of the caller's subscriptions by endpoint; false when there was none. */
    unsubscribe: (endpoint: string): Promise<BasekitResult<boolean>> =>
      guard(async () => {
        const valid = validate(pushSubscriptionJson.shape.endpoint, endpoint);
        if (valid.error) return valid;
        const removed = fromResponse(await supabase.from("push_subscriptions").delete().eq("endpoint", valid.data).select("id"));
        return removed.error ? removed : ok(removed.data.length > 0);
      }),

    /** The caller's subscribed devices. */
    devices: (): Promise<BasekitResult<PushDevice[]>> =>
      guard(async () =>
        fromResponse(
          await supabase
            .from("push_subscriptions")
            .select("id, endpoint, user_agent, created_at, last_success_at")
            .order("created_at", { ascending: false }),
        ),
      ),
  };
}
