import assert from "node:assert/strict";
import { test } from "node:test";
import WebSocket from "ws";
import { z } from "zod";
import { createBasekitClient } from "../client.ts";
import { BasekitApiError, BasekitError, BasekitNetworkError, BasekitValidationError, isBasekitError } from "./errors.ts";
import { guard, unwrap } from "./result.ts";
import { fromPostgrestError } from "./to-error.ts";
import { validate } from "./validate.ts";

test("validate turns zod issues into a BasekitValidationError with field paths", () => {
  const result = validate(z.object({ email: z.email(), age: z.number().min(1) }), { email: "nope", age: 0 });
  assert.ok(result.error instanceof BasekitValidationError);
  assert.equal(result.error.code, "validation_failed");
  assert.deepEqual(result.error.issues.map((i) => i.path).sort(), ["age", "email"]);
});

test("PostgREST and PostgreSQL codes map onto SDK codes", () => {
  const cases: [string, number, string][] = [
    ["PGRST116", 406, "not_found"],
    ["42501", 403, "permission_denied"],
    ["23505", 409, "conflict"],
    ["23514", 400, "invalid_input"],
    ["23503", 409, "invalid_input"],
    ["XX000", 500, "database_error"],
  ];
  for (const [pgCode, status, code] of cases) {
    const error = fromPostgrestError({ message: "m", code: pgCode }, status);
    assert.ok(error instanceof BasekitApiError && error instanceof BasekitError);
    assert.equal(error.code, code, pgCode);
    assert.equal(error.pgCode, pgCode);
  }
});

test("unwrap throws the result's error and guard catches throws into results", async () => {
  const failed = await guard(async () => {
    throw new Error("boom");
  });
  assert.equal(failed.error?.code, "unknown_error");
  assert.throws(
    () => unwrap(failed),
    (error) => isBasekitError(error) && error.message === "boom",
  );
});

test("invalid input is refused before any request is made", async () => {
  let requests = 0;
  const client = createBasekitClient("http://127.0.0.1:9", "key", {
    supabase: {
      auth: { persistSession: false },
      realtime: { transport: WebSocket as never },
      global: { fetch: async () => (requests++, new Response("{}")) },
    },
  });
  const sent = await client.chat.messages.send({ roomId: "not-a-uuid", body: "   " });
  assert.ok(sent.error instanceof BasekitValidationError);
  assert.deepEqual(sent.error.issues.map((i) => i.path).sort(), ["body", "roomId"]);
  const signIn = await client.auth.signInWithPassword({ email: "x", password: "" });
  assert.equal(signIn.error?.code, "validation_failed");
  assert.equal(requests, 0);
});

test("an unreachable server is a network_error, not a throw", async () => {
  const client = createBasekitClient("http://127.0.0.1:9", "key", {
    supabase: { auth: { persistSession: false }, realtime: { transport: WebSocket as never } },
  });
  const result = await client.chat.rooms.get("00000000-0000-4000-8000-000000000000");
  assert.ok(result.error instanceof BasekitNetworkError, `got ${result.error?.name}: ${result.error?.message}`);
});
