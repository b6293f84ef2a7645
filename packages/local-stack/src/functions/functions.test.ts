// End to end through the unmodified supabase-js client: a fixture stack whose functions run in
// real Deno workers (policy per_worker).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient, FunctionsHttpError, type SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { type FixtureStack, startFixtureStack } from "../testing/fixture-stack.ts";
import { FIXTURE_FUNCTIONS, fixtureConfig } from "./test-fixture/functions.ts";

let stack: FixtureStack;
let supabase: SupabaseClient;

before(async () => {
  stack = await startFixtureStack({ files: { "config.toml": fixtureConfig("per_worker"), ...FIXTURE_FUNCTIONS } });
  supabase = createClient(stack.apiUrl, stack.keys.anonKey, { realtime: { transport: WebSocket as never } });
});
after(async () => {
  await stack?.dispose();
});

async function errorBody(error: unknown): Promise<{ status: number; body: unknown }> {
  assert.ok(error instanceof FunctionsHttpError, `expected FunctionsHttpError, got ${String(error)}`);
  const response = error.context as Response;
  return { status: response.status, body: await response.json() };
}

describe("functions: bodies, methods and headers", () => {
  test("a JSON body arrives parsed and the JSON answer comes back as an object", async () => {
    const { data, error } = await supabase.functions.invoke("echo/json", { body: { hello: "world", n: 3 } });
    assert.equal(error, null);
    assert.deepEqual(data, { method: "POST", received: { hello: "world", n: 3 } });
  });

  test("a text body arrives as text and a text answer comes back as a string", async () => {
    const { data, error } = await supabase.functions.invoke("echo/text", { body: "plain words" });
    assert.equal(error, null);
    assert.equal(data, "got: plain words");
  });

  test("binary bodies stream both ways unchanged", async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    const { data, error } = await supabase.functions.invoke("echo/binary", { body: bytes.buffer });
    assert.equal(error, null);
    assert.ok(data instanceof Blob);
    const back = new Uint8Array(await data.arrayBuffer());
    assert.deepEqual(back, bytes.slice().reverse());
  });

  test("a streamed (event-stream) answer comes through as a Response to read", async () => {
    const { data, error } = await supabase.functions.invoke("echo/stream", { method: "GET" });
    assert.equal(error, null);
    assert.ok(data instanceof Response);
    assert.equal(data.headers.get("content-type"), "text/event-stream");
    assert.equal(await data.text(), "data: event 0\n\ndata: event 1\n\ndata: event 2\n\n");
  });

  test("a request body of unknown length streams into the function", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(7);
    let left = 5;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (left-- === 0) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${stack.apiUrl}/functions/v1/echo/count`, {
      method: "POST",
      headers: { apikey: stack.keys.anonKey, "content-type": "application/octet-stream" },
      body,
      duplex: "half",
    } as RequestInit);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { bytes: 5 * 64 * 1024 });
  });

  test("GET keeps the sub-path and the query string", async () => {
    const { data, error } = await supabase.functions.invoke("echo/list?q=search%20me&tag=a&tag=b", { method: "GET" });
    assert.equal(error, null);
    assert.deepEqual(data, { method: "GET", path: "/echo/list", q: "search me", all: ["a", "b"] });
  });

  test("the function's status and headers reach the caller, and caller headers reach the function", async () => {
    const response = await fetch(`${stack.apiUrl}/functions/v1/echo/status`, {
      method: "PUT",
      headers: { apikey: stack.keys.anonKey, "x-test": "from caller" },
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("x-custom"), "yes");
    assert.equal(response.headers.get("x-echo"), "from caller");
    assert.deepEqual(await response.json(), { created: true });
  });
});

describe("functions: verify_jwt", () => {
  test("a missing Authorization header is refused with 401 before the function runs", async () => {
    const response = await fetch(`${stack.apiUrl}/functions/v1/counter`, { method: "POST" });
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { msg: "Error: Missing authorization header" });
  });

  test("an invalid token is refused with 401 and the function never runs", async () => {
    const { error } = await supabase.functions.invoke("counter", { headers: { Authorization: "Bearer not.a.jwt" } });
    assert.deepEqual(await errorBody(error), { status: 401, body: { msg: "Invalid JWT" } });
    const forged = await supabase.functions.invoke("counter", {
      headers: { Authorization: `Bearer ${stack.keys.anonKey.slice(0, -4)}AAAA` },
    });
    assert.deepEqual(await errorBody(forged.error), { status: 401, body: { msg: "Invalid JWT" } });
  });

  test("with verify_jwt = false a request without any key runs the function", async () => {
    const response = await fetch(`${stack.apiUrl}/functions/v1/open`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ran: true, authorization: null });
  });
});

describe("functions: workers", () => {
  test("per_worker keeps one warm worker: module state survives between requests (and refused calls never ran it)", async () => {
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { data, error } = await supabase.functions.invoke("counter");
      assert.equal(error, null);
      counts.push(data.count);
    }
    assert.deepEqual(counts, [1, 2, 3]);
  });

  test("a throwing function answers 500 WORKER_ERROR and the next request gets a fresh worker", async () => {
    const first = await supabase.functions.invoke("boom");
    assert.deepEqual(first.data, { served: 1 });
    const failed = await supabase.functions.invoke("boom?fail=1");
    assert.deepEqual(await errorBody(failed.error), {
      status: 500,
      body: { code: "WORKER_ERROR", message: "Function exited due to an error (please check logs)" },
    });
    const next = await supabase.functions.invoke("boom");
    assert.equal(next.error, null);
    assert.deepEqual(next.data, { served: 1 });
  });

  test("a function that fails while loading answers 503 BOOT_ERROR", async () => {
    const { error } = await supabase.functions.invoke("broken");
    assert.deepEqual(await errorBody(error), {
      status: 503,
      body: { code: "BOOT_ERROR", message: "Worker failed to boot (please check logs)" },
    });
  });

  test("functions import from ../_shared/, which is never served itself", async () => {
    const { data, error } = await supabase.functions.invoke("shared");
    assert.equal(error, null);
    assert.equal(data, "hello from shared");
    const hidden = await fetch(`${stack.apiUrl}/functions/v1/_shared`, { headers: { apikey: stack.keys.anonKey } });
    assert.equal(hidden.status, 404);
    assert.equal(await hidden.text(), "Function not found");
  });

  test("an unknown function is 404 Function not found", async () => {
    const { error } = await supabase.functions.invoke("no-such-function");
    assert.ok(error instanceof FunctionsHttpError);
    assert.equal((error.context as Response).status, 404);
    assert.equal(await (error.context as Response).text(), "Function not found");
  });
});

describe("functions: environment", () => {
  test("functions see Supabase's variables, [edge_runtime.secrets] and functions/.env, and none of our plumbing", async () => {
    const { data, error } = await supabase.functions.invoke("env");
    assert.equal(error, null);
    assert.equal(data.SUPABASE_URL, stack.apiUrl);
    assert.equal(data.SUPABASE_ANON_KEY, stack.keys.anonKey);
    assert.equal(data.SUPABASE_SERVICE_ROLE_KEY, stack.keys.serviceRoleKey);
    assert.equal(data.SUPABASE_DB_URL, stack.db.url("postgres"));
    assert.deepEqual(JSON.parse(data.SUPABASE_PUBLISHABLE_KEYS), { default: stack.keys.publishableKey });
    assert.deepEqual(JSON.parse(data.SUPABASE_SECRET_KEYS), { default: stack.keys.secretKey });
    assert.equal(data.FROM_DOTENV, "dotenv-value");
    assert.equal(data.FROM_SECRETS, "secret-value");
    assert.equal(data.BASEKIT_FUNCTION_ENTRY, null);
    assert.equal(data.HOME, null);
    assert.equal(data.BASEKIT_TEST_ARTIFACTS, null);
  });

  test("a function reaches the stack through SUPABASE_URL", async () => {
    const response = await fetch(`${stack.apiUrl}/functions/v1/env`, { headers: { apikey: stack.keys.anonKey } });
    const { SUPABASE_URL } = await response.json();
    const health = await fetch(`${SUPABASE_URL}/health`);
    assert.equal(health.status, 200);
  });
});
