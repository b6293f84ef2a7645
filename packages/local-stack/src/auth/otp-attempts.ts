// Checks a typed one-time code (email OTP, reauthentication nonce) against a user's live tokens,
// counting wrong codes per token: at MAX_FAILED_ATTEMPTS the token is burned, so a brute force
// that finds the right code afterwards finds nothing to match.
import type { AuthContext } from "./auth-context.ts";
import { consumeEmailToken, type EmailTokenKind, otpMatches, tokenColumns } from "./email-tokens.ts";
import type { UserRecord } from "./user-json.ts";

// Keyed by the stored hash too, so a newly mailed token starts with a clean count.
const attemptKey = (user: UserRecord, kind: EmailTokenKind, stored: string) => `${user.id}:${kind}:${stored}`;

/** The kind of `user`'s token that `code` opens, or undefined (the wrong code counted). */
export async function matchOtp(
  ctx: AuthContext,
  user: UserRecord,
  kinds: EmailTokenKind[],
  code: string,
  addressFor: (kind: EmailTokenKind) => string,
): Promise<EmailTokenKind | undefined> {
  const failed = ctx.limits.failedOtps;
  // A token whose count is used up is burned even if a concurrent request read it before the burn.
  const live = kinds.flatMap((kind) => {
    const stored = user[tokenColumns[kind].token] as string | null;
    return stored && !failed.exhausted(attemptKey(user, kind, stored)) ? [{ kind, stored }] : [];
  });
  const match = live.find(({ kind, stored }) => otpMatches(stored, addressFor(kind), code));
  if (match) return match.kind;
  for (const { kind, stored } of live) {
    if (!failed.fail(attemptKey(user, kind, stored))) continue;
    await consumeEmailToken(ctx, user.id, kind);
    ctx.logger.warn("one-time token burned after repeated wrong codes", { user: user.id, kind });
  }
  return undefined;
}
