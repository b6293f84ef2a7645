// Features a config.toml explicitly turns on that basekit does not serve. A project relying on
// one (say GitHub sign-in) must hear so at start, not discover a 404 later. Only what the file
// enables is named: a key left out keeps its CLI default and is not the user's choice.
import type { TomlTable } from "./load-config.ts";

const isTable = (value: unknown): value is TomlTable => Boolean(value) && typeof value === "object" && !Array.isArray(value);
const at = (raw: TomlTable, path: string[]): TomlTable | undefined =>
  path.reduce<TomlTable | undefined>((table, key) => (table && isTable(table[key]) ? (table[key] as TomlTable) : undefined), raw);

/** [section path, flag, what the user loses]: one entry per single switch. */
const switches: [string[], string, string][] = [
  [["studio"], "enabled", "Supabase Studio (the dashboard)"],
  [["analytics"], "enabled", "logs and analytics (Logflare)"],
  [["api", "tls"], "enabled", "HTTPS on the API port"],
  [["db", "pooler"], "enabled", "the connection pooler (Supavisor)"],
  [["db", "network_restrictions"], "enabled", "database network restrictions"],
  [["db", "ssl_enforcement"], "enabled", "SSL enforcement on database connections"],
  [["storage", "s3_protocol"], "enabled", "the Storage S3 protocol"],
  [["storage", "analytics"], "enabled", "Storage analytics buckets"],
  [["storage", "vector"], "enabled", "Storage vector buckets"],
  [["auth", "captcha"], "enabled", "Auth captcha checks"],
  [["auth"], "enable_manual_linking", "manual identity linking (its endpoints answer manual_linking_disabled)"],
  [["auth", "email", "smtp"], "enabled", "Auth mail through your SMTP server (mail goes to the local inbox)"],
  [["auth", "sms"], "enable_signup", "phone sign-up (SMS)"],
  [["auth", "mfa", "phone"], "enroll_enabled", "phone MFA"],
  [["auth", "mfa", "phone"], "verify_enabled", "phone MFA"],
  [["auth", "mfa", "web_authn"], "enroll_enabled", "WebAuthn MFA"],
  [["auth", "mfa", "web_authn"], "verify_enabled", "WebAuthn MFA"],
  [["auth", "oauth_server"], "enabled", "Auth as an OAuth 2.1 server"],
  [["auth", "passkey"], "enabled", "passkeys"],
];

/** [section path, flag, what each named entry is]: tables of named entries, e.g. providers. */
const namedSwitches: [string[], string, string][] = [
  [["auth", "external"], "enabled", "OAuth sign-in provider"],
  [["auth", "hook"], "enabled", "Auth hook"],
  [["auth", "web3"], "enabled", "Web3 sign-in"],
  [["auth", "third_party"], "enabled", "third-party Auth provider"],
];

/** Named entries basekit does serve: the custom access token hook as a Postgres function. */
const isServed = (path: string[], name: string, settings: TomlTable) =>
  path.join(".") === "auth.hook" &&
  name === "custom_access_token" &&
  typeof settings.uri === "string" &&
  settings.uri.startsWith("pg-functions://");

const smsProviders = ["twilio", "twilio_verify", "messagebird", "textlocal", "vonage"];

/** Lines like `[auth.external.github] enabled = true: OAuth sign-in provider "github"`. */
export function findUnservedFeatures(raw: TomlTable): string[] {
  const found: string[] = [];
  for (const [path, flag, what] of switches) {
    if (at(raw, path)?.[flag] === true) found.push(`[${path.join(".")}] ${flag} = true: ${what}`);
  }
  for (const [path, flag, what] of namedSwitches) {
    for (const [name, settings] of Object.entries(at(raw, path) ?? {})) {
      if (isTable(settings) && settings[flag] === true && !isServed(path, name, settings))
        found.push(`[${[...path, name].join(".")}] ${flag} = true: ${what} "${name}"`);
    }
  }
  for (const provider of smsProviders) {
    if (at(raw, ["auth", "sms", provider])?.enabled === true)
      found.push(`[auth.sms.${provider}] enabled = true: sending SMS through ${provider}`);
  }
  return found;
}
