// End-to-end: the unmodified supabase-js against the Realtime service of a fixture stack
// (small chat tables with RLS; realtime.messages policies for private `room:<id>` channels).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { RealtimePostgresChangesPayload, SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import WebSocket from "ws";
import { openDatabase } from "../db/database.ts";
import { createLogger } from "../log/logger.ts";
import { startStack } from "../stack.ts";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import {
  Inbox,
  joinOutcome,
  realtimeClient,
  startRealtimeFixture,
  startSecondInstance,
  subscribed,
  userToken,
} from "./testing/realtime-fixture.ts";

type Row = Record<string, unknown>;
type Change = RealtimePostgresChangesPayload<Row>;

let stack: FixtureStack;
let db: postgres.Sql;
const clients: SupabaseClient[] = [];
let nextRoom = 100;

function client(token?: string, vsn?: "1.0.0" | "2.0.0"): SupabaseClient {
  const c = realtimeClient(stack.apiUrl, stack.keys.anonKey, token, vsn);
  clients.push(c);
  return c;
}

/** A room with the given members; returns its id. */
async function room(...members: string[]): Promise<number> {
  const id = nextRoom++;
  await db`insert into rt_rooms (id, name) values (${id}, ${`room ${id}`})`;
  for (const member of members) await db`insert into rt_members (room_id, user_id) values (${id}, ${member})`;
  return id;
}

/** Changes are delivered in commit order: once a client has the sentinel, it has all before it. */
async function sentinel(inbox: Inbox<Change>): Promise<void> {
  const id = Math.floor(Math.random() * 1e12);
  await db`insert into rt_open (id, note) values (${id}, 'sentinel')`;
  await inbox.next((c) => c.table === "rt_open" && (c.new as Row).id === id);
}

/** What an inbox received of rt_messages (sentinels and the rest left out). */
const messageChanges = (inbox: Inbox<Change>) => inbox.items.filter((c) => c.table === "rt_messages");

function watchMessages(c: SupabaseClient, name: string, inbox: Inbox<Change>, filter?: string) {
  return c
    .channel(name)
    .on("postgres_changes", { event: "*", schema: "public", table: "rt_messages", ...(filter ? { filter } : {}) }, inbox.push)
    .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_open" }, inbox.push);
}

before(async () => {
  stack = await startRealtimeFixture();
  db = postgres(stack.dbUrl, { max: 3, onnotice: () => {} });
});

after(async () => {
  for (const c of clients) await c.removeAllChannels();
  await db?.end();
  await stack?.dispose();
});

