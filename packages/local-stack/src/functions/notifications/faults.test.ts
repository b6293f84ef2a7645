// Bad input and faults: each recorded with a clear reason, retried only when that can help,
// dead-lettered after the limit, never holding up the others; a processor killed mid-batch
// loses and duplicates nothing.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { createClient } from "@supabase/supabase-js";
import ws from "ws";
import {
  admin,
  apiUrl,
  createUser,
  type DeliveryRow,
  deliveriesFor,
  emailsTo,
  pause,
  postMessage,
  processUntil,
  pushesTo,
  receiverSubscription,
  runProcessor,
  savePushSubscription,
  settled,
  sql,
  type TestUser,
} from "./notification-test-kit.ts";

after(() => sql.end());

/** A push service of our own on loopback, answering as `answer` says (or never). */
async function pushService(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: IncomingMessage[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    req.resume();
    held.push(res);
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    requests,
    endpoint: (name: string) => `${base}/push/${name}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A user with one subscription at `endpoint` (keys from the receiver, so the payload encrypts). */
async function subscribedAt(user: TestUser, endpoint: string) {
  const keys = (await receiverSubscription()).keys;
  await savePushSubscription(user, { endpoint, keys });
}

async function groupWith(owner: TestUser, members: TestUser[]): Promise<string> {
  const { data, error } = await owner.client.rpc("create_group_room", { name: "Faults", member_ids: members.map((m) => m.id) });
  if (error) throw error;
  return data as string;
}

const noDigest = (user: TestUser) => user.client.from("notification_settings").insert({ email_digest_seconds: 0 }).throwOnError();

test("a push service answering 500 is retried with backoff and dead-lettered after 5 tries, without holding up email and in-app", async (t) => {
  const failing = await pushService((_, res) => res.writeHead(500).end());
  t.after(failing.close);
  const sender = await createUser("fs");
  const recipient = await createUser("fr");
  await noDigest(recipient);
  const roomId = await groupWith(sender, [recipient]);
  // Being added to the room is settled first, so every request the failing service sees is the message's push.
  await processUntil(async () => settled((await deliveriesFor([recipient.id])).filter((row) => row.type === "room_added")));
  await subscribedAt(recipient, failing.endpoint(recipient.id));
  await postMessage(sender, roomId, "retry me");

  const first = await processUntil(async () => {
    const rows = (await deliveriesFor([recipient.id])).filter((row) => row.type === "new_message");
    return rows.find((row) => row.channel === "push")?.attempts === 1 && rows.filter((row) => row.status === "sent").length === 2 && rows;
  });
  assert.deepEqual(
    first.filter((row) => row.channel !== "push").map((row) => [row.channel, row.status, row.attempts]),
    [
      ["in_app", "sent", 1],
      ["email", "sent", 1],
    ],
  );
  let push = first.find((row) => row.channel === "push");
  for (let attempt = 1; attempt < 5; attempt++) {
    // Waiting out its backoff (pgTAP checks the delays themselves: supabase/tests/notification_queue.test.sql).
    assert.equal(push?.status, "queued");
    assert.equal(push?.last_error, "push service answered 500");
    await sql`update private.notification_deliveries set available_at = now() where id = ${push?.id ?? 0}`;
    push = await processUntil(async () => {
      const [row] = await sql<DeliveryRow[]>`
        select id, status, attempts, last_error, available_at from private.notification_deliveries
         where id = ${push?.id ?? 0} and attempts = ${attempt + 1} and claim_id is null`;
      return row;
    });
  }
  assert.equal(push?.status, "dead");
  assert.equal(push?.attempts, 5);
  assert.equal(push?.last_error, "push service answered 500");
  assert.equal(failing.requests.length, 5);
});

test("a push service that never answers times out as retryable; 410 removes the subscription", async (t) => {
  const silent = await pushService(() => {});
  const gone = await pushService((_, res) => res.writeHead(410).end());
  t.after(silent.close);
  t.after(gone.close);
  const sender = await createUser("ts");
  const waiting = await createUser("tw");
  const expired = await createUser("tx");
  await subscribedAt(waiting, silent.endpoint(waiting.id));
  await subscribedAt(expired, gone.endpoint(expired.id));
  await postMessage(sender, await groupWith(sender, [waiting, expired]), "hello?");
  const rows = await processUntil(async () => {
    const all = (await deliveriesFor([waiting.id, expired.id])).filter((row) => row.channel === "push" && row.type === "new_message");
    return all.length === 2 && all.every((row) => row.attempts === 1 && (row.status !== "queued" || row.last_error)) && all;
  });
  const timedOut = rows.find((row) => row.user_id === waiting.id);
  assert.equal(timedOut?.status, "queued");
  assert.equal(timedOut?.last_error, "push service did not answer in time");
  const removed = rows.find((row) => row.user_id === expired.id);
  assert.deepEqual([removed?.status, removed?.outcome], ["suppressed", "every push subscription has expired"]);
  const { data } = await expired.client.from("push_subscriptions").select("id");
  assert.deepEqual(data, []);
});

test("an unknown type and a malformed payload are rejected with the reason; a user without email and a Resend error are recorded", async () => {
  const user = await createUser("bi");
  const enqueue = (type: string, payload: Record<string, unknown>) =>
    admin.rpc("enqueue_notification", { type, recipient_ids: [user.id], payload }).then(({ data, error }) => {
      if (error) throw error;
      return data as number;
    });
  const unknown = await enqueue("no_such_type", {});
  const malformed = await enqueue("room_added", { room_name: "x" });
  const badAddress = await enqueue("security.email_changed", { to_email: "not-an-address" });
  const events = await processUntil(async () => {
    const rows = await sql<{ id: number; error: string | null; fanned_out_at: Date | null }[]>`
      select id, error, fanned_out_at from private.notification_events where id = any(${[unknown, malformed, badAddress]})`;
    return rows.every((row) => row.fanned_out_at) && rows;
  });
  const reason = (id: number) => events.find((row) => Number(row.id) === Number(id))?.error;
  assert.equal(reason(unknown), "unknown event type 'no_such_type'");
  assert.equal(reason(malformed), "malformed payload: missing or invalid room_id");
  assert.equal(reason(badAddress), null);
  const rows = await processUntil(async () => {
    const all = (await deliveriesFor([user.id])).filter((row) => row.type === "security.email_changed");
    return settled(all) && all;
  });
  const email = rows.find((row) => row.channel === "email");
  assert.equal(email?.status, "dead", "a Resend validation error cannot be fixed by retrying");
  assert.equal(email?.attempts, 1);
  assert.match(email?.last_error ?? "", /^resend 422 validation_error/);
  assert.equal(rows.find((row) => row.channel === "in_app")?.status, "sent");
  assert.equal((await sql`select 1 from private.notification_deliveries d where d.event_id = any(${[unknown, malformed]})`).count, 0);

  // An anonymous user has no email address at all.
  const guest = createClient(apiUrl, process.env.SUPABASE_ANON_KEY ?? "", {
    auth: { persistSession: false },
    realtime: { transport: ws as never },
  });
  const anonymous = await guest.auth.signInAnonymously();
  assert.equal(anonymous.error, null);
  const id = anonymous.data.user?.id ?? "";
  await admin
    .rpc("enqueue_notification", { type: "room_added", recipient_ids: [id], payload: { room_id: crypto.randomUUID() } })
    .throwOnError();
  const noEmail = await processUntil(async () => {
    const all = (await deliveriesFor([id])).filter((row) => row.channel === "email");
    return settled(all) && all;
  });
  assert.deepEqual([noEmail[0].status, noEmail[0].outcome], ["suppressed", "recipient has no email address"]);
});

/** The Deno process serving notification-processor for this test stack. */
function processorWorkers(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (environ.some((v) => v.endsWith("/notification-processor/index.ts")) && environ.includes(`SUPABASE_URL=${apiUrl}`))
        pids.push(Number(entry));
    } catch {
      // gone or not ours
    }
  }
  return pids;
}

test("killing the processor mid-batch and running it again delivers everything exactly once", async (t) => {
  let release = false;
  const slow = await pushService((_, res) => {
    if (release) res.writeHead(201).end();
  });
  t.after(slow.close);
  const sender = await createUser("ks");
  const members = [await createUser("k1"), await createUser("k2"), await createUser("k3")];
  const endpoints: string[] = [];
  for (const member of members) {
    await noDigest(member);
    const subscription = await receiverSubscription();
    await savePushSubscription(member, subscription);
    endpoints.push(subscription.endpoint);
  }
  // The first member's second device hangs: the run is caught in the middle of its batch.
  await subscribedAt(members[0], slow.endpoint("k1"));
  const roomId = await groupWith(sender, members);
  const ids = members.map((m) => m.id);
  await processUntil(
    async () =>
      settled(await deliveriesFor(ids)) || (await deliveriesFor(ids)).every((r) => r.type !== "room_added" || r.status !== "queued"),
  );
  await postMessage(sender, roomId, "exactly once please");

  const run = runProcessor({ visibility_timeout_seconds: 2 }).catch(() => undefined);
  for (let i = 0; i < 100 && slow.requests.length === 0; i++) await pause(100);
  assert.ok(slow.requests.length > 0, "the run reached the hanging push service");
  const workers = processorWorkers();
  assert.ok(workers.length > 0, "found the processor's worker");
  for (const pid of workers) process.kill(pid, "SIGKILL");
  await run;
  release = true;

  const rows = await processUntil(
    async () => {
      const all = (await deliveriesFor(ids)).filter((row) => row.type === "new_message");
      return all.length === 9 && settled(all) && all;
    },
    { visibility_timeout_seconds: 2 },
    // Whichever run was killed (another test's may hold a longer visibility timeout), its claims come back once it ends.
    400,
  );
  assert.ok(
    rows.every((row) => row.status === "sent"),
    JSON.stringify(rows),
  );
  for (const [i, member] of members.entries()) {
    assert.equal((await emailsTo(member.email)).filter((m) => m.text.includes("exactly once please")).length, 1);
    assert.equal((await pushesTo(endpoints[i])).filter((p) => p.json?.body === "exactly once please").length, 1);
    const { data } = await member.client.from("notifications").select("id").eq("type", "new_message");
    assert.equal(data?.length, 1);
  }
});
