// The channels joined on this instance, by route (public/private + name) for broadcast and
// presence, and those with postgres_changes bindings for change delivery.
import type { Channel } from "./channel.ts";

export class ChannelRegistry {
  private readonly byRoute = new Map<string, Set<Channel>>();
  readonly withBindings = new Set<Channel>();

  add(channel: Channel): void {
    const set = this.byRoute.get(channel.routeKey) ?? new Set<Channel>();
    this.byRoute.set(channel.routeKey, set);
    set.add(channel);
    if (channel.bindings.length > 0) this.withBindings.add(channel);
  }

  remove(channel: Channel): void {
    const set = this.byRoute.get(channel.routeKey);
    set?.delete(channel);
    if (set?.size === 0) this.byRoute.delete(channel.routeKey);
    this.withBindings.delete(channel);
  }

  *all(): Iterable<Channel> {
    for (const set of this.byRoute.values()) yield* set;
  }

  route(key: string): Iterable<Channel> {
    return this.byRoute.get(key) ?? [];
  }

  get size(): number {
    let count = 0;
    for (const set of this.byRoute.values()) count += set.size;
    return count;
  }
}
