// Test helpers: the test stack's settings and throwaway signed-in users (created with the admin
// API, email already confirmed), each with its own BasekitClient.
import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { type BasekitClient, createBasekitClient } from "../client.ts";

export function stackEnv() {
  const url = process.env.SUPABASE_URL;
  const anonKey = process.env.SUPABASE_ANON_KEY;
  const serviceRoleKey = process.env.SUPABASE_SERVICE_ROLE_KEY;
  if (!url || !anonKey || !serviceRoleKey)
    throw new Error("Run through `npm test`: SUPABASE_URL, SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY are needed");
  return { url, anonKey, serviceRoleKey };
}

/** A client as an app would make it in Node (< 22 needs a WebSocket implementation for realtime). */
export function newClient(): BasekitClient {
  const { url, anonKey } = stackEnv();
  return createBasekitClient(url, anonKey, {
    supabase: { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket as never } },
  });
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  client: BasekitClient;
}

/** Every client made by createTestUser, so a test file can close their channels in `after` even
 * when a test failed before closing its own (an open socket keeps the test process alive). */
const createdClients: BasekitClient[] = [];

export async function closeTestUsers(): Promise<void> {
  await Promise.all(createdClients.splice(0).map((client) => client.supabase.removeAllChannels()));
}

export async function createTestUser(label: string, appMetadata: Record<string, unknown> = {}): Promise<TestUser> {
  const { url, serviceRoleKey } = stackEnv();
  const admin = createClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
  });
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  const password = `Pw-${randomUUID()}`;
  const created = await admin.auth.admin.createUser({
    email,
    password,
    email_confirm: true,
    app_metadata: appMetadata,
    user_metadata: { display_name: label },
  });
  if (created.error) throw created.error;
  const client = newClient();
  createdClients.push(client);
  const signedIn = await client.auth.signInWithPassword({ email, password });
  if (signedIn.error) throw signedIn.error;
  return { id: created.data.user.id, email, password, client };
}

/** Waits until `check` returns a value (polling); fails with `what` after a generous bound. */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
