// Subscribes a realtime channel and reports the outcome once, as a BasekitResult; later losses and
// rejoins are reported through the callbacks.
import type { RealtimeChannel } from "@supabase/supabase-js";
import { BasekitRealtimeError } from "../lib/errors.ts";
import { type BasekitResult, fail, ok } from "../lib/result.ts";

export interface ChannelLifecycle {
  /** The channel broke after it had joined (realtime-js rejoins it by itself). */
  onLost?(error: BasekitRealtimeError): void;
  /**
   * The channel joined again after a loss, or joined late after a join that timed out: whatever was
   * sent meanwhile never arrived, so what it covers must be fetched again.
   */
  onRejoined?(): void;
}

export async function subscribeChannel(channel: RealtimeChannel, lifecycle: ChannelLifecycle = {}): Promise<BasekitResult<null>> {
  // A private channel is authorized by the join's token. Right after a page load supabase-js may
  // not have handed the session's token to Realtime yet, and a join without it (as anon) is refused.
  const realtime = channel.socket;
  // If that fails the join goes out with the API key and its refusal is the result.
  if (!realtime.accessTokenValue) await realtime.setAuth().catch(() => undefined);
  if (!realtime.getChannels().includes(channel))
    return fail(new BasekitRealtimeError(`Realtime channel ${channel.topic}: removed before it joined`));
  return new Promise((resolve) => {
    let settled = false;
    let lost = false;
    channel.subscribe((status, error) => {
      if (status === "SUBSCRIBED") {
        if (!settled) resolve(ok(null));
        else if (lost) lifecycle.onRejoined?.();
        settled = true;
        lost = false;
        return;
      }
      if (status === "CLOSED" && !settled) return; // closed before joining: only an unsubscribe does that
      // A join that timed out is slow, not refused: realtime-js leaves and joins again on its own,
      // and the first SUBSCRIBED settles it. Giving up here left a busy server's late join unused.
      if (status === "TIMED_OUT" && !settled) return;
      const failure = new BasekitRealtimeError(
        `Realtime channel ${channel.topic}: ${status.toLowerCase()}${error ? ` (${error.message})` : ""}`,
        error,
      );
      if (!settled) resolve(fail(failure));
      else if (status !== "CLOSED") {
        lost = true;
        lifecycle.onLost?.(failure);
      }
      settled = true;
    });
  });
}
