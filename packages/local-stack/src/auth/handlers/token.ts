// POST /token: the password, refresh_token and pkce grants. Refresh rotates the token; a revoked
// token is honoured only as GoTrue does (parent of the active one, or within the reuse interval),
// otherwise the whole session's token family is revoked: reuse detection.
import { json } from "../../gateway/types.ts";
import { writeAudit } from "../audit-log.ts";
import type { AuthContext, AuthHandler, AuthRequest } from "../auth-context.ts";
import { AuthError, badRequest, invalidCredentials, notFound, unprocessable, validationFailed } from "../errors.ts";
import { passwordWeakness, verifyPassword } from "../passwords.ts";
import { optionalString } from "../request-body.ts";
import { sha256Base64Url } from "../secure-tokens.ts";
import { sessionBody, signIn } from "../session-response.ts";
import { activeRefreshToken, findAndRotateRefreshToken, insertChildToken, type RefreshTokenState, revokeTokenFamily } from "../sessions.ts";
import { isBanned } from "../user-json.ts";
import { findUserByEmail, findUserById } from "../user-store.ts";
import { idTokenGrant, web3Grant } from "./disabled-features.ts";

const FLOW_STATE_EXPIRY_SECONDS = 300;

export const token: AuthHandler = async (ctx, request) => {
  ctx.limits.check(ctx.limits.tokenRefresh, request.client);
  const grant = request.query.get("grant_type");
  if (grant === "password") return passwordGrant(ctx, request);
  if (grant === "refresh_token") return refreshGrant(ctx, request);
  if (grant === "pkce") return pkceGrant(ctx, request);
  if (grant === "id_token") return idTokenGrant(ctx, request);
  if (grant === "web3") return web3Grant();
  throw badRequest("invalid_credentials", "unsupported_grant_type");
};

