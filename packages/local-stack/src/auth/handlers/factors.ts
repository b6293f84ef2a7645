// TOTP MFA for the signed-in user: POST /factors (enroll), POST /factors/:id/challenge,
// POST /factors/:id/verify (session to aal2) and DELETE /factors/:id (unenroll).

import { randomUUID } from "node:crypto";
import QRCode from "qrcode";
import { json } from "../../gateway/types.ts";
import { writeAudit } from "../audit-log.ts";
import type { AuthContext, AuthHandler, AuthRequest } from "../auth-context.ts";
import { requireUser } from "../authenticate.ts";
import { AuthError, badRequest, forbidden, notFound, tooManyRequests, unprocessable, validationFailed } from "../errors.ts";
import { CHALLENGE_EXPIRY_SECONDS, deleteFactor, findFactor, insertTotpFactor, upgradeSession } from "../mfa-factors.ts";
import { optionalString } from "../request-body.ts";
import { sessionBody } from "../session-response.ts";
import { sessionAmr } from "../sessions.ts";
import { newTotpSecret, totpUri, verifyTotp } from "../totp.ts";
import { findUserById, UUID_PATTERN } from "../user-store.ts";

const factorNotFound = () => notFound("mfa_factor_not_found", "Factor not found");

/** The caller's factor `id`; 404 validation_failed when the id is not a UUID, as GoTrue answers. */
async function ownFactor(ctx: AuthContext, userId: string, id: string) {
  if (!UUID_PATTERN.test(id)) throw notFound("validation_failed", "factor_id must be an UUID");
  return findFactor(ctx.sql, userId, id);
}

// A challenge is answered from the address it was issued to (GoTrue's mfa_ip_address_mismatch).
const challengeIp = (request: AuthRequest) => request.client.ip ?? "0.0.0.0";

export const enrollFactor: AuthHandler = async (ctx, request) => {
  const caller = await requireUser(ctx, request);
  const { user } = caller;
  if (user.is_anonymous) throw forbidden("no_authorization", "Anonymous users cannot enroll MFA factors");
  const body = await request.body();
  const type = optionalString(body, "factor_type");
  if (type === "phone") throw unprocessable("mfa_phone_enroll_not_enabled", "MFA enroll is disabled for Phone");
  if (type === "webauthn") throw unprocessable("mfa_webauthn_enroll_not_enabled", "MFA enroll is disabled for WebAuthn");
  if (type !== "totp") throw validationFailed("factor_type needs to be totp, phone or webauthn");
  if (!ctx.settings.mfa.totpEnroll) throw unprocessable("mfa_totp_enroll_not_enabled", "MFA enroll is disabled for TOTP");
  const verified = user.factors.filter((f) => f.status === "verified");
  if (verified.length > 0 && caller.aal !== "aal2") throw forbidden("insufficient_aal", "AAL2 required to enroll a new factor");
  if (verified.length >= ctx.settings.mfa.maxEnrolledFactors)
    throw unprocessable("too_many_enrolled_mfa_factors", "Maximum number of verified factors reached, unenroll to continue");
  const friendlyName = optionalString(body, "friendly_name") ?? "";
  if (friendlyName && user.factors.some((f) => f.friendly_name === friendlyName))
    throw unprocessable("mfa_factor_name_conflict", `A factor with the friendly name "${friendlyName}" for this user already exists`);
  const issuer = optionalString(body, "issuer") || new URL(ctx.settings.siteUrl).hostname;
  const secret = newTotpSecret();
  const uri = totpUri(secret, issuer, user.email || user.phone || user.id);
  const factor = await insertTotpFactor(ctx.sql, user.id, friendlyName, secret);
  await writeAudit(ctx.sql, "factor_in_progress", user, request.client.ip, { factor_id: factor.id });
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return json(200, {
    id: factor.id,
    type: "totp",
    friendly_name: friendlyName,
    // auth-js adds the data: URI prefix itself, as for GoTrue, which answers the bare SVG.
    totp: { qr_code: svg, secret, uri },
  });
};

