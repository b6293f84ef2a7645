// GET /user and PUT /user (metadata, password, email change with confirmation), and
// GET /reauthenticate, for the signed-in caller.
import { json } from "../../gateway/types.ts";
import { writeAudit } from "../audit-log.ts";
import type { AuthContext, AuthHandler, AuthRequest } from "../auth-context.ts";
import { type Caller, requireUser } from "../authenticate.ts";
import { pkceFrom, tokenExpired } from "../email-tokens.ts";
import { AuthError, badRequest, forbidden, unauthorized, unprocessable } from "../errors.ts";
import { matchOtp } from "../otp-attempts.ts";
import { assertStrongPassword, hashPassword, verifyPassword } from "../passwords.ts";
import { resolveRedirect } from "../redirect-url.ts";
import { optionalObject, optionalString, validEmail } from "../request-body.ts";
import { deleteSessions } from "../sessions.ts";
import { mailToken } from "../token-mail.ts";
import { userJson } from "../user-json.ts";
import { findUserByEmail, findUserById, mergeMetadata, updateUserColumns } from "../user-store.ts";

export const getUser: AuthHandler = async (ctx, request) => json(200, userJson((await requireUser(ctx, request)).user));

const hasVerifiedFactor = (caller: Caller) => caller.user.factors.some((f) => f.status === "verified");

export const updateUser: AuthHandler = async (ctx, request) => {
  const caller = await requireUser(ctx, request);
  const body = await request.body();
  if (body.app_metadata !== undefined) throw forbidden("not_admin", "Updating app_metadata requires admin privileges");
  const email = optionalString(body, "email");
  const phone = optionalString(body, "phone");
  const password = optionalString(body, "password");
  const data = optionalObject(body, "data");
  const nonce = optionalString(body, "nonce");
  const { user } = caller;
  if ((email || phone || password) && hasVerifiedFactor(caller) && caller.aal !== "aal2")
    throw unauthorized("insufficient_aal", "AAL2 session is required to update email or password when MFA is enabled.");
  if (phone) throw unprocessable("phone_provider_disabled", "Unsupported phone provider");
  if (email || password) ctx.limits.check(ctx.limits.signInSignUps, request.client);
  if (password !== undefined && user.is_anonymous && !user.email && !email)
    throw unprocessable("validation_failed", "Updating password of an anonymous user without an email or phone is not allowed");

  if (data) await updateUserColumns(ctx.sql, user.id, { raw_user_meta_data: mergeMetadata(user.raw_user_meta_data, data) });
  if (password !== undefined) await changePassword(ctx, request, caller, password, nonce);
  if (email) await changeEmail(ctx, request, caller, validEmail(email), pkceFrom(body));
  if (data && !password && !email) await writeAudit(ctx.sql, "user_modified", user, request.client.ip);
  const updated = await findUserById(ctx.sql, user.id);
  return json(200, userJson(updated ?? user));
};

async function changePassword(ctx: AuthContext, request: AuthRequest, caller: Caller, password: string, nonce: string | undefined) {
  assertStrongPassword(password, ctx.settings);
  const { user } = caller;
  if (await verifyPassword(password, user.encrypted_password))
    throw unprocessable("same_password", "New password should be different from the old password.");
  if (
    ctx.settings.email.securePasswordChange &&
    user.last_sign_in_at &&
    Date.now() - new Date(user.last_sign_in_at).getTime() > 24 * 3600 * 1000
  ) {
    if (!nonce) throw badRequest("reauthentication_needed", "Password update requires reauthentication");
    const expired = tokenExpired(ctx, user.reauthentication_sent_at);
    if (!user.email || expired || !(await matchOtp(ctx, user, ["reauthentication"], nonce, () => user.email ?? "")))
      throw unprocessable("reauthentication_not_valid", "Requested nonce is invalid or expired");
  }
  await updateUserColumns(ctx.sql, user.id, { encrypted_password: await hashPassword(password), reauthentication_token: "" });
  // A new password ends every other session, as GoTrue does.
  await deleteSessions(ctx.sql, user.id, caller.sessionId, "others");
  await writeAudit(ctx.sql, "user_updated_password", user, request.client.ip);
}

async function changeEmail(ctx: AuthContext, request: AuthRequest, caller: Caller, email: string, pkce: ReturnType<typeof pkceFrom>) {
  const { user } = caller;
  if (email === user.email) return;
  const owner = await findUserByEmail(ctx.sql, email);
  if (owner && owner.id !== user.id) throw unprocessable("email_exists", "A user with this email address has already been registered");
  const { settings } = ctx;
  if (user.is_anonymous && settings.email.autoconfirm) {
    // An anonymous user upgraded at once: the email is theirs, confirmed, with an email identity.
    const now = new Date();
    await updateUserColumns(ctx.sql, user.id, {
      email,
      email_confirmed_at: now,
      is_anonymous: false,
      raw_app_meta_data: { ...user.raw_app_meta_data, provider: "email", providers: ["email"] },
    });
    await ctx.sql`
      insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
      values (${user.id}, ${user.id}, ${ctx.sql.json({ sub: user.id, email, email_verified: true, phone_verified: false })}, 'email', ${now}, ${now}, ${now})
      on conflict (provider_id, provider) do nothing`;
    return;
  }
  const redirectTo = resolveRedirect(request.query.get("redirect_to"), settings);
  const change = { template: "email_change", linkType: "email_change", redirectTo, pkce, newEmail: email } as const;
  await mailToken(ctx, user, {
    ...change,
    tokenKind: "email_change_new",
    address: email,
    extraColumns: { email_change: email, email_change_confirm_status: 0 },
  });
  if (settings.email.doubleConfirmChanges && user.email)
    await mailToken(ctx, user, { ...change, tokenKind: "email_change_current", address: user.email, checkFrequency: false });
  await writeAudit(ctx.sql, "user_modified", user, request.client.ip, { email_change: email });
}

export const reauthenticate: AuthHandler = async (ctx, request) => {
  const { user } = await requireUser(ctx, request);
  if (!user.email)
    throw unprocessable("reauthentication_not_valid", "Reauthentication requires the user to have an email or a phone number");
  if (!user.email_confirmed_at) throw new AuthError(422, "email_not_confirmed", "Please verify your email first.");
  await mailToken(ctx, user, {
    tokenKind: "reauthentication",
    template: "reauthentication",
    linkType: "reauthentication",
    address: user.email,
    redirectTo: ctx.settings.siteUrl,
  });
  await writeAudit(ctx.sql, "user_reauthenticate_requested", user, request.client.ip);
  return json(200, {});
};
