// The supabase-js client type the SDK's modules share, typed by the generated Database.
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "../database.types.ts";

export type BasekitSupabaseClient = SupabaseClient<Database>;
