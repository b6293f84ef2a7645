// Passwords as GoTrue keeps them: bcrypt ($2a$/$2b$, cost 10) hashed off the event loop, and the
// strength rules of `[auth] minimum_password_length` / `password_requirements`.
import { hash, verify } from "@node-rs/bcrypt";
import { AuthError, unprocessable } from "./errors.ts";
import type { AuthSettings, PasswordRequirements } from "./settings.ts";

export const BCRYPT_COST = 10;
/** bcrypt reads only the first 72 bytes; GoTrue refuses longer passwords. */
export const MAX_PASSWORD_LENGTH = 72;

export const hashPassword = (password: string) => hash(password, { cost: BCRYPT_COST, version: "2a" });

/** Compares against a stored bcrypt hash; false (never a throw) for empty or malformed hashes. */
export async function verifyPassword(password: string, encrypted: string | null | undefined): Promise<boolean> {
  if (!encrypted || !/^\$2[abxy]?\$\d\d\$/.test(encrypted)) return false;
  try {
    return await verify(password, encrypted);
  } catch {
    return false;
  }
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const SYMBOLS = "!@#$%^&*()_+-=[]{};'\\:\"|<>?,./`~";

const characterSets: Record<PasswordRequirements, string[]> = {
  "": [],
  letters_digits: [LOWER + UPPER, DIGITS],
  lower_upper_letters_digits: [LOWER, UPPER, DIGITS],
  lower_upper_letters_digits_symbols: [LOWER, UPPER, DIGITS, SYMBOLS],
};

export interface PasswordWeakness {
  message: string;
  reasons: ("length" | "characters")[];
}

/** What makes a password weak under the project's rules, or undefined when it is strong enough. */
export function passwordWeakness(
  password: string,
  settings: Pick<AuthSettings, "minimumPasswordLength" | "passwordRequirements">,
): PasswordWeakness | undefined {
  const reasons: PasswordWeakness["reasons"] = [];
  const messages: string[] = [];
  if ([...password].length < settings.minimumPasswordLength) {
    reasons.push("length");
    messages.push(`Password should be at least ${settings.minimumPasswordLength} characters.`);
  }
  const sets = characterSets[settings.passwordRequirements] ?? [];
  if (sets.some((set) => ![...password].some((c) => set.includes(c)))) {
    reasons.push("characters");
    messages.push(`Password should contain at least one character of each: ${sets.join(", ")}.`);
  }
  return reasons.length ? { message: messages.join(" "), reasons } : undefined;
}

/** Throws Supabase's 422 weak_password (or validation error for > 72 characters). */
export function assertStrongPassword(password: string, settings: AuthSettings): void {
  if (password.length > MAX_PASSWORD_LENGTH)
    throw unprocessable("validation_failed", `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
  const weakness = passwordWeakness(password, settings);
  if (weakness) throw new AuthError(422, "weak_password", weakness.message, { weak_password: { reasons: weakness.reasons } });
}
