// Chat against the running stack: two users, a direct room, messages by cursor, reactions,
// read state and unread counts, search, live updates on private channels, and what a non-member
// is refused (live: the room's channel, other inboxes, and nothing through postgres_changes).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { RealtimePostgresChangesPayload } from "@supabase/supabase-js";
import type { BasekitApiError, Message } from "../index.ts";
import { closeTestUsers, createTestUser, eventually, type TestUser } from "../testing/test-users.ts";

let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let roomId: string;

before(async () => {
  [alice, bob, carol] = await Promise.all([createTestUser("alice"), createTestUser("bob"), createTestUser("carol")]);
  const opened = await alice.client.chat.rooms.openDirect(bob.id);
  assert.equal(opened.error, null);
  roomId = opened.data!;
});

after(closeTestUsers);

test("opening a direct room twice, from either side, gives the same room", async () => {
  assert.equal((await alice.client.chat.rooms.openDirect(bob.id)).data, roomId);
  assert.equal((await bob.client.chat.rooms.openDirect(alice.id)).data, roomId);
});

test("messages page by cursor, newest first, without gaps or repeats", async () => {
  const { data: group } = await alice.client.chat.rooms.createGroup({ name: "paging", memberIds: [bob.id] });
  assert.ok(group);
  for (let i = 1; i <= 5; i++) assert.equal((await alice.client.chat.messages.send({ roomId: group, body: `m${i}` })).error, null);
  const first = await bob.client.chat.messages.list({ roomId: group, limit: 2 });
  assert.deepEqual(
    first.data?.items.map((m) => m.body),
    ["m5", "m4"],
  );
  const second = await bob.client.chat.messages.list({ roomId: group, limit: 2, cursor: first.data?.nextCursor });
  assert.deepEqual(
    second.data?.items.map((m) => m.body),
    ["m3", "m2"],
  );
  const third = await bob.client.chat.messages.list({ roomId: group, limit: 2, cursor: second.data?.nextCursor });
  assert.deepEqual(
    third.data?.items.map((m) => m.body),
    ["m1"],
  );
  assert.equal(third.data?.nextCursor, null);
});

test("unread counts follow new messages and mark-read", async () => {
  const sent = await alice.client.chat.messages.send({ roomId, body: "are you there?" });
  assert.equal(sent.error, null);
  const unread = async () => (await bob.client.chat.rooms.list()).data?.find((r) => r.room_id === roomId)?.unread_count;
  assert.ok(Number(await unread()) >= 1);
  assert.equal((await bob.client.chat.messages.markRead({ roomId })).error, null);
  assert.equal(Number(await unread()), 0);
  const members = await alice.client.chat.members.list(roomId);
  assert.equal(
    members.data?.find((m) => m.user_id === bob.id)?.last_read_message_id,
    sent.data?.id,
    "bob's read receipt is visible to alice",
  );
  assert.equal(members.data?.find((m) => m.user_id === bob.id)?.profile?.id, bob.id);
});

test("replies, edits, reactions and soft delete", async () => {
  const original = await alice.client.chat.messages.send({ roomId, body: "lunch?" });
  const reply = await bob.client.chat.messages.send({ roomId, body: "yes", replyToId: original.data?.id });
  assert.equal(reply.data?.reply_to_id, original.data?.id);
  const edited = await bob.client.chat.messages.edit({ messageId: reply.data!.id, body: "yes!" });
  assert.equal(edited.data?.body, "yes!");
  assert.ok(edited.data?.edited_at);
  const notMine = await alice.client.chat.messages.edit({ messageId: reply.data!.id, body: "hijacked" });
  assert.ok(notMine.error, "editing someone else's message fails");
  assert.equal((await alice.client.chat.messages.react({ messageId: reply.data!.id, emoji: "👍" })).error, null);
  assert.equal(
    (await alice.client.chat.messages.react({ messageId: reply.data!.id, emoji: "👍" })).error,
    null,
    "reacting twice is idempotent",
  );
  const reactions = await bob.client.chat.messages.reactions(roomId);
  assert.deepEqual(
    reactions.data?.filter((r) => r.message_id === reply.data!.id).map((r) => [r.user_id, r.emoji]),
    [[alice.id, "👍"]],
  );
  assert.equal((await alice.client.chat.messages.unreact({ messageId: reply.data!.id, emoji: "👍" })).error, null);
  assert.equal((await bob.client.chat.messages.reactions(roomId)).data?.filter((r) => r.message_id === reply.data!.id).length, 0);
  assert.equal((await bob.client.chat.messages.delete(reply.data!.id)).error, null);
  const page = await alice.client.chat.messages.list({ roomId, limit: 10 });
  const deleted = page.data?.items.find((m) => m.id === reply.data!.id);
  assert.ok(deleted?.deleted_at);
  assert.equal(deleted?.body, "");
});

