// Users for browser tests, created confirmed through the Auth admin API.
import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";

export interface E2eUser {
  id: string;
  email: string;
  password: string;
  displayName: string;
}

/** A confirmed user with a unique email; `appMetadata` (e.g. `{ role: "admin" }`) as only the service role may set it. */
export async function createConfirmedUser(name: string, appMetadata?: Record<string, unknown>): Promise<E2eUser> {
  const url = process.env.SUPABASE_URL;
  const serviceRoleKey = process.env.SUPABASE_SERVICE_ROLE_KEY;
  if (!url || !serviceRoleKey) throw new Error("SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY are set by npm test");
  const admin = createClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
  });
  const tag = randomUUID().slice(0, 6);
  const displayName = `${name} ${tag}`;
  const email = `${name.toLowerCase()}-${tag}@example.test`;
  const password = `Secret-${tag}-Pw1`;
  const { data, error } = await admin.auth.admin.createUser({
    email,
    password,
    email_confirm: true,
    user_metadata: { display_name: displayName },
    app_metadata: appMetadata,
  });
  if (error) throw error;
  return { id: data.user.id, email, password, displayName };
}
