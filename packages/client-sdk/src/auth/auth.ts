// Accounts and sessions: sign-up, password and magic-link sign-in, email links, password reset,
// sign-out (this device, others, everywhere). MFA lives in mfa.ts.
import type { AuthChangeEvent, Session, User } from "@supabase/supabase-js";
import { BasekitAuthError } from "../lib/errors.ts";
import { type BasekitResult, fail, guard, ok } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { fromAuthError } from "../lib/to-error.ts";
import { validate } from "../lib/validate.ts";
import {
  type EmailLinkInput,
  emailLinkInput,
  type SignInInput,
  type SignUpInput,
  signInInput,
  signUpInput,
  type UpdatePasswordInput,
  updatePasswordInput,
  type VerifyLinkInput,
  verifyLinkInput,
} from "./auth-schemas.ts";
import { createMfaApi } from "./mfa.ts";

export interface AuthSession {
  user: User | null;
  session: Session | null;
}

export type AuthApi = ReturnType<typeof createAuthApi>;

export function createAuthApi(supabase: BasekitSupabaseClient) {
  const auth = supabase.auth;
  const session = (data: { user: User | null; session: Session | null }) => ok<AuthSession>({ user: data.user, session: data.session });

  return {
    /** Creates an account. With email confirmation on, `session` is null until the emailed link is opened. */
    signUp: (input: SignUpInput): Promise<BasekitResult<AuthSession>> =>
      guard(async () => {
        const valid = validate(signUpInput, input);
        if (valid.error) return valid;
        const { email, password, displayName, redirectTo } = valid.data;
        const { data, error } = await auth.signUp({
          email,
          password,
          options: { emailRedirectTo: redirectTo, data: displayName ? { display_name: displayName } : undefined },
        });
        return error ? fail(fromAuthError(error)) : session(data);
      }),

    signInWithPassword: (input: SignInInput): Promise<BasekitResult<AuthSession>> =>
      guard(async () => {
        const valid = validate(signInInput, input);
        if (valid.error) return valid;
        const { data, error } = await auth.signInWithPassword(valid.data);
        return error ? fail(fromAuthError(error)) : session(data);
      }),

    /** Emails a one-time sign-in link (creates the account if sign-ups are open). */
    sendMagicLink: (input: EmailLinkInput): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(emailLinkInput, input);
        if (valid.error) return valid;
        const { error } = await auth.signInWithOtp({ email: valid.data.email, options: { emailRedirectTo: valid.data.redirectTo } });
        return error ? fail(fromAuthError(error)) : ok(null);
      }),

    /** Emails a password-reset link; opening it signs the user in to choose a new password. */
    requestPasswordReset: (input: EmailLinkInput): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(emailLinkInput, input);
        if (valid.error) return valid;
        const { error } = await auth.resetPasswordForEmail(valid.data.email, { redirectTo: valid.data.redirectTo });
        return error ? fail(fromAuthError(error)) : ok(null);
      }),

    /** Verifies an emailed link's token hash (signup, magic link, recovery, email change) and signs in. */
    verifyEmailLink: (input: VerifyLinkInput): Promise<BasekitResult<AuthSession>> =>
      guard(async () => {
        const valid = validate(verifyLinkInput, input);
        if (valid.error) return valid;
        const { data, error } = await auth.verifyOtp({ token_hash: valid.data.tokenHash, type: valid.data.type });
        return error ? fail(fromAuthError(error)) : session(data);
      }),

    updatePassword: (input: UpdatePasswordInput): Promise<BasekitResult<User>> =>
      guard(async () => {
        const valid = validate(updatePasswordInput, input);
        if (valid.error) return valid;
        const { data, error } = await auth.updateUser({ password: valid.data.password });
        return error ? fail(fromAuthError(error)) : ok(data.user);
      }),

    /** `local`: this device; `others`: every other session; `global`: everywhere. */
    signOut: (scope: "local" | "others" | "global" = "local"): Promise<BasekitResult<null>> =>
      guard(async () => {
        const { error } = await auth.signOut({ scope });
        return error ? fail(fromAuthError(error)) : ok(null);
      }),

    getSession: (): Promise<BasekitResult<Session | null>> =>
      guard(async () => {
        const { data, error } = await auth.getSession();
        return error ? fail(fromAuthError(error)) : ok(data.session);
      }),

    /** The signed-in user as the server knows it now (not the cached session's copy). */
    getUser: (): Promise<BasekitResult<User>> =>
      guard(async () => {
        const { data, error } = await auth.getUser();
        if (error) return fail(fromAuthError(error));
        return data.user ? ok(data.user) : fail(new BasekitAuthError("Not signed in", "not_authenticated", { status: 401 }));
      }),

    /** Calls `listener` on every sign-in, sign-out and token refresh; returns the unsubscribe function. */
    onAuthStateChange(listener: (event: AuthChangeEvent, session: Session | null) => void): () => void {
      const { data } = auth.onAuthStateChange(listener);
      return () => data.subscription.unsubscribe();
    },

    mfa: createMfaApi(supabase),
  };
}