test("a deleted message stays deleted: its sender cannot edit it back; reacting to it is invalid_input and adds nothing", async () => {
  const sent = await alice.client.chat.messages.send({ roomId, body: "soon gone" });
  assert.ok(sent.data);
  assert.equal((await alice.client.chat.messages.delete(sent.data.id)).error, null);
  const edited = await alice.client.chat.messages.edit({ messageId: sent.data.id, body: "back from the dead" });
  assert.equal(edited.error?.code, "not_found");
  const page = await bob.client.chat.messages.list({ roomId, limit: 20 });
  const stored = page.data?.items.find((m) => m.id === sent.data?.id);
  assert.deepEqual([stored?.body, Boolean(stored?.deleted_at)], ["", true]);
  const reacted = await bob.client.chat.messages.react({ messageId: sent.data.id, emoji: "👀" });
  assert.equal(reacted.error?.code, "invalid_input");
  assert.equal((reacted.error as BasekitApiError | undefined)?.pgCode, "23503");
  const reactions = await alice.client.chat.messages.reactions(roomId);
  assert.equal(reactions.error, null);
  assert.deepEqual(
    reactions.data?.filter((r) => r.message_id === sent.data?.id),
    [],
  );
});

test("search finds messages the caller can read, and only those", async () => {
  const word = `zebra${Date.now().toString(36)}`;
  await alice.client.chat.messages.send({ roomId, body: `the ${word} crossed` });
  const found = await bob.client.chat.messages.search({ query: word });
  assert.deepEqual(
    found.data?.map((m) => m.room_id),
    [roomId],
  );
  const outsider = await carol.client.chat.messages.search({ query: word });
  assert.deepEqual(outsider.data, []);
});

test("a non-member cannot open, read or post in the room", async () => {
  const room = await carol.client.chat.rooms.get(roomId);
  assert.equal(room.error?.code, "not_found");
  const messages = await carol.client.chat.messages.list({ roomId });
  assert.deepEqual(messages.data?.items, []);
  const post = await carol.client.chat.messages.send({ roomId, body: "let me in" });
  assert.equal(post.error?.code, "permission_denied");
});

test("group membership: the owner adds and removes members", async () => {
  const { data: group } = await alice.client.chat.rooms.createGroup({ name: "team", topic: "plans" });
  assert.ok(group);
  assert.equal((await alice.client.chat.members.add({ roomId: group, userId: carol.id })).error, null);
  assert.equal((await carol.client.chat.rooms.get(group)).data?.name, "team");
  const byMember = await carol.client.chat.members.remove({ roomId: group, userId: alice.id });
  assert.equal(byMember.error?.code, "permission_denied");
  assert.equal((await alice.client.chat.members.remove({ roomId: group, userId: carol.id })).error, null);
  assert.equal((await carol.client.chat.rooms.get(group)).error?.code, "not_found");
});

test("live subscription delivers the other user's messages", async () => {
  const received: Message[] = [];
  const subscription = bob.client.chat.subscribeToRoom(roomId, { onMessage: (m) => received.push(m) });
  const ready = await subscription.ready;
  assert.equal(ready.error, null);
  const body = `live ${Date.now()}`;
  await alice.client.chat.messages.send({ roomId, body });
  const message = await eventually("the live message", () => received.find((m) => m.body === body));
  assert.equal(message.sender_id, alice.id);
  await subscription.unsubscribe();
});

