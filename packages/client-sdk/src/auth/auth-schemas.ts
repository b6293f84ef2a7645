// zod schemas for the auth calls' inputs.
import { z } from "zod";

export const emailSchema = z.email("Enter a valid email address").max(320);
export const passwordSchema = z.string().min(8, "Use at least 8 characters").max(72, "Use at most 72 characters");
const redirectTo = z.url().optional();

export const signUpInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: z.string().trim().min(1).max(80).optional(),
  redirectTo,
});
export const signInInput = z.object({ email: emailSchema, password: z.string().min(1, "Enter your password") });
export const emailLinkInput = z.object({ email: emailSchema, redirectTo });
export const updatePasswordInput = z.object({ password: passwordSchema });
export const verifyLinkInput = z.object({
  tokenHash: z.string().min(1),
  type: z.enum(["signup", "invite", "magiclink", "recovery", "email_change", "email"]),
});
export const totpEnrollInput = z.object({ friendlyName: z.string().trim().min(1).max(60).optional() });
export const totpVerifyInput = z.object({ factorId: z.string().min(1), code: z.string().regex(/^\d{6}$/, "Enter the 6-digit code") });

export type SignUpInput = z.input<typeof signUpInput>;
export type SignInInput = z.input<typeof signInInput>;
export type EmailLinkInput = z.input<typeof emailLinkInput>;
export type UpdatePasswordInput = z.input<typeof updatePasswordInput>;
export type VerifyLinkInput = z.input<typeof verifyLinkInput>;
export type TotpEnrollInput = z.input<typeof totpEnrollInput>;
export type TotpVerifyInput = z.input<typeof totpVerifyInput>;
