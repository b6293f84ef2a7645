// POST /otp (magic link / email OTP, signing unknown users up first), POST /recover (password
// reset mail; {} even for unknown emails) and POST /resend (signup or email_change mail again).
import { json } from "../../gateway/types.ts";
import { writeAudit } from "../audit-log.ts";
import type { AuthContext, AuthHandler, AuthRequest } from "../auth-context.ts";
import { pkceFrom } from "../email-tokens.ts";
import { AuthError, badRequest, unprocessable, validationFailed } from "../errors.ts";
import { resolveRedirect } from "../redirect-url.ts";
import { optionalBoolean, optionalObject, optionalString, validEmail, validPhone } from "../request-body.ts";
import { mailSignupConfirmation, mailToken } from "../token-mail.ts";
import { findUserByEmail, findUserByPhone, insertUser } from "../user-store.ts";

const noSms = () => new AuthError(422, "sms_send_failed", "SMS is not available: no SMS provider is configured");

function emailRequest(ctx: AuthContext, request: AuthRequest, body: Record<string, unknown>) {
  const email = optionalString(body, "email");
  if (optionalString(body, "phone")) throw noSms();
  if (!email) throw validationFailed("An email address is required");
  return { email: validEmail(email), pkce: pkceFrom(body), redirectTo: resolveRedirect(request.query.get("redirect_to"), ctx.settings) };
}

/**
 * POST /otp with a phone, as GoTrue answers it while the phone provider is off (no SMS here):
 * `create_user: false` for an unknown or invalid number is otp_disabled first, else the provider.
 */
async function phoneOtp(ctx: AuthContext, body: Record<string, unknown>, phone: string): Promise<never> {
  if (optionalString(body, "email")) throw validationFailed("Only an email address or phone number should be provided");
  if (optionalBoolean(body, "create_user") === false) {
    let known = false;
    try {
      known = Boolean(await findUserByPhone(ctx.sql, validPhone(phone)));
    } catch (error) {
      // An invalid number is an unknown one here, as GoTrue folds its validation error into otp_disabled.
      if (!(error instanceof AuthError)) throw error;
    }
    if (!known) throw unprocessable("otp_disabled", "Signups not allowed for otp");
  }
  throw badRequest("phone_provider_disabled", "Unsupported phone provider");
}

export const otp: AuthHandler = async (ctx, request) => {
  ctx.limits.check(ctx.limits.signInSignUps, request.client);
  const body = await request.body();
  const phone = optionalString(body, "phone");
  if (phone) return phoneOtp(ctx, body, phone);
  const { email, pkce, redirectTo } = emailRequest(ctx, request, body);
  const createUser = optionalBoolean(body, "create_user") ?? true;
  const data = optionalObject(body, "data") ?? {};
  let user = await findUserByEmail(ctx.sql, email);
  const created = !user;
  if (!user) {
    if (!createUser) throw unprocessable("otp_disabled", "Signups not allowed for otp");
    if (!ctx.settings.enableSignup || !ctx.settings.email.enableSignup)
      throw unprocessable("signup_disabled", "Signups not allowed for this instance");
    user = await insertUser(ctx.sql, {
      email,
      userMetadata: data,
      provider: "email",
      emailConfirmedAt: ctx.settings.email.autoconfirm ? new Date() : null,
    });
    await writeAudit(ctx.sql, "user_signedup", user, request.client.ip, { provider: "email" });
  }
  const confirmed = user.email_confirmed_at || ctx.settings.email.autoconfirm;
  try {
    await mailToken(ctx, user, {
      tokenKind: confirmed ? "recovery" : "confirmation",
      template: confirmed ? "magic_link" : "confirmation",
      linkType: confirmed ? "magiclink" : "signup",
      address: email,
      redirectTo,
      pkce,
    });
  } catch (error) {
    // A user signed up only to receive this mail does not outlive its failure.
    if (created) await ctx.sql`delete from auth.users where id = ${user.id}`;
    throw error;
  }
  return json(200, {});
};

export const recover: AuthHandler = async (ctx, request) => {
  ctx.limits.check(ctx.limits.signInSignUps, request.client);
  const { email, pkce, redirectTo } = emailRequest(ctx, request, await request.body());
  const user = await findUserByEmail(ctx.sql, email);
  // Unknown addresses get the same answer, so the endpoint does not reveal who has an account.
  if (!user) return json(200, {});
  await mailToken(ctx, user, { tokenKind: "recovery", template: "recovery", linkType: "recovery", address: email, redirectTo, pkce });
  await writeAudit(ctx.sql, "user_recovery_requested", user, request.client.ip);
  return json(200, {});
};

export const resend: AuthHandler = async (ctx, request) => {
  ctx.limits.check(ctx.limits.signInSignUps, request.client);
  const body = await request.body();
  const type = optionalString(body, "type");
  if (type === "sms" || type === "phone_change") throw noSms();
  if (type !== "signup" && type !== "email_change")
    throw validationFailed("Missing one of these types: signup, email_change, sms, phone_change");
  const { email, pkce, redirectTo } = emailRequest(ctx, request, body);
  if (type === "signup") {
    const user = await findUserByEmail(ctx.sql, email);
    if (!user || user.email_confirmed_at) return json(200, {});
    await mailSignupConfirmation(ctx, user, email, redirectTo, pkce);
    return json(200, {});
  }
  const user = await findUserByEmail(ctx.sql, email);
  if (!user?.email_change) return json(200, {});
  await mailToken(ctx, user, {
    tokenKind: "email_change_new",
    template: "email_change",
    linkType: "email_change",
    address: user.email_change,
    redirectTo,
    pkce,
    newEmail: user.email_change,
  });
  return json(200, {});
};
