// Resuming postgres_changes after a restart. The instance records the subscriptions it serves;
// on start it holds the replication stream back until those subscriptions have rejoined (clients
// reconnect within seconds) or a grace period ends, so changes committed while it was down reach
// the clients that were subscribed, instead of being streamed before anyone listens again.
import { createHash } from "node:crypto";
import type { Sql } from "../db/connect.ts";
import type { Channel } from "./channel.ts";

export function subscriptionKey(channel: Channel): string {
  const identity = [channel.routeKey, channel.token.role, String(channel.token.claims.sub ?? ""), channel.bindings.map((b) => b.params)];
  return createHash("sha1").update(JSON.stringify(identity)).digest("hex");
}

export class ResumeGate {
  private readonly awaited = new Set<string>();
  private readonly live = new Map<string, number>();
  private release!: () => void;
  /** Resolves when the stream may start. */
  readonly opened = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  constructor(
    private readonly sql: Sql,
    private readonly instance: string,
  ) {}

  /** Loads what was served before the last stop; opens at once if nothing was. */
  async load(graceMs: number): Promise<number> {
    const rows = await this.sql<{ subscription_key: string }[]>`
      delete from _realtime.subscriptions where instance = ${this.instance} returning subscription_key`;
    for (const row of rows) this.awaited.add(row.subscription_key);
    if (this.awaited.size === 0) this.release();
    else setTimeout(() => this.release(), graceMs).unref();
    return this.awaited.size;
  }

  async joined(channel: Channel): Promise<void> {
    const key = subscriptionKey(channel);
    this.live.set(key, (this.live.get(key) ?? 0) + 1);
    await this
      .sql`insert into _realtime.subscriptions (instance, subscription_key) values (${this.instance}, ${key}) on conflict do nothing`;
    if (this.awaited.delete(key) && this.awaited.size === 0) this.release();
  }

  /** The database was recreated: record the subscriptions served now in the new one. */
  async restore(): Promise<void> {
    const keys = [...this.live.keys()];
    if (keys.length > 0)
      await this.sql`insert into _realtime.subscriptions (instance, subscription_key)
                     select ${this.instance}, unnest(${keys}::text[]) on conflict do nothing`;
  }

  async left(channel: Channel): Promise<void> {
    const key = subscriptionKey(channel);
    const count = (this.live.get(key) ?? 1) - 1;
    if (count > 0) {
      this.live.set(key, count);
      return;
    }
    this.live.delete(key);
    await this.sql`delete from _realtime.subscriptions where instance = ${this.instance} and subscription_key = ${key}`;
  }
}
