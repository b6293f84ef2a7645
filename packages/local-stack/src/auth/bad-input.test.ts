import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { signHs256 } from "../keys/api-keys.ts";
import { adminClient, clientAddress, confirmedUser, stackFromEnvironment, strongPassword, uniqueEmail } from "./auth-test-kit.ts";

const stack = stackFromEnvironment();
const admin = adminClient(stack);
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function call(path: string, init: { method?: string; token?: string; body?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { apikey: stack.publishableKey, "x-supabase-api-version": "2024-01-01", ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
  const response = await fetch(`${stack.apiUrl}/auth/v1${path}`, { method: init.method ?? "GET", headers, body: init.body });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, headers: response.headers };
}

test("forged access tokens are bad_jwt and change nothing", async () => {
  const { session, user } = await confirmedUser(stack, { mood: "calm" });
  const claims = { ...JSON.parse(Buffer.from(session.access_token.split(".")[1], "base64url").toString()), user_metadata: {} };
  const forgeries = {
    "alg none": `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`,
    "wrong key": signHs256(claims, "another-secret-that-is-at-least-32-characters"),
    expired: signHs256({ ...claims, exp: now() - 60 }, stack.jwtSecret),
    tampered: `${session.access_token.split(".")[0]}.${b64({ ...claims, role: "service_role" })}.${session.access_token.split(".")[2]}`,
    garbage: "not.a.jwt",
  };
  for (const [name, token] of Object.entries(forgeries)) {
    const update = await call("/user", { method: "PUT", token, body: JSON.stringify({ data: { mood: "hacked" } }) });
    assert.equal(update.status, 403, name);
    assert.equal(update.body.code, "bad_jwt", name);
    assert.equal(update.headers.get("x-sb-error-code"), "bad_jwt");
  }
  const { data } = await admin.auth.admin.getUserById(user.id);
  assert.deepEqual(data.user?.user_metadata, { mood: "calm" });
});

test("a well-signed token for a user that does not exist is user_not_found; a non-admin role is not_admin", async () => {
  const ghost = signHs256({ sub: randomUUID(), role: "authenticated", aud: "authenticated", exp: now() + 600 }, stack.jwtSecret);
  const me = await call("/user", { token: ghost });
  assert.equal(me.status, 403);
  assert.equal(me.body.code, "user_not_found");
  const notAdmin = signHs256({ sub: randomUUID(), role: "authenticated", exp: now() + 600 }, stack.jwtSecret);
  const listed = await call("/admin/users", { token: notAdmin });
  assert.equal(listed.status, 403);
  assert.equal(listed.body.code, "not_admin");
  const anonRole = await call("/admin/users", { token: stack.anonKey });
  assert.equal(anonRole.body.code, "not_admin");
});

test("errors have the unversioned shape when the client sends no API version", async () => {
  const response = await fetch(`${stack.apiUrl}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: stack.publishableKey, "content-type": "application/json" },
    body: JSON.stringify({ email: uniqueEmail("nobody"), password: "whatever" }),
  });
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), { code: 400, error_code: "invalid_credentials", msg: "Invalid login credentials" });
});

test("bodies that are not JSON objects are bad_json; bodies over 1 MB are 413", async () => {
  const form = await call("/signup", {
    method: "POST",
    body: "email=a@b.c&password=x",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(form.status, 400);
  assert.equal(form.body.code, "bad_json");
  const array = await call("/signup", { method: "POST", body: "[1,2]" });
  assert.equal(array.body.code, "bad_json");
  const truncated = await call("/token?grant_type=password", { method: "POST", body: '{"email":' });
  assert.equal(truncated.body.code, "bad_json");
  const wrongType = await call("/signup", { method: "POST", body: JSON.stringify({ email: 42, password: ["x"] }) });
  assert.equal(wrongType.status, 400);
  const email = uniqueEmail("huge");
  const huge = await call("/signup", {
    method: "POST",
    body: JSON.stringify({ email, password: strongPassword(), data: { blob: "x".repeat(1_100_000) } }),
  });
  assert.equal(huge.status, 413);
  const listed = await admin.auth.admin.listUsers({ page: 1, perPage: 1 });
  assert.equal(listed.error, null);
  const search = await call(`/admin/users?filter=${encodeURIComponent(email)}`, { token: stack.serviceRoleKey });
  assert.equal((search.body.users as unknown[]).length, 0);
});

test("the gateway's API-key check: no key or a wrong key is 401, browser links and health need none", async () => {
  const noKey = await fetch(`${stack.apiUrl}/auth/v1/settings`);
  assert.equal(noKey.status, 401);
  assert.deepEqual(await noKey.json(), { message: "No API key found in request" });
  const wrongKey = await fetch(`${stack.apiUrl}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: "sb_publishable_not-this-project", "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(wrongKey.status, 401);
  assert.deepEqual(await wrongKey.json(), { message: "Invalid authentication credentials" });
  for (const key of [stack.publishableKey, stack.anonKey, stack.secretKey, stack.serviceRoleKey])
    assert.equal((await fetch(`${stack.apiUrl}/auth/v1/settings`, { headers: { apikey: key } })).status, 200);
  assert.equal((await fetch(`${stack.apiUrl}/auth/v1/health`)).status, 200);
  const link = await fetch(`${stack.apiUrl}/auth/v1/verify?token=nope&type=signup`, { redirect: "manual" });
  assert.equal(link.status, 303);
  assert.match(link.headers.get("location") ?? "", /#error=access_denied&error_code=otp_expired/);
});

test("unknown grant types and paths get Supabase's errors", async () => {
  const grant = await call("/token?grant_type=magic", { method: "POST", body: "{}" });
  assert.equal(grant.status, 400);
  assert.equal(grant.body.code, "invalid_credentials");
  const missing = await call("/no-such-endpoint");
  assert.equal(missing.status, 404);
});

test("brute force past the rate limit is refused with 429 over_request_rate_limit for that client only", async () => {
  const { email, password } = await confirmedUser(stack);
  // Each guess forges a different first X-Forwarded-For entry; the proxy-added last one is the client.
  const client = clientAddress();
  const attacker = () => ({ "x-forwarded-for": `${clientAddress()}, ${client}` });
  const statuses: number[] = [];
  let limited: Record<string, unknown> | undefined;
  // The bucket refills (0.5 a second) while bcrypt checks the guesses, so a few more than 150 may pass.
  for (let batch = 0; batch < 40 && !limited; batch++) {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        call("/token?grant_type=password", {
          method: "POST",
          headers: attacker(),
          body: JSON.stringify({ email, password: "Wrong-guess-1" }),
        }),
      ),
    );
    for (const result of results) {
      statuses.push(result.status);
      if (result.status === 429) limited = result.body;
    }
  }
  assert.ok(limited, `no 429 after ${statuses.length} attempts`);
  assert.equal(limited.code, "over_request_rate_limit");
  assert.ok(statuses.filter((s) => s === 400).length >= 140, "the limit (150 per 5 minutes) lets the first attempts through");
  // Even the right password is refused to the limited client (but for what the bucket refilled
  // meanwhile: half a request a second), while everyone else signs in.
  const rightGuesses = await Promise.all(
    Array.from({ length: 5 }, () =>
      call("/token?grant_type=password", { method: "POST", headers: attacker(), body: JSON.stringify({ email, password }) }),
    ),
  );
  assert.ok(rightGuesses.filter((r) => r.status === 429).length >= 4, rightGuesses.map((r) => r.status).join(","));
  const other = await call("/token?grant_type=password", {
    method: "POST",
    headers: { "x-forwarded-for": clientAddress() },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(other.status, 200);
});

test("sign-up bursts from one client hit the sign_in_sign_ups limit", async () => {
  const client = { "x-forwarded-for": clientAddress() };
  const results = await Promise.all(
    Array.from({ length: 40 }, () =>
      call("/signup", { method: "POST", headers: client, body: JSON.stringify({ email: "not-an-email", password: "x" }) }),
    ),
  );
  const limited = results.filter((r) => r.status === 429);
  assert.ok(limited.length >= 5, `${limited.length} limited`);
  assert.equal(limited[0].body.code, "over_request_rate_limit");
});
