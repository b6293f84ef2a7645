// Presence: who is on a channel. Each channel tracks at most one meta under its presence key;
// changes go out as presence_diff to every presence-enabled channel of the topic (on all
// instances), and a joining channel gets the full presence_state, read from _realtime.presence so
// it includes clients on other instances.
import { randomBytes } from "node:crypto";
import type { Sql } from "../db/connect.ts";
import type { Channel } from "./channel.ts";
import type { ChannelRegistry } from "./channel-registry.ts";
import type { Fanout } from "./fanout.ts";

type Meta = Record<string, unknown> & { phx_ref: string; phx_ref_prev?: string };
type PresenceMap = Record<string, { metas: Meta[] }>;

/** Phoenix refs are short base64 strings; uniqueness is all that matters. */
const newRef = () => randomBytes(9).toString("base64");

export class PresenceTracker {
  constructor(
    private readonly sql: Sql,
    private readonly instance: string,
    private readonly registry: ChannelRegistry,
    private readonly fanout: Fanout,
  ) {}

  /** Forgets entries this instance left behind when it stopped, telling the others they left. */
  async clearStale(): Promise<void> {
    const rows = await this.sql<{ topic: string; presence_key: string; meta: Meta }[]>`
      delete from _realtime.presence where instance = ${this.instance} returning topic, presence_key, meta`;
    for (const row of rows) await this.publishDiff(row.topic, {}, { [row.presence_key]: { metas: [row.meta] } });
  }

  /** The database was recreated: store this instance's tracked presences in the new one. */
  async restore(): Promise<void> {
    for (const channel of this.registry.all()) {
      if (channel.closed || !channel.presenceRef || !channel.presenceMeta) continue;
      const stored: Meta = { ...channel.presenceMeta, phx_ref: channel.presenceRef };
      await this.sql`insert into _realtime.presence (instance, topic, presence_key, phx_ref, meta)
                     values (${this.instance}, ${channel.routeKey}, ${channel.options.presenceKey}, ${channel.presenceRef},
                             ${this.sql.json(stored as never)})
                     on conflict do nothing`;
    }
  }

  async state(route: string): Promise<PresenceMap> {
    const rows = await this.sql<{ presence_key: string; meta: Meta }[]>`
      select presence_key, meta from _realtime.presence where topic = ${route} order by presence_key, phx_ref`;
    const state: PresenceMap = {};
    for (const row of rows) {
      state[row.presence_key] ??= { metas: [] };
      state[row.presence_key].metas.push(row.meta);
    }
    return state;
  }

  async pushState(channel: Channel): Promise<void> {
    channel.push("presence_state", await this.state(channel.routeKey));
  }

  async track(channel: Channel, payload: Record<string, unknown>): Promise<void> {
    if (channel.presenceMeta && JSON.stringify(channel.presenceMeta) === JSON.stringify(payload)) return;
    const previous = channel.presenceRef;
    const ref = newRef();
    const meta: Meta = { ...payload, phx_ref: ref, ...(previous ? { phx_ref_prev: previous } : {}) };
    const key = channel.options.presenceKey;
    const stored: Meta = { ...payload, phx_ref: ref };
    await this.sql.begin(async (tx) => {
      if (previous) await tx`delete from _realtime.presence where instance = ${this.instance} and phx_ref = ${previous}`;
      await tx`insert into _realtime.presence (instance, topic, presence_key, phx_ref, meta)
               values (${this.instance}, ${channel.routeKey}, ${key}, ${ref}, ${tx.json(stored as never)})`;
    });
    const leaves: PresenceMap =
      previous && channel.presenceMeta ? { [key]: { metas: [{ ...channel.presenceMeta, phx_ref: previous }] } } : {};
    channel.presenceRef = ref;
    channel.presenceMeta = payload;
    await this.publishDiff(channel.routeKey, { [key]: { metas: [meta] } }, leaves);
  }

  async untrack(channel: Channel): Promise<void> {
    const ref = channel.presenceRef;
    const meta = channel.presenceMeta;
    if (!ref || !meta) return;
    channel.presenceRef = undefined;
    channel.presenceMeta = undefined;
    await this.sql`delete from _realtime.presence where instance = ${this.instance} and phx_ref = ${ref}`;
    await this.publishDiff(channel.routeKey, {}, { [channel.options.presenceKey]: { metas: [{ ...meta, phx_ref: ref }] } });
  }

  /** Sends a diff to this instance's channels of the route (remote diffs arrive here too). */
  deliverDiff(route: string, joins: Record<string, unknown>, leaves: Record<string, unknown>): void {
    for (const channel of this.registry.route(route)) {
      if (channel.closed || !channel.options.presenceEnabled) continue;
      if (channel.options.isPrivate && !channel.access.presenceRead) continue;
      channel.push("presence_diff", { joins, leaves });
    }
  }

  private async publishDiff(route: string, joins: PresenceMap, leaves: PresenceMap): Promise<void> {
    this.deliverDiff(route, joins, leaves);
    await this.fanout.publish({ kind: "presence", route, joins, leaves });
  }
}
