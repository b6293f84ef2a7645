// Realtime fan-out: commit-to-delivery latency of postgres_changes with RLS checks for 1, 100 and
// 1,000 subscribers (each a different user, so every delivery is its own RLS check), RLS-checked
// deliveries per second, and broadcast messages per second, against the round trip of a plain
// NOTIFY/LISTEN on the same database measured in the same run. Loopback only, bounded loops.
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import WebSocket from "ws";
import { startRealtimeFixture, userToken } from "../packages/local-stack/src/realtime/testing/realtime-fixture.ts";

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

interface Subscriber {
  ws: WebSocket;
  onChange: (body: string) => void;
}

async function connect(url: string, apiKey: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace("http", "ws")}/realtime/v1/websocket?apikey=${apiKey}&vsn=1.0.0`);
  ws.setMaxListeners(0);
  await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
  return ws;
}

async function join(ws: WebSocket, topic: string, payload: unknown): Promise<void> {
  const ref = randomUUID();
  await new Promise<void>((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data));
      if (message.ref !== ref) return;
      ws.off("message", onMessage);
      message.payload.status === "ok" ? resolve() : reject(new Error(JSON.stringify(message.payload)));
    };
    ws.on("message", onMessage);
    ws.send(JSON.stringify({ topic, event: "phx_join", payload, ref, join_ref: ref }));
  });
}

export async function run(): Promise<void> {
  const stack = await startRealtimeFixture();
  const db = postgres(stack.dbUrl, { max: 4, onnotice: () => {} });
  try {
    // Baseline: NOTIFY -> LISTEN round trip.
    const listener = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
    let resolveNotify: () => void = () => {};
    await listener.listen("bench_baseline", () => resolveNotify());
    const baseline: number[] = [];
    for (let i = 0; i < 200; i++) {
      const began = performance.now();
      const heard = new Promise<void>((resolve) => (resolveNotify = resolve));
      await db.notify("bench_baseline", "x");
      await heard;
      baseline.push(performance.now() - began);
    }
    await listener.end();
    const baseP50 = percentile(baseline, 50);
    console.log(`NOTIFY/LISTEN round trip: p50 ${fmt(baseP50)}, p95 ${fmt(percentile(baseline, 95))} (baseline)`);

    const roomId = 1;
    await db`insert into rt_rooms (id, name) values (${roomId}, 'bench')`;
    const sockets: WebSocket[] = [];
    const subscribers: Subscriber[] = [];
    for (const count of [1, 100, 1000]) {
      // Grow the subscriber set to `count` distinct members of the room.
      while (subscribers.length < count) {
        const user = randomUUID();
        await db`insert into rt_members (room_id, user_id) values (${roomId}, ${user})`;
        if (sockets.length === 0 || subscribers.length % 20 === 0) sockets.push(await connect(stack.apiUrl, stack.keys.anonKey));
        const ws = sockets[sockets.length - 1];
        const topic = `realtime:bench-${subscribers.length}`;
        const subscriber: Subscriber = { ws, onChange: () => {} };
        ws.on("message", (data) => {
          const text = String(data);
          if (text.includes('"event":"postgres_changes"') && text.includes(`"topic":"${topic}"`)) subscriber.onChange(text);
        });
        await join(ws, topic, {
          config: { postgres_changes: [{ event: "INSERT", schema: "public", table: "rt_messages" }] },
          access_token: userToken(stack.keys.jwtSecret, user),
        });
        subscribers.push(subscriber);
      }
      process.stderr.write(`# ${count} subscribers joined\n`);
      const latencies: number[] = [];
      const rounds = count === 1000 ? 20 : 50;
      for (let round = 0; round < rounds; round++) {
        let pending = count;
        let committed = 0;
        const done = new Promise<void>((resolve) => {
          for (const subscriber of subscribers)
            subscriber.onChange = () => {
              latencies.push(performance.now() - committed);
              if (--pending === 0) resolve();
            };
        });
        committed = performance.now();
        await db`insert into rt_messages (room_id, body) values (${roomId}, ${`round ${round}`})`;
        const stuck = setTimeout(() => process.stderr.write(`# round ${round}: ${pending} of ${count} deliveries missing\n`), 10_000);
        await done;
        clearTimeout(stuck);
      }
      // Throughput: a burst of inserts, all deliveries counted.
      const burst = count === 1 ? 500 : count === 100 ? 100 : 30;
      let received = 0;
      const expected = burst * count;
      const all = new Promise<void>((resolve) => {
        for (const subscriber of subscribers) subscriber.onChange = () => ++received === expected && resolve();
      });
      const began = performance.now();
      await db`insert into rt_messages (room_id, body) select ${roomId}, 'burst ' || g from generate_series(1, ${burst}) g`;
      await all;
      const perSecond = expected / ((performance.now() - began) / 1000);
      const p95 = percentile(latencies, 95);
      console.log(
        `postgres_changes, ${String(count).padStart(4)} subscribers (RLS): p50 ${fmt(percentile(latencies, 50))}, p95 ${fmt(p95)}, p99 ${fmt(percentile(latencies, 99))} ` +
          `(p95 = ${(p95 / baseP50).toFixed(1)}x NOTIFY p50); ${Math.round(perSecond).toLocaleString("en")} RLS-checked deliveries/s`,
      );
    }
    for (const ws of sockets) ws.close();

    // Broadcast: one sender, 100 receivers on one channel, 2,000 messages.
    let got = 0;
    const messages = 2000;
    const receiverCount = 100;
    let allReceived: () => void = () => {};
    const finished = new Promise<void>((resolve) => (allReceived = resolve));
    // One socket per receiver: a socket joins a topic once.
    const joinedReceivers: WebSocket[] = [];
    for (let i = 0; i < receiverCount; i++) {
      const ws = await connect(stack.apiUrl, stack.keys.anonKey);
      ws.on("message", (data) => {
        if (String(data).includes('"tick"') && ++got === messages * receiverCount) allReceived();
      });
      await join(ws, "realtime:bench-broadcast", { config: { broadcast: { self: false } } });
      joinedReceivers.push(ws);
    }
    const sender = await connect(stack.apiUrl, stack.keys.anonKey);
    await join(sender, "realtime:bench-broadcast", { config: { broadcast: { self: false } } });
    const began = performance.now();
    for (let i = 0; i < messages; i++)
      sender.send(
        JSON.stringify({
          topic: "realtime:bench-broadcast",
          event: "broadcast",
          payload: { type: "broadcast", event: "tick", payload: { i } },
          ref: null,
        }),
      );
    await finished;
    const seconds = (performance.now() - began) / 1000;
    console.log(
      `broadcast: ${Math.round(messages / seconds).toLocaleString("en")} messages/s sent, ${Math.round((messages * receiverCount) / seconds).toLocaleString("en")} deliveries/s to ${receiverCount} receivers ` +
        `(one message to all receivers = ${((seconds * 1000) / messages / baseP50).toFixed(2)}x NOTIFY p50)`,
    );
    sender.close();
    for (const ws of joinedReceivers) ws.close();
  } finally {
    await db.end();
    await stack.dispose();
  }
}