test("a room subscription and an inbox subscription on one client both receive a message", async () => {
  const inRoom: string[] = [];
  const inInbox: string[] = [];
  const inbox = bob.client.chat.subscribeToInbox(bob.id, { onMessage: (m) => inInbox.push(m.body) });
  const room = bob.client.chat.subscribeToRoom(roomId, { onMessage: (m) => inRoom.push(m.body) });
  assert.equal((await inbox.ready).error, null);
  assert.equal((await room.ready).error, null);
  const body = `both ${Date.now()}`;
  await alice.client.chat.messages.send({ roomId, body });
  await eventually("the message on the inbox channel", () => inInbox.includes(body));
  await eventually("the message on the room channel", () => inRoom.includes(body));
  await Promise.all([inbox.unsubscribe(), room.unsubscribe()]);
});

test("a room subscribed right after it was created receives messages and read positions", async () => {
  const [dana, erin] = await Promise.all([createTestUser("dana"), createTestUser("erin")]);
  const { data: room } = await dana.client.chat.rooms.openDirect(erin.id);
  assert.ok(room);
  const bodies: string[] = [];
  const readers: string[] = [];
  // As the web app does: inbox, room and presence channels all at once on one connection.
  const inbox = dana.client.chat.subscribeToInbox(dana.id, {});
  const subscription = dana.client.chat.subscribeToRoom(room, {
    onMessage: (m) => bodies.push(m.body),
    onMemberChanged: (_event, member) => member.user_id && member.last_read_message_id && readers.push(member.user_id),
  });
  const presence = dana.client.chat.joinPresence(room, { userId: dana.id, displayName: "dana" }, {});
  assert.equal((await subscription.ready).error, null);
  assert.equal((await inbox.ready).error, null);
  assert.equal((await presence.ready).error, null);
  const sent = await erin.client.chat.messages.send({ roomId: room, body: "fresh room" });
  await eventually("the message in the new room", () => bodies.includes("fresh room"));
  await erin.client.chat.messages.markRead({ roomId: room, upToMessageId: sent.data!.id });
  await eventually("erin's read position", () => readers.includes(erin.id));
  await subscription.unsubscribe();
  await Promise.all([dana.client.supabase.removeAllChannels(), erin.client.supabase.removeAllChannels()]);
});

test("read positions arrive live, for read receipts", async () => {
  const changes: { user_id?: string; last_read_message_id?: number | null }[] = [];
  const subscription = alice.client.chat.subscribeToRoom(roomId, { onMemberChanged: (_event, member) => changes.push(member) });
  assert.equal((await subscription.ready).error, null);
  const sent = await alice.client.chat.messages.send({ roomId, body: "read me" });
  assert.equal((await bob.client.chat.messages.markRead({ roomId, upToMessageId: sent.data!.id })).error, null);
  await eventually("bob's read position", () => changes.find((m) => m.user_id === bob.id && m.last_read_message_id === sent.data!.id));
  await subscription.unsubscribe();
});

test("a member follows a room live: messages, edits, deletes, reactions and membership changes", async () => {
  const dan = await createTestUser("dan");
  const { data: group } = await alice.client.chat.rooms.createGroup({ name: "live", memberIds: [bob.id] });
  assert.ok(group);
  const seen: string[] = [];
  const room = bob.client.chat.subscribeToRoom(group, {
    onMessage: (m) => seen.push(`posted ${m.body}`),
    onMessageChanged: (m) => seen.push(m.deleted_at ? `deleted ${m.id} "${m.body}"` : `edited ${m.body}`),
    onReaction: (event, r) => seen.push(`reaction ${event} ${r.emoji} by ${r.user_id === alice.id ? "alice" : r.user_id}`),
    onMemberChanged: (event, m) => seen.push(`member ${event} ${m.user_id === dan.id ? "dan" : m.user_id}`),
  });
  let danMemberships = 0;
  const danInbox = dan.client.chat.subscribeToInbox(dan.id, { onMembershipChanged: () => danMemberships++ });
  assert.equal((await room.ready).error, null);
  assert.equal((await danInbox.ready).error, null);

  const sent = await alice.client.chat.messages.send({ roomId: group, body: "first draft" });
  assert.ok(sent.data);
  await alice.client.chat.messages.edit({ messageId: sent.data.id, body: "final text" });
  await alice.client.chat.messages.react({ messageId: sent.data.id, emoji: "🎉" });
  await alice.client.chat.messages.unreact({ messageId: sent.data.id, emoji: "🎉" });
  await alice.client.chat.messages.delete(sent.data.id);
  await alice.client.chat.members.add({ roomId: group, userId: dan.id });
  await eventually("dan added, in his inbox", () => danMemberships === 1);
  await alice.client.chat.members.remove({ roomId: group, userId: dan.id });
  await eventually("dan removed, in his inbox", () => danMemberships === 2);
  await eventually("every change in the room", () => seen.length >= 7);
  assert.deepEqual(seen, [
    "posted first draft",
    "edited final text",
    "reaction INSERT 🎉 by alice",
    "reaction DELETE 🎉 by alice",
    `deleted ${sent.data.id} ""`,
    "member INSERT dan",
    "member DELETE dan",
  ]);
  await Promise.all([room.unsubscribe(), danInbox.unsubscribe()]);
});

