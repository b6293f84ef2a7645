// Shared by the Auth tests: unmodified supabase-js clients against the running test stack
// (SUPABASE_URL, keys from `npm test`), unique addresses, and the inbox's JSON API for links
// and codes.
import { randomInt, randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import ws from "ws";

export interface StackUnderTest {
  apiUrl: string;
  mailUrl: string;
  publishableKey: string;
  secretKey: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
}

export function stackFromEnvironment(env: NodeJS.ProcessEnv = process.env): StackUnderTest {
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: run these tests with \`npm test\`, which starts a stack`);
    return value;
  };
  return {
    apiUrl: need("SUPABASE_URL"),
    mailUrl: need("BASEKIT_MAIL_URL"),
    publishableKey: need("SUPABASE_PUBLISHABLE_KEY"),
    secretKey: need("SUPABASE_SECRET_KEY"),
    anonKey: need("SUPABASE_ANON_KEY"),
    serviceRoleKey: need("SUPABASE_SERVICE_ROLE_KEY"),
    jwtSecret: need("SUPABASE_JWT_SECRET"),
  };
}

/**
 * A made-up client address (10.0.0.0/8). The test stack trusts its loopback peers as proxies
 * (BASEKIT_TRUSTED_PROXIES), so a test names its client in X-Forwarded-For and gets per-IP rate
 * limits of its own, as a user behind a real proxy would.
 */
export const clientAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** A client that keeps its session in memory only, as a fresh browser tab would, from its own address. */
export function userClient(
  stack: StackUnderTest,
  options: { flowType?: "implicit" | "pkce"; headers?: Record<string, string> } = {},
): SupabaseClient {
  return createClient(stack.apiUrl, stack.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, flowType: options.flowType ?? "implicit" },
    global: { headers: { "x-forwarded-for": clientAddress(), ...options.headers } },
    realtime: { transport: ws as never },
  });
}

export function adminClient(stack: StackUnderTest): SupabaseClient {
  return createClient(stack.apiUrl, stack.secretKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: ws as never },
  });
}

export const uniqueEmail = (label = "user") => `${label}-${randomUUID().slice(0, 12)}@example.com`;
/** Meets the project's rules (8+ characters, lower, upper, digit). */
export const strongPassword = () => `Pw1-${randomUUID().slice(0, 10)}A`;

export interface InboxMessage {
  id: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  created_at: string;
}

export async function messagesTo(stack: StackUnderTest, address: string): Promise<InboxMessage[]> {
  const response = await fetch(`${stack.mailUrl}/api/messages?to=${encodeURIComponent(address)}`);
  return ((await response.json()) as { messages: InboxMessage[] }).messages;
}

/** The newest message to `address` whose subject matches, waiting briefly for it to arrive. */
export async function latestMessage(stack: StackUnderTest, address: string, subject?: RegExp): Promise<InboxMessage> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const found = (await messagesTo(stack, address)).find((m) => !subject || subject.test(m.subject));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no message${subject ? ` matching ${subject}` : ""} to ${address}`);
}

/** The /verify link in a message (its href, entities decoded). */
export function verifyLink(message: InboxMessage): string {
  const match = /href="([^"]*\/verify\?[^"]*)"/.exec(message.html);
  if (!match) throw new Error(`no verify link in "${message.subject}"`);
  return match[1].replace(/&#38;/g, "&").replace(/&amp;/g, "&");
}

/** The one-time code in a message. */
export function otpCode(message: InboxMessage): string {
  const match = /code: (\d{6,10})/.exec(message.text) ?? /(\d{6,10}) is your/.exec(message.subject);
  if (!match) throw new Error(`no code in "${message.subject}"`);
  return match[1];
}

/** Opens a /verify link as a browser would, without following the redirect. */
export async function openLink(link: string): Promise<{ status: number; location: URL }> {
  const response = await fetch(link, { redirect: "manual" });
  return { status: response.status, location: new URL(response.headers.get("location") ?? "about:blank") };
}

export const fragmentParams = (location: URL) => new URLSearchParams(location.hash.slice(1));

/** Signs up and confirms a user through the inbox, then returns a signed-in client. */
export async function confirmedUser(stack: StackUnderTest, data: Record<string, unknown> = {}) {
  const email = uniqueEmail();
  const password = strongPassword();
  const client = userClient(stack);
  const signUp = await client.auth.signUp({ email, password, options: { data } });
  if (signUp.error) throw signUp.error;
  const message = await latestMessage(stack, email, /Confirm your email/);
  const verified = await client.auth.verifyOtp({ email, token: otpCode(message), type: "email" });
  if (verified.error) throw verified.error;
  return { email, password, client, session: verified.data.session!, user: verified.data.user! };
}

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}
