// Attacks on the Realtime service: each is refused or harmless, and nothing is lost for the others.
// Filter patterns that would stall a backtracking engine, filters probing rows the subscriber may
// not see, clients that stop reading, oversized broadcasts and malformed REST broadcast paths.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { RealtimePostgresChangesPayload, SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import WebSocket from "ws";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { MAX_BROADCAST_PAYLOAD_BYTES, MAX_BUFFERED_BYTES } from "./socket-session.ts";
import { Inbox, realtimeClient, startRealtimeFixture, subscribed, userToken } from "./testing/realtime-fixture.ts";

type Row = Record<string, unknown>;
type Change = RealtimePostgresChangesPayload<Row>;
type SystemMessage = { extension: string; status: string; message: string };

let stack: FixtureStack;
let db: postgres.Sql;
const clients: SupabaseClient[] = [];
/** Sockets opened without supabase-js, ended after the tests even when one fails midway. */
const rawSockets: WebSocket[] = [];
let nextRoom = 1000;

function client(token?: string): SupabaseClient {
  const c = realtimeClient(stack.apiUrl, stack.keys.anonKey, token);
  clients.push(c);
  return c;
}

async function room(...members: string[]): Promise<number> {
  const id = nextRoom++;
  await db`insert into rt_rooms (id, name) values (${id}, ${`room ${id}`})`;
  for (const member of members) await db`insert into rt_members (room_id, user_id) values (${id}, ${member})`;
  return id;
}

/** A channel watching rt_messages with `filter` (and rt_open, for sentinels), with its system messages. */
async function watch(c: SupabaseClient, filter: string, changes: Inbox<Change>, system: Inbox<SystemMessage>): Promise<void> {
  await subscribed(
    c
      .channel(`watch-${randomUUID()}`)
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_messages", filter }, changes.push)
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_open" }, changes.push)
      .on("system", {}, (message: SystemMessage) => system.push(message)),
  );
}

/** Changes arrive in commit order: once the sentinel is in, everything before it is too. */
async function sentinel(...inboxes: Inbox<Change>[]): Promise<void> {
  const id = Math.floor(Math.random() * 1e12);
  await db`insert into rt_open (id, note) values (${id}, 'sentinel')`;
  for (const inbox of inboxes) await inbox.next((c) => c.table === "rt_open" && (c.new as Row).id === id);
}

const bodies = (inbox: Inbox<Change>) => inbox.items.filter((c) => c.table === "rt_messages").map((c) => (c.new as Row).body);
const errors = (inbox: Inbox<SystemMessage>) => inbox.items.filter((m) => m.status === "error");

async function health(): Promise<{ status: number; sockets: number }> {
  const response = await fetch(`${stack.apiUrl}/health`);
  const body = (await response.json()) as { services: { realtime: { sockets: number } } };
  return { status: response.status, sockets: body.services.realtime.sockets };
}

before(async () => {
  stack = await startRealtimeFixture();
  db = postgres(stack.dbUrl, { max: 3, onnotice: () => {} });
});

after(async () => {
  for (const ws of rawSockets) ws.terminate();
  for (const c of clients) await c.removeAllChannels();
  await db?.end();
  await stack?.dispose();
});

