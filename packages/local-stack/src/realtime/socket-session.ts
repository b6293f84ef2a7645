// One client socket: decodes Phoenix frames, answers heartbeats, routes join/leave, broadcast,
// presence and access_token refreshes to the channels it joined, and cleans up when it drops. A
// client that stops reading is disconnected once its unsent data passes a cap, so it cannot make
// the process hold every message sent to it.
import type { WebSocket } from "ws";
import { TokenError, verifyRealtimeToken } from "./access-token.ts";
import { channelMayWrite, readAccess } from "./authorization.ts";
import { publishBroadcast } from "./broadcast.ts";
import type { Channel, ChannelOutput } from "./channel.ts";
import { JoinError, joinChannel, scheduleExpiry } from "./channel-join.ts";
import {
  decodeFrame,
  encodeMessage,
  encodeMessageWithPayloadJson,
  FrameError,
  isBinaryPayload,
  type PhoenixMessage,
  type Vsn,
} from "./phoenix-serializer.ts";
import type { RealtimeRuntime } from "./runtime.ts";

/** Unsent bytes a socket may hold before it is dropped: more than one message of the largest size. */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Supabase's max_payload_size_in_kb default (3000 KB) for a broadcast's payload. */
export const MAX_BROADCAST_PAYLOAD_BYTES = 3000 * 1024;
/** How long a dropped slow client's socket may take to receive the close frame. */
const CLOSE_GRACE_MS = 1000;
/** WebSocket close code 1013, "Try Again Later": the server refused to queue more for this client. */
const SLOW_CONSUMER_CLOSE = 1013;

const object = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function payloadBytes(payload: unknown): number {
  if (isBinaryPayload(payload)) return payload.binary.length;
  return Buffer.byteLength(JSON.stringify(payload ?? null));
}

