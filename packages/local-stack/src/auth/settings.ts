// Auth's settings, read from supabase/config.toml's `[auth]` tables with the Supabase CLI's
// defaults for anything left out.
import { type StackConfig, section, type TomlTable } from "../config/load-config.ts";
import type { SigningKeys } from "../keys/signing-keys.ts";
import { pgHookName } from "./access-token-hook.ts";

export type PasswordRequirements = "" | "letters_digits" | "lower_upper_letters_digits" | "lower_upper_letters_digits_symbols";

export interface TemplateSetting {
  subject?: string;
  contentPath?: string;
  content?: string;
}

export interface AuthSettings {
  siteUrl: string;
  additionalRedirectUrls: string[];
  /** `${API external URL}/auth/v1`: the issuer and the base of every link in emails. */
  externalUrl: string;
  issuer: string;
  jwtSecret: string;
  /** `[auth] signing_keys_path`: sign access tokens with `signer`, publish `publicJwks`. */
  signingKeys?: SigningKeys;
  jwtExpiry: number;
  refreshTokenRotation: boolean;
  refreshTokenReuseInterval: number;
  enableSignup: boolean;
  anonymousSignIns: boolean;
  minimumPasswordLength: number;
  passwordRequirements: PasswordRequirements;
  email: {
    enableSignup: boolean;
    autoconfirm: boolean;
    doubleConfirmChanges: boolean;
    securePasswordChange: boolean;
    maxFrequencySeconds: number;
    otpLength: number;
    otpExpiry: number;
    templates: Record<string, TemplateSetting>;
  };
  sms: { enableSignup: boolean };
  rateLimit: {
    emailSent: number;
    anonymousUsers: number;
    tokenRefresh: number;
    signInSignUps: number;
    tokenVerifications: number;
  };
  /**
   * `BASEKIT_TRUSTED_PROXIES` (IPs and CIDRs, comma-separated): peers whose X-Forwarded-For names
   * the client. None by default, so a request is its socket's address, whatever it claims.
   */
  trustedProxies: string[];
  mfa: { maxEnrolledFactors: number; totpEnroll: boolean; totpVerify: boolean };
  sessions: { timeboxSeconds: number; inactivityTimeoutSeconds: number };
  mail: { from: string };
  supabaseDir: string;
  /** `"schema"."function"` of an enabled pg-functions custom access token hook. */
  accessTokenHook?: string;
  /** `[auth.external.keycloak] url`: the issuer GoTrue names for a keycloak id_token. */
  keycloakUrl: string;
}

const bool = (table: TomlTable, key: string, fallback: boolean) => (typeof table[key] === "boolean" ? (table[key] as boolean) : fallback);
const num = (table: TomlTable, key: string, fallback: number) => (typeof table[key] === "number" ? (table[key] as number) : fallback);
const str = (table: TomlTable, key: string, fallback: string) =>
  typeof table[key] === "string" && table[key] !== "" ? (table[key] as string) : fallback;

/** Go duration strings as the CLI writes them ("1s", "5m", "1h30m", "24h"); 0 for "" or "none". */
export function parseGoDuration(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value !== "string" || value === "" || value === "none" || value === "0") return 0;
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  let rest = value.trim();
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!match) throw new Error(`invalid duration "${value}"`);
    total += Number(match[1]) * units[match[2]];
    rest = rest.slice(match[0].length);
  }
  return total;
}

function templates(email: TomlTable): Record<string, TemplateSetting> {
  const table = (email.template ?? {}) as Record<string, TomlTable>;
  return Object.fromEntries(
    Object.entries(table).map(([kind, t]) => [
      kind,
      {
        subject: typeof t.subject === "string" ? t.subject : undefined,
        contentPath: typeof t.content_path === "string" && t.content_path ? t.content_path : undefined,
        content: typeof t.content === "string" && t.content ? t.content : undefined,
      },
    ]),
  );
}

/** The hook's function name when it is enabled with a pg-functions URI (HTTP hooks are not served). */
function servedAccessTokenHook(hook: TomlTable): string | undefined {
  if (hook.enabled !== true || typeof hook.uri !== "string") return undefined;
  return pgHookName(hook.uri);
}

export function readAuthSettings(config: StackConfig, env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const auth = section(config, "auth");
  const email = section(config, "auth", "email");
  const rate = section(config, "auth", "rate_limit");
  const mfaTotp = section(config, "auth", "mfa", "totp");
  const sessions = section(config, "auth", "sessions");
  const externalUrl = `${config.api.externalUrl.replace(/\/+$/, "")}/auth/v1`;
  const requirements = str(auth, "password_requirements", "") as PasswordRequirements;
  return {
    siteUrl: config.auth.siteUrl,
    additionalRedirectUrls: Array.isArray(auth.additional_redirect_urls) ? (auth.additional_redirect_urls as string[]) : [],
    externalUrl,
    issuer: str(auth, "jwt_issuer", externalUrl),
    jwtSecret: config.auth.jwtSecret,
    jwtExpiry: config.auth.jwtExpiry,
    refreshTokenRotation: bool(auth, "enable_refresh_token_rotation", true),
    refreshTokenReuseInterval: num(auth, "refresh_token_reuse_interval", 10),
    enableSignup: bool(auth, "enable_signup", true),
    anonymousSignIns: bool(auth, "enable_anonymous_sign_ins", false),
    minimumPasswordLength: num(auth, "minimum_password_length", 6),
    passwordRequirements: requirements,
    email: {
      enableSignup: bool(email, "enable_signup", true),
      autoconfirm: !bool(email, "enable_confirmations", false),
      doubleConfirmChanges: bool(email, "double_confirm_changes", true),
      securePasswordChange: bool(email, "secure_password_change", false),
      maxFrequencySeconds: parseGoDuration(email.max_frequency ?? "1s"),
      otpLength: num(email, "otp_length", 6),
      otpExpiry: num(email, "otp_expiry", 3600),
      templates: templates(email),
    },
    sms: { enableSignup: bool(section(config, "auth", "sms"), "enable_signup", false) },
    rateLimit: {
      emailSent: num(rate, "email_sent", 2),
      anonymousUsers: num(rate, "anonymous_users", 30),
      tokenRefresh: num(rate, "token_refresh", 150),
      signInSignUps: num(rate, "sign_in_sign_ups", 30),
      tokenVerifications: num(rate, "token_verifications", 30),
    },
    trustedProxies: (env.BASEKIT_TRUSTED_PROXIES ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
    mfa: {
      maxEnrolledFactors: num(section(config, "auth", "mfa"), "max_enrolled_factors", 10),
      totpEnroll: bool(mfaTotp, "enroll_enabled", false),
      totpVerify: bool(mfaTotp, "verify_enabled", false),
    },
    sessions: {
      timeboxSeconds: parseGoDuration(sessions.timebox),
      inactivityTimeoutSeconds: parseGoDuration(sessions.inactivity_timeout),
    },
    mail: { from: `${config.mail.senderName} <${config.mail.adminEmail}>` },
    supabaseDir: config.supabaseDir,
    keycloakUrl: str(section(config, "auth", "external", "keycloak"), "url", ""),
    accessTokenHook: servedAccessTokenHook(section(config, "auth", "hook", "custom_access_token")),
  };
}
