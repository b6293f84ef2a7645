// phx_join on a `realtime:<name>` topic: reads the join config as realtime-js sends it, verifies
// the token, authorizes private channels by RLS, registers postgres_changes bindings and
// answers as Supabase does (reply with binding ids, presence_state, `system` messages).
import { msUntilExpiry, secondsAgo, TokenError, type VerifiedToken, verifyRealtimeToken } from "./access-token.ts";
import { readAccess } from "./authorization.ts";
import { Channel, type ChannelAccess, type ChannelOutput, channelName } from "./channel.ts";
import { isPatternFilter } from "./filters.ts";
import { BindingError, type PostgresBinding, paramsToLog, parseBinding } from "./postgres-changes-bindings.ts";
import type { RealtimeRuntime } from "./runtime.ts";

export class JoinError extends Error {}

const flag = (value: unknown, fallback: boolean) =>
  value === true || value === "true" ? true : value === false || value === "false" ? false : fallback;
const object = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export interface JoinRequest {
  topic: string;
  joinRef: string;
  payload: unknown;
  /** Token from the socket's apikey, used when the join carries none (or an `sb_` key). */
  socketToken: string | undefined;
  output: ChannelOutput;
}

/** The join token: `access_token` (legacy `user_token`), the socket's key when absent or opaque. */
export async function joinToken(
  runtime: RealtimeRuntime,
  payload: Record<string, unknown>,
  socketToken: string | undefined,
): Promise<VerifiedToken> {
  const given =
    typeof payload.access_token === "string"
      ? payload.access_token
      : typeof payload.user_token === "string"
        ? payload.user_token
        : undefined;
  const token = given && !given.startsWith("sb_") ? given : socketToken;
  if (!token) throw new TokenError("InvalidJWTToken: API key is missing", "API key is missing");
  return verifyRealtimeToken(runtime.verifier, token);
}

export async function joinChannel(
  runtime: RealtimeRuntime,
  request: JoinRequest,
): Promise<{ channel: Channel; reply: Record<string, unknown>; bindingErrors: string[] }> {
  const name = channelName(request.topic);
  if (name === "") throw new JoinError("TopicNameRequired: You must provide a topic name");
  const payload = object(request.payload);
  const config = object(payload.config);
  const broadcast = object(config.broadcast);
  const presence = object(config.presence);
  const isPrivate = flag(config.private, false);
  let token: VerifiedToken;
  try {
    token = await joinToken(runtime, payload, request.socketToken);
  } catch (error) {
    if (error instanceof TokenError) throw new JoinError(error.reason);
    throw error;
  }
  const presenceEnabled = flag(presence.enabled, false);
  let access: ChannelAccess = { broadcastRead: true, presenceRead: true };
  if (isPrivate) {
    access = await readAccess(runtime.sql, name, token.claims, true);
    if (!access.broadcastRead && !access.presenceRead)
      throw new JoinError(`Unauthorized: You do not have permissions to read from this Channel topic: ${name}`);
  }
  const presenceKey = typeof presence.key === "string" && presence.key !== "" ? presence.key : crypto.randomUUID();
  const channel = new Channel(
    request.topic,
    request.joinRef,
    request.output,
    { isPrivate, broadcastSelf: flag(broadcast.self, false), broadcastAck: flag(broadcast.ack, false), presenceEnabled, presenceKey },
    token,
    access,
  );

  const rawBindings = Array.isArray(config.postgres_changes) ? config.postgres_changes : [];
  const bindingErrors: string[] = [];
  const replyBindings: Record<string, unknown>[] = [];
  const bindings: PostgresBinding[] = [];
  for (const raw of rawBindings) {
    try {
      const binding = parseBinding(raw);
      bindings.push(binding);
      replyBindings.push({ ...binding.params, id: binding.id });
    } catch (error) {
      if (!(error instanceof BindingError)) throw error;
      bindingErrors.push(error.message);
      replyBindings.push({ ...object(raw), id: 0 });
    }
  }
  if (bindings.length > 0) bindingErrors.push(...(await checkPublished(runtime, bindings)));
  if (bindingErrors.length === 0) bindingErrors.push(...(await checkPatterns(runtime, bindings)));
  channel.bindings = bindingErrors.length === 0 ? bindings : [];
  return { channel, reply: { postgres_changes: replyBindings }, bindingErrors };
}

/** Each binding must name tables of the supabase_realtime publication, and filter real columns. */
async function checkPublished(runtime: RealtimeRuntime, bindings: PostgresBinding[]): Promise<string[]> {
  const tables = await runtime.publishedTables();
  const errors: string[] = [];
  for (const binding of bindings) {
    const matches = tables.filter(
      (t) => (binding.schema === "*" || t.schema === binding.schema) && (binding.table === "*" || t.table === binding.table),
    );
    if (matches.length === 0) {
      errors.push(
        `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [${Object.entries(
          binding.params,
        )
          .map(([key, value]) => `${key}: ${String(value)}`)
          .join(", ")}]`,
      );
      continue;
    }
    for (const { column } of binding.filters)
      if (!matches.some((t) => t.columns.includes(column))) errors.push(`invalid column for filter ${column}`);
  }
  return errors;
}

/** Patterns Postgres cannot compile are refused now, with Supabase's text, not at every change. */
async function checkPatterns(runtime: RealtimeRuntime, bindings: PostgresBinding[]): Promise<string[]> {
  const errors: string[] = [];
  for (const binding of bindings)
    for (const filter of binding.filters.filter(isPatternFilter)) {
      const error = await runtime.patterns.validate(filter.op, filter.value);
      if (error)
        errors.push(
          `Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [${paramsToLog(binding)}]. Exception: ${error.detail}`,
        );
    }
  return errors;
}

/** Schedules the end of a channel when its token expires, with Supabase's `system` error. */
export function scheduleExpiry(channel: Channel, onExpired: () => void): void {
  if (channel.expiryTimer) clearTimeout(channel.expiryTimer);
  const wait = msUntilExpiry(channel.token.claims);
  if (!Number.isFinite(wait)) return;
  channel.expiryTimer = setTimeout(
    () => {
      channel.systemMessage("system", "error", `Token has expired ${secondsAgo(channel.token.claims.exp)} seconds ago`);
      onExpired();
    },
    Math.min(Math.max(wait, 0) + 50, 2 ** 31 - 1),
  );
  channel.expiryTimer.unref();
}