export class SocketSession implements ChannelOutput {
  private readonly channels = new Map<string, Channel>();
  /** Joins in progress, so a leave or a second join waits for them. */
  private readonly pending = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly runtime: RealtimeRuntime,
    private readonly ws: WebSocket,
    readonly vsn: Vsn,
    private readonly socketToken: string | undefined,
  ) {
    ws.on("message", (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on("close", () => this.drop());
    ws.on("error", () => this.drop());
  }

  send(message: PhoenixMessage): void {
    if (this.writable()) this.ws.send(encodeMessage(message, this.vsn));
  }

  sendWithPayloadJson(message: Omit<PhoenixMessage, "payload">, payloadJson: string): void {
    if (this.writable()) this.ws.send(encodeMessageWithPayloadJson(message, payloadJson, this.vsn));
  }

  sendFrame(frame: Buffer, isBinary: boolean): void {
    // The same Buffer goes to every subscriber: ws frames it without copying, so a broadcast held
    // in many slow sockets' queues is in memory once.
    if (this.writable()) this.ws.send(frame, { binary: isBinary });
  }

  /** Open and keeping up. A client that lets unsent data pile up past the cap is disconnected. */
  private writable(): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount <= MAX_BUFFERED_BYTES) return true;
    this.runtime.logger.warn("realtime client not reading; disconnected", {
      bufferedBytes: this.ws.bufferedAmount,
      channels: [...this.channels.keys()],
    });
    this.ws.close(SLOW_CONSUMER_CLOSE, "slow consumer: send buffer full");
    // The close frame waits behind the unsent data; if the client still reads nothing, let go.
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
    this.drop();
    return false;
  }

  private reply(message: PhoenixMessage, status: "ok" | "error", response: unknown): void {
    this.send({ join_ref: message.join_ref, ref: message.ref, topic: message.topic, event: "phx_reply", payload: { status, response } });
  }

  private receive(data: Buffer, isBinary: boolean): void {
    let message: PhoenixMessage;
    try {
      message = decodeFrame(Buffer.isBuffer(data) ? data : Buffer.from(data), isBinary, this.vsn);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      // Phoenix cannot decode the frame: the socket process ends, as Supabase's does.
      this.ws.close(1011, "invalid frame");
      return;
    }
    this.handle(message).catch((error: Error) => {
      this.runtime.logger.error("realtime message failed", { topic: message.topic, event: message.event, error: error.message });
      if (message.ref) this.reply(message, "error", { reason: "Internal error" });
    });
  }

  private async handle(message: PhoenixMessage): Promise<void> {
    if (message.topic === "phoenix") {
      if (message.event === "heartbeat") this.reply(message, "ok", {});
      return;
    }
    if (message.event === "phx_join") return this.join(message);
    await this.pending.get(message.topic);
    const channel = this.channels.get(message.topic);
    if (!channel || (message.join_ref && message.join_ref !== channel.joinRef)) {
      if (message.ref) this.reply(message, "error", { reason: "unmatched topic" });
      return;
    }
    switch (message.event) {
      case "phx_leave":
        this.reply(message, "ok", {});
        await this.leave(channel);
        return;
      case "broadcast":
        return this.broadcast(channel, message);
      case "presence":
        return this.presence(channel, message);
      case "access_token":
        return this.refreshToken(channel, object(message.payload).access_token);
      default:
        return;
    }
  }

  private async join(message: PhoenixMessage): Promise<void> {
    const joinRef = message.join_ref ?? message.ref ?? "";
    const work = (async () => {
      await this.pending.get(message.topic);
      const previous = this.channels.get(message.topic);
      if (previous) await this.leave(previous);
      if (!message.topic.startsWith("realtime:")) {
        this.reply(message, "error", { reason: "unmatched topic" });
        return;
      }
      try {
        const { channel, reply, bindingErrors } = await joinChannel(this.runtime, {
          topic: message.topic,
          joinRef,
          payload: message.payload,
          socketToken: this.socketToken,
          output: this,
        });
        if (this.closed) return;
        this.channels.set(channel.topic, channel);
        this.runtime.registry.add(channel);
        this.reply(message, "ok", reply);
        if (channel.options.presenceEnabled && (!channel.options.isPrivate || channel.access.presenceRead))
          await this.runtime.presence.pushState(channel);
        for (const error of bindingErrors) channel.systemMessage("postgres_changes", "error", error);
        if (channel.bindings.length > 0) {
          channel.systemMessage("postgres_changes", "ok", "Subscribed to PostgreSQL");
          await this.runtime.resume.joined(channel);
        }
        scheduleExpiry(channel, () => this.close(channel));
      } catch (error) {
        if (error instanceof JoinError) {
          this.reply(message, "error", { reason: error.message });
          return;
        }
        throw error;
      }
    })();
    this.pending.set(message.topic, work);
    try {
      await work;
    } finally {
      if (this.pending.get(message.topic) === work) this.pending.delete(message.topic);
    }
  }

  private async broadcast(channel: Channel, message: PhoenixMessage): Promise<void> {
    const payload = object(message.payload);
    if (typeof payload.event !== "string") return;
    if (payloadBytes(payload.payload) > MAX_BROADCAST_PAYLOAD_BYTES) {
      if (message.ref) this.reply(message, "error", { reason: "Payload size exceeds tenant limit" });
      return;
    }
    if (!(await channelMayWrite(this.runtime.sql, channel, "broadcast"))) return;
    await publishBroadcast(
      this.runtime.registry,
      this.runtime.fanout,
      { route: channel.routeKey, event: payload.event, payload: payload.payload },
      channel.options.broadcastSelf ? undefined : channel,
    );
    if (channel.options.broadcastAck && message.ref) this.reply(message, "ok", {});
  }

  private async presence(channel: Channel, message: PhoenixMessage): Promise<void> {
    const payload = object(message.payload);
    if (payload.event === "track") {
      const meta = payload.payload;
      if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
        this.reply(message, "error", { reason: "Presence track payload must be a map" });
        return;
      }
      if (!(await channelMayWrite(this.runtime.sql, channel, "presence"))) {
        this.reply(message, "error", {});
        return;
      }
      if (!channel.options.presenceEnabled) {
        channel.options.presenceEnabled = true;
        await this.runtime.presence.pushState(channel);
      }
      await this.runtime.presence.track(channel, meta as Record<string, unknown>);
      this.reply(message, "ok", {});
    } else if (payload.event === "untrack") {
      await this.runtime.presence.untrack(channel);
      this.reply(message, "ok", {});
    } else if (message.ref) this.reply(message, "error", { reason: "unknown presence event" });
  }

  /** A new token on an open channel: re-verified, private read re-checked, claims swapped. */
  private async refreshToken(channel: Channel, value: unknown): Promise<void> {
    if (typeof value !== "string" || value === "" || value.startsWith("sb_") || value === channel.token.token) return;
    try {
      const token = await verifyRealtimeToken(this.runtime.verifier, value);
      if (channel.options.isPrivate) {
        const access = await readAccess(this.runtime.sql, channel.name, token.claims, true);
        if (!access.broadcastRead && !access.presenceRead) {
          channel.systemMessage("system", "error", `You no longer have permission to read from this Channel topic: ${channel.name}`);
          await this.close(channel);
          return;
        }
        channel.access = access;
      }
      channel.token = token;
      scheduleExpiry(channel, () => this.close(channel));
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      channel.systemMessage("system", "error", error.detail);
      await this.close(channel);
    }
  }

  /** Ends a channel from the server side: phx_close with its join ref. */
  private async close(channel: Channel): Promise<void> {
    this.send({ join_ref: channel.joinRef, ref: channel.joinRef, topic: channel.topic, event: "phx_close", payload: {} });
    await this.teardown(channel);
  }

  private async leave(channel: Channel): Promise<void> {
    this.send({ join_ref: channel.joinRef, ref: channel.joinRef, topic: channel.topic, event: "phx_close", payload: {} });
    await this.teardown(channel);
  }

  private async teardown(channel: Channel, stopping = false): Promise<void> {
    if (channel.closed) return;
    channel.closed = true;
    if (channel.expiryTimer) clearTimeout(channel.expiryTimer);
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
    this.runtime.registry.remove(channel);
    await this.runtime.presence.untrack(channel);
    if (channel.bindings.length > 0 && !stopping) await this.runtime.resume.left(channel);
  }

  private drop(stopping = false): void {
    if (this.closed) return;
    this.closed = true;
    for (const channel of [...this.channels.values()])
      this.teardown(channel, stopping).catch((error: Error) =>
        this.runtime.logger.error("realtime cleanup failed", { error: error.message }),
      );
  }

  /** The service is stopping: keep the subscription ledger so the next start can resume. */
  terminate(): void {
    this.drop(true);
    this.ws.terminate();
  }
}
