// Live updates of chat, broadcast by the database on private channels that Realtime opens only to
// those the policies allow: room:<id>:changes to the room's members (messages, reactions,
// members) and user:<id> to that user (new messages in their rooms, their own memberships).
// Nothing here uses postgres_changes, whose DELETE events reach every subscriber unchecked.
import type { BasekitRealtimeError } from "../lib/errors.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import type { Message, MessageReaction, RoomMember } from "./chat-types.ts";
import { type ChangeEvent, type LiveSubscription, listenToPrivateTopic } from "./private-topic.ts";

export type { LiveSubscription } from "./private-topic.ts";

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
  /** It joined again after a break (or late, after a slow join): changes meanwhile were missed. */
  onRejoined?(): void;
}

/** The row a change is about: the new one, or the removed one for a DELETE. */
const rowOf = <Row>(change: ChangeEvent) => (change.operation === "DELETE" ? change.old_record : change.record) as Row;

/** Follows one room (its members only: the server refuses anyone else). */
export function subscribeToRoom(supabase: BasekitSupabaseClient, roomId: string, handlers: RoomLiveHandlers): LiveSubscription {
  return listenToPrivateTopic(supabase, `room:${roomId}:changes`, {
    onChange(change) {
      if (change.table === "messages") {
        if (change.operation === "INSERT") handlers.onMessage?.(rowOf<Message>(change));
        else if (change.operation === "UPDATE") handlers.onMessageChanged?.(rowOf<Message>(change));
      } else if (change.table === "message_reactions") {
        if (change.operation !== "UPDATE") handlers.onReaction?.(change.operation, rowOf<MessageReaction>(change));
      } else if (change.table === "room_members") {
        handlers.onMemberChanged?.(change.operation, rowOf<RoomMember>(change));
      }
    },
    onError: handlers.onError,
    onRejoined: handlers.onRejoined,
  });
}

export interface InboxHandlers {
  /** A message arrived in any of the caller's rooms. */
  onMessage?(message: Message): void;
  /** The caller's memberships changed (added to a room, removed, read position moved). */
  onMembershipChanged?(): void;
  onError?(error: BasekitRealtimeError): void;
  /** It joined again after a break (or late, after a slow join): changes meanwhile were missed. */
  onRejoined?(): void;
}

/** Follows every room of the signed-in user at once: what a room list with unread counts needs. */
export function subscribeToInbox(supabase: BasekitSupabaseClient, userId: string, handlers: InboxHandlers): LiveSubscription {
  return listenToPrivateTopic(supabase, `user:${userId}`, {
    onChange(change) {
      if (change.table === "messages" && change.operation === "INSERT") handlers.onMessage?.(rowOf<Message>(change));
      else if (change.table === "room_members") handlers.onMembershipChanged?.();
    },
    onError: handlers.onError,
    onRejoined: handlers.onRejoined,
  });
}
