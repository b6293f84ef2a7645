// POST /invite (creates the user and mails the invite) and POST /admin/generate_link (the same
// links and OTPs as the emails would carry, returned instead of sent).
import { json } from "../../gateway/types.ts";
import { writeAudit } from "../audit-log.ts";
import type { AuthContext, AuthHandler } from "../auth-context.ts";
import { requireAdmin } from "../authenticate.ts";
import { type EmailTokenKind, issueEmailToken, verificationUrl } from "../email-tokens.ts";
import { notFound, unprocessable, validationFailed } from "../errors.ts";
import { assertStrongPassword, hashPassword } from "../passwords.ts";
import { resolveRedirect } from "../redirect-url.ts";
import { optionalObject, optionalString, validEmail } from "../request-body.ts";
import { mailToken } from "../token-mail.ts";
import { type UserRecord, userJson } from "../user-json.ts";
import { findUserByEmail, findUserById, insertUser, mergeMetadata, updateUserColumns } from "../user-store.ts";

const emailTaken = () => unprocessable("email_exists", "A user with this email address has already been registered");

async function invitedUser(ctx: AuthContext, email: string, data: Record<string, unknown>): Promise<UserRecord> {
  const existing = await findUserByEmail(ctx.sql, email);
  if (existing?.email_confirmed_at) throw emailTaken();
  if (existing) {
    await updateUserColumns(ctx.sql, existing.id, {
      invited_at: new Date(),
      raw_user_meta_data: mergeMetadata(existing.raw_user_meta_data, data),
    });
    return (await findUserById(ctx.sql, existing.id)) ?? existing;
  }
  return insertUser(ctx.sql, { email, userMetadata: data, provider: "email", invitedAt: new Date() });
}

export const invite: AuthHandler = async (ctx, request) => {
  await requireAdmin(ctx, request);
  const body = await request.body();
  const email = validEmail(optionalString(body, "email") ?? "");
  const data = optionalObject(body, "data") ?? {};
  const redirectTo = resolveRedirect(request.query.get("redirect_to") ?? optionalString(body, "redirect_to"), ctx.settings);
  const user = await invitedUser(ctx, email, data);
  await mailToken(ctx, user, {
    tokenKind: "confirmation",
    template: "invite",
    linkType: "invite",
    address: email,
    redirectTo,
    checkFrequency: false,
  });
  await writeAudit(ctx.sql, "user_invited", user, request.client.ip, { user_email: email });
  return json(200, userJson((await findUserById(ctx.sql, user.id)) ?? user));
};

const linkKinds: Record<string, { kind: EmailTokenKind; verificationType: string }> = {
  signup: { kind: "confirmation", verificationType: "signup" },
  invite: { kind: "confirmation", verificationType: "invite" },
  magiclink: { kind: "recovery", verificationType: "magiclink" },
  recovery: { kind: "recovery", verificationType: "recovery" },
  email_change_current: { kind: "email_change_current", verificationType: "email_change" },
  email_change_new: { kind: "email_change_new", verificationType: "email_change" },
};

export const generateLink: AuthHandler = async (ctx, request) => {
  await requireAdmin(ctx, request);
  const body = await request.body();
  let type = optionalString(body, "type") ?? "";
  if (!linkKinds[type]) throw validationFailed("Invalid email action link type requested");
  const email = validEmail(optionalString(body, "email") ?? "");
  const data = optionalObject(body, "data") ?? {};
  const redirectTo = resolveRedirect(request.query.get("redirect_to") ?? optionalString(body, "redirect_to"), ctx.settings);
  let user = await findUserByEmail(ctx.sql, email);
  if (!user && type === "magiclink") type = "signup";

  if (type === "signup") {
    const password = optionalString(body, "password");
    if (!password) throw validationFailed("Signup requires a valid password");
    assertStrongPassword(password, ctx.settings);
    if (user?.email_confirmed_at) throw emailTaken();
    user ??= await insertUser(ctx.sql, { email, encryptedPassword: await hashPassword(password), userMetadata: data, provider: "email" });
  } else if (type === "invite") user = await invitedUser(ctx, email, data);
  if (!user) throw notFound("user_not_found", "User with this email not found");

  let address = email;
  const extraColumns: Record<string, unknown> = {};
  if (type === "email_change_current" || type === "email_change_new") {
    const newEmail = validEmail(optionalString(body, "new_email") ?? "");
    const owner = await findUserByEmail(ctx.sql, newEmail);
    if (owner && owner.id !== user.id) throw emailTaken();
    Object.assign(extraColumns, { email_change: newEmail, email_change_confirm_status: 0 });
    if (type === "email_change_new") address = newEmail;
  }
  const { kind, verificationType } = linkKinds[type];
  const token = await issueEmailToken(ctx, user, kind, address, { extraColumns });
  const fresh = (await findUserById(ctx.sql, user.id)) ?? user;
  return json(200, {
    ...userJson(fresh),
    action_link: verificationUrl(ctx, token.linkToken, verificationType, redirectTo),
    email_otp: token.otp,
    hashed_token: token.linkToken,
    verification_type: verificationType,
    redirect_to: redirectTo,
  });
};
