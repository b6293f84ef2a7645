// The project's API keys, derived as the Supabase CLI derives them: anon and service_role are HS256
// JWTs over a fixed payload signed with the JWT secret, or, with `[auth] signing_keys_path`, JWTs
// signed by the file's first key; publishable/secret keys are opaque strings the gateway maps to
// those two roles.
import { createHmac } from "node:crypto";
import { type StackConfig, section } from "../config/load-config.ts";
import { loadSigningKeys, type SigningKeys, signAsymmetric } from "./signing-keys.ts";

export const DEFAULT_PUBLISHABLE_KEY = "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH";
export const DEFAULT_SECRET_KEY = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";
/** Expiry the CLI puts in its demo keys (2032-11-12). */
const DEMO_KEY_EXP = 1983812996;
/** The CLI gives keys signed by a signing key ten 365-day years from the moment it derives them. */
const SIGNED_KEY_LIFETIME_SECONDS = 10 * 365 * 24 * 60 * 60;

export interface ApiKeys {
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  publishableKey: string;
  secretKey: string;
  /** Asymmetric access-token keys from `[auth] signing_keys_path`, when set. */
  signingKeys?: SigningKeys;
}

const base64url = (input: string | Buffer) => Buffer.from(input).toString("base64url");

/** Signs claims as an HS256 JWT, keeping the key order given (the CLI's keys depend on it). */
export function signHs256(claims: object, secret: string): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

export function roleKey(role: "anon" | "service_role", secret: string): string {
  return signHs256({ iss: "supabase-demo", role, exp: DEMO_KEY_EXP }, secret);
}

/**
 * A role key signed by the key file's first key, as `supabase start` makes it: claims iss, role,
 * exp (in that order), header with the key's `kid`. Its exp moves with every derivation, so the
 * key differs between runs while staying valid for anything holding the signing keys.
 */
export function signedRoleKey(role: "anon" | "service_role", signingKeys: SigningKeys, nowSeconds: number): string {
  const exp = nowSeconds + SIGNED_KEY_LIFETIME_SECONDS;
  return signAsymmetric({ iss: "supabase-demo", role, exp }, signingKeys.first);
}

export function deriveApiKeys(config: StackConfig): ApiKeys {
  const auth = section(config, "auth");
  const text = (key: string) => (typeof auth[key] === "string" && auth[key] !== "" ? (auth[key] as string) : undefined);
  const jwtSecret = config.auth.jwtSecret;
  const signingKeys = loadSigningKeys(config);
  const now = Math.floor(Date.now() / 1000);
  const derived = (role: "anon" | "service_role") => (signingKeys ? signedRoleKey(role, signingKeys, now) : roleKey(role, jwtSecret));
  return {
    jwtSecret,
    anonKey: text("anon_key") ?? derived("anon"),
    serviceRoleKey: text("service_role_key") ?? derived("service_role"),
    publishableKey: text("publishable_key") ?? DEFAULT_PUBLISHABLE_KEY,
    secretKey: text("secret_key") ?? DEFAULT_SECRET_KEY,
    signingKeys,
  };
}
