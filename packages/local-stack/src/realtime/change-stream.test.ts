// postgres_changes survive `basekit db reset` on a running stack: the replication stream comes
// back on a new slot in the new database, and the subscriptions already joined keep receiving.
// A private fixture stack, so resetting its database disturbs no other test.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { RealtimePostgresChangesPayload, SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { prepareDatabase } from "../db/prepare-database.ts";
import { createLogger } from "../log/logger.ts";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { slotName } from "./realtime-service.ts";
import { Inbox, realtimeClient, startRealtimeFixture, subscribed, userToken } from "./testing/realtime-fixture.ts";

type Row = Record<string, unknown>;
type Change = RealtimePostgresChangesPayload<Row>;

let stack: FixtureStack;
let db: postgres.Sql;
const clients: SupabaseClient[] = [];

before(async () => {
  stack = await startRealtimeFixture();
  db = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });
});

after(async () => {
  for (const c of clients) await c.removeAllChannels();
  await db?.end();
  await stack?.dispose();
});

/** Waits until Realtime streams from its slot again (changes committed before that are not seen). */
async function streaming(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const [slot] = await db`select active from pg_catalog.pg_replication_slots where slot_name = ${slotName("main")}`.catch(() => []);
    if (slot?.active) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail("Realtime did not stream from its slot again");
}

describe("replication after db reset", () => {
  test("subscriptions joined before a reset receive changes made after it, RLS-checked; the ledger is restored", async () => {
    const erin = randomUUID();
    await db`insert into rt_rooms (id, name) values (1, 'before reset')`;
    await db`insert into rt_members (room_id, user_id) values (1, ${erin})`;
    const member = realtimeClient(stack.apiUrl, stack.keys.anonKey, userToken(stack.keys.jwtSecret, erin));
    const stranger = realtimeClient(stack.apiUrl, stack.keys.anonKey, userToken(stack.keys.jwtSecret, randomUUID()));
    clients.push(member, stranger);
    const inboxes = { member: new Inbox<Change>(), stranger: new Inbox<Change>() };
    for (const [c, inbox] of [
      [member, inboxes.member],
      [stranger, inboxes.stranger],
    ] as const)
      await subscribed(
        c
          .channel(`reset-${randomUUID()}`)
          .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_messages" }, inbox.push)
          .on("postgres_changes", { event: "INSERT", schema: "public", table: "rt_open" }, inbox.push),
      );
    await streaming();
    await db`insert into rt_open (id, note) values (1, 'before reset')`;
    await inboxes.member.next((c) => (c.new as Row).note === "before reset");
    const ledger = async () => (await db`select count(*)::int as n from _realtime.subscriptions where instance = 'main'`)[0].n;
    // Each subscription is recorded just after its join is answered.
    for (let i = 0; i < 100 && (await ledger()) < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const ledgerBefore = await ledger();
    assert.equal(ledgerBefore, 2);

    await prepareDatabase(
      stack.config,
      stack.db,
      createLogger({}, () => {}, "error"),
      { reset: true, progress: () => {} },
    );
    await streaming();

    // The reset emptied the tables: the same ids and membership are written again.
    await db`insert into rt_rooms (id, name) values (1, 'after reset')`;
    await db`insert into rt_members (room_id, user_id) values (1, ${erin})`;
    await db`insert into rt_messages (room_id, body) values (1, 'after reset')`;
    await db`insert into rt_open (id, note) values (1, 'after reset')`;
    for (const inbox of Object.values(inboxes)) await inbox.next((c) => (c.new as Row).note === "after reset");
    const messages = (inbox: Inbox<Change>) => inbox.items.filter((c) => c.table === "rt_messages").map((c) => (c.new as Row).body);
    assert.deepEqual(messages(inboxes.member), ["after reset"]);
    assert.deepEqual(messages(inboxes.stranger), []);
    assert.equal(await ledger(), ledgerBefore);
  });
});
