import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../config/load-config.ts";
import { parseGoDuration, readAuthSettings } from "./settings.ts";

test("Go durations as the CLI writes them", () => {
  assert.equal(parseGoDuration("1s"), 1);
  assert.equal(parseGoDuration("1h30m"), 5400);
  assert.equal(parseGoDuration("500ms"), 0.5);
  assert.equal(parseGoDuration("none"), 0);
  assert.throws(() => parseGoDuration("soon"));
});

function settingsFor(toml: string) {
  const dir = mkdtempSync(join(tmpdir(), "auth-settings-"));
  mkdirSync(join(dir, "supabase"));
  writeFileSync(join(dir, "supabase", "config.toml"), toml);
  return readAuthSettings(loadConfig(dir, {}, {}));
}

test("defaults are the Supabase CLI's", () => {
  const s = settingsFor('project_id = "x"\n');
  assert.equal(s.email.autoconfirm, true);
  assert.equal(s.anonymousSignIns, false);
  assert.equal(s.minimumPasswordLength, 6);
  assert.equal(s.refreshTokenReuseInterval, 10);
  assert.equal(s.mfa.totpEnroll, false);
  assert.equal(s.issuer, "http://127.0.0.1:54321/auth/v1");
});

test("the [auth] tables are read", () => {
  const s = settingsFor(`
[auth]
site_url = "https://app.test"
enable_anonymous_sign_ins = true
minimum_password_length = 10
password_requirements = "letters_digits"
[auth.email]
enable_confirmations = true
max_frequency = "2m"
[auth.rate_limit]
sign_in_sign_ups = 5
[auth.mfa.totp]
enroll_enabled = true
verify_enabled = true
[auth.email.template.invite]
subject = "Join us"
`);
  assert.equal(s.siteUrl, "https://app.test");
  assert.equal(s.email.autoconfirm, false);
  assert.equal(s.email.maxFrequencySeconds, 120);
  assert.equal(s.rateLimit.signInSignUps, 5);
  assert.equal(s.passwordRequirements, "letters_digits");
  assert.equal(s.mfa.totpVerify, true);
  assert.equal(s.email.templates.invite.subject, "Join us");
});
