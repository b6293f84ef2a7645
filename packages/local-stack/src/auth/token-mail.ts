// One path for every email that carries a one-time token: the send-frequency check, the token
// stored for the address, and the mail rendered with its link, code and hash.
import type { AuthContext } from "./auth-context.ts";
import type { EmailKind } from "./email-templates.ts";
import { assertFrequency, type EmailTokenKind, issueEmailToken, type PkceParams, tokenColumns, verificationUrl } from "./email-tokens.ts";
import type { UserRecord } from "./user-json.ts";

export interface TokenMail {
  tokenKind: EmailTokenKind;
  template: EmailKind;
  /** The `type` its /verify link carries (signup, magiclink, recovery, invite, email_change). */
  linkType: string;
  address: string;
  redirectTo: string;
  pkce?: PkceParams;
  newEmail?: string;
  /** Columns to set along with the token (an email change's new address). */
  extraColumns?: Record<string, unknown>;
  /** Off for a second mail of one request (the current address of an email change). */
  checkFrequency?: boolean;
}

export async function mailToken(ctx: AuthContext, user: UserRecord, mail: TokenMail): Promise<void> {
  if (mail.checkFrequency !== false) assertFrequency(ctx, user[tokenColumns[mail.tokenKind].sentAt] as Date | null);
  const token = await issueEmailToken(ctx, user, mail.tokenKind, mail.address, {
    pkce: mail.pkce,
    authenticationMethod: mail.linkType,
    extraColumns: mail.extraColumns,
  });
  await ctx.mailer.send(mail.template, mail.address, {
    ConfirmationURL: verificationUrl(ctx, token.linkToken, mail.linkType, mail.redirectTo),
    Token: token.otp,
    TokenHash: token.linkToken,
    RedirectTo: mail.redirectTo,
    Email: user.email || mail.address,
    NewEmail: mail.newEmail,
    SendingTo: mail.address,
    Data: user.raw_user_meta_data ?? {},
  });
}

/** The sign-up confirmation mail (sign-up, resend, and OTP to an unconfirmed address). */
export const mailSignupConfirmation = (ctx: AuthContext, user: UserRecord, address: string, redirectTo: string, pkce?: PkceParams) =>
  mailToken(ctx, user, { tokenKind: "confirmation", template: "confirmation", linkType: "signup", address, redirectTo, pkce });
