// Every service verifies tokens with a short-lived cache of verifications (verify-jwt.ts). A token
// used a moment before its `exp` must still be refused the moment after, by each of them.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { signHs256 } from "./api-keys.ts";

const apiUrl = process.env.SUPABASE_URL ?? "";
const anonKey = process.env.SUPABASE_ANON_KEY ?? "";
const jwtSecret = process.env.SUPABASE_JWT_SECRET ?? "";

/** One authenticated request per service that verifies the bearer token itself. */
const requests: Record<string, (token: string) => Promise<Response>> = {
  rest: (token) =>
    fetch(`${apiUrl}/rest/v1/profiles?select=id&limit=1`, { headers: { apikey: anonKey, authorization: `Bearer ${token}` } }),
  storage: (token) => fetch(`${apiUrl}/storage/v1/bucket`, { headers: { apikey: anonKey, authorization: `Bearer ${token}` } }),
  functions: (token) =>
    fetch(`${apiUrl}/functions/v1/hello`, {
      method: "POST",
      headers: { apikey: anonKey, authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    }),
  realtime: (token) =>
    fetch(`${apiUrl}/realtime/v1/api/broadcast`, {
      method: "POST",
      headers: { apikey: anonKey, authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ topic: `expiry-${randomUUID()}`, event: "e", payload: {} }] }),
    }),
};

async function statuses(token: string): Promise<Record<string, number>> {
  const entries = await Promise.all(Object.entries(requests).map(async ([name, send]) => [name, (await send(token)).status] as const));
  return Object.fromEntries(entries);
}

test("a token accepted a moment before its exp is refused right after it by REST, Storage, Functions and Realtime", async () => {
  // The function's worker boots on its first request; boot it first so the token's short life is
  // spent on verification only.
  assert.equal((await requests.functions(anonKey)).status, 200);
  const now = Math.floor(Date.now() / 1000);
  const exp = now + 3;
  const token = signHs256({ sub: randomUUID(), role: "authenticated", aud: "authenticated", iat: now, exp }, jwtSecret);
  assert.deepEqual(await statuses(token), { rest: 200, storage: 200, functions: 200, realtime: 202 });
  assert.ok(Date.now() < exp * 1000, "the first use happened before exp (else the machine is too slow for this test)");
  // Wait (not measure) until exp has passed.
  while (Date.now() <= exp * 1000) await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 20));
  assert.deepEqual(await statuses(token), { rest: 401, storage: 400, functions: 401, realtime: 401 });
  const rest = await requests.rest(token);
  assert.equal((await rest.json()).code, "PGRST303");
});
