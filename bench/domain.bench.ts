// The chat schema under load: seeds a large data set (users, group rooms, messages) into a fixture
// stack built from the kit's own supabase/ folder, then compares the two hottest reads as a room
// member under RLS with the same reads as service_role (RLS bypassed), and prints their plans.
// Sizes: BENCH_USERS (10000), BENCH_ROOMS (1000), BENCH_MESSAGES (1000000), BENCH_MEMBERS_PER_ROOM (20).
import { join } from "node:path";
import { connect, type Sql } from "../packages/local-stack/src/db/connect.ts";
import { startFixtureStack } from "../packages/local-stack/src/testing/fixture-stack.ts";

const users = Number(process.env.BENCH_USERS ?? 10_000);
const rooms = Number(process.env.BENCH_ROOMS ?? 1_000);
const messages = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const membersPerRoom = Number(process.env.BENCH_MEMBERS_PER_ROOM ?? 20);
const iterations = 200;

async function step(label: string, work: () => Promise<unknown>): Promise<void> {
  const began = performance.now();
  await work();
  console.log(`  ${label} (${((performance.now() - began) / 1000).toFixed(1)} s)`);
}

/** Set-based seeding: member k of room r is user (r * membersPerRoom + k) mod users. */
async function seed(sql: Sql): Promise<void> {
  console.log(`seeding ${users} users, ${rooms} rooms x ${membersPerRoom} members, ${messages} messages`);
  await step(
    `${users} users (auth.users -> profiles, settings via triggers)`,
    () => sql`
    insert into auth.users (id, instance_id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
    select gen_random_uuid(), '00000000-0000-0000-0000-000000000000', 'authenticated', 'authenticated',
           'bench' || n || '@bench.test', jsonb_build_object('username', 'bench_' || n), '{"provider":"email"}', now(), now()
      from generate_series(0, ${users - 1}::int) as n`,
  );
  await sql`create table bench_users as
    select (row_number() over (order by u.email) - 1)::int as n, u.id from auth.users as u where u.email like '%@bench.test'`;
  await sql`create unique index on bench_users (n)`;
  await step(`${rooms} group rooms`, async () => {
    await sql`create table bench_rooms as
      select n, gen_random_uuid() as id from generate_series(0, ${rooms - 1}::int) as n`;
    await sql`create unique index on bench_rooms (n)`;
    await sql`insert into public.rooms (id, kind, name, created_by)
      select r.id, 'group', 'Room ' || r.n, u.id from bench_rooms as r join bench_users as u on u.n = (r.n * ${membersPerRoom}::int) % ${users}::int`;
  });
  await step(
    `${rooms * membersPerRoom} memberships`,
    () => sql`
    insert into public.room_members (room_id, user_id, role)
    select r.id, u.id, case when k = 0 then 'owner' else 'member' end::public.room_role
      from bench_rooms as r cross join generate_series(0, ${membersPerRoom - 1}::int) as k
      join bench_users as u on u.n = (r.n * ${membersPerRoom}::int + k) % ${users}::int
    on conflict do nothing`,
  );
  const batch = 100_000;
  for (let start = 0; start < messages; start += batch) {
    const end = Math.min(start + batch, messages) - 1;
    await step(
      `messages ${start + 1}-${end + 1}`,
      () => sql`
      insert into public.messages (room_id, sender_id, body, created_at)
      select r.id, u.id, 'message ' || i || ' about ' || (array['lunch', 'deploys', 'tests', 'the weekend', 'RLS'])[1 + i % 5],
             now() - make_interval(secs => ${messages}::int - i)
        from generate_series(${start}::int, ${end}::int) as i
        join bench_rooms as r on r.n = i % ${rooms}::int
        join bench_users as u on u.n = (r.n * ${membersPerRoom}::int + (i / ${rooms}::int) % ${membersPerRoom}::int) % ${users}::int`,
    );
  }
  // Members have read about half of each room.
  await step(
    "read positions",
    () => sql`
    update public.room_members as m set last_read_message_id = half.id
      from (select room_id, percentile_disc(0.5) within group (order by id) as id from public.messages group by room_id) as half
     where half.room_id = m.room_id`,
  );
  await step("vacuum analyze", () => sql`vacuum analyze`);
}

interface Measure {
  label: string;
  query: string;
  /** What to EXPLAIN when the query hides its plan (a function call): the function's body. */
  explain?: string;
}

/** Runs a query repeatedly inside one transaction as the given role and returns ms per run. */
async function timeAs(sql: Sql, role: "authenticated" | "service_role", claims: string, measure: Measure): Promise<number> {
  return sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${role}`);
    await tx`select set_config('request.jwt.claims', ${claims}, true)`;
    for (let i = 0; i < 20; i++) await tx.unsafe(measure.query);
    const began = performance.now();
    for (let i = 0; i < iterations; i++) await tx.unsafe(measure.query);
    return (performance.now() - began) / iterations;
  });
}

async function explain(sql: Sql, role: string, claims: string, query: string): Promise<string> {
  return sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${role}`);
    await tx`select set_config('request.jwt.claims', ${claims}, true)`;
    const rows = await tx.unsafe(`explain (analyze, costs off, timing off, summary off) ${query}`);
    return rows.map((row) => `    ${Object.values(row)[0]}`).join("\n");
  });
}

export async function run(): Promise<void> {
  const stack = await startFixtureStack({ projectDir: join(import.meta.dirname, "..") });
  const sql = connect(stack.dbUrl, { max: 1 });
  try {
    await seed(sql);
    const [member] = await sql<{ user_id: string; room_id: string }[]>`
      select m.user_id, m.room_id from public.room_members as m
        join bench_rooms as r on r.id = m.room_id where r.n = 0 and m.role = 'member' limit 1`;
    const [{ count }] = await sql<{ count: number }[]>`
      select count(*)::int from public.room_members where user_id = ${member.user_id}`;
    console.log(`\nmember ${member.user_id} belongs to ${count} rooms`);
    const claims = JSON.stringify({ sub: member.user_id, role: "authenticated" });
    const measures: Measure[] = [
      {
        label: "latest 50 messages of a room",
        query: `select * from public.messages where room_id = '${member.room_id}' order by id desc limit 50`,
      },
      {
        label: "my rooms with unread counts",
        query: "select * from public.list_my_rooms()",
        explain: `select r.id, (select count(*) from public.messages as m
                     where m.room_id = r.id and m.id > coalesce(me.last_read_message_id, 0)
                       and m.deleted_at is null and m.sender_id is distinct from me.user_id) as unread_count
                     from public.room_members as me join public.rooms as r on r.id = me.room_id
                    where me.user_id = (select auth.uid()) order by r.last_message_at desc nulls last`,
      },
    ];
    for (const measure of measures) {
      const rls = await timeAs(sql, "authenticated", claims, measure);
      const bypass = await timeAs(sql, "service_role", claims, measure);
      console.log(`\n${measure.label}:`);
      console.log(`  member under RLS: ${rls.toFixed(3)} ms/query`);
      console.log(`  service_role:     ${bypass.toFixed(3)} ms/query`);
      console.log(`  RLS / service_role ratio: ${(rls / bypass).toFixed(2)}x`);
      console.log(`  plan as member (RLS):\n${await explain(sql, "authenticated", claims, measure.explain ?? measure.query)}`);
    }
  } finally {
    await sql.end();
    await stack.dispose();
  }
}
