// Who is online in a room and who is typing, over the room's private Realtime channel `room:<id>`
// (the database lets only members join it). Presence tracks the open tabs; typing is a broadcast
// that expires on its own if the "stopped" message never comes.
import type { BasekitRealtimeError } from "../lib/errors.ts";
import type { BasekitResult } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { subscribeChannel } from "./subscribe-channel.ts";

export interface PresenceUser {
  userId: string;
  displayName: string;
  onlineAt: string;
}

export interface RoomPresenceHandlers {
  onPresence?(users: PresenceUser[]): void;
  /** Everyone typing right now, except the caller. */
  onTyping?(users: { userId: string; displayName: string }[]): void;
  onError?(error: BasekitRealtimeError): void;
}

export interface RoomPresenceOptions {
  userId: string;
  displayName: string;
  /** Publish the caller's own presence (false when they hide their online status). Default true. */
  announce?: boolean;
  /** How long a "typing" signal lasts without being repeated. Default 6 s. */
  typingTimeoutMs?: number;
}

export interface RoomPresence {
  ready: Promise<BasekitResult<null>>;
  /** Call on every keystroke (it throttles itself) and with false when the draft is sent or cleared. */
  setTyping(typing: boolean): void;
  leave(): Promise<void>;
}

interface TypingPayload {
  user_id: string;
  display_name: string;
  typing: boolean;
}

export function joinRoomPresence(
  supabase: BasekitSupabaseClient,
  roomId: string,
  options: RoomPresenceOptions,
  handlers: RoomPresenceHandlers,
): RoomPresence {
  const timeout = options.typingTimeoutMs ?? 6000;
  const typing = new Map<string, { displayName: string; timer: ReturnType<typeof setTimeout> }>();
  const channel = supabase.channel(`room:${roomId}`, { config: { private: true, presence: { key: options.userId } } });

  const emitTyping = () => handlers.onTyping?.([...typing].map(([userId, t]) => ({ userId, displayName: t.displayName })));
  const stopTyping = (userId: string) => {
    const entry = typing.get(userId);
    if (!entry) return;
    clearTimeout(entry.timer);
    typing.delete(userId);
    emitTyping();
  };

  channel
    .on("presence", { event: "sync" }, () => {
      const state = channel.presenceState<{ user_id: string; display_name: string; online_at: string }>();
      const users = Object.values(state).map((metas) => {
        const meta = metas[0];
        return { userId: meta.user_id, displayName: meta.display_name, onlineAt: meta.online_at };
      });
      handlers.onPresence?.(users);
    })
    .on("broadcast", { event: "typing" }, ({ payload }: { payload: TypingPayload }) => {
      if (!payload?.user_id || payload.user_id === options.userId) return;
      if (!payload.typing) return stopTyping(payload.user_id);
      const previous = typing.get(payload.user_id);
      if (previous) clearTimeout(previous.timer);
      typing.set(payload.user_id, { displayName: payload.display_name, timer: setTimeout(() => stopTyping(payload.user_id), timeout) });
      emitTyping();
    });

  const ready = subscribeChannel(channel, { onLost: handlers.onError }).then(async (result) => {
    if (!result.error && options.announce !== false) {
      await channel.track({ user_id: options.userId, display_name: options.displayName, online_at: new Date().toISOString() });
    }
    return result;
  });

  let lastSent = 0;
  let sentTyping = false;
  const send = (value: boolean) => {
    const payload: TypingPayload = { user_id: options.userId, display_name: options.displayName, typing: value };
    void channel.send({ type: "broadcast", event: "typing", payload });
  };

  return {
    ready,
    setTyping(value) {
      const now = Date.now();
      if (value && (!sentTyping || now - lastSent > timeout / 3)) {
        lastSent = now;
        sentTyping = true;
        send(true);
      } else if (!value && sentTyping) {
        sentTyping = false;
        send(false);
      }
    },
    async leave() {
      for (const entry of typing.values()) clearTimeout(entry.timer);
      typing.clear();
      await supabase.removeChannel(channel);
    },
  };
}
