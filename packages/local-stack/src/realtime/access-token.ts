// Tokens of Realtime clients: the socket's `apikey`, then the `access_token` of each join and of
// later refreshes. Verified like every service's bearer token; failures carry Supabase's reasons.
import { bearerFromApiKey } from "../gateway/bearer-token.ts";
import type { ApiKeys } from "../keys/api-keys.ts";
import { type JwtClaims, JwtError, type JwtVerifier } from "../keys/verify-jwt.ts";

export interface VerifiedToken {
  token: string;
  claims: JwtClaims;
  /** Database role the claims name (anon when absent, as Supabase's default). */
  role: string;
}

export class TokenError extends Error {
  constructor(
    /** `Code: message`, the join error reason realtime-js shows. */
    readonly reason: string,
    /** The message alone, for `system` pushes and the upgrade's `{"error": ...}`. */
    readonly detail: string,
  ) {
    super(reason);
  }
}

const secondsAgo = (exp: number | undefined) => Math.max(0, Math.floor(Date.now() / 1000) - (exp ?? 0));

/** Reads `exp` without verifying, only to word the "expired N seconds ago" message. */
function unverifiedExp(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}

export async function verifyRealtimeToken(verifier: JwtVerifier, token: string): Promise<VerifiedToken> {
  try {
    const claims = await verifier.verify(token);
    if (typeof claims.exp !== "number")
      throw new TokenError("InvalidJWTToken: Fields `role` and `exp` are required in JWT", "Fields `role` and `exp` are required in JWT");
    const role = typeof claims.role === "string" && claims.role !== "" ? claims.role : "anon";
    return { token, claims, role };
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (error instanceof JwtError) {
      if (error.reason === "expired") {
        const detail = `Token has expired ${secondsAgo(unverifiedExp(token))} seconds ago`;
        throw new TokenError(`InvalidJWTToken: ${detail}`, detail);
      }
      if (error.reason === "missing") throw new TokenError("InvalidJWTToken: API key is missing", "API key is missing");
      if (error.reason === "malformed")
        throw new TokenError("MalformedJWT: The token provided is not a valid JWT", "The token provided is not a valid JWT");
      throw new TokenError("InvalidJWTToken: Signature error", "Signature error");
    }
    throw error;
  }
}

/** The token the socket's `apikey` stands for: opaque `sb_` keys map to the role JWTs. */
export function socketToken(apiKey: string | undefined, keys: ApiKeys): string | undefined {
  return bearerFromApiKey(apiKey, keys);
}

/** Milliseconds until the token expires (negative when already expired). */
export const msUntilExpiry = (claims: JwtClaims) =>
  typeof claims.exp === "number" ? claims.exp * 1000 - Date.now() : Number.POSITIVE_INFINITY;

export { secondsAgo };
