// POST /verify (token_hash, or token + email: answers a Session) and GET /verify (the link in
// every email: answers a 303 to redirect_to with the session in the fragment, or ?code= in the
// PKCE flow, or #error=...). Signup, invite, magic link, recovery and email change.
import { randomUUID } from "node:crypto";
import { json } from "../../gateway/types.ts";
import { writeAudit } from "../audit-log.ts";
import type { AuthContext, AuthHandler, AuthRequest } from "../auth-context.ts";
import { consumeEmailToken, type EmailTokenKind, tokenColumns, tokenExpired } from "../email-tokens.ts";
import { AuthError, otpExpired, validationFailed } from "../errors.ts";
import { matchOtp } from "../otp-attempts.ts";
import { resolveRedirect } from "../redirect-url.ts";
import { optionalString, validEmail } from "../request-body.ts";
import { signIn } from "../session-response.ts";
import { isBanned, type UserRecord } from "../user-json.ts";
import { findUserByEmail, findUserById, markEmailIdentityVerified, updateUserColumns } from "../user-store.ts";

/** The token columns each verification type may match, in GoTrue's order. */
const kindsByType: Record<string, EmailTokenKind[]> = {
  signup: ["confirmation"],
  invite: ["confirmation"],
  magiclink: ["recovery", "confirmation"],
  recovery: ["recovery"],
  email: ["confirmation", "recovery"],
  email_change: ["email_change_new", "email_change_current"],
};

export type VerifyOutcome =
  | { kind: "session"; user: UserRecord; pkce: boolean; type: string }
  | { kind: "email_change_half"; message: string };

interface TokenLookup {
  tokenHash?: string;
  otp?: string;
  email?: string;
}

async function findTokenOwner(
  ctx: AuthContext,
  type: string,
  lookup: TokenLookup,
): Promise<{ user: UserRecord; kind: EmailTokenKind } | undefined> {
  const kinds = kindsByType[type];
  if (!kinds) throw validationFailed(`Verify requires a verification type`);
  if (lookup.tokenHash) {
    for (const kind of kinds) {
      const column = tokenColumns[kind].token;
      const [row] = await ctx.sql<{ id: string }[]>`select id from auth.users where ${ctx.sql(column)} = ${lookup.tokenHash} limit 1`;
      if (row) {
        const user = await findUserById(ctx.sql, row.id);
        if (user) return { user, kind };
      }
    }
    return undefined;
  }
  const email = lookup.email ?? "";
  const user = (await findUserByEmail(ctx.sql, email)) ?? (await findUserByEmailChange(ctx, email));
  if (!user) return undefined;
  const addressFor = (kind: EmailTokenKind) => (kind === "email_change_new" ? (user.email_change ?? "") : (user.email ?? ""));
  const kind = await matchOtp(ctx, user, kinds, lookup.otp ?? "", addressFor);
  return kind ? { user, kind } : undefined;
}

async function findUserByEmailChange(ctx: AuthContext, email: string): Promise<UserRecord | undefined> {
  const [row] = await ctx.sql<{ id: string }[]>`select id from auth.users where email_change = ${email} limit 1`;
  return row ? findUserById(ctx.sql, row.id) : undefined;
}

/** Checks the token, applies what it confirms, and says what to answer. */
export async function verifyEmailToken(ctx: AuthContext, request: AuthRequest, type: string, lookup: TokenLookup): Promise<VerifyOutcome> {
  ctx.limits.check(ctx.limits.tokenVerifications, request.client);
  const found = await findTokenOwner(ctx, type, lookup);
  if (!found) throw otpExpired();
  const { user, kind } = found;
  const stored = user[tokenColumns[kind].token] as string;
  if (tokenExpired(ctx, user[tokenColumns[kind].sentAt] as Date | null)) throw otpExpired();
  if (isBanned(user)) throw new AuthError(403, "user_banned", "User is banned");
  const pkce = stored.startsWith("pkce_");

  if (kind === "email_change_new" || kind === "email_change_current") {
    const half = await confirmEmailChangeHalf(ctx, user, kind);
    if (half) return half;
  } else {
    const confirming = !user.email_confirmed_at;
    await consumeEmailToken(ctx, user.id, kind, confirming ? { email_confirmed_at: new Date() } : {});
    if (type === "invite" || confirming) await markEmailIdentityVerified(ctx.sql, user.id);
    if (kind === "recovery") await writeAudit(ctx.sql, "login", user, request.client.ip, { provider: "email", via: type });
  }
  const fresh = (await findUserById(ctx.sql, user.id)) ?? user;
  return { kind: "session", user: fresh, pkce, type };
}