describe("filter patterns", () => {
  test("a catastrophic-backtracking regex on a 41-character message is decided correctly and /health answers meanwhile", async () => {
    const carol = randomUUID();
    const roomId = await room(carol);
    const [changes, system] = [new Inbox<Change>(), new Inbox<SystemMessage>()];
    const stranger = { changes: new Inbox<Change>(), system: new Inbox<SystemMessage>() };
    await watch(client(userToken(stack.keys.jwtSecret, carol)), "body=match.^(a|a)*$", changes, system);
    await watch(client(), "body=match.^(a|a)*$", stranger.changes, stranger.system);

    // In a backtracking engine `^(a|a)*$` against 40 a's and a '!' takes 2^40 steps.
    await db`insert into rt_messages (room_id, body) values (${roomId}, ${`${"a".repeat(40)}!`}), (${roomId}, ${"a".repeat(40)})`;
    const during = await health();
    assert.equal(during.status, 200);
    await sentinel(changes, stranger.changes);

    assert.deepEqual(bodies(changes), ["a".repeat(40)]);
    assert.deepEqual(errors(system), []);
    assert.deepEqual(bodies(stranger.changes), []);
    assert.deepEqual(errors(stranger.system), []);
  });

  test("a pattern Postgres gives up on stops only its member's binding, with an error; a stranger's is never run", async () => {
    const [dana, mallory] = [randomUUID(), randomUUID()];
    const roomId = await room(dana);
    // Backreferences make this cubic in Postgres too, so the statement timeout ends it.
    const filter = "body=match.^(a*)(a*)(a*)\\1\\2\\3$";
    const member = { changes: new Inbox<Change>(), system: new Inbox<SystemMessage>() };
    const stranger = { changes: new Inbox<Change>(), system: new Inbox<SystemMessage>() };
    const bystander = { changes: new Inbox<Change>(), system: new Inbox<SystemMessage>() };
    await watch(client(userToken(stack.keys.jwtSecret, dana)), filter, member.changes, member.system);
    await watch(client(userToken(stack.keys.jwtSecret, mallory)), filter, stranger.changes, stranger.system);
    await watch(client(userToken(stack.keys.jwtSecret, dana)), "body=like.hello%", bystander.changes, bystander.system);

    await db`insert into rt_messages (room_id, body) values (${roomId}, ${"a".repeat(301)})`;
    await db`insert into rt_messages (room_id, body) values (${roomId}, 'hello after')`;
    await sentinel(member.changes, stranger.changes, bystander.changes);

    const [failure] = errors(member.system);
    assert.equal(
      failure?.message,
      // Shown as Elixir's inspect shows a string: quoted, backslashes escaped.
      `Unable to filter changes with given parameters: [event: INSERT, schema: public, table: rt_messages, filters: [{"body", "match", ${JSON.stringify(filter.slice("body=match.".length))}, false}], select: nil]. Exception: ERROR 57014 (query_canceled) canceling statement due to statement timeout`,
    );
    assert.equal(failure.extension, "postgres_changes");
    assert.deepEqual(bodies(member.changes), []);
    // The stranger cannot see the room: the pattern never ran for them, and their binding lives on.
    assert.deepEqual(errors(stranger.system), []);
    assert.deepEqual(bodies(stranger.changes), []);
    assert.deepEqual(bodies(bystander.changes), ["hello after"]);

    const ownRoom = await room(mallory);
    await db`insert into rt_messages (room_id, body) values (${ownRoom}, 'aa'), (${ownRoom}, 'aaa')`;
    await sentinel(stranger.changes);
    assert.deepEqual(bodies(stranger.changes), ["aa"]);
  });

  test("a pattern Postgres cannot compile is refused at join with Supabase's text", async () => {
    const [changes, system] = [new Inbox<Change>(), new Inbox<SystemMessage>()];
    await watch(client(), "body=match.(unclosed", changes, system);
    const error = await system.next((m) => m.status === "error");
    assert.equal(error.extension, "postgres_changes");
    assert.equal(
      error.message,
      'Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [event: INSERT, schema: public, table: rt_messages, filters: [{"body", "match", "(unclosed", false}], select: nil]. Exception: ERROR P0001 (raise_exception) invalid regular expression for match filter: invalid regular expression: parentheses () not balanced',
    );
  });
});

