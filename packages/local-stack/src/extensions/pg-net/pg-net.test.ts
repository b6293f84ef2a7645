// pg_net on the local stack, against a local HTTP server: a migration written for hosted Supabase
// (create extension pg_net, net.http_post) applies and its request is sent; requests leave only
// after commit, with their method, body and headers; nothing leaves on rollback; timeouts,
// refused connections and bad input are recorded or refused as pg_net does.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connect, type Sql } from "../../db/connect.ts";
import { type FixtureStack, startFixtureStack } from "../../testing/fixture-stack.ts";
import { eventually, type RecordingServer, startRecordingServer } from "../testing/recording-server.ts";

let server: RecordingServer;
let stack: FixtureStack;
let sql: Sql;

interface ResponseRow {
  id: string;
  status_code: number | null;
  content_type: string | null;
  headers: Record<string, string> | null;
  content: string | null;
  timed_out: boolean | null;
  error_msg: string | null;
}

const response = (id: string) =>
  eventually(async () => (await sql<ResponseRow[]>`select * from net._http_response where id = ${id}`)[0], `the response to request ${id}`);

before(async () => {
  server = await startRecordingServer();
  stack = await startFixtureStack({
    files: {
      // The same text applies on hosted Supabase.
      "migrations/20240101000000_announce.sql": `create extension if not exists pg_net with schema extensions;
select net.http_post('${server.url}/from-migration', '{"migrated": true}'::jsonb);
`,
    },
  });
  // As the CLI's `postgres` role, which migrations and the SQL editor use.
  sql = connect(stack.db.url("postgres"), { max: 2 });
});

after(async () => {
  await sql?.end();
  await stack?.dispose();
  await server?.close();
});

test("a migration's net.http_post is sent once the stack runs, and its response is recorded", async () => {
  const request = await server.received("/from-migration");
  assert.equal(request.method, "POST");
  assert.deepEqual(JSON.parse(request.body), { migrated: true });
  const row = await eventually(
    async () =>
      (await sql<ResponseRow[]>`select * from net._http_response where content = ${JSON.stringify({ received: "/from-migration" })}`)[0],
    "the migration's response",
  );
  assert.equal(row.status_code, 201);
  assert.equal(row.content_type, "application/json");
  assert.equal(row.timed_out, false);
  assert.equal(row.error_msg, null);
});

test("a request is sent only after its transaction commits, with its body, headers and query", async () => {
  const held = await sql.reserve();
  try {
    await held`begin`;
    const [{ id }] = await held<{ id: string }[]>`
      select net.http_post(${`${server.url}/after-commit`}, '{"n": 1, "text": "é"}'::jsonb,
        '{"page": "2 & 3"}'::jsonb, '{"Content-Type": "application/json", "X-Api-Key": "k1"}'::jsonb) as id`;
    // A request queued later in another, committed transaction: once it has arrived, the worker
    // has drained the queue after our request was written, and still did not send ours.
    const [{ id: marker }] = await sql<{ id: string }[]>`select net.http_get(${`${server.url}/marker-1`}) as id`;
    await response(marker);
    assert.equal(server.requests.filter((r) => r.path.startsWith("/after-commit")).length, 0);
    assert.equal((await sql`select from net._http_response where id = ${id}`).length, 0);
    await held`commit`;

    const request = await server.received("/after-commit?page=2%20%26%203");
    assert.equal(request.method, "POST");
    assert.deepEqual(JSON.parse(request.body), { n: 1, text: "é" });
    assert.equal(request.headers["content-type"], "application/json");
    assert.equal(request.headers["x-api-key"], "k1");
    assert.equal(request.headers["user-agent"], "pg_net/0.19.5");
    const row = await response(id);
    assert.equal(row.status_code, 201);
    assert.equal(row.headers?.["x-recorded"] !== undefined, true);
    assert.deepEqual(JSON.parse(row.content ?? ""), { received: "/after-commit?page=2%20%26%203" });
    assert.equal(server.requests.filter((r) => r.path.startsWith("/after-commit")).length, 1, "sent exactly once");
  } finally {
    held.release();
  }
});

