// Who is calling: GoTrue's bearer-token checks for user endpoints (valid JWT, user and session
// still there) and for admin endpoints (JWT role is an admin role).
import { bearerToken, type JwtClaims, JwtError } from "../keys/verify-jwt.ts";
import type { AuthContext, AuthRequest } from "./auth-context.ts";
import { badRequest, forbidden, unauthorized } from "./errors.ts";
import type { UserRecord } from "./user-json.ts";
import { findUserById, UUID_PATTERN } from "./user-store.ts";

export const ADMIN_ROLES = new Set(["service_role", "supabase_admin"]);

export interface Caller {
  claims: JwtClaims;
  user: UserRecord;
  sessionId: string | undefined;
  aal: string;
}

async function verifiedClaims(ctx: AuthContext, request: AuthRequest): Promise<JwtClaims> {
  const token = bearerToken(request.gateway.headers.authorization);
  if (!token) throw unauthorized("no_authorization", "This endpoint requires a valid Bearer token");
  try {
    return await ctx.verifier.verify(token);
  } catch (error) {
    if (error instanceof JwtError)
      throw forbidden(
        "bad_jwt",
        error.reason === "expired"
          ? "invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired"
          : error.message,
      );
    throw error;
  }
}

/** The signed-in user behind the bearer token. */
export async function requireUser(ctx: AuthContext, request: AuthRequest): Promise<Caller> {
  const claims = await verifiedClaims(ctx, request);
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  if (!sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  if (!UUID_PATTERN.test(sub)) throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
  const sessionId = typeof claims.session_id === "string" && claims.session_id ? claims.session_id : undefined;
  const [user, session] = await Promise.all([
    findUserById(ctx.sql, sub),
    sessionId && UUID_PATTERN.test(sessionId)
      ? ctx.sql<{ aal: string }[]>`select aal from auth.sessions where id = ${sessionId}`.then((rows) => rows[0])
      : Promise.resolve(undefined),
  ]);
  if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  if (sessionId && !session) throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
  return { claims, user, sessionId, aal: session?.aal ?? (typeof claims.aal === "string" ? claims.aal : "aal1") };
}

/** A caller whose JWT role is an admin role (service_role locally). */
export async function requireAdmin(ctx: AuthContext, request: AuthRequest): Promise<JwtClaims> {
  const claims = await verifiedClaims(ctx, request);
  if (typeof claims.role !== "string" || !ADMIN_ROLES.has(claims.role)) throw forbidden("not_admin", "User not allowed");
  return claims;
}
