import assert from "node:assert/strict";
import { test } from "node:test";
import { AuthSessionMissingError } from "@supabase/supabase-js";
import postgres from "postgres";
import { confirmedUser, decodeJwt, stackFromEnvironment, userClient } from "./auth-test-kit.ts";

const stack = stackFromEnvironment();

async function refresh(refreshToken: string) {
  const response = await fetch(`${stack.apiUrl}/auth/v1/token?grant_type=refresh_token`, {
    method: "POST",
    headers: { apikey: stack.publishableKey, "content-type": "application/json", "x-supabase-api-version": "2024-01-01" },
    body: JSON.stringify({ refresh_token: refreshToken }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test("refreshing rotates the refresh token and keeps the session", async () => {
  const { client, session } = await confirmedUser(stack);
  const { data, error } = await client.auth.refreshSession();
  assert.equal(error, null);
  assert.notEqual(data.session?.refresh_token, session.refresh_token);
  assert.equal(decodeJwt(data.session!.access_token).session_id, decodeJwt(session.access_token).session_id);
  // The client's new session still reads the user.
  assert.equal((await client.auth.getUser()).data.user?.id, session.user.id);
});

test("the parent of the active token gets the active token back (a lost answer is not an attack)", async () => {
  const { session } = await confirmedUser(stack);
  const first = await refresh(session.refresh_token);
  assert.equal(first.status, 200);
  const replay = await refresh(session.refresh_token);
  assert.equal(replay.status, 200);
  assert.equal(replay.body.refresh_token, first.body.refresh_token);
});

test("reusing an old refresh token after the reuse interval revokes the whole session", async () => {
  const { session } = await confirmedUser(stack);
  const b = await refresh(session.refresh_token);
  const c = await refresh(String(b.body.refresh_token));
  assert.equal(c.status, 200);
  // Age the first token's revocation past refresh_token_reuse_interval (10 s).
  const sql = postgres(process.env.SUPABASE_DB_URL ?? "", { max: 1, onnotice: () => {} });
  try {
    await sql`update auth.refresh_tokens set updated_at = now() - interval '1 minute' where token = ${session.refresh_token}`;
  } finally {
    await sql.end();
  }
  const reuse = await refresh(session.refresh_token);
  assert.equal(reuse.status, 400);
  assert.equal(reuse.body.code, "refresh_token_already_used");
  assert.equal(reuse.body.message, "Invalid Refresh Token: Already Used");
  // The family is revoked: the newest token is no good any more either.
  const after = await refresh(String(c.body.refresh_token));
  assert.equal(after.status, 400);
  assert.equal(after.body.code, "refresh_token_already_used");
});

test("an unknown refresh token is refresh_token_not_found and changes nothing", async () => {
  const result = await refresh("aaaaaaaaaaaa");
  assert.equal(result.status, 400);
  assert.equal(result.body.code, "refresh_token_not_found");
});

test("sign out (global) ends every session of the user", async () => {
  const one = await confirmedUser(stack);
  const two = userClient(stack);
  await two.auth.signInWithPassword({ email: one.email, password: one.password });
  const refreshTokenOfTwo = (await two.auth.getSession()).data.session!.refresh_token;
  assert.equal((await one.client.auth.signOut()).error, null);
  assert.equal((await one.client.auth.getSession()).data.session, null);
  const { status, body } = await refresh(refreshTokenOfTwo);
  assert.equal(status, 400);
  assert.equal(body.code, "refresh_token_not_found");
  // The second client's access token names a session that is gone.
  const me = await two.auth.getUser();
  assert.ok(me.error instanceof AuthSessionMissingError);
});

test("sign out with scope local ends only this session, others ends the rest", async () => {
  const one = await confirmedUser(stack);
  const two = userClient(stack);
  const three = userClient(stack);
  await two.auth.signInWithPassword({ email: one.email, password: one.password });
  await three.auth.signInWithPassword({ email: one.email, password: one.password });

  assert.equal((await two.auth.signOut({ scope: "local" })).error, null);
  assert.equal((await one.client.auth.getUser()).error, null);
  assert.equal((await three.auth.getUser()).error, null);

  assert.equal((await one.client.auth.signOut({ scope: "others" })).error, null);
  assert.equal((await one.client.auth.getUser()).error, null);
  assert.equal((await three.auth.getUser()).error?.name, "AuthSessionMissingError");
});

test("get user answers the user; without a session it fails as Supabase does", async () => {
  const { client, user } = await confirmedUser(stack, { nickname: "neo" });
  const { data } = await client.auth.getUser();
  assert.equal(data.user?.id, user.id);
  assert.deepEqual(data.user?.user_metadata, { nickname: "neo" });
  const anonymous = await fetch(`${stack.apiUrl}/auth/v1/user`, { headers: { apikey: stack.publishableKey } });
  assert.equal(anonymous.status, 403);
  assert.equal(((await anonymous.json()) as { error_code: string }).error_code, "bad_jwt");
  const none = await fetch(`${stack.apiUrl}/auth/v1/user`);
  assert.equal(none.status, 401);
  assert.deepEqual(await none.json(), { message: "No API key found in request" });
});
