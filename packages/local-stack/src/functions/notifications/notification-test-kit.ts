// Shared by the notification tests: users made through Auth, the queue read with SQL, the
// processor (supabase/functions/notification-processor) run as cron would run it, the local
// push receiver's subscriptions and messages, and the inbox.
import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import ws from "ws";

export const apiUrl = process.env.SUPABASE_URL ?? "";
export const mailUrl = process.env.BASEKIT_MAIL_URL ?? "";
const anonKey = process.env.SUPABASE_ANON_KEY ?? "";
const serviceRoleKey = process.env.SUPABASE_SERVICE_ROLE_KEY ?? "";
const clientOptions = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: ws as never },
};

export const sql = postgres(process.env.SUPABASE_DB_URL ?? "", { max: 2, onnotice: () => {} });
export const admin = createClient(apiUrl, serviceRoleKey, clientOptions);

export interface TestUser {
  id: string;
  email: string;
  username: string;
  client: SupabaseClient;
}

/** A confirmed user, signed in on their own client. */
export async function createUser(label = "n"): Promise<TestUser> {
  const username = `${label}_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const email = `${username}@example.com`;
  const password = `Pw1-${randomUUID()}`;
  const created = await admin.auth.admin.createUser({ email, password, email_confirm: true, user_metadata: { username } });
  if (created.error) throw created.error;
  const client = createClient(apiUrl, anonKey, clientOptions);
  const signedIn = await client.auth.signInWithPassword({ email, password });
  if (signedIn.error) throw signedIn.error;
  return { id: created.data.user.id, email, username, client };
}

/** A direct room between two users, opened by `from`. */
export async function directRoom(from: TestUser, to: TestUser): Promise<string> {
  const { data, error } = await from.client.rpc("get_or_create_direct_room", { other_user_id: to.id });
  if (error) throw error;
  return data as string;
}

export async function postMessage(from: TestUser, roomId: string, body: string): Promise<number> {
  const { data, error } = await from.client.from("messages").insert({ room_id: roomId, body }).select("id").single();
  if (error) throw error;
  return data.id as number;
}

/** One processor run, as pg_cron's HTTP call makes it. Fails only if the function cannot be reached. */
export async function runProcessor(options: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${apiUrl}/functions/v1/notification-processor`, {
    method: "POST",
    headers: { authorization: `Bearer ${serviceRoleKey}`, "content-type": "application/json" },
    body: JSON.stringify(options),
  });
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the processor until `done` holds; other tests run it too, so any run may have done the work.
 * At least `attempts` runs and at least a minute: a delivery retried after its backoff (10 s and
 * more) on a loaded machine must not fail a test for being slow, since this is not a timing.
 */
export async function processUntil<T>(
  done: () => Promise<T | undefined | false>,
  options: Record<string, unknown> = {},
  attempts = 60,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (let attempt = 0; attempt < attempts || Date.now() < deadline; attempt++) {
    const result = await done();
    if (result) return result;
    const response = await runProcessor(options).catch(() => undefined);
    await response?.body?.cancel();
    await pause(250);
  }
  throw new Error("the processor never got there");
}

export interface DeliveryRow {
  /** bigint: postgres.js gives it as a string. */
  id: string;
  type: string;
  user_id: string;
  channel: "in_app" | "email" | "push";
  status: string;
  attempts: number;
  outcome: string | null;
  last_error: string | null;
  available_at: Date;
}

/** Every delivery of the events of these types caused in a room (or addressed to these users). */
export async function deliveriesFor(userIds: string[]): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`
    select d.id, e.type, d.user_id, d.channel::text as channel, d.status, d.attempts, d.outcome, d.last_error, d.available_at
      from private.notification_deliveries as d
      join private.notification_events as e on e.id = d.event_id
     where d.user_id = any(${userIds}::uuid[])
     order by d.id`;
}

export const settled = (rows: DeliveryRow[]) => rows.length > 0 && rows.every((row) => row.status !== "queued");

// The push receiver -----------------------------------------------------------------------------

export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A subscription from the local push receiver, as a browser's PushManager.subscribe gives one. */
export async function receiverSubscription(): Promise<BrowserSubscription> {
  const vapid = (await (
    await fetch(`${apiUrl}/functions/v1/push-public-key`, { headers: { authorization: `Bearer ${anonKey}` } })
  ).json()) as {
    publicKey: string;
  };
  const response = await fetch(`${apiUrl}/push/v1/subscriptions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ applicationServerKey: vapid.publicKey }),
  });
  if (response.status !== 201) throw new Error(`push receiver answered ${response.status}`);
  return (await response.json()) as BrowserSubscription;
}

export async function savePushSubscription(user: TestUser, subscription: BrowserSubscription): Promise<string> {
  const { data, error } = await user.client.rpc("save_push_subscription", {
    endpoint: subscription.endpoint,
    p256dh: subscription.keys.p256dh,
    auth: subscription.keys.auth,
  });
  if (error) throw error;
  return data as string;
}

export interface ReceivedPush {
  endpoint: string;
  topic: string | null;
  json: { title?: string; body?: string; url?: string; type?: string } | null;
  decrypt_error: string | null;
}

export async function pushesTo(endpoint: string): Promise<ReceivedPush[]> {
  const response = await fetch(`${apiUrl}/push/v1/messages?endpoint=${encodeURIComponent(endpoint)}`);
  return ((await response.json()) as { messages: ReceivedPush[] }).messages;
}

// The inbox -------------------------------------------------------------------------------------

export interface InboxEmail {
  id: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export async function emailsTo(address: string): Promise<InboxEmail[]> {
  const response = await fetch(`${mailUrl}/api/messages?to=${encodeURIComponent(address)}`);
  return ((await response.json()) as { messages: InboxEmail[] }).messages;
}
