// Chat: rooms, members, messages (with reactions, read state and search), live updates, presence.
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { type InboxHandlers, type RoomLiveHandlers, subscribeToInbox, subscribeToRoom } from "./live.ts";
import { createMembersApi } from "./members.ts";
import { createMessagesApi } from "./messages.ts";
import { joinRoomPresence, type RoomPresenceHandlers, type RoomPresenceOptions } from "./presence.ts";
import { createRoomsApi } from "./rooms.ts";

export function createChatApi(supabase: BasekitSupabaseClient) {
  return {
    rooms: createRoomsApi(supabase),
    members: createMembersApi(supabase),
    messages: createMessagesApi(supabase),
    /** Live messages, edits, reactions and membership changes of one room. */
    subscribeToRoom: (roomId: string, handlers: RoomLiveHandlers) => subscribeToRoom(supabase, roomId, handlers),
    /** Live new messages and membership changes across all of the user's rooms. */
    subscribeToInbox: (userId: string, handlers: InboxHandlers) => subscribeToInbox(supabase, userId, handlers),
    /** Presence (who is online) and typing indicators of one room. */
    joinPresence: (roomId: string, options: RoomPresenceOptions, handlers: RoomPresenceHandlers) =>
      joinRoomPresence(supabase, roomId, options, handlers),
  };
}
