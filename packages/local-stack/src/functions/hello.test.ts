// The kit's own example function, supabase/functions/hello, served by the stack npm test started.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";

const url = process.env.SUPABASE_URL ?? "";
const anonKey = process.env.SUPABASE_ANON_KEY ?? "";
const serviceRoleKey = process.env.SUPABASE_SERVICE_ROLE_KEY ?? "";
const options = { realtime: { transport: WebSocket as never }, auth: { persistSession: false, autoRefreshToken: false } };

test("hello greets an anonymous caller as role anon", async () => {
  assert.ok(url && anonKey, "npm test sets SUPABASE_URL and SUPABASE_ANON_KEY");
  const supabase = createClient(url, anonKey, options);
  const { data, error } = await supabase.functions.invoke("hello", { body: { name: "kit" } });
  assert.equal(error, null);
  assert.deepEqual(data, { message: "Hello kit!", sub: null, role: "anon" });
});

test("hello returns the signed-in user's id from the verified JWT", async () => {
  const admin = createClient(url, serviceRoleKey, options);
  const email = `hello-fn-${randomUUID()}@example.com`;
  const password = `Pw1-${randomUUID()}`;
  const created = await admin.auth.admin.createUser({ email, password, email_confirm: true });
  assert.equal(created.error, null);
  const supabase = createClient(url, anonKey, options);
  const signedIn = await supabase.auth.signInWithPassword({ email, password });
  assert.equal(signedIn.error, null);
  const { data, error } = await supabase.functions.invoke("hello", { method: "GET" });
  assert.equal(error, null);
  assert.deepEqual(data, { message: "Hello world!", sub: created.data.user?.id, role: "authenticated" });
  await admin.auth.admin.deleteUser(created.data.user?.id ?? "");
});

test("a browser preflight reaches the function, which answers it with its own CORS headers", async () => {
  const response = await fetch(`${url}/functions/v1/hello`, {
    method: "OPTIONS",
    headers: { origin: "http://example.test", "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
  });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "ok");
  // The function's list (supabase/functions/_shared/cors.ts), not the gateway's.
  assert.equal(response.headers.get("access-control-allow-methods"), "GET, POST, PUT, PATCH, DELETE, OPTIONS");
  assert.equal(response.headers.get("access-control-allow-headers"), "authorization, x-client-info, apikey, content-type");
});
