// Room members: list (with profiles and read positions), add, remove, change role, mute.
import { currentUserId } from "../lib/current-user.ts";
import { fromResponse } from "../lib/query-result.ts";
import { type BasekitResult, guard, ok } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { validate } from "../lib/validate.ts";
import type { Profile } from "../profiles/profiles.ts";
import { type MemberInput, memberInput, roomId } from "./chat-schemas.ts";
import type { RoomMember } from "./chat-types.ts";

export type RoomMemberWithProfile = RoomMember & { profile: Profile | null };

export function createMembersApi(supabase: BasekitSupabaseClient) {
  const done = (result: BasekitResult<unknown>): BasekitResult<null> => (result.error ? result : ok(null));
  return {
    /** Members of a room the caller belongs to, with their profiles; read positions give read receipts. */
    list: (room: string): Promise<BasekitResult<RoomMemberWithProfile[]>> =>
      guard(async () => {
        const valid = validate(roomId, room);
        if (valid.error) return valid;
        const members = fromResponse(await supabase.from("room_members").select("*").eq("room_id", valid.data).order("joined_at"));
        if (members.error) return members;
        const ids = members.data.map((m) => m.user_id);
        const profiles = ids.length ? fromResponse(await supabase.from("profiles").select("*").in("id", ids)) : ok([] as Profile[]);
        if (profiles.error) return profiles;
        const byId = new Map(profiles.data.map((p) => [p.id, p]));
        return ok(members.data.map((m) => ({ ...m, profile: byId.get(m.user_id) ?? null })));
      }),

    add: (input: MemberInput): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(memberInput, input);
        if (valid.error) return valid;
        const { roomId: room_id, userId: user_id, role } = valid.data;
        return done(fromResponse(await supabase.rpc("add_room_member", { room_id, user_id, role })));
      }),

    remove: (input: Omit<MemberInput, "role">): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(memberInput, input);
        if (valid.error) return valid;
        return done(fromResponse(await supabase.rpc("remove_room_member", { room_id: valid.data.roomId, user_id: valid.data.userId })));
      }),

    /** Changes a member's role (owner only); making someone owner hands ownership over. */
    setRole: (input: Required<MemberInput>): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(memberInput, input);
        if (valid.error) return valid;
        const { roomId: room_id, userId: user_id, role } = valid.data;
        return done(fromResponse(await supabase.rpc("set_room_member_role", { room_id, user_id, role })));
      }),

    setMuted: (room: string, muted: boolean): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(roomId, room);
        if (valid.error) return valid;
        const me = await currentUserId(supabase);
        if (me.error) return me;
        return done(fromResponse(await supabase.from("room_members").update({ muted }).eq("room_id", valid.data).eq("user_id", me.data)));
      }),
  };
}
