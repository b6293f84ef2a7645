// Random secrets and their stored forms: refresh tokens (12 chars of [a-z2-7] like GoTrue's v1
// tokens), email OTPs, and the sha224 hex hash GoTrue stores for an email + OTP pair.
import { createHash, randomBytes, randomInt } from "node:crypto";

const BASE32_LOWER = "abcdefghijklmnopqrstuvwxyz234567";

export function randomRefreshToken(): string {
  const bytes = randomBytes(12);
  let out = "";
  for (const byte of bytes) out += BASE32_LOWER[byte & 31];
  return out;
}

export function randomOtp(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

/** GoTrue's token hash: hex(sha224(email_or_phone + otp)); links carry it, columns store it. */
export function tokenHash(emailOrPhone: string, otp: string): string {
  return createHash("sha224")
    .update(emailOrPhone + otp)
    .digest("hex");
}

export const sha256Base64Url = (input: string) => createHash("sha256").update(input).digest("base64url");