describe("clients that stop reading", () => {
  const socketUrl = () => `${stack.apiUrl.replace("http", "ws")}/realtime/v1/websocket?apikey=${stack.keys.anonKey}&vsn=1.0.0`;

  async function joinRaw(topic: string, onBroadcast: (payload: Row) => void = () => {}): Promise<WebSocket> {
    const ws = new WebSocket(socketUrl());
    rawSockets.push(ws);
    await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
    const joined = new Promise<void>((resolve, reject) => {
      ws.once("close", (code) => reject(new Error(`socket closed (${code}) before the join was answered`)));
      ws.on("message", (data) => {
        const message = JSON.parse(String(data));
        if (message.event === "phx_reply" && message.ref === "join") {
          if (message.payload.status === "ok") resolve();
          else reject(new Error(`join refused: ${JSON.stringify(message.payload)}`));
        }
        if (message.event === "broadcast") onBroadcast(message.payload.payload);
      });
    });
    ws.send(JSON.stringify({ topic, event: "phx_join", payload: { config: {} }, ref: "join", join_ref: "join" }));
    await joined;
    return ws;
  }

  test("a subscriber that stops reading is disconnected past the send-buffer cap; a reading one gets every message", async () => {
    const name = `slow-${randomUUID()}`;
    const received: number[] = [];
    const reader = await joinRaw(`realtime:${name}`, (payload) => received.push(payload.n as number));
    const slow = await joinRaw(`realtime:${name}`);
    const before = (await health()).sockets;
    // The slow client stops reading: what it is sent piles up in the kernel, then in the server.
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const blob = "x".repeat(2_000_000);
    let sent = 0;
    let sockets = before;
    // Twice the cap in messages is far more than the kernel's buffers hold on loopback.
    for (; sent < Math.ceil((4 * MAX_BUFFERED_BYTES) / blob.length) + 20 && sockets === before; sent++) {
      const response = await fetch(`${stack.apiUrl}/realtime/v1/api/broadcast`, {
        method: "POST",
        headers: { apikey: stack.keys.serviceRoleKey, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ topic: name, event: "big", payload: { n: sent, blob } }] }),
      });
      assert.equal(response.status, 202);
      sockets = (await health()).sockets;
    }
    // Let the server's close of the slow socket complete, then count.
    for (let i = 0; i < 100 && (await health()).sockets !== before - 1; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await health()).sockets, before - 1, `slow socket still connected after ${sent} messages of 2 MB`);
    // The reader kept up and lost nothing.
    for (let i = 0; i < 200 && received.length < sent; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      received,
      Array.from({ length: sent }, (_, n) => n),
    );
    reader.close();
    slow.terminate();
  });

  test("a broadcast payload over 3000 KB is refused with Supabase's error and reaches no one", async () => {
    const name = `large-${randomUUID()}`;
    const inbox = new Inbox<Record<string, unknown>>();
    await subscribed(client().channel(name).on("broadcast", { event: "*" }, inbox.push));
    const sender = client().channel(name, { config: { broadcast: { ack: true } } });
    await subscribed(sender);
    const tooLarge = "x".repeat(MAX_BROADCAST_PAYLOAD_BYTES);
    assert.equal(await sender.send({ type: "broadcast", event: "huge", payload: { tooLarge } }), "error");
    const rest = await fetch(`${stack.apiUrl}/realtime/v1/api/broadcast`, {
      method: "POST",
      headers: { apikey: stack.keys.serviceRoleKey, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ topic: name, event: "huge", payload: { tooLarge } }] }),
    });
    assert.equal(rest.status, 422);
    assert.deepEqual(await rest.json(), { message: "Payload size exceeds tenant limit" });
    assert.equal(await sender.send({ type: "broadcast", event: "small", payload: { ok: true } }), "ok");
    await inbox.next((m) => m.event === "small");
    assert.deepEqual(
      inbox.items.map((m) => m.event),
      ["small"],
    );
  });
});

describe("REST broadcast paths", () => {
  test("a malformed %-escape in the topic or event is a 400 and sends nothing", async () => {
    const name = "room%ZZ";
    const inbox = new Inbox<Record<string, unknown>>();
    await subscribed(client().channel(name).on("broadcast", { event: "*" }, inbox.push));
    for (const path of ["room%ZZ/events/typing", `room%25ZZ/events/bad%E0%A4%A`]) {
      const response = await fetch(`${stack.apiUrl}/realtime/v1/api/broadcast/${path}`, {
        method: "POST",
        headers: { apikey: stack.keys.serviceRoleKey, "content-type": "application/json" },
        body: JSON.stringify({ n: 1 }),
      });
      assert.equal(response.status, 400, path);
      assert.deepEqual(await response.json(), { message: "Invalid percent-encoding in the topic or event of the path" });
    }
    const good = await fetch(`${stack.apiUrl}/realtime/v1/api/broadcast/room%25ZZ/events/after`, {
      method: "POST",
      headers: { apikey: stack.keys.serviceRoleKey, "content-type": "application/json" },
      body: JSON.stringify({ n: 2 }),
    });
    assert.equal(good.status, 202);
    await inbox.next((m) => m.event === "after");
    assert.deepEqual(
      inbox.items.map((m) => [m.event, m.payload]),
      [["after", { n: 2 }]],
    );
  });
});
