// Notifications through the SDK against the running stack: rows made by the real processor (run
// here as pg_cron would run it), pages by cursor, the live unread count on the private user:<id>
// channel, read/all read/archive, preferences and quiet hours with what is refused, and push
// subscriptions from the local push receiver; nobody reaches another user's.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import type { BasekitError, Notification } from "../index.ts";
import { closeTestUsers, createTestUser, eventually, stackEnv, type TestUser } from "../testing/test-users.ts";
import { localPushReceiver } from "./push-receiver.ts";

let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
const { url, serviceRoleKey } = stackEnv();
const service = createClient(url, serviceRoleKey, {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket as never },
});

before(async () => {
  [alice, bob, carol] = await Promise.all([createTestUser("alice"), createTestUser("bob"), createTestUser("carol")]);
});

after(closeTestUsers);

/** One processor run, as pg_cron's HTTP call makes it (the test stack schedules none). */
async function runProcessor(): Promise<void> {
  const response = await fetch(`${url}/functions/v1/notification-processor`, {
    method: "POST",
    headers: { authorization: `Bearer ${serviceRoleKey}`, "content-type": "application/json" },
    body: "{}",
  });
  await response.body?.cancel();
}

/** Files ready for `user` (a type only the service role enqueues), delivered in-app. */
async function filesReady(user: TestUser, names: string[]): Promise<Notification[]> {
  for (const name of names) {
    const { error } = await service.rpc("enqueue_notification", {
      type: "file_ready",
      recipient_ids: [user.id],
      payload: { file_name: name },
      idempotency_key: `sdk-test-${randomUUID()}`,
    });
    assert.ifError(error);
  }
  return eventually(`${names.length} file_ready notification(s)`, async () => {
    await runProcessor();
    const { data } = await user.client.notifications.list({ limit: 100 });
    const rows = data?.items.filter((row) => row.type === "file_ready" && names.some((name) => row.body.startsWith(name)));
    return rows && rows.length === names.length ? rows : undefined;
  });
}

test("a message reaches the recipient live on their private channel and the unread count follows", async () => {
  const arrived: Notification[] = [];
  const changed: Notification[] = [];
  const live = bob.client.notifications.subscribe(bob.id, {
    onNotification: (row) => arrived.push(row),
    onNotificationChanged: (row) => changed.push(row),
  });
  assert.deepEqual(await live.ready, { data: null, error: null });
  const before = (await bob.client.notifications.unreadCount()).data ?? 0;
  const room = await alice.client.chat.rooms.openDirect(bob.id);
  assert.ifError(room.error);
  assert.ifError((await alice.client.chat.messages.send({ roomId: room.data as string, body: "hello bob, live" })).error);
  const message = await eventually("the new_message notification, live", async () => {
    await runProcessor();
    return arrived.find((row) => row.type === "new_message" && row.body.includes("hello bob, live"));
  });
  assert.equal(message.user_id, bob.id);
  assert.equal(message.read_at, null);
  const unread = (await bob.client.notifications.unreadCount()).data ?? 0;
  assert.ok(unread > before, `unread ${unread} after ${before}`);

  const marked = await bob.client.notifications.markRead({ ids: [message.id] });
  assert.deepEqual(marked.data, [message.id]);
  assert.equal((await bob.client.notifications.unreadCount()).data, unread - 1);
  const seen = await eventually("the read change, live", () => changed.find((row) => row.id === message.id && row.read_at !== null));
  assert.ok(seen.read_at);
  await live.unsubscribe();
});

test("pages come newest first by cursor without gaps or repeats; unread and archived filters", async () => {
  const names = ["p1.txt", "p2.txt", "p3.txt", "p4.txt", "p5.txt"];
  const rows = await filesReady(carol, names);
  const ids = rows.map((row) => row.id).sort((a, b) => b - a);
  const seen: number[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await carol.client.notifications.list({ limit: 2, cursor });
    assert.ifError(page.error);
    assert.ok((page.data?.items.length ?? 0) <= 2);
    seen.push(...(page.data?.items.map((row) => row.id) ?? []));
    cursor = page.data?.nextCursor;
  } while (cursor);
  assert.deepEqual(
    seen.filter((id) => ids.includes(id)),
    ids,
  );
  assert.deepEqual(
    seen,
    [...seen].sort((a, b) => b - a),
  );

  const archived = await carol.client.notifications.archive({ ids: [ids[0]] });
  assert.deepEqual(archived.data, [ids[0]]);
  const inbox = (await carol.client.notifications.list({ limit: 100 })).data?.items.map((row) => row.id) ?? [];
  assert.ok(!inbox.includes(ids[0]));
  assert.deepEqual(
    (await carol.client.notifications.list({ filter: "archived" })).data?.items.map((row) => row.id),
    [ids[0]],
  );
  assert.ok(((await carol.client.notifications.markAllRead()).data ?? 0) >= 4);
  assert.deepEqual((await carol.client.notifications.list({ filter: "unread" })).data?.items, []);
  assert.equal((await carol.client.notifications.unreadCount()).data, 0);
});

