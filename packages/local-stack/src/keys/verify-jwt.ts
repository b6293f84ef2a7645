// Verifies the bearer tokens every service receives, as Supabase's services do: HS256 with the
// project's JWT secret, or ES256/RS256 by `kid` against the configured signing keys; `exp`
// enforced, `alg: none` and unknown algorithms refused. Returns the claims or a typed reason.
import { type CryptoKey, decodeProtectedHeader, errors, importJWK, type JWK, jwtVerify } from "jose";

export type JwtClaims = Record<string, unknown> & { role?: string; sub?: string; exp?: number; session_id?: string };

export type JwtFailure = "missing" | "malformed" | "expired" | "bad_signature" | "unsupported_alg" | "unknown_kid";

export class JwtError extends Error {
  constructor(
    readonly reason: JwtFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface JwtVerifier {
  verify(token: string | undefined): Promise<JwtClaims>;
}

/** A public key trusted by `kid` (the public halves of `[auth] signing_keys_path`). */
export type PublicJwk = JWK & { kid: string; alg: string };

const MALFORMED = "invalid JWT: unable to parse or verify signature, token is malformed";

/**
 * Tokens with a `kid` are checked against the public key of that id, with that key's algorithm;
 * tokens without one must be HS256 with the secret (the anon/service_role keys), as GoTrue picks
 * keys. A `kid` no key has is refused.
 */
export function createJwtVerifier(secret: string, publicJwks: readonly PublicJwk[] = []): JwtVerifier {
  const key = new TextEncoder().encode(secret);
  const byKid = new Map(publicJwks.map((jwk) => [jwk.kid, jwk]));
  const imported = new Map<string, Promise<CryptoKey | Uint8Array>>();
  const publicKey = (jwk: PublicJwk) => {
    let found = imported.get(jwk.kid);
    if (!found) {
      found = importJWK(jwk, jwk.alg);
      imported.set(jwk.kid, found);
    }
    return found;
  };
  // Successful verifications are cached briefly: the same token arrives on every request of a
  // session, and HMAC + JSON parsing dominate a small REST read otherwise.
  const cache = new Map<string, { claims: JwtClaims; until: number }>();
  return {
    async verify(token) {
      if (!token) throw new JwtError("missing", "No token");
      const now = Date.now();
      const hit = cache.get(token);
      if (hit && hit.until > now) return hit.claims;
      if (token.split(".").length !== 3) throw new JwtError("malformed", MALFORMED);
      let kid: unknown;
      try {
        kid = decodeProtectedHeader(token).kid;
      } catch {
        throw new JwtError("malformed", MALFORMED);
      }
      const jwk = typeof kid === "string" ? byKid.get(kid) : undefined;
      if (kid !== undefined && !jwk)
        throw new JwtError(
          "unknown_kid",
          `invalid JWT: unable to parse or verify signature, token is unverifiable: error while executing keyfunc: invalid kid: ${String(kid)}`,
        );
      try {
        const { payload } = jwk
          ? await jwtVerify(token, await publicKey(jwk), { algorithms: [jwk.alg] })
          : await jwtVerify(token, key, { algorithms: ["HS256"] });
        const claims = payload as JwtClaims;
        const expMs = typeof claims.exp === "number" ? claims.exp * 1000 : now + 60_000;
        if (cache.size > 10_000) cache.clear();
        cache.set(token, { claims, until: Math.min(expMs, now + 60_000) });
        return claims;
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new JwtError("expired", "JWT expired");
        if (error instanceof errors.JOSEAlgNotAllowed) throw new JwtError("unsupported_alg", "invalid JWT: signing method not allowed");
        if (error instanceof errors.JWSSignatureVerificationFailed)
          throw new JwtError("bad_signature", "invalid JWT: signature is invalid");
        throw new JwtError("malformed", MALFORMED);
      }
    },
  };
}

/** The token from `Authorization: Bearer <token>`, if any. */
export function bearerToken(authorization: string | string[] | undefined): string | undefined {
  if (typeof authorization !== "string") return undefined;
  const match = /^bearer\s+(.+)$/i.exec(authorization.trim());
  return match?.[1];
}
