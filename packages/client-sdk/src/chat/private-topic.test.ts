// The live chat channels against the running stack when joining is slow or the connection breaks:
// a join the client stopped waiting for is joined again rather than dropped, a rejoin tells the
// listeners to fetch what they missed, and a listener that arrives while the first one's join is
// still waiting for the token (React Strict Mode mounts effects twice) shares that join.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Message } from "../index.ts";
import { closeTestUsers, createTestUser, eventually, type TestUser } from "../testing/test-users.ts";

let alice: TestUser;
let bob: TestUser;
let roomId: string;

before(async () => {
  [alice, bob] = await Promise.all([createTestUser("alice"), createTestUser("bob")]);
  const { data, error } = await alice.client.chat.rooms.createGroup({ name: "slow joins", memberIds: [bob.id] });
  assert.equal(error, null);
  roomId = data!;
});

after(closeTestUsers);

const send = async (body: string) => {
  const sent = await alice.client.chat.messages.send({ roomId, body });
  assert.equal(sent.error, null);
  return sent.data!;
};

test("a join the server answers after the client stopped waiting is joined again, not dropped: its events arrive", async () => {
  // The topic's channel, made first so the subscription below uses it, waits 1 ms for its first
  // join's answer: as with a busy server answering after realtime-js' timeout. realtime-js then
  // joins again on its own; its rejoins reuse the join's timeout, so the usual one is put back
  // once the first join has timed out (through the Phoenix channel it wraps).
  const channel = bob.client.supabase.channel(`room:${roomId}:changes`, { config: { private: true } });
  const subscribe = channel.subscribe.bind(channel);
  const phoenix = (channel as unknown as { channelAdapter: { channel: { timeout: number } } }).channelAdapter.channel;
  channel.subscribe = (callback) =>
    subscribe((status, error) => {
      if (status === "TIMED_OUT") phoenix.timeout = channel.timeout;
      callback?.(status, error);
    }, 1);
  const received: Message[] = [];
  const live = bob.client.chat.subscribeToRoom(roomId, { onMessage: (message) => received.push(message) });
  try {
    assert.deepEqual(await live.ready, { data: null, error: null });
    const sent = await send("after a slow join");
    const arrived = await eventually("the message on the late-joined channel", () => received.find((m) => m.id === sent.id));
    assert.equal(arrived.body, "after a slow join");
  } finally {
    await live.unsubscribe();
  }
});

test("after the connection breaks and comes back, listeners are told to fetch what they missed", async () => {
  const received: Message[] = [];
  let rejoins = 0;
  let losses = 0;
  const live = bob.client.chat.subscribeToRoom(roomId, {
    onMessage: (message) => received.push(message),
    onError: () => losses++,
    onRejoined: () => rejoins++,
  });
  try {
    assert.equal((await live.ready).error, null);
    const realtime = bob.client.supabase.realtime;
    await realtime.disconnect();
    await eventually("the channel reported lost", () => losses > 0);
    const missed = await send("sent while disconnected");
    realtime.connect();
    await eventually("the listeners told of the rejoin", () => rejoins > 0);
    // What a listener does then: fetch again, and the missed message is there.
    const page = await bob.client.chat.messages.list({ roomId, limit: 5 });
    assert.ok(page.data?.items.some((m) => m.id === missed.id));
    assert.equal(
      received.some((m) => m.id === missed.id),
      false,
      "the broadcast itself was lost while disconnected",
    );
    const after = await send("after the rejoin");
    await eventually("live events again after the rejoin", () => received.find((m) => m.id === after.id));
  } finally {
    await live.unsubscribe();
  }
});

test("a listener added while the first one's join waits for the token shares that join, and both get ready", {
  timeout: 60_000,
}, async () => {
  const realtime = bob.client.supabase.realtime;
  // Right after a page load Realtime has no token yet: the first join waits for it.
  realtime.accessTokenValue = null;
  const first = bob.client.chat.subscribeToRoom(roomId, {});
  // Strict Mode: the effect is cleaned up and runs again at once.
  void first.unsubscribe();
  const received: Message[] = [];
  const second = bob.client.chat.subscribeToRoom(roomId, { onMessage: (message) => received.push(message) });
  try {
    assert.equal((await second.ready).error, null);
    const sent = await send("after a double mount");
    await eventually("the message to the second listener", () => received.find((m) => m.id === sent.id));
  } finally {
    await second.unsubscribe();
  }
});
