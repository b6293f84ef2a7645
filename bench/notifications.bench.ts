// The notification pipeline end to end: events for 1,000 recipients each go through the outbox,
// fan-out, claim, the processor Edge Function and the in-app rows, on a fixture stack of the
// kit's own supabase/ folder. Compared with a bare queue in the same database (insert the same
// number of rows, then two consumers delete them in batches, as two processor runs would):
// deliveries/s and enqueue-to-delivery latency p50/p95, each as a ratio to that loop.
// Sizes: BENCH_NOTIFICATION_EVENTS (10), BENCH_NOTIFICATION_RECIPIENTS (1000), BENCH_PROCESSORS (2).
import { join } from "node:path";
import { connect, type Sql } from "../packages/local-stack/src/db/connect.ts";
import { startFixtureStack } from "../packages/local-stack/src/testing/fixture-stack.ts";

const events = Number(process.env.BENCH_NOTIFICATION_EVENTS ?? 10);
const recipients = Number(process.env.BENCH_NOTIFICATION_RECIPIENTS ?? 1000);
const processors = Number(process.env.BENCH_PROCESSORS ?? 2);
/** The processor's default claim size; the bare queue deletes in batches of the same size. */
const batchSize = Number(process.env.BENCH_PROCESSOR_BATCH ?? 200);

interface Figures {
  perSecond: number;
  p50: number;
  p95: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Latencies in ms (sorted) and the time from the first enqueue to the last delivery. */
function figures(count: number, latencies: number[], elapsedMs: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { perSecond: count / (elapsedMs / 1000), p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function bareQueue(sql: Sql, users: string[]): Promise<Figures> {
  await sql`create table if not exists public.bench_queue (
    id bigint generated always as identity primary key, user_id uuid not null, payload jsonb not null,
    enqueued_at timestamptz not null default clock_timestamp())`;
  await sql`truncate public.bench_queue`;
  const began = performance.now();
  for (let event = 0; event < events; event++)
    await sql`insert into public.bench_queue (user_id, payload)
      select unnest(${users}::uuid[]), jsonb_build_object('file_name', ${`f${event}`}::text)`;
  const latencies: number[] = [];
  const consume = async () => {
    for (;;) {
      const rows = await sql<{ latency: number }[]>`
        delete from public.bench_queue where id in (
          select id from public.bench_queue order by id limit ${batchSize} for update skip locked)
        returning extract(epoch from clock_timestamp() - enqueued_at) * 1000 as latency`;
      if (!rows.length) return;
      for (const row of rows) latencies.push(Number(row.latency));
    }
  };
  await Promise.all(Array.from({ length: processors }, consume));
  return figures(latencies.length, latencies, performance.now() - began);
}

async function pipeline(sql: Sql, users: string[], apiUrl: string, serviceKey: string): Promise<Figures> {
  const marker = `bench-${Date.now()}`;
  const began = performance.now();
  for (let event = 0; event < events; event++)
    await sql`select public.enqueue_notification('file_ready', ${users}::uuid[], jsonb_build_object('file_name', ${`${marker}-${event}`}::text))`;
  const run = async () => {
    for (;;) {
      const response = await fetch(`${apiUrl}/functions/v1/notification-processor`, {
        method: "POST",
        headers: { authorization: `Bearer ${serviceKey}`, "content-type": "application/json" },
        body: JSON.stringify({ batch_size: batchSize, max_batches: 20 }),
      });
      const totals = await response.json();
      if (!response.ok) throw new Error(`processor answered ${response.status}: ${JSON.stringify(totals)}`);
      // Done when every in-app row exists (the seed's digest emails wait minutes; they are not measured).
      const [{ delivered }] = await sql<{ delivered: number }[]>`
        select count(*)::int as delivered from public.notifications where body like ${`${marker}-%`}`;
      if (delivered >= events * recipients) return;
    }
  };
  await Promise.all(Array.from({ length: processors }, run));
  const elapsed = performance.now() - began;
  const rows = await sql<{ latency: number }[]>`
    select extract(epoch from n.created_at - e.created_at) * 1000 as latency
      from public.notifications as n
      join private.notification_deliveries as d on d.id = n.delivery_id
      join private.notification_events as e on e.id = d.event_id
     where n.body like ${`${marker}-%`}`;
  if (rows.length !== events * recipients) throw new Error(`expected ${events * recipients} in-app rows, found ${rows.length}`);
  return figures(
    rows.length,
    rows.map((row) => Number(row.latency)),
    elapsed,
  );
}

export async function run(): Promise<void> {
  // The bench runs the processor itself; cron and the enqueue kick stay off (no Vault secrets).
  delete process.env.NOTIFICATIONS_PROCESSOR_URL;
  delete process.env.NOTIFICATIONS_PROCESSOR_KEY;
  const stack = await startFixtureStack({ projectDir: join(import.meta.dirname, "..") });
  const sql = connect(stack.db.adminUrl, { max: processors + 1 });
  try {
    await sql`
      insert into auth.users (id, instance_id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
      select gen_random_uuid(), '00000000-0000-0000-0000-000000000000', 'authenticated', 'authenticated',
             'notify' || n || '@bench.test', jsonb_build_object('username', 'notify_' || n), '{"provider":"email"}', now(), now()
        from generate_series(1, ${recipients}::int) as n`;
    const users = (await sql<{ id: string }[]>`select id from auth.users where email like 'notify%@bench.test'`).map((row) => row.id);
    console.log(`${events} events x ${users.length} recipients = ${events * users.length} in-app deliveries, ${processors} processors`);
    const baseline = await bareQueue(sql, users);
    const measured = await pipeline(sql, users, stack.apiUrl, stack.keys.serviceRoleKey);
    const show = (label: string, f: Figures) =>
      console.log(`  ${label}: ${f.perSecond.toFixed(0)}/s, latency p50 ${f.p50.toFixed(0)} ms, p95 ${f.p95.toFixed(0)} ms`);
    show("bare insert+delete queue", baseline);
    show("notification pipeline (in-app)", measured);
    console.log(
      `  ratios to the bare queue: throughput ${(measured.perSecond / baseline.perSecond).toFixed(3)}, ` +
        `p50 ${(measured.p50 / baseline.p50).toFixed(1)}x, p95 ${(measured.p95 / baseline.p95).toFixed(1)}x`,
    );
  } finally {
    await sql.end();
    await stack.dispose();
  }
}
