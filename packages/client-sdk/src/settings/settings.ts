// Security and privacy settings, and the signed-in user's sessions (list, revoke one, revoke others).
import { z } from "zod";
import type { Database, Tables } from "../database.types.ts";
import { currentUserId } from "../lib/current-user.ts";
import { fromResponse } from "../lib/query-result.ts";
import { type BasekitResult, guard } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { validate } from "../lib/validate.ts";

export type UserSettings = Tables<"user_settings">;
export type UserSession = Database["public"]["Functions"]["list_my_sessions"]["Returns"][number];

export const settingsUpdateInput = z
  .object({
    allow_messages_from: z.enum(["everyone", "shared_rooms", "nobody"]),
    show_online_status: z.boolean(),
    show_read_receipts: z.boolean(),
    notification_preferences: z.record(z.string(), z.json()),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "Nothing to update");
export type SettingsUpdateInput = z.input<typeof settingsUpdateInput>;

export function createSettingsApi(supabase: BasekitSupabaseClient) {
  return {
    get: (): Promise<BasekitResult<UserSettings>> =>
      guard(async () => {
        const me = await currentUserId(supabase);
        if (me.error) return me;
        return fromResponse(await supabase.from("user_settings").select("*").eq("user_id", me.data).single());
      }),

    update: (patch: SettingsUpdateInput): Promise<BasekitResult<UserSettings>> =>
      guard(async () => {
        const valid = validate(settingsUpdateInput, patch);
        if (valid.error) return valid;
        const me = await currentUserId(supabase);
        if (me.error) return me;
        return fromResponse(await supabase.from("user_settings").update(valid.data).eq("user_id", me.data).select("*").single());
      }),

    /** The user's sessions (devices), most recent first; `is_current` marks this one. */
    listSessions: (): Promise<BasekitResult<UserSession[]>> => guard(async () => fromResponse(await supabase.rpc("list_my_sessions"))),

    /** Signs out one session; `false` when it was not found (or not the user's). */
    revokeSession: (sessionId: string): Promise<BasekitResult<boolean>> =>
      guard(async () => {
        const valid = validate(z.uuid(), sessionId);
        if (valid.error) return valid;
        return fromResponse(await supabase.rpc("revoke_my_session", { session_id: valid.data }));
      }),

    /** Signs out every other session; returns how many were revoked. */
    revokeOtherSessions: (): Promise<BasekitResult<number>> =>
      guard(async () => fromResponse(await supabase.rpc("revoke_my_other_sessions"))),
  };
}