export const challengeFactor: AuthHandler = async (ctx, request, params) => {
  const { user } = await requireUser(ctx, request);
  ctx.limits.check(ctx.limits.mfaChallengeAndVerify, request.client);
  const factor = await ownFactor(ctx, user.id, params.id);
  if (!factor) throw unprocessable("mfa_factor_not_found", "Factor not found");
  if (factor.factor_type === "totp" && !ctx.settings.mfa.totpVerify)
    throw unprocessable("mfa_totp_verify_not_enabled", "MFA verification is disabled for TOTP");
  const id = randomUUID();
  const [challenge] = await ctx.sql<{ created_at: Date }[]>`
    insert into auth.mfa_challenges (id, factor_id, created_at, ip_address)
    values (${id}, ${factor.id}, now(), ${challengeIp(request)})
    returning created_at`;
  await ctx.sql`update auth.mfa_factors set last_challenged_at = now() where id = ${factor.id}`;
  return json(200, {
    id,
    type: factor.factor_type,
    expires_at: Math.floor(new Date(challenge.created_at).getTime() / 1000) + CHALLENGE_EXPIRY_SECONDS,
  });
};

export const verifyFactor: AuthHandler = async (ctx, request, params) => {
  const caller = await requireUser(ctx, request);
  ctx.limits.check(ctx.limits.mfaChallengeAndVerify, request.client);
  const factor = await ownFactor(ctx, caller.user.id, params.id);
  if (!factor) throw factorNotFound();
  if (!ctx.settings.mfa.totpVerify) throw unprocessable("mfa_totp_verify_not_enabled", "MFA verification is disabled for TOTP");
  const body = await request.body();
  const challengeId = optionalString(body, "challenge_id");
  const code = optionalString(body, "code") ?? "";
  if (!challengeId) throw validationFailed("challenge_id is required");
  if (!UUID_PATTERN.test(challengeId)) throw badRequest("bad_json", "Could not parse request body as JSON: challenge_id must be a UUID");
  const { failedChallenges, failedFactors } = ctx.limits;
  if (failedFactors.exhausted(factor.id))
    throw tooManyRequests("over_request_rate_limit", "Too many wrong codes for this factor, try again later");
  const [challenge] = await ctx.sql<{ id: string; created_at: Date; verified_at: Date | null; same_ip: boolean }[]>`
    select id, created_at, verified_at, ip_address = ${challengeIp(request)}::inet as same_ip
    from auth.mfa_challenges where id = ${challengeId} and factor_id = ${factor.id}`;
  // A challenge burned by wrong codes is gone, even for a request that read it before the delete.
  if (!challenge || failedChallenges.exhausted(challenge.id))
    throw unprocessable("mfa_factor_not_found", "MFA factor with the provided challenge ID not found");
  if (challenge.verified_at || !challenge.same_ip)
    throw unprocessable("mfa_ip_address_mismatch", "Challenge and verify IP addresses mismatch.");
  if (new Date(challenge.created_at).getTime() + CHALLENGE_EXPIRY_SECONDS * 1000 < Date.now()) {
    await ctx.sql`delete from auth.mfa_challenges where id = ${challenge.id}`;
    throw unprocessable(
      "mfa_challenge_expired",
      `MFA challenge ${challenge.id} has expired, verify against another challenge or create a new challenge.`,
    );
  }
  if (!verifyTotp(factor.secret ?? "", code)) {
    failedFactors.fail(factor.id);
    if (failedChallenges.fail(challenge.id)) await ctx.sql`delete from auth.mfa_challenges where id = ${challenge.id}`;
    throw unprocessable("mfa_verification_failed", "Invalid TOTP code entered");
  }
  if (!caller.sessionId) throw new AuthError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
  const refreshToken = await upgradeSession(ctx.sql, factor, challenge.id, caller.sessionId);
  await writeAudit(ctx.sql, "mfa_code_login", caller.user, request.client.ip, { factor_id: factor.id });
  const user = (await findUserById(ctx.sql, caller.user.id)) ?? caller.user;
  const amr = await sessionAmr(ctx.sql, caller.sessionId);
  return json(
    200,
    await sessionBody(ctx, user, { id: caller.sessionId, refreshToken, aal: "aal2", amr }, { method: "totp", ip: request.client.ip }),
  );
};

export const unenrollFactor: AuthHandler = async (ctx, request, params) => {
  const caller = await requireUser(ctx, request);
  const factor = await ownFactor(ctx, caller.user.id, params.id);
  if (!factor) throw factorNotFound();
  if (factor.status === "verified" && caller.aal !== "aal2")
    throw unprocessable("insufficient_aal", "AAL2 required to unenroll verified factor");
  await deleteFactor(ctx.sql, factor.id);
  await writeAudit(ctx.sql, "factor_unenrolled", caller.user, request.client.ip, { factor_id: factor.id });
  return json(200, { id: factor.id });
};