describe("postgres_changes", () => {
  test("a member sees a new message in their room; a non-member and an anonymous client see nothing", async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const roomId = await room(alice);
    const inboxes = { alice: new Inbox<Change>(), bob: new Inbox<Change>(), anon: new Inbox<Change>() };
    await subscribed(watchMessages(client(userToken(stack.keys.jwtSecret, alice)), `changes-${roomId}`, inboxes.alice));
    await subscribed(watchMessages(client(userToken(stack.keys.jwtSecret, bob)), `changes-${roomId}`, inboxes.bob));
    await subscribed(watchMessages(client(), `changes-${roomId}`, inboxes.anon));

    await db`insert into rt_messages (room_id, author, body, priority, tags, extra) values (${roomId}, ${alice}, 'hello room', 3, '{a,b}', '{"k": 1}')`;
    const seen = await inboxes.alice.next((c) => c.table === "rt_messages");
    assert.equal(seen.eventType, "INSERT");
    assert.equal(seen.schema, "public");
    assert.match(seen.commit_timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.deepEqual(
      {
        room_id: (seen.new as Row).room_id,
        body: (seen.new as Row).body,
        priority: (seen.new as Row).priority,
        tags: (seen.new as Row).tags,
        extra: (seen.new as Row).extra,
      },
      { room_id: roomId, body: "hello room", priority: 3, tags: ["a", "b"], extra: { k: 1 } },
    );
    assert.deepEqual(seen.old, {});
    assert.equal(seen.errors, null);

    await sentinel(inboxes.bob);
    await sentinel(inboxes.anon);
    assert.deepEqual(messageChanges(inboxes.bob), []);
    assert.deepEqual(messageChanges(inboxes.anon), []);
  });

  test("UPDATE and DELETE reach the member with old values; filters select rows (eq, in, gt)", async () => {
    const carol = randomUUID();
    const [roomA, roomB] = [await room(carol), await room(carol)];
    const token = userToken(stack.keys.jwtSecret, carol);
    const all = new Inbox<Change>();
    const eq = new Inbox<Change>();
    const inList = new Inbox<Change>();
    const gt = new Inbox<Change>();
    await subscribed(watchMessages(client(token), `all-${roomA}`, all));
    await subscribed(watchMessages(client(token), `eq-${roomA}`, eq, `room_id=eq.${roomA}`));
    await subscribed(watchMessages(client(token), `in-${roomA}`, inList, `room_id=in.(${roomB},999999)`));
    await subscribed(watchMessages(client(token), `gt-${roomA}`, gt, "priority=gt.5"));

    // Each change is awaited before the next: authorization reads the live row (as Supabase's
    // does), so a row already deleted when its INSERT or UPDATE is checked is seen by no one.
    const seen = (type: string, body: string) =>
      all.next((c) => c.table === "rt_messages" && c.eventType === type && ((c.new as Row).body ?? String((c.old as Row).id)) === body);
    const [low] = await db`insert into rt_messages (room_id, body, priority) values (${roomA}, 'low', 1) returning id`;
    await seen("INSERT", "low");
    await db`insert into rt_messages (room_id, body, priority) values (${roomB}, 'high', 9)`;
    await seen("INSERT", "high");
    await db`update rt_messages set body = 'low, edited' where id = ${low.id}`;
    await seen("UPDATE", "low, edited");
    await db`delete from rt_messages where id = ${low.id}`;
    for (const inbox of [all, eq, inList, gt]) await sentinel(inbox);

    const bodies = (inbox: Inbox<Change>) =>
      inbox.items.filter((c) => c.table === "rt_messages").map((c) => `${c.eventType}:${(c.new as Row).body ?? (c.old as Row).id}`);
    assert.deepEqual(bodies(all), ["INSERT:low", "INSERT:high", "UPDATE:low, edited", `DELETE:${low.id}`]);
    // DELETE carries only the primary key, so a filter on room_id cannot match it (as on Supabase).
    assert.deepEqual(bodies(eq), ["INSERT:low", "UPDATE:low, edited"]);
    assert.deepEqual(bodies(inList), ["INSERT:high"]);
    assert.deepEqual(bodies(gt), ["INSERT:high"]);
    const update = all.items.find((c) => c.eventType === "UPDATE");
    assert.deepEqual(update?.old, { id: Number(low.id) });
  });

  test("an edit of a room's message reaches its member only: a non-member and an anonymous client get no UPDATE", async () => {
    const [hana, ivan] = [randomUUID(), randomUUID()];
    const roomId = await room(hana);
    const [message] = await db`insert into rt_messages (room_id, author, body) values (${roomId}, ${hana}, 'draft') returning id`;
    const inboxes = { member: new Inbox<Change>(), stranger: new Inbox<Change>(), anon: new Inbox<Change>() };
    await subscribed(watchMessages(client(userToken(stack.keys.jwtSecret, hana)), `edits-${roomId}`, inboxes.member));
    await subscribed(watchMessages(client(userToken(stack.keys.jwtSecret, ivan)), `edits-${roomId}`, inboxes.stranger));
    await subscribed(watchMessages(client(), `edits-${roomId}`, inboxes.anon));

    await db`update rt_messages set body = 'edited in secret' where id = ${message.id}`;
    // The member's copy shows the event was sent; the others, once past a later sentinel, have none.
    await inboxes.member.next((c) => c.eventType === "UPDATE" && (c.new as Row).body === "edited in secret");
    await sentinel(inboxes.stranger);
    await sentinel(inboxes.anon);
    assert.deepEqual(messageChanges(inboxes.stranger), []);
    assert.deepEqual(messageChanges(inboxes.anon), []);
  });

  test("a change carries only the columns the subscriber's role may select; a DELETE under RLS only the key", async () => {
    const [owner, stranger] = [randomUUID(), randomUUID()];
    const inboxes = { owner: new Inbox<Change>(), stranger: new Inbox<Change>() };
    for (const [who, inbox] of [
      [owner, inboxes.owner],
      [stranger, inboxes.stranger],
    ] as const)
      await subscribed(
        client(userToken(stack.keys.jwtSecret, who))
          .channel(`notes-${randomUUID()}`)
          .on("postgres_changes", { event: "*", schema: "public", table: "rt_notes" }, inbox.push),
      );
    const id = Math.floor(Math.random() * 1e12);
    await db`insert into rt_notes (id, owner, title, secret) values (${id}, ${owner}, 'groceries', 'the safe code')`;
    const inserted = await inboxes.owner.next((c) => c.eventType === "INSERT" && (c.new as Row).id === id);
    assert.deepEqual(inserted.new, { id, owner, title: "groceries" });
    await db`delete from rt_notes where id = ${id}`;
    // Realtime cannot check a deleted row under RLS, so the DELETE goes to every subscriber: with
    // the key alone, although the table logs the whole old row.
    for (const inbox of [inboxes.owner, inboxes.stranger]) {
      const deleted = await inbox.next((c) => c.eventType === "DELETE" && (c.old as Row).id === id);
      assert.deepEqual(deleted.old, { id });
    }
    assert.deepEqual(
      inboxes.stranger.items.map((c) => c.eventType),
      ["DELETE"],
    );
  });

  test("a binding on a table outside the publication gets Supabase's system error", async () => {
    const messages = new Inbox<Record<string, unknown>>();
    const channel = client()
      .channel("not-published")
      .on("postgres_changes", { event: "*", schema: "public", table: "rt_rooms" }, () => {})
      .on("system", {}, messages.push);
    await subscribed(channel);
    const error = await messages.next((m) => m.status === "error");
    assert.equal(error.extension, "postgres_changes");
    assert.match(String(error.message), /^Unable to subscribe to changes with given parameters/);
  });
});

