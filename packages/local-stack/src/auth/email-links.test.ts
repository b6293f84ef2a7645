import assert from "node:assert/strict";
import { test } from "node:test";
import {
  confirmedUser,
  decodeJwt,
  fragmentParams,
  latestMessage,
  messagesTo,
  openLink,
  otpCode,
  stackFromEnvironment,
  strongPassword,
  uniqueEmail,
  userClient,
  verifyLink,
} from "./auth-test-kit.ts";

const stack = stackFromEnvironment();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("email OTP: a confirmed user gets a sign-in mail whose code answers a session", async () => {
  const { email } = await confirmedUser(stack);
  await pause(1100); // max_frequency = 1s between mails of one kind
  const client = userClient(stack);
  assert.equal((await client.auth.signInWithOtp({ email })).error, null);
  const message = await latestMessage(stack, email, /Your sign-in link/);
  const { data, error } = await client.auth.verifyOtp({ email, token: otpCode(message), type: "email" });
  assert.equal(error, null);
  assert.equal(data.user?.email, email);
  assert.equal(decodeJwt(data.session!.access_token).email, email);
});

test("magic link: an unknown address is signed up and its link confirms it and signs in", async () => {
  const email = uniqueEmail("magic");
  const client = userClient(stack);
  assert.equal((await client.auth.signInWithOtp({ email, options: { data: { source: "magic" } } })).error, null);
  const message = await latestMessage(stack, email, /Confirm your email/);
  const { status, location } = await openLink(verifyLink(message));
  assert.equal(status, 303);
  const fragment = fragmentParams(location);
  assert.ok(fragment.get("access_token"));
  const session = await client.auth.setSession({
    access_token: fragment.get("access_token")!,
    refresh_token: fragment.get("refresh_token")!,
  });
  assert.equal(session.error, null);
  assert.ok(session.data.user?.email_confirmed_at);
  assert.deepEqual(session.data.user?.user_metadata, { source: "magic" });

  await pause(1100);
  await client.auth.signInWithOtp({ email });
  const magic = await latestMessage(stack, email, /Your sign-in link/);
  assert.match(verifyLink(magic), /type=magiclink/);
  const second = await openLink(verifyLink(magic));
  assert.equal(fragmentParams(second.location).get("type"), "magiclink");
});

test("OTP with create_user false refuses unknown addresses and creates nothing", async () => {
  const email = uniqueEmail("nocreate");
  const { error } = await userClient(stack).auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
  assert.equal(error?.code, "otp_disabled");
  assert.equal(error?.status, 422);
  assert.equal((await messagesTo(stack, email)).length, 0);
});

test("password recovery: the recovery code signs in and the password can then be changed", async () => {
  const { email, password } = await confirmedUser(stack);
  await pause(1100);
  const client = userClient(stack);
  assert.equal((await client.auth.resetPasswordForEmail(email, { redirectTo: "http://127.0.0.1:5173/reset" })).error, null);
  const message = await latestMessage(stack, email, /Reset your password/);
  assert.match(verifyLink(message), /type=recovery&redirect_to=http%3A%2F%2F127\.0\.0\.1%3A5173%2Freset/);
  const { error } = await client.auth.verifyOtp({ email, token: otpCode(message), type: "recovery" });
  assert.equal(error, null);
  const next = strongPassword();
  assert.equal((await client.auth.updateUser({ password: next })).error, null);
  assert.equal((await userClient(stack).auth.signInWithPassword({ email, password })).error?.code, "invalid_credentials");
  assert.equal((await userClient(stack).auth.signInWithPassword({ email, password: next })).error, null);
});

test("recovery for an unknown address answers the same and sends nothing", async () => {
  const email = uniqueEmail("ghost");
  assert.equal((await userClient(stack).auth.resetPasswordForEmail(email)).error, null);
  assert.equal((await messagesTo(stack, email)).length, 0);
});

test("resend mails a new confirmation whose code works, and asking again at once is rate limited", async () => {
  const client = userClient(stack);
  const email = uniqueEmail("resend");
  await client.auth.signUp({ email, password: strongPassword() });
  const tooSoon = await client.auth.resend({ type: "signup", email });
  assert.equal(tooSoon.error?.code, "over_email_send_rate_limit");
  assert.equal(tooSoon.error?.status, 429);
  await pause(1100);
  assert.equal((await client.auth.resend({ type: "signup", email })).error, null);
  const messages = await messagesTo(stack, email);
  assert.equal(messages.length, 2);
  // Only the newest code is valid.
  const old = await client.auth.verifyOtp({ email, token: otpCode(messages[1]), type: "signup" });
  if (otpCode(messages[1]) !== otpCode(messages[0])) assert.equal(old.error?.code, "otp_expired");
  const { error } = await client.auth.verifyOtp({ email, token: otpCode(messages[0]), type: "signup" });
  assert.equal(error, null);
});

test("verify by token_hash (as an SSR callback does) answers a session", async () => {
  const client = userClient(stack);
  const email = uniqueEmail("hash");
  await client.auth.signUp({ email, password: strongPassword() });
  const link = new URL(verifyLink(await latestMessage(stack, email, /Confirm your email/)));
  const { data, error } = await client.auth.verifyOtp({ token_hash: link.searchParams.get("token")!, type: "email" });
  assert.equal(error, null);
  assert.equal(data.user?.email, email);
});

test("PKCE: the link redirects with a code that exchanges for a session once", async () => {
  const client = userClient(stack, { flowType: "pkce" });
  const email = uniqueEmail("pkce");
  await client.auth.signUp({ email, password: strongPassword(), options: { emailRedirectTo: "http://127.0.0.1:5173/callback" } });
  const link = verifyLink(await latestMessage(stack, email, /Confirm your email/));
  assert.match(link, /token=pkce_/);
  const { location } = await openLink(link);
  const code = location.searchParams.get("code");
  assert.ok(code, location.toString());
  const { data, error } = await client.auth.exchangeCodeForSession(code);
  assert.equal(error, null);
  assert.equal(data.user?.email, email);
  const again = await client.auth.exchangeCodeForSession(code);
  assert.ok(again.error);
});

test("the mails use the configured sender and carry the link in HTML and text", async () => {
  const email = uniqueEmail("mail");
  await userClient(stack).auth.signUp({ email, password: strongPassword() });
  const response = await fetch(`${stack.mailUrl}/api/messages?to=${encodeURIComponent(email)}`);
  const { messages } = (await response.json()) as { messages: { from: string; text: string; html: string }[] };
  assert.equal(messages.length, 1);
  assert.match(messages[0].from, /<.+@.+>/);
  assert.match(messages[0].text, /\/auth\/v1\/verify\?token=/);
  assert.match(messages[0].html, /<a href="http/);
});