/** One half of a double-confirmed email change; undefined once the change is complete. */
async function confirmEmailChangeHalf(ctx: AuthContext, user: UserRecord, kind: EmailTokenKind) {
  const bothNeeded = ctx.settings.email.doubleConfirmChanges && Boolean(user.email) && Boolean(user.email_change_token_current);
  const status = user.email_change_confirm_status ?? 0;
  if (bothNeeded && status === 0) {
    await consumeEmailToken(ctx, user.id, kind, { email_change_confirm_status: 1 });
    return {
      kind: "email_change_half" as const,
      message: "Confirmation link accepted. Please proceed to confirm link sent to the other email",
    };
  }
  const newEmail = user.email_change ?? "";
  await ctx.sql`delete from auth.one_time_tokens where user_id = ${user.id} and token_type in ('email_change_token_new', 'email_change_token_current')`;
  await updateUserColumns(ctx.sql, user.id, {
    email: newEmail,
    email_change: "",
    email_change_token_new: "",
    email_change_token_current: "",
    email_change_confirm_status: 0,
    email_confirmed_at: new Date(),
    is_anonymous: false,
    ...(user.is_anonymous ? { raw_app_meta_data: { ...user.raw_app_meta_data, provider: "email", providers: ["email"] } } : {}),
  });
  const identityData = { sub: user.id, email: newEmail, email_verified: true, phone_verified: false };
  await ctx.sql`
    insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
    values (${user.id}, ${user.id}, ${ctx.sql.json(identityData)}, 'email', now(), now(), now())
    on conflict (provider_id, provider) do update set identity_data = auth.identities.identity_data || excluded.identity_data, updated_at = now()`;
  return undefined;
}

/** Marks the user's PKCE flow state ready for /token?grant_type=pkce and returns its auth code. */
async function issueAuthCode(ctx: AuthContext, userId: string): Promise<string | undefined> {
  const code = randomUUID();
  const [row] = await ctx.sql<{ auth_code: string }[]>`
    update auth.flow_state set auth_code = ${code}, auth_code_issued_at = now(), updated_at = now()
    where id = (select id from auth.flow_state where user_id = ${userId} and provider_type = 'email' order by created_at desc limit 1)
    returning auth_code`;
  return row?.auth_code;
}

export const verifyPost: AuthHandler = async (ctx, request) => {
  const body = await request.body();
  const type = optionalString(body, "type") ?? "";
  const tokenHash = optionalString(body, "token_hash");
  const otp = optionalString(body, "token");
  const email = optionalString(body, "email");
  if (optionalString(body, "phone"))
    throw new AuthError(422, "sms_send_failed", "SMS verification is not available: no SMS provider is configured");
  if (!tokenHash && !(otp && email)) throw validationFailed("Verify requires either a token or a token hash");
  const outcome = await verifyEmailToken(ctx, request, type, tokenHash ? { tokenHash } : { otp, email: validEmail(email ?? "") });
  if (outcome.kind === "email_change_half") return json(200, { msg: outcome.message, code: 200 });
  return json(200, await signIn(ctx, outcome.user, "otp", request.client));
};

export const verifyGet: AuthHandler = async (ctx, request) => {
  const type = request.query.get("type") ?? "";
  const token = request.query.get("token") ?? "";
  const redirectTo = resolveRedirect(request.query.get("redirect_to"), ctx.settings);
  const redirect = (location: string) => ({ status: 303, headers: { location } });
  try {
    if (!token) throw otpExpired();
    const outcome = await verifyEmailToken(ctx, request, type, { tokenHash: token });
    if (outcome.kind === "email_change_half") return redirect(`${redirectTo}#${new URLSearchParams({ message: outcome.message, sb: "" })}`);
    if (outcome.pkce) {
      const code = await issueAuthCode(ctx, outcome.user.id);
      if (code) return redirect(`${redirectTo}${redirectTo.includes("?") ? "&" : "?"}code=${code}`);
    }
    const session = await signIn(ctx, outcome.user, type === "magiclink" ? "magiclink" : "otp", request.client);
    const fragment = new URLSearchParams({
      access_token: String(session.access_token),
      expires_at: String(session.expires_at),
      expires_in: String(session.expires_in),
      refresh_token: String(session.refresh_token),
      sb: "",
      token_type: "bearer",
      type,
    });
    return redirect(`${redirectTo}#${fragment}`);
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const description = error.code === "otp_expired" ? "Email link is invalid or has expired" : error.message;
    const params = new URLSearchParams({
      error: error.status === 403 ? "access_denied" : "server_error",
      error_code: error.code,
      error_description: description,
      sb: "",
    });
    return redirect(`${redirectTo}#${params}`);
  }
};
