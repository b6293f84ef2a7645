// Greets the caller: answers the CORS preflight, reads who is calling from the (already verified)
// JWT and echoes it back with an optional name from the JSON body.
import { callerFrom } from "../_shared/caller.ts";
import { jsonResponse, preflight } from "../_shared/cors.ts";

Deno.serve(async (request) => {
  if (request.method === "OPTIONS") return preflight();
  const { sub, role } = callerFrom(request);
  const body = request.method === "POST" ? await request.json().catch(() => ({})) : {};
  const name = typeof body?.name === "string" && body.name ? body.name : "world";
  return jsonResponse({ message: `Hello ${name}!`, sub, role });
});
