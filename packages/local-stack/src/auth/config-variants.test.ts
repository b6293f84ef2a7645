// Behaviour that depends on config.toml, on a fixture stack of its own: confirmations off
// (autoconfirm), anonymous sign-ins off, TOTP off, a custom template, a tiny email budget, and no
// trusted proxy (so every request here is one client, 127.0.0.1).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type FixtureStack, startFixtureStack } from "../testing/fixture-stack.ts";
import { latestMessage, messagesTo, type StackUnderTest, strongPassword, uniqueEmail, userClient } from "./auth-test-kit.ts";

const configToml = `
project_id = "auth-variants"
[auth]
site_url = "http://127.0.0.1:3000"
enable_anonymous_sign_ins = false
minimum_password_length = 6
[auth.rate_limit]
email_sent = 2
[auth.email]
enable_confirmations = false
[auth.email.template.magic_link]
subject = "Sign in to Variants"
content_path = "./supabase/templates/magic.html"
`;

let fixture: FixtureStack;
let stack: StackUnderTest;

before(async () => {
  // basekit's default, whatever the test runner sets for its own stack: no proxy is trusted.
  process.env.BASEKIT_TRUSTED_PROXIES = "";
  fixture = await startFixtureStack({
    files: { "config.toml": configToml, "templates/magic.html": "<p>Your Variants code is {{ .Token }} for {{ .Email }}</p>" },
  });
  stack = {
    apiUrl: fixture.apiUrl,
    mailUrl: fixture.mailUrl,
    publishableKey: fixture.keys.publishableKey,
    secretKey: fixture.keys.secretKey,
    anonKey: fixture.keys.anonKey,
    serviceRoleKey: fixture.keys.serviceRoleKey,
    jwtSecret: fixture.keys.jwtSecret,
  };
});
after(() => fixture?.dispose());

test("with confirmations off, sign-up answers a session for a confirmed user and sends no mail", async () => {
  const email = uniqueEmail("auto");
  const password = "simple1";
  const { data, error } = await userClient(stack).auth.signUp({ email, password });
  assert.equal(error, null);
  assert.ok(data.session?.access_token);
  assert.ok(data.user?.email_confirmed_at);
  assert.equal((await messagesTo(stack, email)).length, 0);
  const again = await userClient(stack).auth.signUp({ email, password });
  assert.equal(again.error?.code, "user_already_exists");
  assert.equal(again.error?.status, 422);
  const settings = (await (
    await fetch(`${stack.apiUrl}/auth/v1/settings`, { headers: { apikey: stack.publishableKey } })
  ).json()) as Record<string, unknown>;
  assert.equal(settings.mailer_autoconfirm, true);
  assert.equal((settings.external as Record<string, boolean>).anonymous_users, false);
});

test("anonymous sign-ins off: anonymous_provider_disabled and no user", async () => {
  const { data, error } = await userClient(stack).auth.signInAnonymously();
  assert.equal(error?.code, "anonymous_provider_disabled");
  assert.equal(error?.status, 422);
  assert.equal(data.user, null);
});

test("TOTP enrollment off: mfa_totp_enroll_not_enabled", async () => {
  const client = userClient(stack);
  await client.auth.signUp({ email: uniqueEmail("mfa"), password: strongPassword() });
  const { error } = await client.auth.mfa.enroll({ factorType: "totp" });
  assert.equal(error?.code, "mfa_totp_enroll_not_enabled");
});

test("a template from content_path is used, and the email budget ends in 429", async () => {
  const emails = [uniqueEmail("budget"), uniqueEmail("budget"), uniqueEmail("budget")];
  for (const email of emails) await userClient(stack).auth.signUp({ email, password: strongPassword() });
  const first = await userClient(stack).auth.signInWithOtp({ email: emails[0] });
  assert.equal(first.error, null);
  const message = await latestMessage(stack, emails[0], /Sign in to Variants/);
  assert.match(message.html, new RegExp(`Your Variants code is \\d{6} for ${emails[0].replace(/[.]/g, "\\.")}`));
  assert.equal((await userClient(stack).auth.signInWithOtp({ email: emails[1] })).error, null);
  const third = await userClient(stack).auth.signInWithOtp({ email: emails[2] });
  assert.equal(third.error?.code, "over_email_send_rate_limit");
  assert.equal(third.error?.status, 429);
  assert.equal((await messagesTo(stack, emails[2])).length, 0);
  // An address unknown until then is not left signed up by the refused mail.
  const stranger = uniqueEmail("stranger");
  assert.equal((await userClient(stack).auth.signInWithOtp({ email: stranger })).error?.status, 429);
  const listed = await fetch(`${stack.apiUrl}/auth/v1/admin/users?filter=${encodeURIComponent(stranger)}`, {
    headers: { apikey: stack.secretKey },
  });
  assert.equal(((await listed.json()) as { users: unknown[] }).users.length, 0);
});

// Last: it spends the verification budget this file's one client (127.0.0.1) has.
test("with no trusted proxy, X-Forwarded-For is ignored: forged addresses all count as the socket's one client", async () => {
  const email = uniqueEmail("forged");
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) {
    const response = await fetch(`${stack.apiUrl}/auth/v1/verify`, {
      method: "POST",
      headers: {
        apikey: stack.publishableKey,
        "content-type": "application/json",
        "x-forwarded-for": `203.0.113.${i + 1}`,
      },
      body: JSON.stringify({ type: "email", email, token: String(100000 + i) }),
    });
    statuses.push(response.status);
  }
  assert.deepEqual(statuses.slice(0, 30), Array(30).fill(403), "token_verifications = 30 lets the first 30 through");
  assert.ok(statuses.slice(30).includes(429), statuses.join(","));
});
