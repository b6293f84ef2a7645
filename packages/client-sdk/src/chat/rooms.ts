// Rooms: the caller's room list with unread counts, direct rooms, groups, room details.
import { fromResponse } from "../lib/query-result.ts";
import { type BasekitResult, guard } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { validate } from "../lib/validate.ts";
import { type CreateGroupInput, createGroupInput, roomId, type UpdateRoomInput, updateRoomInput, userId } from "./chat-schemas.ts";
import type { Room, RoomSummary } from "./chat-types.ts";

export function createRoomsApi(supabase: BasekitSupabaseClient) {
  return {
    /** The caller's rooms, most recently active first, each with its unread count. */
    list: (): Promise<BasekitResult<RoomSummary[]>> => guard(async () => fromResponse(await supabase.rpc("list_my_rooms"))),

    /** One room; `not_found` when it does not exist or the caller is not a member. */
    get: (id: string): Promise<BasekitResult<Room>> =>
      guard(async () => {
        const valid = validate(roomId, id);
        if (valid.error) return valid;
        return fromResponse(await supabase.from("rooms").select("*").eq("id", valid.data).single());
      }),

    /** The direct room with another user, created on first use; returns its id. */
    openDirect: (otherUserId: string): Promise<BasekitResult<string>> =>
      guard(async () => {
        const valid = validate(userId, otherUserId);
        if (valid.error) return valid;
        return fromResponse(await supabase.rpc("get_or_create_direct_room", { other_user_id: valid.data }));
      }),

    /** Creates a group owned by the caller, with the given members; returns its id. */
    createGroup: (input: CreateGroupInput): Promise<BasekitResult<string>> =>
      guard(async () => {
        const valid = validate(createGroupInput, input);
        if (valid.error) return valid;
        const { name, topic, memberIds } = valid.data;
        return fromResponse(await supabase.rpc("create_group_room", { name, topic: topic ?? undefined, member_ids: memberIds }));
      }),

    /** Renames a group or changes its topic (owners and admins). */
    update: (input: UpdateRoomInput): Promise<BasekitResult<Room>> =>
      guard(async () => {
        const valid = validate(updateRoomInput, input);
        if (valid.error) return valid;
        const { roomId: id, ...patch } = valid.data;
        return fromResponse(await supabase.from("rooms").update(patch).eq("id", id).select("*").single());
      }),

    /** Leaves a group (an owner hands ownership on; the last member's leaving deletes the group). */
    leave: (id: string): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(roomId, id);
        if (valid.error) return valid;
        const result = fromResponse(await supabase.rpc("leave_room", { room_id: valid.data }));
        return result.error ? result : { data: null, error: null };
      }),
  };
}
