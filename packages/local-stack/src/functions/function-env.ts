// The environment every function sees, as the Supabase CLI builds it: the project's URL and keys
// (names reserved under `SUPABASE_`), `[edge_runtime.secrets]` and `supabase/functions/.env`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { section } from "../config/load-config.ts";
import { localVapidKeys } from "../push/vapid-keys.ts";
import type { StackContext } from "../services.ts";

/** Read at each worker start, so editing `.env` applies to the next worker. */
export function functionEnv(context: StackContext): Record<string, string> {
  const { config, keys, db } = context;
  const user: Record<string, string> = {};
  const dotenv = join(config.supabaseDir, "functions", ".env");
  if (existsSync(dotenv)) Object.assign(user, parseEnv(readFileSync(dotenv, "utf8")));
  for (const [name, value] of Object.entries(section(config, "edge_runtime", "secrets")))
    if (value !== undefined) user[name] = String(value);
  for (const name of Object.keys(user)) if (name.startsWith("SUPABASE_")) delete user[name];
  return {
    ...localNotificationEnv(context),
    ...user,
    // The gateway as the function reaches it: the function runs on this machine, beside the stack.
    SUPABASE_URL: `http://${config.host}:${config.api.port}`,
    SUPABASE_ANON_KEY: keys.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
    SUPABASE_DB_URL: db.url("postgres"),
    SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: keys.publishableKey }),
    SUPABASE_SECRET_KEYS: JSON.stringify({ default: keys.secretKey }),
    SUPABASE_JWKS: JSON.stringify({ keys: keys.signingKeys?.publicJwks ?? [] }),
  };
}

/**
 * What the notification processor reads from secrets in production, pointed at the stack's own
 * counterparts: Resend's SDK at the inbox (RESEND_BASE_URL), Web Push with the stack's VAPID
 * keys, and plain-HTTP push endpoints allowed (the local receiver). Secrets the user sets win.
 */
function localNotificationEnv(context: StackContext): Record<string, string> {
  const { config, mailApiUrl } = context;
  const vapid = localVapidKeys(config.stateDir);
  const { senderName, adminEmail } = config.mail;
  return {
    RESEND_BASE_URL: mailApiUrl,
    RESEND_API_KEY: "re_local_inbox",
    NOTIFICATIONS_FROM: `${senderName} <${adminEmail}>`,
    NOTIFICATIONS_SITE_URL: config.auth.siteUrl,
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    VAPID_SUBJECT: `mailto:${adminEmail}`,
    PUSH_ALLOW_HTTP_ENDPOINTS: "true",
  };
}
