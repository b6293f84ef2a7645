// Row types of the chat tables and functions, from the generated Database types.
import type { Database, Enums, Tables } from "../database.types.ts";

export type Room = Tables<"rooms">;
export type RoomMember = Tables<"room_members">;
export type Message = Tables<"messages">;
export type MessageReaction = Tables<"message_reactions">;
export type RoomKind = Enums<"room_kind">;
export type RoomRole = Enums<"room_role">;
/** A row of the room list: the room, the caller's membership, the other user of a direct room, unread count. */
export type RoomSummary = Database["public"]["Functions"]["list_my_rooms"]["Returns"][number];
