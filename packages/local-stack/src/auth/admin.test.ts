import assert from "node:assert/strict";
import { test } from "node:test";
import {
  adminClient,
  confirmedUser,
  fragmentParams,
  latestMessage,
  messagesTo,
  openLink,
  stackFromEnvironment,
  strongPassword,
  uniqueEmail,
  userClient,
} from "./auth-test-kit.ts";

const stack = stackFromEnvironment();
const admin = adminClient(stack);

test("admin creates a confirmed user with metadata, who can sign in at once", async () => {
  const email = uniqueEmail("admin-made");
  const password = strongPassword();
  const { data, error } = await admin.auth.admin.createUser({
    email,
    password,
    email_confirm: true,
    user_metadata: { full_name: "Made By Admin" },
    app_metadata: { roles: ["editor"] },
  });
  assert.equal(error, null);
  assert.ok(data.user?.email_confirmed_at);
  assert.deepEqual(data.user?.app_metadata, { provider: "email", providers: ["email"], roles: ["editor"] });
  const signIn = await userClient(stack).auth.signInWithPassword({ email, password });
  assert.equal(signIn.error, null);
  assert.deepEqual(signIn.data.user?.app_metadata.roles, ["editor"]);

  const duplicate = await admin.auth.admin.createUser({ email, password });
  assert.equal(duplicate.error?.code, "email_exists");
  assert.equal(duplicate.error?.status, 422);
});

test("admin lists users newest first with pagination and a total", async () => {
  for (let i = 0; i < 3; i++) await admin.auth.admin.createUser({ email: uniqueEmail("page"), password: strongPassword() });
  const { data, error } = await admin.auth.admin.listUsers({ page: 1, perPage: 2 });
  assert.equal(error, null);
  assert.equal(data.users.length, 2);
  assert.ok("total" in data && data.total >= 3);
  assert.equal("nextPage" in data ? data.nextPage : undefined, 2);
  assert.ok(new Date(data.users[0].created_at) >= new Date(data.users[1].created_at));
  const second = await admin.auth.admin.listUsers({ page: 2, perPage: 2 });
  assert.notEqual(second.data.users[0]?.id, data.users[0].id);
});

test("admin gets, updates (ban, metadata, password) and deletes a user", async () => {
  const { user, email } = await confirmedUser(stack);
  const got = await admin.auth.admin.getUserById(user.id);
  assert.equal(got.data.user?.email, email);

  const password = strongPassword();
  const updated = await admin.auth.admin.updateUserById(user.id, {
    user_metadata: { tier: "gold" },
    app_metadata: { plan: "pro" },
    password,
  });
  assert.equal(updated.error, null);
  assert.equal(updated.data.user?.user_metadata.tier, "gold");
  assert.equal(updated.data.user?.app_metadata.plan, "pro");
  assert.equal((await userClient(stack).auth.signInWithPassword({ email, password })).error, null);

  const banned = await admin.auth.admin.updateUserById(user.id, { ban_duration: "24h" });
  assert.ok(banned.data.user?.banned_until);
  assert.equal((await userClient(stack).auth.signInWithPassword({ email, password })).error?.code, "user_banned");
  await admin.auth.admin.updateUserById(user.id, { ban_duration: "none" });
  assert.equal((await userClient(stack).auth.signInWithPassword({ email, password })).error, null);

  assert.equal((await admin.auth.admin.deleteUser(user.id)).error, null);
  const gone = await admin.auth.admin.getUserById(user.id);
  assert.equal(gone.error?.status, 404);
  assert.equal(gone.error?.code, "user_not_found");
});

test("a soft delete keeps the row with deleted_at and ends the sessions", async () => {
  const { user, client } = await confirmedUser(stack);
  assert.equal((await admin.auth.admin.deleteUser(user.id, true)).error, null);
  const got = await admin.auth.admin.getUserById(user.id);
  assert.ok(got.data.user?.deleted_at);
  assert.ok((await client.auth.getUser()).error);
});

test("generate_link returns the link and code without sending mail, and the link works", async () => {
  const { email } = await confirmedUser(stack);
  const before = (await messagesTo(stack, email)).length;
  const { data, error } = await admin.auth.admin.generateLink({ type: "magiclink", email });
  assert.equal(error, null);
  assert.equal(data.properties?.verification_type, "magiclink");
  assert.match(data.properties?.email_otp ?? "", /^\d{6}$/);
  assert.equal(data.user?.email, email);
  assert.equal((await messagesTo(stack, email)).length, before);
  const { location } = await openLink(data.properties!.action_link);
  assert.ok(fragmentParams(location).get("access_token"));

  const signup = await admin.auth.admin.generateLink({ type: "signup", email: uniqueEmail("gen"), password: strongPassword() });
  assert.equal(signup.data.properties?.verification_type, "signup");
  const missing = await admin.auth.admin.generateLink({ type: "recovery", email: uniqueEmail("missing") });
  assert.equal(missing.error?.status, 404);
});

test("invite mails a link that signs the invited user in", async () => {
  const email = uniqueEmail("invited");
  const { data, error } = await admin.auth.admin.inviteUserByEmail(email, { data: { invited_by: "test" } });
  assert.equal(error, null);
  assert.ok(data.user?.invited_at);
  const message = await latestMessage(stack, email, /You've been invited/);
  const href = /href="([^"]+)"/.exec(message.html)![1].replace(/&#38;/g, "&");
  const { location } = await openLink(href);
  assert.equal(fragmentParams(location).get("type"), "invite");
  const client = userClient(stack);
  await client.auth.setSession({
    access_token: fragmentParams(location).get("access_token")!,
    refresh_token: fragmentParams(location).get("refresh_token")!,
  });
  const me = await client.auth.getUser();
  assert.ok(me.data.user?.email_confirmed_at);
  assert.equal(me.data.user?.user_metadata.invited_by, "test");
});

test("admin routes refuse the anon key and user tokens with not_admin", async () => {
  const viaAnon = await fetch(`${stack.apiUrl}/auth/v1/admin/users`, { headers: { apikey: stack.publishableKey } });
  assert.equal(viaAnon.status, 403);
  assert.equal(((await viaAnon.json()) as { error_code: string }).error_code, "not_admin");
  const { session } = await confirmedUser(stack);
  const viaUser = await fetch(`${stack.apiUrl}/auth/v1/admin/users`, {
    headers: { apikey: stack.publishableKey, authorization: `Bearer ${session.access_token}` },
  });
  assert.equal(viaUser.status, 403);
  const created = await fetch(`${stack.apiUrl}/auth/v1/admin/users`, {
    method: "POST",
    headers: { apikey: stack.publishableKey, authorization: `Bearer ${session.access_token}`, "content-type": "application/json" },
    body: JSON.stringify({ email: uniqueEmail("sneaky"), password: strongPassword() }),
  });
  assert.equal(created.status, 403);
});
