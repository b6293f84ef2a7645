// Multi-factor authentication with TOTP apps: enrol (QR code), verify, list and remove factors.
import type { AuthMFAEnrollTOTPResponse, Factor } from "@supabase/supabase-js";
import { type BasekitResult, fail, guard, ok } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { fromAuthError } from "../lib/to-error.ts";
import { validate } from "../lib/validate.ts";
import { type TotpEnrollInput, type TotpVerifyInput, totpEnrollInput, totpVerifyInput } from "./auth-schemas.ts";

export type TotpEnrollment = NonNullable<AuthMFAEnrollTOTPResponse["data"]>;

export function createMfaApi(supabase: BasekitSupabaseClient) {
  const mfa = supabase.auth.mfa;
  return {
    listFactors: (): Promise<BasekitResult<Factor[]>> =>
      guard(async () => {
        const { data, error } = await mfa.listFactors();
        return error ? fail(fromAuthError(error)) : ok(data.all);
      }),

    /** Starts a TOTP enrolment: show `totp.qr_code` (an SVG data URL) or `totp.secret`, then call verifyTotp. */
    enrollTotp: (input: TotpEnrollInput = {}): Promise<BasekitResult<TotpEnrollment>> =>
      guard(async () => {
        const valid = validate(totpEnrollInput, input);
        if (valid.error) return valid;
        const { data, error } = await mfa.enroll({ factorType: "totp", friendlyName: valid.data.friendlyName });
        return error ? fail(fromAuthError(error)) : ok(data);
      }),

    /** Verifies a code from the authenticator app: completes an enrolment, or raises the session to aal2. */
    verifyTotp: (input: TotpVerifyInput): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(totpVerifyInput, input);
        if (valid.error) return valid;
        const { error } = await mfa.challengeAndVerify(valid.data);
        return error ? fail(fromAuthError(error)) : ok(null);
      }),

    unenroll: (factorId: string): Promise<BasekitResult<null>> =>
      guard(async () => {
        const { error } = await mfa.unenroll({ factorId });
        return error ? fail(fromAuthError(error)) : ok(null);
      }),

    getAssuranceLevel: (): Promise<BasekitResult<{ current: string | null; next: string | null }>> =>
      guard(async () => {
        const { data, error } = await mfa.getAuthenticatorAssuranceLevel();
        return error ? fail(fromAuthError(error)) : ok({ current: data.currentLevel, next: data.nextLevel });
      }),
  };
}
