// Profiles: read anyone's (signed-in), update your own, search by name, check usernames.
import type { Tables } from "../database.types.ts";
import { currentUserId } from "../lib/current-user.ts";
import { fromResponse } from "../lib/query-result.ts";
import { type BasekitResult, guard } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { validate } from "../lib/validate.ts";
import {
  type ProfileSearchInput,
  type ProfileUpdateInput,
  profileSearchInput,
  profileUpdateInput,
  usernameSchema,
} from "./profile-schemas.ts";

export type Profile = Tables<"profiles">;

/** Escapes LIKE wildcards and the characters PostgREST's `or=(...)` syntax reserves. */
const likeTerm = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/[,()"]/g, " ");

export function createProfilesApi(supabase: BasekitSupabaseClient) {
  const table = () => supabase.from("profiles");
  return {
    get: (id: string): Promise<BasekitResult<Profile>> => guard(async () => fromResponse(await table().select("*").eq("id", id).single())),

    /** The signed-in user's own profile. */
    getMine: (): Promise<BasekitResult<Profile>> =>
      guard(async () => {
        const me = await currentUserId(supabase);
        if (me.error) return me;
        return fromResponse(await table().select("*").eq("id", me.data).single());
      }),

    getMany: (ids: string[]): Promise<BasekitResult<Profile[]>> =>
      guard(async () => (ids.length ? fromResponse(await table().select("*").in("id", ids)) : { data: [], error: null })),

    /** Profiles whose username or display name contains `query` (case-insensitive). */
    search: (input: ProfileSearchInput): Promise<BasekitResult<Profile[]>> =>
      guard(async () => {
        const valid = validate(profileSearchInput, input);
        if (valid.error) return valid;
        const term = likeTerm(valid.data.query);
        return fromResponse(
          await table().select("*").or(`username.ilike.*${term}*,display_name.ilike.*${term}*`).order("username").limit(valid.data.limit),
        );
      }),

    /** Updates the signed-in user's profile; only the given fields change. */
    update: (patch: ProfileUpdateInput): Promise<BasekitResult<Profile>> =>
      guard(async () => {
        const valid = validate(profileUpdateInput, patch);
        if (valid.error) return valid;
        const me = await currentUserId(supabase);
        if (me.error) return me;
        return fromResponse(await table().update(valid.data).eq("id", me.data).select("*").single());
      }),

    isUsernameAvailable: (username: string): Promise<BasekitResult<boolean>> =>
      guard(async () => {
        const valid = validate(usernameSchema, username);
        if (valid.error) return valid;
        return fromResponse(await supabase.rpc("is_username_available", { username: valid.data }));
      }),
  };
}
