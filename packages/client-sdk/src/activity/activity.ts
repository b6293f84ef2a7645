// Account activity history (append-only, written by the database): newest first, by cursor.
import type { Tables } from "../database.types.ts";
import { currentUserId } from "../lib/current-user.ts";
import { type Page, type PageInput, pageInput, toPage } from "../lib/page.ts";
import { fromResponse } from "../lib/query-result.ts";
import { type BasekitResult, guard, ok } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { validate } from "../lib/validate.ts";

export type ActivityEntry = Tables<"activity_log">;

export function createActivityApi(supabase: BasekitSupabaseClient) {
  return {
    /** The signed-in user's own history; `cursor` is the `nextCursor` of the previous page. */
    list: (input: PageInput = {}): Promise<BasekitResult<Page<ActivityEntry>>> =>
      guard(async () => {
        const valid = validate(pageInput, input);
        if (valid.error) return valid;
        const me = await currentUserId(supabase);
        if (me.error) return me;
        const { limit, cursor } = valid.data;
        let query = supabase.from("activity_log").select("*").eq("user_id", me.data);
        if (cursor) query = query.lt("id", Number(cursor));
        const rows = fromResponse(await query.order("id", { ascending: false }).limit(limit + 1));
        if (rows.error) return rows;
        return ok(toPage(rows.data, limit, (row) => String(row.id)));
      }),
  };
}
