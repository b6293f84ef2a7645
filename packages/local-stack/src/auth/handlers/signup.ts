// POST /signup: email + password (confirmation mail, or a session when autoconfirm is on), and
// anonymous sign-up when neither email nor phone is given.
import { json } from "../../gateway/types.ts";
import { writeAudit } from "../audit-log.ts";
import type { AuthHandler } from "../auth-context.ts";
import { pkceFrom } from "../email-tokens.ts";
import { badRequest, unprocessable, validationFailed } from "../errors.ts";
import { assertStrongPassword, hashPassword } from "../passwords.ts";
import { resolveRedirect } from "../redirect-url.ts";
import { madeUpUser, unconfirmedUser } from "../repeated-signup.ts";
import { optionalObject, optionalString, validEmail } from "../request-body.ts";
import { signIn } from "../session-response.ts";
import { mailSignupConfirmation } from "../token-mail.ts";
import { userJson } from "../user-json.ts";
import { findUserByEmail, insertUser } from "../user-store.ts";

export const signup: AuthHandler = async (ctx, request) => {
  ctx.limits.check(ctx.limits.signInSignUps, request.client);
  const body = await request.body();
  const rawEmail = optionalString(body, "email");
  const phone = optionalString(body, "phone");
  const password = optionalString(body, "password");
  const data = optionalObject(body, "data") ?? {};
  const { settings } = ctx;
  if (!settings.enableSignup) throw unprocessable("signup_disabled", "Signups not allowed for this instance");

  if (!rawEmail && !phone) {
    if (!settings.anonymousSignIns) throw unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled");
    ctx.limits.check(ctx.limits.anonymousUsers, request.client);
    const user = await insertUser(ctx.sql, { userMetadata: data, isAnonymous: true });
    await writeAudit(ctx.sql, "user_signedup", user, request.client.ip, { provider: "anonymous" });
    return json(200, await signIn(ctx, user, "anonymous", request.client));
  }
  // GoTrue's order: password, its strength, one channel only, then the provider (SMS is never
  // served here, so phone sign-ups meet the disabled provider).
  if (!password) throw validationFailed("Signup requires a valid password");
  assertStrongPassword(password, settings);
  if (rawEmail && phone) throw validationFailed("Only an email address or phone number should be provided on signup.");
  if (phone) throw badRequest("phone_provider_disabled", "Phone signups are disabled");
  if (!settings.email.enableSignup) throw badRequest("email_provider_disabled", "Email signups are disabled");
  const email = validEmail(rawEmail ?? "");
  const pkce = pkceFrom(body);
  const redirectTo = resolveRedirect(request.query.get("redirect_to"), settings);

  const existing = await findUserByEmail(ctx.sql, email);
  if (existing?.email_confirmed_at) {
    await writeAudit(ctx.sql, "user_repeated_signup", existing, request.client.ip, { provider: "email" });
    if (settings.email.autoconfirm) throw unprocessable("user_already_exists", "User already registered");
    // Confirmations on: the answer of a fresh sign-up, so it reveals neither the account nor its data.
    return json(200, madeUpUser(email, data));
  }
  if (existing) {
    // The password and metadata stay as they are: the caller has not shown the address is theirs.
    await mailSignupConfirmation(ctx, existing, email, redirectTo, pkce);
    await writeAudit(ctx.sql, "user_confirmation_requested", existing, request.client.ip, { provider: "email" });
    return json(200, unconfirmedUser(existing, email, data));
  }

  const user = await insertUser(ctx.sql, {
    email,
    encryptedPassword: await hashPassword(password),
    userMetadata: data,
    provider: "email",
    emailConfirmedAt: settings.email.autoconfirm ? new Date() : null,
  });
  await writeAudit(ctx.sql, "user_signedup", user, request.client.ip, { provider: "email" });
  if (settings.email.autoconfirm) return json(200, await signIn(ctx, user, "password", request.client));
  try {
    await mailSignupConfirmation(ctx, user, email, redirectTo, pkce);
  } catch (error) {
    // A sign-up whose confirmation mail could not go out leaves nothing behind, as GoTrue's transaction does.
    await ctx.sql`delete from auth.users where id = ${user.id}`;
    throw error;
  }
  await writeAudit(ctx.sql, "user_confirmation_requested", user, request.client.ip, { provider: "email" });
  const fresh = await findUserByEmail(ctx.sql, email);
  return json(200, userJson(fresh ?? user));
};
