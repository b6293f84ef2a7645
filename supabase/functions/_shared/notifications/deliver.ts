// One claimed delivery through its channel. Whatever goes wrong becomes an Outcome, never an
// exception, so one bad delivery cannot stop the others in its batch.
import type { createEmailChannel } from "./email-channel.ts";
import type { createPushChannel } from "./push-channel.ts";
import { renderEvent } from "./render.ts";
import { type ClaimedDelivery, failed, type Outcome, sent } from "./types.ts";

export interface Channels {
  email: ReturnType<typeof createEmailChannel>;
  push: ReturnType<typeof createPushChannel>;
  siteUrl: string;
}

export async function deliver(delivery: ClaimedDelivery, channels: Channels): Promise<Outcome> {
  try {
    const content = renderEvent(delivery);
    switch (delivery.channel) {
      case "in_app":
        return sent("in-app row written", {
          title: content.title,
          body: content.body,
          data: { ...pick(delivery.payload, ["room_id", "message_id", "sender_id"]), url: content.path },
        });
      case "email":
        return await channels.email(delivery);
      case "push":
        return await channels.push(delivery, content, channels.siteUrl);
      default:
        return failed(`unknown channel ${String(delivery.channel)}`, false);
    }
  } catch (error) {
    return failed(`processor error: ${(error as Error).message}`, true);
  }
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(runners);
  return results;
}
