// Subscribes a realtime channel and reports the outcome once, as a BasekitResult.
import type { RealtimeChannel } from "@supabase/supabase-js";
import { BasekitRealtimeError } from "../lib/errors.ts";
import { type BasekitResult, fail, ok } from "../lib/result.ts";

export function subscribeChannel(channel: RealtimeChannel, onLost?: (error: BasekitRealtimeError) => void): Promise<BasekitResult<null>> {
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
