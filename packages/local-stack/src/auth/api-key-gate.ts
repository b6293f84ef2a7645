// The API-key check Supabase's gateway (Kong's key-auth) puts in front of /auth/v1: every route
// but the browser-opened and public ones needs an `apikey` header holding one of the project's
// keys (anon / service_role JWT, publishable / secret key), else 401 with Kong's message.
import type { IncomingHttpHeaders } from "node:http";
import { type GatewayResponse, json } from "../gateway/types.ts";
import type { ApiKeys } from "../keys/api-keys.ts";

/** Routes Supabase serves without an API key: links opened by browsers, health and public keys. */
const OPEN_PATHS = new Set(["/verify", "/callback", "/authorize", "/health", "/.well-known/jwks.json"]);

export function createApiKeyGate(keys: ApiKeys): (path: string, headers: IncomingHttpHeaders) => GatewayResponse | undefined {
  const accepted = new Set([keys.anonKey, keys.serviceRoleKey, keys.publishableKey, keys.secretKey]);
  return (path, headers) => {
    if (OPEN_PATHS.has(path.replace(/\/+$/, "") || "/")) return undefined;
    const apiKey = headers.apikey;
    if (typeof apiKey !== "string" || apiKey === "") return json(401, { message: "No API key found in request" });
    if (!accepted.has(apiKey)) return json(401, { message: "Invalid authentication credentials" });
    return undefined;
  };
}
