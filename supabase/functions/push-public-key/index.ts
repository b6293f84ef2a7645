// The VAPID public key browsers need to subscribe (PushManager.subscribe's applicationServerKey).
// Public by nature; served to any caller with the project's API key.
import { jsonResponse, preflight } from "../_shared/cors.ts";

Deno.serve((request) => {
  if (request.method === "OPTIONS") return preflight();
  const publicKey = Deno.env.get("VAPID_PUBLIC_KEY");
  if (!publicKey) return jsonResponse({ code: "push_not_configured", message: "VAPID_PUBLIC_KEY is not set" }, 503);
  return jsonResponse({ publicKey });
});
