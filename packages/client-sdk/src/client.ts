// createBasekitClient: one supabase-js client, wrapped in the SDK's typed modules.
import { createClient, type SupabaseClientOptions } from "@supabase/supabase-js";
import { createActivityApi } from "./activity/activity.ts";
import { createAdminApi } from "./admin/admin.ts";
import { createAuthApi } from "./auth/auth.ts";
import { createChatApi } from "./chat/chat.ts";
import type { BasekitSupabaseClient } from "./lib/supabase-client.ts";
import { createNotificationsApi } from "./notifications/notifications.ts";
import { createProfilesApi } from "./profiles/profiles.ts";
import { createSettingsApi } from "./settings/settings.ts";

export interface BasekitClientOptions {
  /** Passed to supabase-js `createClient` (auth storage, fetch, headers, realtime params...). */
  supabase?: SupabaseClientOptions<"public">;
}

export interface BasekitClient {
  /** The underlying supabase-js client, for anything the SDK does not wrap. */
  supabase: BasekitSupabaseClient;
  auth: ReturnType<typeof createAuthApi>;
  profiles: ReturnType<typeof createProfilesApi>;
  settings: ReturnType<typeof createSettingsApi>;
  activity: ReturnType<typeof createActivityApi>;
  chat: ReturnType<typeof createChatApi>;
  notifications: ReturnType<typeof createNotificationsApi>;
  admin: ReturnType<typeof createAdminApi>;
}

/**
 * Creates a basekit client for a Supabase project (hosted, self-hosted or `basekit start`).
 *
 * @param url the project URL, e.g. `https://xyz.supabase.co` or `http://127.0.0.1:54321`
 * @param key the anon (or publishable) key; never the service_role key in a browser
 */
export function createBasekitClient(url: string, key: string, options: BasekitClientOptions = {}): BasekitClient {
  const supabase = createClient(url, key, options.supabase) as BasekitSupabaseClient;
  return wrapSupabaseClient(supabase);
}

/** Wraps an existing supabase-js client (e.g. one created by @supabase/ssr) in the SDK's modules. */
export function wrapSupabaseClient(supabase: BasekitSupabaseClient): BasekitClient {
  return {
    supabase,
    auth: createAuthApi(supabase),
    profiles: createProfilesApi(supabase),
    settings: createSettingsApi(supabase),
    activity: createActivityApi(supabase),
    chat: createChatApi(supabase),
    notifications: createNotificationsApi(supabase),
    admin: createAdminApi(supabase),
  };
}
