// Database Webhooks (supabase_functions.http_request, as Studio creates them) on the local stack:
// a row written through the API posts {type, table, schema, record, old_record} to the hook's URL
// with its headers once the write commits, logs the call in supabase_functions.hooks, and a write
// that fails fires nothing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { connect, type Sql } from "../../db/connect.ts";
import { type FixtureStack, startFixtureStack } from "../../testing/fixture-stack.ts";
import { eventually, type RecordingServer, startRecordingServer } from "../testing/recording-server.ts";

let server: RecordingServer;
let stack: FixtureStack;
let sql: Sql;
let admin: SupabaseClient;

before(async () => {
  server = await startRecordingServer();
  stack = await startFixtureStack({
    files: {
      "migrations/20240101000000_notes_webhook.sql": `create table public.notes (
  id bigint generated always as identity primary key,
  body text not null check (length(body) <= 20)
);
alter table public.notes enable row level security;

create trigger "notes-to-hook" after insert or update on public.notes
  for each row execute function supabase_functions.http_request(
    '${server.url}/hook', 'POST', '{"Content-Type":"application/json","X-Webhook-Secret":"s3cret"}', '{"source":"notes"}', '2000');
`,
    },
  });
  sql = connect(stack.db.url("postgres"), { max: 1 });
  admin = createClient(stack.apiUrl, stack.keys.serviceRoleKey, { realtime: { transport: WebSocket as never } });
});

after(async () => {
  await sql?.end();
  await stack?.dispose();
  await server?.close();
});

const hookCalls = () => server.requests.filter((request) => request.path.startsWith("/hook"));

test("an insert through the API posts the webhook payload with the hook's headers and params", async () => {
  const { data, error } = await admin.from("notes").insert({ body: "hello" }).select("id").single();
  assert.equal(error, null);
  const request = await server.received("/hook?source=notes");
  assert.equal(request.method, "POST");
  assert.equal(request.headers["x-webhook-secret"], "s3cret");
  assert.deepEqual(JSON.parse(request.body), {
    type: "INSERT",
    table: "notes",
    schema: "public",
    record: { id: data?.id, body: "hello" },
    old_record: null,
  });

  const [hook] = await sql<{ hook_name: string; table_name: string; request_id: string }[]>`
    select hook_name, hook_table_id::regclass::text as table_name, request_id from supabase_functions.hooks order by id desc limit 1`;
  assert.equal(hook.hook_name, "notes-to-hook");
  assert.equal(hook.table_name, "notes");
  const response = await eventually(
    async () => (await sql<{ status_code: number }[]>`select status_code from net._http_response where id = ${hook.request_id}`)[0],
    "the webhook's response",
  );
  assert.equal(response.status_code, 201);
});

test("an update posts old_record and record", async () => {
  const { data } = await admin.from("notes").insert({ body: "draft" }).select("id").single();
  await eventually(() => hookCalls().find((call) => JSON.parse(call.body).record?.body === "draft"), "the insert's webhook");
  const { error } = await admin.from("notes").update({ body: "final" }).eq("id", data?.id);
  assert.equal(error, null);
  const call = await eventually(() => hookCalls().find((c) => JSON.parse(c.body).type === "UPDATE"), "the update's webhook");
  const payload = JSON.parse(call.body);
  assert.deepEqual(payload.old_record, { id: data?.id, body: "draft" });
  assert.deepEqual(payload.record, { id: data?.id, body: "final" });
});

test("a write that fails fires no webhook and logs no hook", async () => {
  const [{ hooks: hooksBefore }] = await sql<{ hooks: number }[]>`select count(*)::int as hooks from supabase_functions.hooks`;
  const { error } = await admin.from("notes").insert([{ body: "fine" }, { body: "far too long for the check constraint" }]);
  assert.equal(error?.code, "23514");
  // A later, successful write's webhook arrives; the failed statement's first row never does.
  await admin.from("notes").insert({ body: "after" });
  await eventually(() => hookCalls().find((call) => JSON.parse(call.body).record?.body === "after"), "the later write's webhook");
  assert.equal(hookCalls().filter((call) => JSON.parse(call.body).record?.body === "fine").length, 0);
  const [{ hooks }] = await sql<{ hooks: number }[]>`select count(*)::int as hooks from supabase_functions.hooks`;
  assert.equal(hooks, hooksBefore + 1);
  const [{ notes }] = await sql<{ notes: number }[]>`select count(*)::int as notes from public.notes where body = 'fine'`;
  assert.equal(notes, 0);
});