test("nobody reads, marks or archives another user's notifications, nor joins their channel", async () => {
  const [row] = await filesReady(alice, [`secret-${randomUUID()}.pdf`]);
  assert.equal((await carol.client.notifications.get(row.id)).error?.code, "not_found");
  assert.ok(!(await carol.client.notifications.list({ limit: 100 })).data?.items.some((item) => item.id === row.id));
  assert.deepEqual((await carol.client.notifications.markRead({ ids: [row.id] })).data, []);
  assert.deepEqual((await carol.client.notifications.archive({ ids: [row.id] })).data, []);
  const { data: stored } = await service.from("notifications").select("read_at, archived_at").eq("id", row.id).single();
  assert.deepEqual(stored, { read_at: null, archived_at: null });
  const spy = carol.client.notifications.subscribe(alice.id, {});
  const joined = await spy.ready;
  assert.equal(joined.error?.code, "realtime_error");
  await spy.unsubscribe();
});

test("bad input is refused before any request", async () => {
  const results = [
    await bob.client.notifications.markRead({ ids: [] }),
    await bob.client.notifications.markRead({ ids: [-1] }),
    await bob.client.notifications.list({ cursor: "1; drop" }),
    await bob.client.notifications.preferences.setQuietHours({ start: "25:00", end: "07:00" }),
    await bob.client.notifications.preferences.setQuietHours({ start: "07:00", end: "07:00" }),
    await bob.client.notifications.preferences.setDigestSeconds(86401),
    await bob.client.notifications.push.save({ endpoint: "javascript:alert(1)", keys: { p256dh: "x", auth: "y" } }),
  ];
  for (const result of results) assert.equal((result.error as BasekitError | null)?.code, "validation_failed");
  assert.deepEqual((await bob.client.notifications.preferences.settings()).data, {
    quiet_hours_start: null,
    quiet_hours_end: null,
    email_digest_seconds: 300,
  });
});

test("preferences: a type turned off per channel, mandatory security notices cannot be", async () => {
  const types = await bob.client.notifications.preferences.types();
  assert.ok(types.data?.some((type) => type.type === "new_message" && type.channels.includes("email")));
  const off = await bob.client.notifications.preferences.set({ type: "new_message", channel: "email", enabled: false });
  assert.equal(off.data?.enabled, false);
  const again = await bob.client.notifications.preferences.set({ type: "new_message", channel: "email", enabled: true });
  assert.equal(again.data?.enabled, true);
  const refused = await bob.client.notifications.preferences.set({ type: "security.password_changed", channel: "email", enabled: false });
  assert.equal(refused.error?.code, "permission_denied");
  const list = await bob.client.notifications.preferences.list();
  assert.deepEqual(
    list.data?.map((row) => [row.type, row.channel, row.enabled]),
    [["new_message", "email", true]],
  );
});

test("quiet hours across midnight and the digest window are saved, then cleared", async () => {
  const set = await alice.client.notifications.preferences.setQuietHours({ start: "22:30", end: "07:00" });
  assert.equal(set.error, null);
  assert.deepEqual(set.data, { quiet_hours_start: "22:30:00", quiet_hours_end: "07:00:00", email_digest_seconds: 300 });
  const digest = await alice.client.notifications.preferences.setDigestSeconds(60);
  assert.equal(digest.data?.email_digest_seconds, 60);
  assert.equal(digest.data?.quiet_hours_start, "22:30:00");
  const cleared = await alice.client.notifications.preferences.setQuietHours(null);
  assert.deepEqual(cleared.data, { quiet_hours_start: null, quiet_hours_end: null, email_digest_seconds: 60 });
  const { data: rows } = await service.from("notification_settings").select("user_id").eq("user_id", alice.id);
  assert.equal(rows?.length, 1);
});

test("push: subscribing through the local receiver stores one device the processor pushes to; unsubscribe forgets it", async () => {
  const receiver = localPushReceiver(url);
  const subscribed = await carol.client.notifications.push.subscribe(receiver, "sdk-test");
  assert.ifError(subscribed.error);
  const endpoint = subscribed.data?.subscription.endpoint as string;
  assert.match(endpoint, /\/push\/v1\/send\//);
  assert.deepEqual(
    (await carol.client.notifications.push.devices()).data?.map((device) => [device.endpoint, device.user_agent]),
    [[endpoint, "sdk-test"]],
  );
  assert.deepEqual((await bob.client.notifications.push.devices()).data, []);
  assert.equal((await bob.client.notifications.push.unsubscribe(endpoint)).data, false);

  const name = `pushed-${randomUUID()}.png`;
  await filesReady(carol, [name]);
  const pushes = await eventually("the decrypted push", async () => {
    await runProcessor();
    const answer = await fetch(`${url}/push/v1/messages?endpoint=${encodeURIComponent(endpoint)}`);
    const { messages } = (await answer.json()) as { messages: { json: { body?: string } | null }[] };
    return messages.length > 0 ? messages : undefined;
  });
  assert.equal(pushes.length, 1);
  assert.match(pushes[0].json?.body ?? "", new RegExp(name.replace(/\./g, "\\.")));

  assert.equal((await carol.client.notifications.push.unsubscribe(endpoint)).data, true);
  assert.deepEqual((await carol.client.notifications.push.devices()).data, []);
});
