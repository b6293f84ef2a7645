// Subscribes a realtime channel and reports the outcome once, as a BasekitResult.
import type { RealtimeChannel } from "@supabase/supabase-js";
import { BasekitRealtimeError } from "../lib/errors.ts";
import { type BasekitResult, fail, ok } from "../lib/result.ts";

export async function subscribeChannel(
  channel: RealtimeChannel,
  onLost?: (error: BasekitRealtimeError) => void,
): Promise<BasekitResult<null>> {
  // A private channel is authorized by the join's token. Right after a page load supabase-js may
  // not have handed the session's token to Realtime yet, and a join without it (as anon) is refused.
  const realtime = channel.socket;
  // If that fails the join goes out with the API key and its refusal is the result.
  if (!realtime.accessTokenValue) await realtime.setAuth().catch(() => undefined);
  if (!realtime.getChannels().includes(channel))
    return fail(new BasekitRealtimeError(`Realtime channel ${channel.topic}: removed before it joined`));
  return new Promise((resolve) => {
    let settled = false;
    channel.subscribe((status, error) => {
      if (status === "SUBSCRIBED") {
        if (!settled) resolve(ok(null));
        settled = true;
        return;
      }
      if (status === "CLOSED" && !settled) return; // closed before joining: only an unsubscribe does that
      const failure = new BasekitRealtimeError(
        `Realtime channel ${channel.topic}: ${status.toLowerCase()}${error ? ` (${error.message})` : ""}`,
        error,
      );
      if (!settled) resolve(fail(failure));
      else if (status !== "CLOSED") onLost?.(failure);
      settled = true;
    });
  });
}
