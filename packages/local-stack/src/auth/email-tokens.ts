// One-time email tokens as GoTrue stores them: the OTP's sha224 hash in the user's token column
// (prefixed `pkce_` in the PKCE flow) and in auth.one_time_tokens, with the send time used for
// expiry and for `max_frequency`.
import { randomUUID } from "node:crypto";
import type { AuthContext } from "./auth-context.ts";
import { tooManyRequests, unprocessable } from "./errors.ts";
import { randomOtp, tokenHash } from "./secure-tokens.ts";
import type { UserRecord } from "./user-json.ts";
import { updateUserColumns } from "./user-store.ts";

export type EmailTokenKind = "confirmation" | "recovery" | "email_change_new" | "email_change_current" | "reauthentication";

export const tokenColumns: Record<EmailTokenKind, { token: keyof UserRecord & string; sentAt: keyof UserRecord & string; type: string }> = {
  confirmation: { token: "confirmation_token", sentAt: "confirmation_sent_at", type: "confirmation_token" },
  recovery: { token: "recovery_token", sentAt: "recovery_sent_at", type: "recovery_token" },
  email_change_new: { token: "email_change_token_new", sentAt: "email_change_sent_at", type: "email_change_token_new" },
  email_change_current: { token: "email_change_token_current", sentAt: "email_change_sent_at", type: "email_change_token_current" },
  reauthentication: { token: "reauthentication_token", sentAt: "reauthentication_sent_at", type: "reauthentication_token" },
};

export interface PkceParams {
  codeChallenge: string;
  method: "s256" | "plain";
}

/** 429 over_email_send_rate_limit while the last mail of this kind is younger than max_frequency. */
export function assertFrequency(ctx: AuthContext, sentAt: Date | null): void {
  if (!sentAt) return;
  const waitMs = new Date(sentAt).getTime() + ctx.settings.email.maxFrequencySeconds * 1000 - Date.now();
  if (waitMs > 0)
    throw tooManyRequests(
      "over_email_send_rate_limit",
      `For security purposes, you can only request this after ${Math.ceil(waitMs / 1000)} seconds.`,
    );
}

/** Reads PKCE parameters from a body; 400 validation_failed when only half is given. */
export function pkceFrom(body: Record<string, unknown>): PkceParams | undefined {
  const challenge = body.code_challenge;
  const method = body.code_challenge_method;
  if ((challenge == null || challenge === "") && (method == null || method === "")) return undefined;
  if (typeof challenge !== "string" || typeof method !== "string" || challenge === "" || method === "")
    throw unprocessable("validation_failed", "PKCE flow requires code_challenge_method and code_challenge");
  const normalized = method.toLowerCase();
  if (normalized !== "s256" && normalized !== "plain")
    throw unprocessable("validation_failed", `code challenge method ${method} is not supported`);
  if (challenge.length < 43 || challenge.length > 128)
    throw unprocessable("validation_failed", "code challenge has to be between 43 and 128 characters");
  return { codeChallenge: challenge, method: normalized };
}

export interface IssuedEmailToken {
  otp: string;
  /** What links carry and columns store (`pkce_` + hash in the PKCE flow). */
  linkToken: string;
}

/** Creates the OTP for `kind`, stores its hash for `address`, and returns both. */
export async function issueEmailToken(
  ctx: AuthContext,
  user: UserRecord,
  kind: EmailTokenKind,
  address: string,
  options: { pkce?: PkceParams; authenticationMethod?: string; extraColumns?: Record<string, unknown> } = {},
): Promise<IssuedEmailToken> {
  const otp = randomOtp(ctx.settings.email.otpLength);
  const hash = tokenHash(address, otp);
  const linkToken = options.pkce ? `pkce_${hash}` : hash;
  const { token, sentAt, type } = tokenColumns[kind];
  const now = new Date();
  await updateUserColumns(ctx.sql, user.id, { [token]: linkToken, [sentAt]: now, ...options.extraColumns });
  await ctx.sql`
    insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
    values (${randomUUID()}, ${user.id}, ${type}, ${linkToken}, ${address}, now(), now())
    on conflict (user_id, token_type) do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`;
  if (options.pkce) {
    await ctx.sql`
      insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type, authentication_method, created_at, updated_at)
      values (${randomUUID()}, ${user.id}, ${randomUUID()}, ${options.pkce.method}, ${options.pkce.codeChallenge}, 'email',
        ${options.authenticationMethod ?? kind}, now(), now())`;
  }
  return { otp, linkToken };
}

/** Clears a used token from the user's column and auth.one_time_tokens. */
export async function consumeEmailToken(
  ctx: AuthContext,
  userId: string,
  kind: EmailTokenKind,
  extraColumns: Record<string, unknown> = {},
): Promise<void> {
  const { token, type } = tokenColumns[kind];
  await updateUserColumns(ctx.sql, userId, { [token]: "", ...extraColumns });
  await ctx.sql`delete from auth.one_time_tokens where user_id = ${userId} and token_type = ${type}`;
}

/** `${API}/auth/v1/verify?token=...&type=...&redirect_to=...`, the link in every auth email. */
export function verificationUrl(ctx: AuthContext, linkToken: string, type: string, redirectTo: string): string {
  const params = new URLSearchParams({ token: linkToken, type, redirect_to: redirectTo });
  return `${ctx.settings.externalUrl}/verify?${params}`;
}

/** Is `stored` the hash of this address + OTP (with or without the PKCE prefix)? */
export function otpMatches(stored: string | null, address: string, otp: string): boolean {
  if (!stored || !otp) return false;
  const hash = tokenHash(address, otp);
  return stored === hash || stored === `pkce_${hash}`;
}

/** Has the token sent at `sentAt` outlived otp_expiry? */
export const tokenExpired = (ctx: AuthContext, sentAt: Date | null) =>
  !sentAt || new Date(sentAt).getTime() + ctx.settings.email.otpExpiry * 1000 < Date.now();
