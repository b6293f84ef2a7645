// Profiles, settings, sessions and activity against the running stack.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createTestUser, newClient } from "./testing/test-users.ts";

test("a user reads and updates their own profile; the change is in their activity", async () => {
  const user = await createTestUser("profile");
  const mine = await user.client.profiles.getMine();
  assert.equal(mine.data?.id, user.id);
  const username = `u_${user.id.slice(0, 8)}`;
  const updated = await user.client.profiles.update({ username, bio: "hello" });
  assert.equal(updated.data?.username, username);
  assert.equal(updated.data?.bio, "hello");
  assert.equal((await user.client.profiles.isUsernameAvailable(username)).data, false);
  const found = await user.client.profiles.search({ query: username });
  assert.deepEqual(
    found.data?.map((p) => p.id),
    [user.id],
  );
  const activity = await user.client.activity.list({ limit: 10 });
  assert.ok(activity.data?.items.some((entry) => entry.action === "profile.updated"));
});

test("profile input is validated and database checks come back coded", async () => {
  const user = await createTestUser("checks");
  const invalid = await user.client.profiles.update({ username: "no spaces allowed" });
  assert.equal(invalid.error?.code, "validation_failed");
  const other = await createTestUser("taken");
  const taken = (await other.client.profiles.getMine()).data!.username;
  const conflict = await user.client.profiles.update({ username: taken });
  assert.equal(conflict.error?.code, "conflict");
  const zone = await user.client.profiles.update({ timezone: "Mars/Olympus" });
  assert.equal(zone.error?.code, "invalid_input");
});

test("settings update and show up as activity; sessions can be listed and revoked", async () => {
  const user = await createTestUser("settings");
  assert.equal((await user.client.settings.get()).data?.allow_messages_from, "everyone");
  const updated = await user.client.settings.update({ allow_messages_from: "nobody", show_online_status: false });
  assert.equal(updated.data?.allow_messages_from, "nobody");
  const second = newClient();
  assert.equal((await second.auth.signInWithPassword({ email: user.email, password: user.password })).error, null);
  const sessions = await user.client.settings.listSessions();
  assert.equal(sessions.data?.length, 2);
  assert.equal(sessions.data?.filter((s) => s.is_current).length, 1);
  assert.equal((await user.client.settings.revokeOtherSessions()).data, 1);
  assert.equal((await user.client.settings.listSessions()).data?.length, 1);
});

test("signed-out calls fail with not_authenticated", async () => {
  const client = newClient();
  assert.equal((await client.profiles.getMine()).error?.code, "not_authenticated");
  const bad = await client.auth.signInWithPassword({ email: "nobody@example.test", password: "wrong-password" });
  assert.equal(bad.error?.code, "invalid_credentials");
});
