// The API-key check Supabase's gateway (Kong's key-auth) puts in front of /auth/v1: every route
// but the browser-opened and public ones needs an `apikey` header holding one of the project's
// keys (anon / service_role JWT, publishable / secret key), else 401 with Kong's message.
import type { IncomingHttpHeaders } from "node:http";
import { type GatewayResponse, json } from "../gateway/types.ts";
import type { ApiKeys } from "../keys/api-keys.ts";
import type { JwtVerifier } from "../keys/verify-jwt.ts";

/** Routes Supabase serves without an API key: links opened by browsers, health and public keys. */
const OPEN_PATHS = new Set(["/verify", "/callback", "/authorize", "/health", "/.well-known/jwks.json"]);

const ROLE_KEY_ROLES = new Set(["anon", "service_role"]);

export function createApiKeyGate(
  keys: ApiKeys,
  verifier: JwtVerifier,
): (path: string, headers: IncomingHttpHeaders) => Promise<GatewayResponse | undefined> {
  const accepted = new Set([keys.anonKey, keys.serviceRoleKey, keys.publishableKey, keys.secretKey]);
  // Keys signed by a signing key carry an exp of "ten years from derivation", so `supabase start`,
  // `supabase status` and this stack each derive a different string for the same key: any role key
  // (no user, anon or service_role) the project's signing keys verify is one of the project's keys.
  const isSignedRoleKey = async (apiKey: string) => {
    if (!keys.signingKeys) return false;
    try {
      const claims = await verifier.verify(apiKey);
      return claims.sub === undefined && typeof claims.role === "string" && ROLE_KEY_ROLES.has(claims.role);
    } catch {
      return false;
    }
  };
  return async (path, headers) => {
    if (OPEN_PATHS.has(path.replace(/\/+$/, "") || "/")) return undefined;
    const apiKey = headers.apikey;
    if (typeof apiKey !== "string" || apiKey === "") return json(401, { message: "No API key found in request" });
    if (!accepted.has(apiKey) && !(await isSignedRoleKey(apiKey))) return json(401, { message: "Invalid authentication credentials" });
    return undefined;
  };
}
