// The notification processor: claims a batch of deliveries, delivers each through its channel
// (in-app row, email via Resend, Web Push), records every outcome, and repeats until the queue
// has nothing ready or the run's batch budget is spent. Triggered by pg_cron and by a webhook on
// enqueue; safe to run many at once (claims skip what others hold). Service role only.
import { createClient } from "npm:@supabase/supabase-js@2";
import { z } from "npm:zod@4";
import { callerFrom } from "../_shared/caller.ts";
import { jsonResponse, preflight } from "../_shared/cors.ts";
import { deliver, mapLimited } from "../_shared/notifications/deliver.ts";
import { createEmailChannel } from "../_shared/notifications/email-channel.ts";
import { readEnv } from "../_shared/notifications/env.ts";
import { createPushChannel } from "../_shared/notifications/push-channel.ts";
import { createQueue } from "../_shared/notifications/queue.ts";
import type { ClaimedDelivery, DeliveryResult, Outcome } from "../_shared/notifications/types.ts";

const env = readEnv();
const db = createClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
const queue = createQueue(db);
const channels = {
  email: createEmailChannel(env),
  push: createPushChannel(env, queue.forgetPushSubscriptions),
  siteUrl: env.NOTIFICATIONS_SITE_URL,
};

const runOptions = z
  .object({
    batch_size: z.number().int().min(1).max(1000).default(200),
    visibility_timeout_seconds: z.number().int().min(1).max(3600).default(60),
    max_batches: z.number().int().min(1).max(100).default(10),
    concurrency: z.number().int().min(1).max(100).default(32),
  })
  .strict();

/** A digest reports the same outcome for each of its queue ids; only in-app carries content. */
const asResults = (delivery: ClaimedDelivery, outcome: Outcome): DeliveryResult[] => delivery.ids.map((id) => ({ id, ...outcome }));

Deno.serve(async (request) => {
  if (request.method === "OPTIONS") return preflight();
  if (callerFrom(request).role !== "service_role")
    return jsonResponse({ code: "forbidden", message: "the notification processor runs with the service role only" }, 403);
  if (request.method !== "POST") return jsonResponse({ code: "method_not_allowed", message: "POST to run the processor" }, 405);
  const text = await request.text();
  let input: unknown = {};
  try {
    input = text.trim() ? JSON.parse(text) : {};
  } catch {
    return jsonResponse({ code: "invalid_json", message: "the body must be a JSON object" }, 400);
  }
  const parsed = runOptions.safeParse(input);
  if (!parsed.success) return jsonResponse({ code: "invalid_options", message: z.prettifyError(parsed.error) }, 400);
  const options = parsed.data;

  const totals = { claimed: 0, sent: 0, suppressed: 0, retrying: 0, dead: 0, in_app: 0, batches: 0 };
  const record = async (claimId: string, delivered: [ClaimedDelivery, Outcome][]) => {
    if (!delivered.length) return;
    const summary = await queue.complete(
      claimId,
      delivered.flatMap(([delivery, outcome]) => asResults(delivery, outcome)),
    );
    for (const key of ["sent", "suppressed", "retrying", "dead", "in_app"] as const) totals[key] += summary[key];
  };
  for (let batch = 0; batch < options.max_batches; batch++) {
    const claim = await queue.claim(options.batch_size, options.visibility_timeout_seconds);
    if (!claim.deliveries.length) break;
    totals.batches++;
    totals.claimed += claim.deliveries.length;
    // In-app rows need no network: recorded together at once. Each email and push is recorded as
    // soon as it is done, so a slow or dead endpoint delays nobody else's outcome.
    const inApp = claim.deliveries.filter((d) => d.channel === "in_app");
    const outgoing = claim.deliveries.filter((d) => d.channel !== "in_app");
    await record(claim.claim_id, await Promise.all(inApp.map(async (d) => [d, await deliver(d, channels)] as [ClaimedDelivery, Outcome])));
    await mapLimited(outgoing, options.concurrency, async (d) => record(claim.claim_id, [[d, await deliver(d, channels)]]));
  }
  return jsonResponse(totals);
});
