// One joined channel of one socket: its topic, settings from the join, the client's token, and
// the access it was granted. Pushes go out through the owning socket.

import type { VerifiedToken } from "./access-token.ts";
import type { PhoenixMessage, Vsn } from "./phoenix-serializer.ts";
import type { PostgresBinding } from "./postgres-changes-bindings.ts";

export interface ChannelAccess {
  broadcastRead: boolean;
  presenceRead: boolean;
  /** Decided on the first send/track; forgotten on token refresh. */
  broadcastWrite?: boolean;
  presenceWrite?: boolean;
}

export interface ChannelOutput {
  /** Sends a server message on this socket. */
  send(message: PhoenixMessage): void;
  /** Sends a server message whose payload is already JSON text (see encodeMessageWithPayloadJson). */
  sendWithPayloadJson(message: Omit<PhoenixMessage, "payload">, payloadJson: string): void;
  /** The socket's protocol version: frames encoded for it can be shared by its channels. */
  readonly vsn: Vsn;
  /** Sends a frame already encoded for this socket's vsn (see encodeUserBroadcast). */
  sendFrame(frame: Buffer, isBinary: boolean): void;
}

export class Channel {
  bindings: PostgresBinding[] = [];
  /** phx_ref of this channel's tracked presence, if it tracks one. */
  presenceRef?: string;
  presenceMeta?: Record<string, unknown>;
  expiryTimer?: NodeJS.Timeout;
  closed = false;

  constructor(
    /** `realtime:<name>` as the client sent it. */
    readonly topic: string,
    readonly joinRef: string,
    readonly output: ChannelOutput,
    readonly options: {
      isPrivate: boolean;
      broadcastSelf: boolean;
      broadcastAck: boolean;
      presenceEnabled: boolean;
      presenceKey: string;
    },
    public token: VerifiedToken,
    public access: ChannelAccess,
  ) {}

  /** The name without `realtime:`: what realtime.topic() returns and REST broadcasts address. */
  get name(): string {
    return channelName(this.topic);
  }

  /** Public and private channels of one name never share messages. */
  get routeKey(): string {
    return routeKey(this.name, this.options.isPrivate);
  }

  push(event: string, payload: unknown): void {
    if (!this.closed) this.output.send({ join_ref: this.joinRef, ref: null, topic: this.topic, event, payload });
  }

  /** A push whose payload was serialized once for many channels. */
  pushPayloadJson(event: string, payloadJson: string): void {
    if (!this.closed) this.output.sendWithPayloadJson({ join_ref: this.joinRef, ref: null, topic: this.topic, event }, payloadJson);
  }

  systemMessage(extension: "system" | "postgres_changes", status: "ok" | "error", message: string): void {
    this.push("system", { extension, status, message, channel: this.name });
  }
}

export const channelName = (topic: string) => (topic.startsWith("realtime:") ? topic.slice("realtime:".length) : topic);
export const routeKey = (name: string, isPrivate: boolean) => `${isPrivate ? "private" : "public"}:${name}`;
