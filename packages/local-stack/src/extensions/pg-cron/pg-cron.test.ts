// pg_cron on the local stack: a migration written for hosted Supabase enables it; an 'N seconds'
// job runs and each run is recorded; unschedule stops it; a job runs as its owner, so that role's
// privileges and RLS apply and it cannot leave them (RESET ROLE included); nobody schedules as
// someone else or removes another's job; and after `db reset` on the running stack, jobs and
// net.http_* work again.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { after, before, test } from "node:test";
import { connect, type Sql } from "../../db/connect.ts";
import { prepareDatabase } from "../../db/prepare-database.ts";
import { silentLogger } from "../../log/logger.ts";
import { type FixtureStack, startFixtureStack } from "../../testing/fixture-stack.ts";
import { eventually, type RecordingServer, startRecordingServer } from "../testing/recording-server.ts";

let server: RecordingServer;
let stack: FixtureStack;
let sql: Sql;
let admin: Sql;

interface Run {
  runid: string;
  jobid: string;
  job_pid: number | null;
  username: string;
  command: string;
  status: string;
  return_message: string | null;
  start_time: Date | null;
  end_time: Date | null;
}

const MIGRATION = `create extension if not exists pg_cron with schema pg_catalog;

create table public.ticks (id bigint generated always as identity primary key, job text not null, who text not null default current_user);
grant insert, select on public.ticks to public;

-- A job owner that is neither postgres nor a superuser, and what it may touch. Roles outlive
-- the database (db reset), so only create it once.
do $$ begin
  if not exists (select from pg_roles where rolname = 'cron_owner') then create role cron_owner login; end if;
end $$;
grant usage on schema cron to cron_owner;
create table public.secrets (owner text not null, body text not null);
alter table public.secrets enable row level security;
create policy "owners read their secrets" on public.secrets for select using (owner = current_user);
grant select on public.secrets to cron_owner;
insert into public.secrets (owner, body) values ('cron_owner', 'mine'), ('postgres', 'not yours'), ('postgres', 'nor this');
`;

const runsOf = (jobid: string) => admin<Run[]>`select * from cron.job_run_details where jobid = ${jobid} order by runid`;
const finishedRuns = async (jobid: string, count: number) =>
  eventually(async () => {
    const runs = (await runsOf(jobid)).filter((run) => run.status === "succeeded" || run.status === "failed");
    return runs.length >= count ? runs : undefined;
  }, `${count} finished run(s) of job ${jobid}`);

before(async () => {
  server = await startRecordingServer();
  stack = await startFixtureStack({ files: { "migrations/20240101000000_cron.sql": MIGRATION } });
  sql = connect(stack.db.url("postgres"), { max: 1 });
  admin = connect(stack.db.adminUrl, { max: 1 });
});

after(async () => {
  await sql?.end();
  await admin?.end();
  await stack?.dispose();
  await server?.close();
});

test("a '1 seconds' job runs as scheduled and every run is recorded", async () => {
  const [{ jobid }] = await sql<{ jobid: string }[]>`
    select cron.schedule('tick', '1 seconds', $$insert into public.ticks (job) values ('tick')$$) as jobid`;
  const runs = await finishedRuns(jobid, 2);
  for (const run of runs.slice(0, 2)) {
    assert.equal(run.status, "succeeded");
    assert.equal(run.return_message, "INSERT 0 1");
    assert.equal(run.username, "postgres");
    assert.equal(run.command, "insert into public.ticks (job) values ('tick')");
    assert.ok(run.job_pid && run.job_pid > 0);
    assert.ok(run.start_time && run.end_time && run.start_time <= run.end_time);
  }
  const [{ ticks }] = await admin<
    { ticks: number }[]
  >`select count(*)::int as ticks from public.ticks where job = 'tick' and who = 'postgres'`;
  assert.ok(ticks >= 2);
});

test("unschedule stops a job: no run starts after it", async () => {
  const [{ jobid }] = await sql<{ jobid: string }[]>`select jobid from cron.job where jobname = 'tick'`;
  const [{ done }] = await sql<{ done: boolean }[]>`select cron.unschedule('tick') as done`;
  assert.equal(done, true);
  assert.equal((await sql`select from cron.job where jobid = ${jobid}`).length, 0);
  // A job scheduled after the unschedule: once it ran, the scheduler has read cron.job without
  // 'tick'; then let it run three more times and check 'tick' did not start again.
  const [{ jobid: marker }] = await sql<{ jobid: string }[]>`select cron.schedule('marker', '1 seconds', 'select 1') as jobid`;
  await finishedRuns(marker, 1);
  const settled = await eventually(async () => {
    const runs = await runsOf(jobid);
    return runs.every((run) => run.status === "succeeded" || run.status === "failed") ? runs : undefined;
  }, "the last run of 'tick' to end");
  const ticks = await admin`select from public.ticks where job = 'tick'`;
  await finishedRuns(marker, 4);
  assert.equal((await runsOf(jobid)).length, settled.length);
  assert.equal((await admin`select from public.ticks where job = 'tick'`).length, ticks.length);
  await sql`select cron.unschedule('marker')`;
});