describe("broadcast and presence", () => {
  for (const vsn of ["2.0.0", "1.0.0"] as const) {
    test(`typing broadcasts and presence join/leave reach the others (vsn ${vsn})`, async () => {
      const name = `chat-${randomUUID()}`;
      const typing = new Inbox<Record<string, unknown>>();
      const joins = new Inbox<{ key: string; newPresences: Row[] }>();
      const leaves = new Inbox<{ key: string }>();
      const watcher = client(undefined, vsn)
        .channel(name, { config: { presence: { key: "watcher" } } })
        .on("broadcast", { event: "typing" }, typing.push)
        .on("presence", { event: "join" }, joins.push)
        .on("presence", { event: "leave" }, leaves.push);
      await subscribed(watcher);
      const typistClient = client(undefined, vsn);
      const typist = typistClient.channel(name, { config: { presence: { key: "typist" } } });
      await subscribed(typist);
      assert.equal(await typist.send({ type: "broadcast", event: "typing", payload: { user: "typist" } }), "ok");
      const message = await typing.next();
      assert.deepEqual({ event: message.event, payload: message.payload }, { event: "typing", payload: { user: "typist" } });

      assert.equal(await typist.track({ online_at: "now" }), "ok");
      const joined = await joins.next((j) => j.key === "typist");
      assert.equal(joined.newPresences[0].online_at, "now");
      assert.deepEqual(Object.keys(watcher.presenceState()).sort(), ["typist"]);
      // The socket drops without untracking: presence is cleaned up and the others see the leave.
      typistClient.realtime.disconnect();
      await leaves.next((l) => l.key === "typist");
      assert.deepEqual(watcher.presenceState(), {});
    });
  }

  test("self and ack options: the sender receives its own message and an acknowledgement", async () => {
    const name = `self-${randomUUID()}`;
    const own = new Inbox<Record<string, unknown>>();
    const channel = client()
      .channel(name, { config: { broadcast: { self: true, ack: true } } })
      .on("broadcast", { event: "ping" }, own.push);
    await subscribed(channel);
    assert.equal(await channel.send({ type: "broadcast", event: "ping", payload: { n: 1 } }), "ok");
    assert.deepEqual((await own.next()).payload, { n: 1 });
  });

  test("POST /realtime/v1/api/broadcast delivers to subscribers; a bad token gets 401", async () => {
    const name = `rest-${randomUUID()}`;
    const inbox = new Inbox<Record<string, unknown>>();
    await subscribed(client().channel(name).on("broadcast", { event: "news" }, inbox.push));
    const response = await fetch(`${stack.apiUrl}/realtime/v1/api/broadcast`, {
      method: "POST",
      headers: { apikey: stack.keys.serviceRoleKey, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ topic: name, event: "news", payload: { headline: "hi" } }] }),
    });
    assert.equal(response.status, 202);
    assert.deepEqual((await inbox.next()).payload, { headline: "hi" });
    const denied = await fetch(`${stack.apiUrl}/realtime/v1/api/broadcast`, {
      method: "POST",
      headers: { apikey: "not-a-jwt", authorization: "Bearer not-a-jwt", "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ topic: name, event: "news", payload: { headline: "no" } }] }),
    });
    assert.equal(denied.status, 401);
    assert.deepEqual(await denied.json(), { message: "Unauthorized" });
  });
});

