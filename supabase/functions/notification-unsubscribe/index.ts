// One-click unsubscribe (RFC 8058) for the links in notification emails: a POST with the signed
// token turns email off for every optional type of the token's category, for the token's user,
// without signing in. GET changes nothing (mail scanners open links): the web app's
// /unsubscribe page shows a button that POSTs here.
import { createClient } from "npm:@supabase/supabase-js@2";
import { jsonResponse, preflight } from "../_shared/cors.ts";
import { readEnv } from "../_shared/notifications/env.ts";
import { verifyUnsubscribeToken } from "../_shared/notifications/unsubscribe-token.ts";

const env = readEnv();
const db = createClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY, { auth: { persistSession: false, autoRefreshToken: false } });

Deno.serve(async (request) => {
  if (request.method === "OPTIONS") return preflight();
  if (request.method !== "POST")
    return jsonResponse({ code: "method_not_allowed", message: "POST to unsubscribe (List-Unsubscribe=One-Click)" }, 405);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const claims = await verifyUnsubscribeToken(env.unsubscribeSecret, token);
  if (!claims) return jsonResponse({ code: "invalid_token", message: "this unsubscribe link is invalid or has expired" }, 400);
  const { data: types, error } = await db.from("notification_types").select("type").eq("category", claims.category).eq("mandatory", false);
  if (error) return jsonResponse({ code: "unavailable", message: "try again later" }, 503);
  if (!types.length) return jsonResponse({ code: "invalid_token", message: "nothing to unsubscribe from" }, 400);
  const rows = types.map(({ type }) => ({ user_id: claims.userId, type, channel: "email", enabled: false }));
  const saved = await db.from("notification_preferences").upsert(rows, { onConflict: "user_id,type,channel" });
  if (saved.error) return jsonResponse({ code: "unavailable", message: "try again later" }, 503);
  return jsonResponse({ unsubscribed: claims.category, channel: "email", types: types.map((t) => t.type) });
});
