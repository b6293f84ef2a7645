// Private channels: whether a client may read (receive) or write (send/track) a topic, decided by
// the project's policies on realtime.messages, evaluated in Postgres with the client's role and
// claims and `realtime.topic` set (see _realtime.channel_access in the bootstrap).
import type { Sql } from "../db/connect.ts";
import type { JwtClaims } from "../keys/verify-jwt.ts";
import type { Channel, ChannelAccess } from "./channel.ts";

export type Extension = "broadcast" | "presence";

interface AccessRow {
  extension: Extension;
  can_read: boolean;
  can_write: boolean | null;
}

export async function readAccess(sql: Sql, name: string, claims: JwtClaims, presence: boolean): Promise<ChannelAccess> {
  const extensions: Extension[] = presence ? ["broadcast", "presence"] : ["broadcast"];
  const rows = await sql<AccessRow[]>`
    select extension, can_read, can_write
    from _realtime.channel_access(${name}, ${JSON.stringify(claims)}, ${extensions}::text[], false)`;
  const read = (extension: Extension) => rows.some((row) => row.extension === extension && row.can_read);
  return { broadcastRead: read("broadcast"), presenceRead: read("presence") };
}

export async function writeAccess(sql: Sql, name: string, claims: JwtClaims, extension: Extension): Promise<boolean> {
  const rows = await sql<AccessRow[]>`
    select extension, can_read, can_write
    from _realtime.channel_access(${name}, ${JSON.stringify(claims)}, ${[extension]}::text[], true)`;
  return rows.some((row) => row.can_write === true);
}

/** Write access of a channel's client, checked once and remembered until the token changes. */
export async function channelMayWrite(sql: Sql, channel: Channel, extension: Extension): Promise<boolean> {
  if (!channel.options.isPrivate) return true;
  const key = extension === "broadcast" ? "broadcastWrite" : "presenceWrite";
  const known = channel.access[key];
  if (known !== undefined) return known;
  const allowed = await writeAccess(sql, channel.name, channel.token.claims, extension);
  channel.access[key] = allowed;
  return allowed;
}
