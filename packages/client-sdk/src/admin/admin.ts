// Admin views for users whose JWT carries app_metadata.role = admin: every user, every activity.
// The database enforces the role (RLS); the SDK only shapes the calls.
import type { ActivityEntry } from "../activity/activity.ts";
import { type Page, type PageInput, pageInput, toPage } from "../lib/page.ts";
import { fromResponse } from "../lib/query-result.ts";
import { type BasekitResult, guard, ok } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { validate } from "../lib/validate.ts";
import type { Profile } from "../profiles/profiles.ts";

export function createAdminApi(supabase: BasekitSupabaseClient) {
  return {
    /** Whether the signed-in user holds the admin role (from the session's app_metadata). */
    isAdmin: async (): Promise<boolean> => {
      const { data } = await supabase.auth.getSession();
      return data.session?.user.app_metadata?.role === "admin";
    },

    /** Every profile, newest first. */
    listUsers: (input: PageInput = {}): Promise<BasekitResult<Page<Profile>>> =>
      guard(async () => {
        const valid = validate(pageInput, input);
        if (valid.error) return valid;
        const { limit, cursor } = valid.data;
        let query = supabase.from("profiles").select("*");
        if (cursor) query = query.lt("created_at", cursor);
        const rows = fromResponse(await query.order("created_at", { ascending: false }).limit(limit + 1));
        if (rows.error) return rows;
        return ok(toPage(rows.data, limit, (row) => row.created_at));
      }),

    /** Every account's activity (admins only; others see just their own rows). */
    listActivity: (input: PageInput & { userId?: string } = {}): Promise<BasekitResult<Page<ActivityEntry>>> =>
      guard(async () => {
        const valid = validate(pageInput, input);
        if (valid.error) return valid;
        const { limit, cursor } = valid.data;
        let query = supabase.from("activity_log").select("*");
        if (input.userId) query = query.eq("user_id", input.userId);
        if (cursor) query = query.lt("id", Number(cursor));
        const rows = fromResponse(await query.order("id", { ascending: false }).limit(limit + 1));
        if (rows.error) return rows;
        return ok(toPage(rows.data, limit, (row) => String(row.id)));
      }),
  };
}