async function passwordGrant(ctx: AuthContext, request: AuthRequest) {
  const body = await request.body();
  const email = optionalString(body, "email");
  const phone = optionalString(body, "phone");
  const password = optionalString(body, "password") ?? "";
  if (email && phone) throw validationFailed("Only an email address or phone number should be provided on login.");
  if (!email && !phone) throw invalidCredentials();
  // The phone provider is off here (no SMS), as on a CLI project without [auth.sms] enable_signup.
  if (phone) throw unprocessable("phone_provider_disabled", "Phone logins are disabled");
  if (!ctx.settings.email.enableSignup) throw unprocessable("email_provider_disabled", "Email logins are disabled");
  const user = await findUserByEmail(ctx.sql, (email ?? "").trim());
  // bcrypt runs even for unknown users so the answer takes as long either way.
  const valid = await verifyPassword(password, user?.encrypted_password ?? "$2a$10$0000000000000000000000000000000000000000000000000000");
  if (!user || !valid) throw invalidCredentials();
  if (isBanned(user)) throw badRequest("user_banned", "User is banned");
  if (email && !user.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");
  const weakness = passwordWeakness(password, ctx.settings);
  const answer = await signIn(ctx, user, "password", request.client, weakness);
  await writeAudit(ctx.sql, "login", user, request.client.ip, { provider: "email" });
  return json(200, answer);
}

const refreshError = (code: string, reason: string) => badRequest(code, `Invalid Refresh Token: ${reason}`);

async function refreshGrant(ctx: AuthContext, request: AuthRequest) {
  const body = await request.body();
  const refreshToken = optionalString(body, "refresh_token");
  if (!refreshToken) throw validationFailed("refresh_token required");
  let state = await findAndRotateRefreshToken(ctx.sql, refreshToken, request.client, ctx.settings.sessions);
  if (!state?.user) throw refreshError("refresh_token_not_found", "Refresh Token Not Found");
  let issued = state.rotated ?? undefined;
  if (!issued) {
    // Not rotated: say why (banned, expired), or answer as for a token revoked before - possibly
    // by a concurrent refresh a moment ago, so read it again.
    if (isBanned(state.user)) throw refreshError("user_banned", "User Banned");
    assertSessionAlive(ctx, state);
    if (!state.revoked) state = (await findAndRotateRefreshToken(ctx.sql, refreshToken, request.client, ctx.settings.sessions)) ?? state;
    issued = state.rotated ?? (await reissueRevoked(ctx, state));
  }
  const session = { id: state.session_id, refreshToken: issued, aal: state.aal ?? "aal1", amr: state.amr };
  return json(200, await sessionBody(ctx, state.user, session, { method: "token_refresh", ip: request.client.ip }));
}

function assertSessionAlive(ctx: AuthContext, state: RefreshTokenState): void {
  const now = Date.now();
  const { timeboxSeconds, inactivityTimeoutSeconds } = ctx.settings.sessions;
  const expired =
    (state.not_after && new Date(state.not_after).getTime() < now) ||
    (timeboxSeconds > 0 && state.session_created_at && new Date(state.session_created_at).getTime() + timeboxSeconds * 1000 < now) ||
    (inactivityTimeoutSeconds > 0 &&
      new Date(state.refreshed_at ?? state.session_created_at ?? now).getTime() + inactivityTimeoutSeconds * 1000 < now);
  if (expired) throw refreshError("session_expired", "Session Expired");
}

async function reissueRevoked(ctx: AuthContext, state: RefreshTokenState): Promise<string> {
  if (!ctx.settings.refreshTokenRotation) return state.token;
  const active = await activeRefreshToken(ctx.sql, state.session_id);
  // The client lost the answer to its last refresh: give it the token that answer held.
  if (active && active.parent === state.token) return active.token;
  // Within the reuse interval a concurrent refresh gets a sibling; a session with no active token
  // left had its family revoked by an earlier reuse and stays dead.
  const withinReuseInterval = new Date(state.updated_at).getTime() + ctx.settings.refreshTokenReuseInterval * 1000 > Date.now();
  if (active && withinReuseInterval) return insertChildToken(ctx.sql, state);
  await revokeTokenFamily(ctx.sql, state.session_id);
  await writeAudit(ctx.sql, "token_revoked", { id: state.user_id }, null, { reason: "refresh_token_reuse" });
  throw refreshError("refresh_token_already_used", "Already Used");
}

async function pkceGrant(ctx: AuthContext, request: AuthRequest) {
  const body = await request.body();
  const authCode = optionalString(body, "auth_code");
  const verifier = optionalString(body, "code_verifier");
  if (!authCode || !verifier) throw validationFailed("invalid request: both auth code and code verifier should be non-empty");
  const [flow] = await ctx.sql<
    {
      id: string;
      user_id: string;
      code_challenge: string;
      code_challenge_method: string;
      authentication_method: string;
      auth_code_issued_at: Date | null;
    }[]
  >`
    select id, user_id, code_challenge, code_challenge_method, authentication_method, auth_code_issued_at
    from auth.flow_state where auth_code = ${authCode} and auth_code_issued_at is not null`;
  if (!flow) throw notFound("flow_state_not_found", "invalid flow state, no valid flow state found");
  if (new Date(flow.auth_code_issued_at ?? 0).getTime() + FLOW_STATE_EXPIRY_SECONDS * 1000 < Date.now())
    throw unprocessable("flow_state_expired", "invalid flow state, flow state has expired");
  const computed = flow.code_challenge_method === "s256" ? sha256Base64Url(verifier) : verifier;
  if (computed !== flow.code_challenge)
    throw badRequest("bad_code_verifier", "code challenge does not match previously saved code verifier");
  await ctx.sql`delete from auth.flow_state where id = ${flow.id}`;
  const user = await findUserById(ctx.sql, flow.user_id);
  if (!user) throw new AuthError(404, "user_not_found", "User not found");
  if (isBanned(user)) throw badRequest("user_banned", "User is banned");
  return json(200, await signIn(ctx, user, flow.authentication_method === "magiclink" ? "magiclink" : "otp", request.client));
}
