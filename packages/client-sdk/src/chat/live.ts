// Live updates from the database (postgres_changes): new and changed messages, reactions and
// memberships. Realtime re-checks every row against the subscriber's RLS, so only members hear a room.
import type { RealtimePostgresChangesPayload } from "@supabase/supabase-js";
import type { BasekitRealtimeError } from "../lib/errors.ts";
import type { BasekitResult } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import type { Message, MessageReaction, RoomMember } from "./chat-types.ts";
import { subscribeChannel } from "./subscribe-channel.ts";

export interface RoomLiveHandlers {
  /** A message was posted. */
  onMessage?(message: Message): void;
  /** A message was edited or (soft-)deleted. */
  onMessageChanged?(message: Message): void;
  /** A reaction was added or removed (`reaction` holds at least message_id, user_id and emoji). */
  onReaction?(event: "INSERT" | "DELETE", reaction: Partial<MessageReaction>): void;
  /** Someone joined, left, changed role or moved their read position. */
  onMemberChanged?(event: "INSERT" | "UPDATE" | "DELETE", member: Partial<RoomMember>): void;
  /** The subscription broke after it had started. */
  onError?(error: BasekitRealtimeError): void;
}

export interface LiveSubscription {
  /** Resolves once the server confirmed the subscription (or with the error that prevented it). */
  ready: Promise<BasekitResult<null>>;
  unsubscribe(): Promise<void>;
}

let channelSequence = 0;

/** Follows one room. */
export function subscribeToRoom(supabase: BasekitSupabaseClient, roomId: string, handlers: RoomLiveHandlers): LiveSubscription {
  const filter = `room_id=eq.${roomId}`;
  const channel = supabase
    .channel(`room-changes:${roomId}:${++channelSequence}`)
    .on(
      "postgres_changes",
      { event: "INSERT", schema: "public", table: "messages", filter },
      (change: RealtimePostgresChangesPayload<Message>) => handlers.onMessage?.(change.new as Message),
    )
    .on(
      "postgres_changes",
      { event: "UPDATE", schema: "public", table: "messages", filter },
      (change: RealtimePostgresChangesPayload<Message>) => handlers.onMessageChanged?.(change.new as Message),
    )
    .on(
      "postgres_changes",
      { event: "INSERT", schema: "public", table: "message_reactions", filter },
      (change: RealtimePostgresChangesPayload<MessageReaction>) => handlers.onReaction?.("INSERT", change.new as MessageReaction),
    )
    // Deletes carry only the primary key, so they cannot be filtered by room: the caller checks message_id.
    .on(
      "postgres_changes",
      { event: "DELETE", schema: "public", table: "message_reactions" },
      (change: RealtimePostgresChangesPayload<MessageReaction>) => handlers.onReaction?.("DELETE", change.old as Partial<MessageReaction>),
    )
    .on(
      "postgres_changes",
      { event: "*", schema: "public", table: "room_members", filter },
      (change: RealtimePostgresChangesPayload<RoomMember>) =>
        handlers.onMemberChanged?.(change.eventType, (change.eventType === "DELETE" ? change.old : change.new) as Partial<RoomMember>),
    );
  return { ready: subscribeChannel(channel, handlers.onError), unsubscribe: async () => void (await supabase.removeChannel(channel)) };
}

export interface InboxHandlers {
  /** A message arrived in any of the caller's rooms. */
  onMessage?(message: Message): void;
  /** The caller's memberships changed (added to a room, removed, read position moved). */
  onMembershipChanged?(): void;
  onError?(error: BasekitRealtimeError): void;
}

/** Follows every room of the signed-in user at once: what a room list with unread counts needs. */
export function subscribeToInbox(supabase: BasekitSupabaseClient, userId: string, handlers: InboxHandlers): LiveSubscription {
  const channel = supabase
    .channel(`inbox:${userId}:${++channelSequence}`)
    .on("postgres_changes", { event: "INSERT", schema: "public", table: "messages" }, (change: RealtimePostgresChangesPayload<Message>) =>
      handlers.onMessage?.(change.new as Message),
    )
    .on("postgres_changes", { event: "*", schema: "public", table: "room_members", filter: `user_id=eq.${userId}` }, () =>
      handlers.onMembershipChanged?.(),
    );
  return { ready: subscribeChannel(channel, handlers.onError), unsubscribe: async () => void (await supabase.removeChannel(channel)) };
}
