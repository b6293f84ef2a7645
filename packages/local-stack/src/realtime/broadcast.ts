// Broadcast: client-to-client messages on a channel (with `self` and `ack`), delivered on this
// instance and relayed to the others; the same delivery serves REST and database broadcasts.
import { type Channel, routeKey } from "./channel.ts";
import type { ChannelRegistry } from "./channel-registry.ts";
import type { Fanout, RelayMessage } from "./fanout.ts";
import { encodeUserBroadcast, isBinaryPayload } from "./phoenix-serializer.ts";

export interface BroadcastMessage {
  route: string;
  event: string;
  payload: unknown;
  meta?: Record<string, unknown>;
}

/**
 * Delivers to the channels of a route on this instance, except `exclude` (a sender without `self`).
 * Each distinct frame (per topic spelling and protocol version) is encoded once and the same bytes
 * go to every socket: a large broadcast costs one encoding and one copy in memory, however many
 * subscribers hold it.
 */
export function deliverBroadcast(registry: ChannelRegistry, message: BroadcastMessage, exclude?: Channel): number {
  let delivered = 0;
  const frames = new Map<string, { frame: Buffer; isBinary: boolean }>();
  for (const channel of registry.route(message.route)) {
    if (channel === exclude || channel.closed) continue;
    if (channel.options.isPrivate && !channel.access.broadcastRead) continue;
    const key = `${channel.output.vsn}\u0000${channel.topic}`;
    let encoded = frames.get(key);
    if (!encoded) {
      const frame = encodeUserBroadcast(channel.topic, message.event, message.payload, message.meta, channel.output.vsn);
      encoded = typeof frame === "string" ? { frame: Buffer.from(frame), isBinary: false } : { frame, isBinary: true };
      frames.set(key, encoded);
    }
    channel.output.sendFrame(encoded.frame, encoded.isBinary);
    delivered++;
  }
  return delivered;
}

export function toRelay(message: BroadcastMessage): RelayMessage {
  if (isBinaryPayload(message.payload))
    return {
      kind: "broadcast",
      route: message.route,
      event: message.event,
      payload: null,
      binary: message.payload.binary.toString("base64"),
      meta: message.meta,
    };
  return { kind: "broadcast", route: message.route, event: message.event, payload: message.payload, meta: message.meta };
}

export function fromRelay(message: RelayMessage & { kind: "broadcast" }): BroadcastMessage {
  const payload = message.binary !== undefined ? { binary: Buffer.from(message.binary, "base64") } : message.payload;
  return { route: message.route, event: message.event, payload, meta: message.meta };
}

/** Delivers here and on every other instance. */
export async function publishBroadcast(
  registry: ChannelRegistry,
  fanout: Fanout,
  message: BroadcastMessage,
  exclude?: Channel,
): Promise<void> {
  deliverBroadcast(registry, message, exclude);
  await fanout.publish(toRelay(message));
}

export const broadcastRoute = (name: string, isPrivate: boolean) => routeKey(name, isPrivate);