test("a job runs as its owner: RLS and privileges apply and RESET ROLE cannot escape them", async () => {
  const [{ jobid }] = await admin.begin(async (tx) => {
    await tx`set local role cron_owner`;
    return tx<{ jobid: string }[]>`
      select cron.schedule('as-owner', '1 seconds', $$reset role; insert into public.ticks (job, who)
        select 'as-owner:' || (select count(*) from public.secrets), current_user$$) as jobid`;
  });
  const [job] = await admin`select username from cron.job where jobid = ${jobid}`;
  assert.equal(job.username, "cron_owner");
  const [run] = await finishedRuns(jobid, 1);
  assert.equal(run.status, "succeeded");
  assert.equal(run.username, "cron_owner");
  const [tick] = await admin<{ job: string; who: string }[]>`select job, who from public.ticks where job like 'as-owner:%' limit 1`;
  // Of the three secrets, RLS shows the owner its own one; the session is cron_owner's, not the superuser's.
  assert.deepEqual({ ...tick }, { job: "as-owner:1", who: "cron_owner" });

  const [{ jobid: deleter }] = await admin.begin(async (tx) => {
    await tx`set local role cron_owner`;
    return tx<{ jobid: string }[]>`select cron.schedule('delete-secrets', '1 seconds', 'delete from public.secrets') as jobid`;
  });
  const [failed] = await finishedRuns(deleter, 1);
  assert.equal(failed.status, "failed");
  assert.match(failed.return_message ?? "", /permission denied for table secrets/);
  const [{ secrets }] = await admin<{ secrets: number }[]>`select count(*)::int as secrets from public.secrets`;
  assert.equal(secrets, 3);
  await admin.begin(async (tx) => {
    await tx`set local role cron_owner`;
    await tx`select cron.unschedule('as-owner'), cron.unschedule('delete-secrets')`;
  });
});

test("nobody schedules as another role or removes another's job; bad schedules are refused", async () => {
  const [{ before }] = await admin<{ before: number }[]>`select count(*)::int as before from cron.job`;
  await assert.rejects(
    sql`select cron.schedule_in_database('escalate', '1 seconds', 'select 1', 'postgres', 'supabase_admin')`,
    /must be superuser to create a job for another role/,
  );
  // The helper behind the public functions gives postgres nothing either: it cannot write cron.job.
  await assert.rejects(sql`select cron._schedule('direct', '1 seconds', 'select 1', null, null, true)`, /permission denied for table job/);
  await assert.rejects(
    sql`insert into cron.job (schedule, command, username) values ('1 seconds', 'select 1', 'supabase_admin')`,
    /permission denied/,
  );
  await assert.rejects(sql`select cron.schedule('bad', '61 * * * *', 'select 1')`, /invalid schedule: 61 \* \* \* \*/);
  await assert.rejects(sql`select cron.schedule('bad', '60 seconds', 'select 1')`, /invalid schedule/);

  const [{ jobid }] = await sql<{ jobid: string }[]>`select cron.schedule('postgres-job', '0 3 * * *', 'select 1') as jobid`;
  await assert.rejects(
    admin.begin(async (tx) => {
      await tx`set local role cron_owner`;
      await tx`select cron.unschedule(${jobid}::bigint)`;
    }),
    /permission denied for table job/,
  );
  const visible = await admin.begin(async (tx) => {
    await tx`set local role cron_owner`;
    return tx`select jobid from cron.job where jobid = ${jobid}`;
  });
  assert.equal(visible.length, 0, "cron.job shows each role its own jobs");
  const [{ after }] = await admin<{ after: number }[]>`select count(*)::int as after from cron.job`;
  assert.equal(after, before + 1);
  await sql`select cron.unschedule(${jobid}::bigint)`;
});

test("schedules are read as pg_cron reads them: fields, names, steps, $, @macros, 'N seconds'", async () => {
  const parse = async (schedule: string) =>
    (await sql<{ parsed: Record<string, unknown> | null }[]>`select cron._parse_schedule(${schedule}) as parsed`)[0].parsed;
  const office = await parse("*/15 9-17 * Jan-Mar mon,Fri");
  assert.deepEqual(
    { minute: office?.minute, hour: office?.hour, month: office?.month, dow: office?.dow, dom_star: office?.dom_star },
    { minute: [0, 15, 30, 45], hour: [9, 10, 11, 12, 13, 14, 15, 16, 17], month: [1, 2, 3], dow: [1, 5], dom_star: true },
  );
  assert.equal((await parse("0 0 $ * *"))?.dom_last, true);
  assert.deepEqual((await parse("@weekly"))?.dow, [0, 7]);
  assert.deepEqual(await parse("30 seconds"), { seconds: 30 });
  assert.deepEqual(await parse("1 second"), { seconds: 1 });
  for (const invalid of ["60 seconds", "0 seconds", "* * * *", "1/5 * * * *", "*/60 * * * *", "0 0 32 * *", "@fortnightly", ""]) {
    assert.equal(await parse(invalid), null, invalid);
  }
});

test("jobs connect through a socket only the stack's user can reach", () => {
  assert.ok(stack.db.socketDir);
  assert.equal(statSync(stack.db.socketDir).mode & 0o077, 0);
});

test("after db reset on the running stack, cron jobs run and net.http_* requests are sent again", async () => {
  await prepareDatabase(stack.config, stack.db, silentLogger, { reset: true, progress: () => {} });
  const fresh = connect(stack.db.url("postgres"), { max: 1 });
  try {
    const [{ ticks }] = await fresh<{ ticks: number }[]>`select count(*)::int as ticks from public.ticks`;
    assert.equal(ticks, 0, "a new database");
    const command = `select net.http_get('${server.url}/after-reset')`;
    const [{ jobid }] = await fresh<{ jobid: string }[]>`select cron.schedule('after-reset', '1 seconds', ${command}) as jobid`;
    await server.received("/after-reset");
    const run = await eventually(
      async () => (await fresh<Run[]>`select * from cron.job_run_details where jobid = ${jobid} and status = 'succeeded'`)[0],
      "a recorded run after the reset",
    );
    assert.equal(run.return_message, "1 row");
    await fresh`select cron.unschedule('after-reset')`;
  } finally {
    await fresh.end();
  }
});
