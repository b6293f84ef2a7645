import assert from "node:assert/strict";
import { test } from "node:test";
import { AuthWeakPasswordError } from "@supabase/supabase-js";
import {
  confirmedUser,
  decodeJwt,
  latestMessage,
  otpCode,
  stackFromEnvironment,
  strongPassword,
  uniqueEmail,
  userClient,
} from "./auth-test-kit.ts";

const stack = stackFromEnvironment();

test("updating metadata merges keys shallowly and null removes one", async () => {
  const { client } = await confirmedUser(stack, { a: 1, b: 2 });
  const { data, error } = await client.auth.updateUser({ data: { b: null, c: { nested: true } } });
  assert.equal(error, null);
  assert.deepEqual(data.user?.user_metadata, { a: 1, c: { nested: true } });
  const refreshed = await client.auth.refreshSession();
  assert.deepEqual(decodeJwt(refreshed.data.session!.access_token).user_metadata, { a: 1, c: { nested: true } });
});

test("changing the password ends other sessions, and the old password stops working", async () => {
  const { client, email, password } = await confirmedUser(stack);
  const other = userClient(stack);
  await other.auth.signInWithPassword({ email, password });
  const next = strongPassword();
  assert.equal((await client.auth.updateUser({ password: next })).error, null);
  assert.equal((await client.auth.getUser()).error, null);
  assert.equal((await other.auth.getUser()).error?.name, "AuthSessionMissingError");
  assert.equal((await userClient(stack).auth.signInWithPassword({ email, password })).error?.code, "invalid_credentials");
  assert.equal((await userClient(stack).auth.signInWithPassword({ email, password: next })).error, null);

  const same = await client.auth.updateUser({ password: next });
  assert.equal(same.error?.code, "same_password");
  assert.equal(same.error?.status, 422);
  const weak = await client.auth.updateUser({ password: "short" });
  assert.ok(weak.error instanceof AuthWeakPasswordError);
});

test("changing the email needs both addresses to confirm, then swaps it", async () => {
  const { client, email } = await confirmedUser(stack);
  const newEmail = uniqueEmail("changed");
  const { data, error } = await client.auth.updateUser({ email: newEmail });
  assert.equal(error, null);
  assert.equal(data.user?.email, email);
  assert.equal(data.user?.new_email, newEmail);

  const toNew = await latestMessage(stack, newEmail, /Confirm your new email/);
  const toOld = await latestMessage(stack, email, /Confirm your new email/);
  const first = await client.auth.verifyOtp({ email: newEmail, token: otpCode(toNew), type: "email_change" });
  assert.equal(first.error, null);
  assert.equal(first.data.session, null);
  const second = await client.auth.verifyOtp({ email, token: otpCode(toOld), type: "email_change" });
  assert.equal(second.error, null);
  assert.equal(second.data.user?.email, newEmail);
  assert.equal(second.data.user?.new_email, undefined);
  assert.equal(decodeJwt(second.data.session!.access_token).email, newEmail);
});

test("an email already taken is email_exists; app_metadata is admin-only", async () => {
  const { client } = await confirmedUser(stack);
  const taken = await confirmedUser(stack);
  const { error } = await client.auth.updateUser({ email: taken.email });
  assert.equal(error?.code, "email_exists");
  assert.equal(error?.status, 422);
  const response = await fetch(`${stack.apiUrl}/auth/v1/user`, {
    method: "PUT",
    headers: {
      apikey: stack.publishableKey,
      authorization: `Bearer ${(await client.auth.getSession()).data.session!.access_token}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ app_metadata: { role: "admin" } }),
  });
  assert.equal(response.status, 403);
  assert.equal(((await response.json()) as { error_code: string }).error_code, "not_admin");
  assert.deepEqual((await client.auth.getUser()).data.user?.app_metadata, { provider: "email", providers: ["email"] });
});

test("an anonymous user upgrades by adding an email and confirming it", async () => {
  const client = userClient(stack);
  const anonymous = await client.auth.signInAnonymously();
  const email = uniqueEmail("upgrade");
  const { error } = await client.auth.updateUser({ email });
  assert.equal(error, null);
  const code = otpCode(await latestMessage(stack, email, /Confirm your new email/));
  const verified = await client.auth.verifyOtp({ email, token: code, type: "email_change" });
  assert.equal(verified.error, null);
  assert.equal(verified.data.user?.id, anonymous.data.user?.id);
  assert.equal(verified.data.user?.email, email);
  assert.equal(verified.data.user?.is_anonymous, false);
  assert.equal((await client.auth.updateUser({ password: strongPassword() })).error, null);
});

test("reauthenticate mails a code that a password change accepts as its nonce", async () => {
  const { client, email } = await confirmedUser(stack);
  assert.equal((await client.auth.reauthenticate()).error, null);
  const message = await latestMessage(stack, email, /is your verification code/);
  const nonce = otpCode(message);
  const next = strongPassword();
  assert.equal((await client.auth.updateUser({ password: next, nonce })).error, null);
  assert.equal((await userClient(stack).auth.signInWithPassword({ email, password: next })).error, null);
});
