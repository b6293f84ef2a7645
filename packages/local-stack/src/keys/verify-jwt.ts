// Verifies the bearer tokens every service receives, as Supabase's services do: HS256 with the
// project's JWT secret (asymmetric keys by `kid` when configured), `exp` enforced, `alg: none`
// and unknown algorithms refused. Returns the claims or a typed reason for the failure.
import { errors, jwtVerify } from "jose";

export type JwtClaims = Record<string, unknown> & { role?: string; sub?: string; exp?: number; session_id?: string };

export type JwtFailure = "missing" | "malformed" | "expired" | "bad_signature" | "unsupported_alg";

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

export function createJwtVerifier(secret: string): JwtVerifier {
  const key = new TextEncoder().encode(secret);
  // Successful verifications are cached briefly: the same token arrives on every request of a
  // session, and HMAC + JSON parsing dominate a small REST read otherwise.
  const cache = new Map<string, { claims: JwtClaims; until: number }>();
  return {
    async verify(token) {
      if (!token) throw new JwtError("missing", "No token");
      const now = Date.now();
      const hit = cache.get(token);
      if (hit && hit.until > now) return hit.claims;
      if (token.split(".").length !== 3)
        throw new JwtError("malformed", "invalid JWT: unable to parse or verify signature, token is malformed");
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"] });
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
        throw new JwtError("malformed", "invalid JWT: unable to parse or verify signature, token is malformed");
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
