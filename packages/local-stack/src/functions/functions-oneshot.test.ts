// Policy oneshot (a fresh worker per request), per-function deno.json import maps and the
// wall-clock limit, on their own fixture stack.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createClient, FunctionsHttpError, type SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { type FixtureStack, startFixtureStack } from "../testing/fixture-stack.ts";
import { FIXTURE_FUNCTIONS, fixtureConfig } from "./test-fixture/functions.ts";

let stack: FixtureStack;
let supabase: SupabaseClient;

before(async () => {
  const previous = process.env.BASEKIT_FUNCTIONS_WALL_CLOCK_SECONDS;
  process.env.BASEKIT_FUNCTIONS_WALL_CLOCK_SECONDS = "2";
  try {
    stack = await startFixtureStack({
      files: {
        "config.toml": fixtureConfig("oneshot"),
        ...FIXTURE_FUNCTIONS,
        "functions/mapped/deno.json": JSON.stringify({ imports: { "greeting/": "./lib/" } }),
        "functions/mapped/lib/words.ts": 'export const words = "resolved through deno.json";\n',
        "functions/mapped/index.ts": 'import { words } from "greeting/words.ts";\nDeno.serve(() => new Response(words));\n',
        "functions/hang/index.ts": "Deno.serve(() => new Promise<Response>(() => {}));\n",
      },
    });
  } finally {
    if (previous === undefined) delete process.env.BASEKIT_FUNCTIONS_WALL_CLOCK_SECONDS;
    else process.env.BASEKIT_FUNCTIONS_WALL_CLOCK_SECONDS = previous;
  }
  supabase = createClient(stack.apiUrl, stack.keys.anonKey, { realtime: { transport: WebSocket as never } });
});
after(async () => {
  await stack?.dispose();
});

test("oneshot starts a fresh worker per request: module state never carries over", async () => {
  const counts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { data, error } = await supabase.functions.invoke("counter");
    assert.equal(error, null);
    counts.push(data.count);
  }
  assert.deepEqual(counts, [1, 1, 1]);
});

test("a function's deno.json import map resolves its bare imports", async () => {
  const { data, error } = await supabase.functions.invoke("mapped");
  assert.equal(error, null);
  assert.equal(data, "resolved through deno.json");
});

test("a function that never answers is ended by the wall-clock limit with 546 WORKER_LIMIT", async () => {
  const { error } = await supabase.functions.invoke("hang");
  assert.ok(error instanceof FunctionsHttpError);
  const response = error.context as Response;
  assert.equal(response.status, 546);
  assert.equal((await response.json()).code, "WORKER_LIMIT");
  const next = await supabase.functions.invoke("counter");
  assert.deepEqual(next.data, { count: 1 });
});