test("a rolled-back transaction sends nothing and leaves nothing queued", async () => {
  const held = await sql.reserve();
  try {
    await held`begin`;
    const [{ id }] = await held<{ id: string }[]>`select net.http_delete(${`${server.url}/rolled-back`}) as id`;
    await held`rollback`;
    const [{ id: marker }] = await sql<{ id: string }[]>`select net.http_get(${`${server.url}/marker-2`}) as id`;
    await response(marker);
    assert.equal(server.requests.filter((r) => r.path === "/rolled-back").length, 0);
    assert.equal((await sql`select from net._http_response where id = ${id}`).length, 0);
    const [{ queued }] = await sql<
      { queued: number }[]
    >`select count(*)::int as queued from net.http_request_queue where url like '%/rolled-back'`;
    assert.equal(queued, 0);
  } finally {
    held.release();
  }
});

test("a server that never answers is recorded as timed out after timeout_milliseconds", async () => {
  const [{ id }] = await sql<{ id: string }[]>`select net.http_get(${`${server.url}/hang`}, timeout_milliseconds => 200) as id`;
  const row = await response(id);
  assert.equal(row.timed_out, true);
  assert.equal(row.status_code, null);
  assert.match(row.error_msg ?? "", /^Timeout of 200 ms reached/);
  assert.equal(server.requests.filter((r) => r.path === "/hang").length, 1);
});

test("a refused connection is recorded with curl's message, and later requests still go out", async () => {
  // The fixture's own port after it stopped listening: nothing there.
  const closed = await startRecordingServer();
  const url = `${closed.url}/nobody`;
  await closed.close();
  const [{ id }] = await sql<{ id: string }[]>`select net.http_get(${url}) as id`;
  const row = await response(id);
  assert.equal(row.error_msg, "Couldn't connect to server");
  assert.equal(row.timed_out, false);
  const [{ id: next }] = await sql<{ id: string }[]>`select net.http_get(${`${server.url}/after-refused`}) as id`;
  assert.equal((await response(next)).status_code, 201);
});

test("bad input is refused at the call and queues nothing", async () => {
  const [{ before }] = await sql<{ before: string }[]>`select coalesce(max(id), 0) as before from net.http_request_queue`;
  await assert.rejects(sql`select net.http_get('localhost:6666')`, /invalid URL "localhost:6666": Unsupported URL scheme/);
  await assert.rejects(sql`select net.http_get('/relative')`, /invalid URL "\/relative"/);
  await assert.rejects(sql`select net.http_get(null)`, /null value in column "url"/);
  await assert.rejects(
    sql`select net.http_post(${`${server.url}/text`}, '{}'::jsonb, headers => '{"Content-Type": "text/plain"}'::jsonb)`,
    /Content-Type header must be "application\/json"/,
  );
  const [{ queued }] = await sql<{ queued: number }[]>`select count(*)::int as queued from net.http_request_queue where id > ${before}`;
  assert.equal(queued, 0);
});

test("net has pg_net's surface and Supabase's privileges", async () => {
  const [row] = await sql`
    select (select extversion from pg_extension where extname = 'pg_net') as version,
           (select extnamespace::regnamespace::text from pg_extension where extname = 'pg_net') as schema,
           has_schema_privilege('anon', 'net', 'usage') as anon_usage,
           has_function_privilege('authenticated', 'net.http_post(text, jsonb, jsonb, jsonb, integer)', 'execute') as post,
           has_function_privilege('service_role', 'net.http_get(text, jsonb, jsonb, integer)', 'execute') as get,
           has_table_privilege('postgres', 'net._http_response', 'select') as read_responses,
           pg_get_function_arguments('net.http_delete(text, jsonb, jsonb, integer, jsonb)'::regprocedure) as delete_args`;
  assert.deepEqual(
    { ...row },
    {
      version: "0.19.5",
      schema: "extensions",
      anon_usage: true,
      post: true,
      get: true,
      read_responses: true,
      delete_args:
        "url text, params jsonb DEFAULT '{}'::jsonb, headers jsonb DEFAULT '{}'::jsonb, timeout_milliseconds integer DEFAULT 5000, body jsonb DEFAULT NULL::jsonb",
    },
  );
  await sql`select net.check_worker_is_up()`;
});

test("/health reports the worker: basekit's pg_net installed, requests sent and failed", async () => {
  const health = (await (await fetch(`${stack.apiUrl}/health`)).json()) as {
    services: { extensions: { status: string; pg_net: { emulated: boolean; sent: number; failed: number } } };
  };
  const { extensions } = health.services;
  assert.equal(extensions.status, "ok");
  assert.equal(extensions.pg_net.emulated, true);
  assert.ok(extensions.pg_net.sent >= 4, `sent ${extensions.pg_net.sent}`);
  assert.ok(extensions.pg_net.failed >= 2, `failed ${extensions.pg_net.failed}`);
});