describe("private channels", () => {
  test("a non-member is rejected with Supabase's reason; members exchange broadcasts", async () => {
    const [dana, erin, mallory] = [randomUUID(), randomUUID(), randomUUID()];
    const roomId = await room(dana, erin);
    const topic = `room:${roomId}`;
    const privateChannel = (token: string) => client(token).channel(topic, { config: { private: true } });

    const rejected = await joinOutcome(privateChannel(userToken(stack.keys.jwtSecret, mallory)));
    assert.equal(rejected.status, "CHANNEL_ERROR");
    assert.equal(rejected.error?.message, `Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`);

    const received = new Inbox<Record<string, unknown>>();
    await subscribed(privateChannel(userToken(stack.keys.jwtSecret, dana)).on("broadcast", { event: "typing" }, received.push));
    const sender = privateChannel(userToken(stack.keys.jwtSecret, erin));
    await subscribed(sender);
    await sender.send({ type: "broadcast", event: "typing", payload: { from: "erin" } });
    assert.deepEqual((await received.next()).payload, { from: "erin" });

    // realtime.send() from the database reaches the private channel.
    await db`select realtime.send(${db.json({ text: "from db" })}, 'typing', ${topic}, true)`;
    const fromDb = await received.next((m) => (m.payload as Row).text === "from db");
    assert.equal(typeof (fromDb.meta as Row | undefined)?.id, "string");
  });
});

describe("token expiry", () => {
  test("a channel whose token expires gets Supabase's system error and receives nothing more", async () => {
    const name = `expiring-${randomUUID()}`;
    const expiring = { broadcasts: new Inbox<Record<string, unknown>>(), system: new Inbox<Record<string, unknown>>() };
    const control = new Inbox<Record<string, unknown>>();
    const shortLived = userToken(stack.keys.jwtSecret, randomUUID(), 3);
    await subscribed(
      client(shortLived).channel(name).on("broadcast", { event: "*" }, expiring.broadcasts.push).on("system", {}, expiring.system.push),
    );
    await subscribed(client(userToken(stack.keys.jwtSecret, randomUUID())).channel(name).on("broadcast", { event: "*" }, control.push));
    const broadcast = (event: string) =>
      fetch(`${stack.apiUrl}/realtime/v1/api/broadcast`, {
        method: "POST",
        headers: { apikey: stack.keys.serviceRoleKey, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ topic: name, event, payload: {} }] }),
      });
    assert.equal((await broadcast("before")).status, 202);
    await expiring.broadcasts.next((m) => m.event === "before");
    const expired = await expiring.system.next((m) => m.status === "error");
    assert.match(String(expired.message), /^Token has expired \d+ seconds ago$/);
    assert.equal((await broadcast("after")).status, 202);
    await control.next((m) => m.event === "after");
    assert.deepEqual(
      expiring.broadcasts.items.map((m) => m.event),
      ["before"],
    );
  });
});

