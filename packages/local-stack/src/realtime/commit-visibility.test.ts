// A database broadcast (realtime.send in a trigger) is delivered only once its transaction is
// visible, so a client that fetches on receipt finds the row. The gap between a commit record
// being streamed and the transaction becoming visible is made long here by a synchronous standby
// that never answers: the commit waits in between. A private fixture stack, since that setting is
// the whole server's.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import type { SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { slotName } from "./realtime-service.ts";
import { realtimeClient, startRealtimeFixture, subscribed } from "./testing/realtime-fixture.ts";

let stack: FixtureStack;
let admin: postgres.Sql;
const clients: SupabaseClient[] = [];

before(async () => {
  stack = await startRealtimeFixture();
  admin = postgres(stack.db.adminUrl, { max: 3, onnotice: () => {} });
});

after(async () => {
  for (const client of clients) await client.removeAllChannels();
  await admin?.end();
  await stack?.dispose();
});

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`never: ${what}`);
}

const count = async (query: postgres.PendingQuery<{ n: number }[]>) => (await query)[0].n;

test("a database broadcast arrives only once its transaction is visible: the row it announces is found on receipt", async () => {
  const topic = `visibility-${randomUUID()}`;
  const id = Math.floor(Math.random() * 1e9);
  const client = realtimeClient(stack.apiUrl, stack.keys.anonKey);
  clients.push(client);
  const foundOnReceipt: boolean[] = [];
  let received: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (received = resolve));
  await subscribed(
    client.channel(topic).on("broadcast", { event: "row" }, async () => {
      foundOnReceipt.push((await count(admin`select count(*)::int as n from public.rt_open where id = ${id}`)) === 1);
      received();
    }),
  );
  await until(
    "Realtime streams from its slot",
    async () =>
      (await count(
        admin`select count(*)::int as n from pg_catalog.pg_replication_slots where slot_name = ${slotName("main")} and active`,
      )) > 0,
  );

  await admin`alter system set synchronous_standby_names = 'basekit_no_such_standby'`;
  await admin`select pg_catalog.pg_reload_conf()`;
  let committed: Promise<unknown> = Promise.resolve();
  const writer = postgres(stack.db.adminUrl, { max: 1, onnotice: () => {} });
  try {
    committed = writer.begin(async (tx) => {
      await tx`insert into public.rt_open (id, note) values (${id}, 'announced')`;
      await tx`select realtime.send(${tx.json({ id })}, 'row', ${topic}, false)`;
    });
    await until(
      "the commit waits for the standby",
      async () => (await count(admin`select count(*)::int as n from pg_catalog.pg_stat_activity where wait_event = 'SyncRep'`)) > 0,
    );
    const [{ flushed }] = await admin<{ flushed: string }[]>`select pg_catalog.pg_current_wal_flush_lsn()::text as flushed`;
    await until(
      "Realtime has read past the commit record",
      async () =>
        (await count(admin`
        select count(*)::int as n from pg_catalog.pg_stat_replication
        where application_name = 'basekit realtime' and sent_lsn >= ${flushed}::pg_lsn`)) > 0,
    );
    // Delivered now (too early), or held: Realtime asks whether the transaction is visible yet.
    await until(
      "the broadcast delivered or held",
      async () =>
        foundOnReceipt.length > 0 ||
        (await count(admin`
        select count(*)::int as n from pg_catalog.pg_stat_activity
        where application_name = 'basekit realtime' and query like '%pg_visible_in_snapshot%'`)) > 0,
    );
  } finally {
    await admin`alter system reset synchronous_standby_names`;
    await admin`select pg_catalog.pg_reload_conf()`;
    await committed;
    await writer.end();
  }
  await arrived;
  assert.deepEqual(foundOnReceipt, [true]);
});