test("a stranger is refused a room's change channel and another user's inbox", async () => {
  const room = carol.client.chat.subscribeToRoom(roomId, { onMessage: () => assert.fail("a stranger received a message") });
  assert.equal((await room.ready).error?.code, "realtime_error");
  const inbox = carol.client.chat.subscribeToInbox(bob.id, { onMessage: () => assert.fail("a stranger read bob's inbox") });
  assert.equal((await inbox.ready).error?.code, "realtime_error");
  await Promise.all([room.unsubscribe(), inbox.unsubscribe()]);
});

test("a stranger learns nothing of a private room: no postgres_changes (not even DELETEs), no public twin of its channel", async () => {
  const [stranger, frank, gina] = await Promise.all([createTestUser("stranger"), createTestUser("frank"), createTestUser("gina")]);
  const { data: group } = await alice.client.chat.rooms.createGroup({ name: "secret", memberIds: [bob.id, frank.id] });
  assert.ok(group);
  const message = await alice.client.chat.messages.send({ roomId: group, body: "secret plan" });
  assert.ok(message.data);
  assert.equal((await bob.client.chat.messages.react({ messageId: message.data.id, emoji: "🤫" })).error, null);

  const leaked: unknown[] = [];
  const supabase = stranger.client.supabase;
  const changes = supabase.channel(`stranger-changes-${group}`);
  for (const table of ["messages", "message_reactions", "room_members"])
    changes.on(
      "postgres_changes",
      { event: "*", schema: "public", table },
      (change: RealtimePostgresChangesPayload<Record<string, unknown>>) => leaked.push(change),
    );
  changes.subscribe();
  // The same topic as the room's private channel, joined as a public channel.
  const publicTwin = supabase.channel(`room:${group}:changes`).on("broadcast", { event: "*" }, (event) => leaked.push(event));
  // Resolves on whatever the join ends in, so a refusal fails here instead of hanging the test.
  assert.equal(await new Promise((resolve) => publicTwin.subscribe(resolve)), "SUBSCRIBED");
  // The stranger's own inbox is the marker: an event on it arrives after everything before it.
  let marker = false;
  const inbox = stranger.client.chat.subscribeToInbox(stranger.id, { onMembershipChanged: () => (marker = true) });
  assert.equal((await inbox.ready).error, null);

  assert.equal((await alice.client.chat.messages.send({ roomId: group, body: "more secrets" })).error, null);
  assert.equal((await bob.client.chat.messages.unreact({ messageId: message.data.id, emoji: "🤫" })).error, null);
  assert.equal((await alice.client.chat.members.remove({ roomId: group, userId: frank.id })).error, null);
  assert.equal((await stranger.client.chat.rooms.openDirect(gina.id)).error, null);
  await eventually("the stranger's own inbox event", () => marker);

  assert.deepEqual(leaked, []);
  // Nothing was lost for the members meanwhile.
  const members = await alice.client.chat.members.list(group);
  assert.deepEqual(members.data?.map((m) => m.user_id).sort(), [alice.id, bob.id].sort());
  const page = await bob.client.chat.messages.list({ roomId: group, limit: 10 });
  assert.deepEqual(
    page.data?.items.map((m) => m.body),
    ["more secrets", "secret plan"],
  );
  await Promise.all([supabase.removeChannel(changes), supabase.removeChannel(publicTwin), inbox.unsubscribe()]);
});