describe("REST broadcast to private channels", () => {
  test("reaches a room's members only when the sender may write to the topic: a non-member's and anon's are dropped", async () => {
    const [jo, kim, mallory] = [randomUUID(), randomUUID(), randomUUID()];
    const roomId = await room(jo, kim);
    const topic = `room:${roomId}`;
    const received = new Inbox<Record<string, unknown>>();
    await subscribed(
      client(userToken(stack.keys.jwtSecret, jo))
        .channel(topic, { config: { private: true } })
        .on("broadcast", { event: "*" }, received.push),
    );
    const headers = (token: string) => ({
      apikey: stack.keys.anonKey,
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
    });
    const batch = (token: string, event: string) =>
      fetch(`${stack.apiUrl}/realtime/v1/api/broadcast`, {
        method: "POST",
        headers: headers(token),
        body: JSON.stringify({ messages: [{ topic, event, payload: { event }, private: true }] }),
      });
    const single = (token: string, event: string) =>
      fetch(`${stack.apiUrl}/realtime/v1/api/broadcast/${encodeURIComponent(topic)}/events/${event}?private=true`, {
        method: "POST",
        headers: headers(token),
        body: JSON.stringify({ event }),
      });
    const intruder = userToken(stack.keys.jwtSecret, mallory);
    // Supabase accepts the request and drops what the sender may not write, as here.
    for (const sent of [batch(intruder, "intruder-batch"), single(intruder, "intruder-single"), batch(stack.keys.anonKey, "anon-batch")])
      assert.equal((await sent).status, 202);
    // Each request is delivered before it is answered, so a member's later message marks the end.
    assert.equal((await single(userToken(stack.keys.jwtSecret, kim), "member-single")).status, 202);
    assert.equal((await batch(userToken(stack.keys.jwtSecret, kim), "member-batch")).status, 202);
    await received.next((m) => m.event === "member-batch");
    assert.deepEqual(
      received.items.map((m) => m.event),
      ["member-single", "member-batch"],
    );
  });
});

