// Chat: rooms, members, messages, reactions, read state, search, typing/presence and live updates.
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";

export function createChatApi(_supabase: BasekitSupabaseClient) {
  return {};
}