test("a member cannot forge a database event on the room's change channel: the others never receive it", async () => {
  const received: string[] = [];
  const subscription = bob.client.chat.subscribeToRoom(roomId, { onMessage: (m) => received.push(m.body) });
  assert.equal((await subscription.ready).error, null);
  // Alice may read the room's private topic (she is a member) but nobody may send on it.
  const supabase = alice.client.supabase;
  await supabase.realtime.setAuth();
  const forger = supabase.channel(`room:${roomId}:changes`, { config: { private: true } });
  assert.equal(await new Promise((resolve) => forger.subscribe(resolve)), "SUBSCRIBED");
  const record = { id: -1, room_id: roomId, sender_id: bob.id, body: "forged in bob's name" };
  await forger.send({
    type: "broadcast",
    event: "messages",
    payload: { schema: "public", table: "messages", operation: "INSERT", record, old_record: null },
  });
  // A real message sent afterwards arrives, and the forged one never does.
  assert.equal((await alice.client.chat.messages.send({ roomId, body: "really alice" })).error, null);
  await eventually("the real message", () => received.includes("really alice"));
  assert.deepEqual(received, ["really alice"]);
  await Promise.all([subscription.unsubscribe(), supabase.removeChannel(forger)]);
});

test("subscriptions to one room on one client share its channel: one leaving does not silence the other, re-subscribing at once works", async () => {
  const first: string[] = [];
  const second: string[] = [];
  const a = bob.client.chat.subscribeToRoom(roomId, { onMessage: (m) => first.push(m.body) });
  const b = bob.client.chat.subscribeToRoom(roomId, { onMessage: (m) => second.push(m.body) });
  assert.equal((await a.ready).error, null);
  assert.equal((await b.ready).error, null);
  await alice.client.chat.messages.send({ roomId, body: "to both" });
  await eventually("the message on both subscriptions", () => first.includes("to both") && second.includes("to both"));
  await a.unsubscribe();
  await alice.client.chat.messages.send({ roomId, body: "to the second" });
  await eventually("the message on the remaining subscription", () => second.includes("to the second"));
  assert.equal(first.includes("to the second"), false);
  // As React's Strict Mode does: unsubscribe and subscribe again without waiting.
  const leaving = b.unsubscribe();
  const third: string[] = [];
  const c = bob.client.chat.subscribeToRoom(roomId, { onMessage: (m) => third.push(m.body) });
  await leaving;
  assert.equal((await c.ready).error, null);
  await alice.client.chat.messages.send({ roomId, body: "after resubscribing" });
  await eventually("the message after re-subscribing", () => third.includes("after resubscribing"));
  await c.unsubscribe();
});

test("presence and typing reach the other member", async () => {
  const bobSees: { online: string[]; typing: string[] } = { online: [], typing: [] };
  const bobPresence = bob.client.chat.joinPresence(
    roomId,
    { userId: bob.id, displayName: "bob" },
    {
      onPresence: (users) => (bobSees.online = users.map((u) => u.userId)),
      onTyping: (users) => (bobSees.typing = users.map((u) => u.userId)),
    },
  );
  const alicePresence = alice.client.chat.joinPresence(roomId, { userId: alice.id, displayName: "alice" }, {});
  assert.equal((await bobPresence.ready).error, null);
  assert.equal((await alicePresence.ready).error, null);
  await eventually("alice online", () => bobSees.online.includes(alice.id));
  alicePresence.setTyping(true);
  await eventually("alice typing", () => bobSees.typing.includes(alice.id));
  alicePresence.setTyping(false);
  await eventually("alice stopped typing", () => !bobSees.typing.includes(alice.id));
  await alicePresence.leave();
  await eventually("alice offline", () => !bobSees.online.includes(alice.id));
  await bobPresence.leave();
});

test("a non-member is refused the room's presence channel", async () => {
  const presence = carol.client.chat.joinPresence(roomId, { userId: carol.id, displayName: "carol" }, {});
  const result = await presence.ready;
  assert.equal(result.error?.code, "realtime_error");
  await presence.leave();
});