describe("bad input", () => {
  const socketUrl = () => `${stack.apiUrl.replace("http", "ws")}/realtime/v1/websocket`;

  test("an upgrade without a key or with a bad token is refused with 401 and Supabase's error", async (t) => {
    for (const [query, error] of [
      ["vsn=2.0.0", "API key is missing"],
      ["apikey=nonsense&vsn=2.0.0", "The token provided is not a valid JWT"],
    ]) {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const ws = new WebSocket(`${socketUrl()}?${query}`);
        t.after(() => ws.terminate());
        ws.on("error", reject);
        ws.on("unexpected-response", (_req, res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        ws.on("open", () => resolve({ status: 101, body: "" }));
      });
      assert.equal(answer.status, 401);
      assert.deepEqual(JSON.parse(answer.body), { error });
    }
  });

  test("unknown topics, bad join tokens and malformed frames get errors and change nothing", async (t) => {
    const ws = new WebSocket(`${socketUrl()}?apikey=${stack.keys.anonKey}&vsn=2.0.0`);
    t.after(() => ws.terminate());
    const frames = new Inbox<unknown[]>();
    ws.on("message", (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
    ws.send(JSON.stringify([null, "1", "realtime:nobody-joined", "broadcast", { type: "broadcast", event: "x", payload: {} }]));
    assert.deepEqual((await frames.next((f) => f[1] === "1"))[4], { status: "error", response: { reason: "unmatched topic" } });
    const expired = userToken(stack.keys.jwtSecret, randomUUID(), -120);
    ws.send(JSON.stringify(["2", "2", "realtime:x", "phx_join", { config: {}, access_token: expired }]));
    const reply = (await frames.next((f) => f[1] === "2"))[4] as { status: string; response: { reason: string } };
    assert.equal(reply.status, "error");
    assert.match(reply.response.reason, /^InvalidJWTToken: Token has expired \d+ seconds ago$/);
    ws.send(JSON.stringify(["3", "3", "realtime:", "phx_join", { config: {} }]));
    assert.deepEqual((await frames.next((f) => f[1] === "3"))[4], {
      status: "error",
      response: { reason: "TopicNameRequired: You must provide a topic name" },
    });
    ws.send(JSON.stringify([null, "4", "phoenix", "heartbeat", {}]));
    assert.deepEqual((await frames.next((f) => f[1] === "4"))[4], { status: "ok", response: {} });
    const closed = new Promise<number>((resolve) => ws.once("close", resolve));
    ws.send("this is not json");
    assert.equal(await closed, 1011);
  });
});

describe("two instances on one database", () => {
  test("broadcasts, presence and postgres changes reach subscribers on either instance", async () => {
    const second = await startSecondInstance(stack, { instance: `second_${randomUUID().slice(0, 8)}` });
    try {
      const frank = randomUUID();
      const roomId = await room(frank);
      const token = userToken(stack.keys.jwtSecret, frank);
      const onSecond = realtimeClient(second.apiUrl, stack.keys.anonKey, token);
      clients.push(onSecond);
      const name = `multi-${roomId}`;
      const secondInbox = new Inbox<Record<string, unknown>>();
      const secondJoins = new Inbox<{ key: string }>();
      const secondChanges = new Inbox<Change>();
      await subscribed(
        watchMessages(onSecond, name, secondChanges)
          .on("broadcast", { event: "typing" }, secondInbox.push)
          .on("presence", { event: "join" }, secondJoins.push),
      );
      const firstChanges = new Inbox<Change>();
      const onFirst = watchMessages(client(token), name, firstChanges);
      const firstJoins = new Inbox<{ key: string }>();
      onFirst.on("presence", { event: "join" }, firstJoins.push);
      await subscribed(onFirst);
      await onFirst.send({ type: "broadcast", event: "typing", payload: { via: "first" } });
      assert.deepEqual((await secondInbox.next()).payload, { via: "first" });
      await onSecond.channel(name).track({ where: "second" });
      await firstJoins.next((j) => j.key !== undefined);
      await db`insert into rt_messages (room_id, body) values (${roomId}, 'to both')`;
      for (const inbox of [firstChanges, secondChanges])
        assert.equal(((await inbox.next((c) => c.table === "rt_messages")).new as Row).body, "to both");
    } finally {
      await second.stop();
    }
  });
});

describe("restart", () => {
  test("a change made while the stack is stopped is delivered after it restarts", async () => {
    const gina = randomUUID();
    const roomId = await room(gina);
    const inbox = new Inbox<Change>();
    const watcher = client(userToken(stack.keys.jwtSecret, gina));
    await subscribed(watchMessages(watcher, `restart-${roomId}`, inbox));
    await stack.stop();
    const logger = createLogger({}, () => {}, "error");
    const offline = await openDatabase(stack.config, logger);
    const direct = postgres(offline.url("postgres"), { max: 1, onnotice: () => {} });
    await direct`insert into rt_messages (room_id, body) values (${roomId}, 'while you were away')`;
    await direct.end();
    await offline.stop();
    const restarted = await startStack(stack.config, logger, { progress: () => {} });
    // From here the fixture's own stop must stop the restarted stack.
    stack = {
      ...stack,
      ...restarted,
      dispose: async () => (await restarted.stop(), rmSync(stack.workdir, { recursive: true, force: true })),
    };
    await db.end();
    db = postgres(restarted.dbUrl, { max: 3, onnotice: () => {} });
    const change = await inbox.next((c) => c.table === "rt_messages", 45_000);
    assert.equal((change.new as Row).body, "while you were away");
  });
});
