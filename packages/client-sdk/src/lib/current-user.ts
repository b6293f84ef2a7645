// The signed-in user's id from the local session, or a not_authenticated error.
import { BasekitAuthError } from "./errors.ts";
import { type BasekitResult, fail, ok } from "./result.ts";
import type { BasekitSupabaseClient } from "./supabase-client.ts";

export async function currentUserId(supabase: BasekitSupabaseClient): Promise<BasekitResult<string>> {
  const { data } = await supabase.auth.getSession();
  const id = data.session?.user.id;
  return id ? ok(id) : fail(new BasekitAuthError("Sign in first", "not_authenticated", { status: 401 }));
}
