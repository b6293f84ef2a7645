// Guessing one-time codes: wrong email OTPs and TOTP codes burn what they guess at, a factor has a
// budget of wrong codes across all its challenges, and forged X-Forwarded-For entries neither
// escape nor reset the per-client verification limit.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import postgres from "postgres";
import {
  clientAddress,
  confirmedUser,
  decodeJwt,
  latestMessage,
  otpCode,
  stackFromEnvironment,
  strongPassword,
  uniqueEmail,
  userClient,
} from "./auth-test-kit.ts";
import { MAX_FAILED_ATTEMPTS } from "./failed-attempts.ts";
import { totpCode } from "./totp.ts";

const stack = stackFromEnvironment();
const sql = postgres(process.env.SUPABASE_DB_URL ?? "", { max: 1, onnotice: () => {} });
after(() => sql.end());

/** A six-digit code other than `code`, different for each `i`. */
const otherCode = (code: string, i: number) => String((Number(code) + i) % 1_000_000).padStart(6, "0");

async function call(path: string, address: string, body: Record<string, unknown>, token?: string) {
  const response = await fetch(`${stack.apiUrl}/auth/v1${path}`, {
    method: "POST",
    headers: {
      apikey: stack.publishableKey,
      authorization: `Bearer ${token ?? stack.publishableKey}`,
      "content-type": "application/json",
      "x-supabase-api-version": "2024-01-01",
      "x-forwarded-for": address,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test("wrong email codes burn the token: after N+1 wrong codes the right one is refused and nobody is signed in", async () => {
  const client = userClient(stack);
  const email = uniqueEmail("guess");
  const password = strongPassword();
  await client.auth.signUp({ email, password });
  const code = otpCode(await latestMessage(stack, email, /Confirm/));
  for (let i = 1; i <= MAX_FAILED_ATTEMPTS + 1; i++) {
    const wrong = await client.auth.verifyOtp({ email, token: otherCode(code, i), type: "email" });
    assert.equal(wrong.error?.code, "otp_expired", `guess ${i}`);
  }
  const right = await client.auth.verifyOtp({ email, token: code, type: "email" });
  assert.equal(right.error?.code, "otp_expired");
  assert.equal(right.error?.status, 403);
  assert.equal(right.data.session, null);

  const [row] = await sql<{ email_confirmed_at: Date | null; confirmation_token: string; sessions: number; tokens: number }[]>`
    select email_confirmed_at, confirmation_token,
      (select count(*) from auth.sessions s where s.user_id = u.id)::int as sessions,
      (select count(*) from auth.one_time_tokens t where t.user_id = u.id)::int as tokens
    from auth.users u where email = ${email}`;
  assert.deepEqual(row, { email_confirmed_at: null, confirmation_token: "", sessions: 0, tokens: 0 });
  assert.equal((await client.auth.signInWithPassword({ email, password })).error?.code, "email_not_confirmed");
});

test("a new code mailed after a burn works: the owner is not locked out", async () => {
  const client = userClient(stack);
  const email = uniqueEmail("reissue");
  await client.auth.signUp({ email, password: strongPassword() });
  const burned = otpCode(await latestMessage(stack, email, /Confirm/));
  for (let i = 1; i <= MAX_FAILED_ATTEMPTS; i++) await client.auth.verifyOtp({ email, token: otherCode(burned, i), type: "email" });
  // max_frequency (1 s) may still hold the resend back for a moment.
  let resent = await client.auth.resend({ type: "signup", email });
  for (let attempt = 0; resent.error?.code === "over_email_send_rate_limit" && attempt < 50; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    resent = await client.auth.resend({ type: "signup", email });
  }
  assert.equal(resent.error, null);
  const message = await latestMessage(stack, email, /Confirm/);
  const fresh = otpCode(message);
  const { data, error } = await client.auth.verifyOtp({ email, token: fresh, type: "email" });
  assert.equal(error, null);
  assert.equal(data.user?.email, email);
});

test("wrong TOTP codes burn the challenge: the right code on it is then refused and the session stays aal1", async () => {
  const { client } = await confirmedUser(stack);
  const { data: factor } = await client.auth.mfa.enroll({ factorType: "totp" });
  const secret = factor!.totp.secret;
  const challenge = await client.auth.mfa.challenge({ factorId: factor!.id });
  const challengeId = challenge.data!.id;
  const codes: string[] = [];
  for (let i = 1; i <= MAX_FAILED_ATTEMPTS + 1; i++) {
    // Codes of windows far ahead are wrong now.
    const wrong = await client.auth.mfa.verify({ factorId: factor!.id, challengeId, code: totpCode(secret, Date.now() + i * 600_000) });
    codes.push(wrong.error?.code ?? "none");
  }
  assert.deepEqual(codes, [...Array(MAX_FAILED_ATTEMPTS).fill("mfa_verification_failed"), "mfa_factor_not_found"]);
  const right = await client.auth.mfa.verify({ factorId: factor!.id, challengeId, code: totpCode(secret) });
  assert.equal(right.error?.code, "mfa_factor_not_found");
  assert.equal(right.error?.status, 422);

  const session = (await client.auth.getSession()).data.session!;
  assert.equal(decodeJwt(session.access_token).aal, "aal1");
  const [row] = await sql<{ status: string; challenges: number; aal: string }[]>`
    select f.status::text, (select count(*) from auth.mfa_challenges c where c.factor_id = f.id)::int as challenges,
      (select aal::text from auth.sessions s where s.id = ${decodeJwt(session.access_token).session_id as string}) as aal
    from auth.mfa_factors f where f.id = ${factor!.id}`;
  assert.deepEqual(row, { status: "unverified", challenges: 0, aal: "aal1" });

  // A new challenge answered with the right code still works for the factor's owner.
  const again = await client.auth.mfa.challengeAndVerify({ factorId: factor!.id, code: totpCode(secret) });
  assert.equal(again.error, null);
  assert.equal(decodeJwt(again.data!.access_token).aal, "aal2");
});

test("a factor's budget of wrong codes spans challenges and client addresses", async () => {
  const { client } = await confirmedUser(stack);
  const { data: factor } = await client.auth.mfa.enroll({ factorType: "totp" });
  const secret = factor!.totp.secret;
  const token = (await client.auth.getSession()).data.session!.access_token;
  const failures: string[] = [];
  // Each challenge from a fresh address, so no per-IP limit is reached: only the factor's budget.
  for (let round = 0; round < 6; round++) {
    const address = clientAddress();
    const challenge = await call(`/factors/${factor!.id}/challenge`, address, {}, token);
    assert.equal(challenge.status, 200);
    for (let i = 1; i <= MAX_FAILED_ATTEMPTS; i++) {
      const code = totpCode(secret, Date.now() + (round * MAX_FAILED_ATTEMPTS + i) * 600_000);
      const wrong = await call(`/factors/${factor!.id}/verify`, address, { challenge_id: challenge.body.id, code }, token);
      failures.push(String(wrong.body.code));
    }
  }
  assert.deepEqual(new Set(failures), new Set(["mfa_verification_failed"]));
  const address = clientAddress();
  const challenge = await call(`/factors/${factor!.id}/challenge`, address, {}, token);
  const right = await call(`/factors/${factor!.id}/verify`, address, { challenge_id: challenge.body.id, code: totpCode(secret) }, token);
  assert.equal(right.status, 429);
  assert.equal(right.body.code, "over_request_rate_limit");
  const [row] = await sql<{ status: string; aal2: number }[]>`
    select status::text, (select count(*) from auth.sessions s where s.factor_id = f.id)::int as aal2
    from auth.mfa_factors f where f.id = ${factor!.id}`;
  assert.deepEqual(row, { status: "unverified", aal2: 0 });
});

test("a challenge is answered from the address it was issued to", async () => {
  const { client } = await confirmedUser(stack);
  const { data: factor } = await client.auth.mfa.enroll({ factorType: "totp" });
  const token = (await client.auth.getSession()).data.session!.access_token;
  const challenge = await call(`/factors/${factor!.id}/challenge`, clientAddress(), {}, token);
  const elsewhere = await call(
    `/factors/${factor!.id}/verify`,
    clientAddress(),
    { challenge_id: challenge.body.id, code: totpCode(factor!.totp.secret) },
    token,
  );
  assert.equal(elsewhere.status, 422);
  assert.equal(elsewhere.body.code, "mfa_ip_address_mismatch");
  assert.equal(decodeJwt((await client.auth.getSession()).data.session!.access_token).aal, "aal1");
});

test("forged X-Forwarded-For entries neither escape nor reset a client's verification limit", async () => {
  const { email } = await confirmedUser(stack);
  const client = clientAddress();
  const statuses: number[] = [];
  let limited: Record<string, unknown> | undefined;
  for (let i = 0; i < 60; i++) {
    // The client writes whatever it likes; the trusted proxy appends the address it really saw.
    const forged = `${clientAddress()}, ${clientAddress()}`;
    const result = await call("/verify", `${forged}, ${client}`, { type: "email", email, token: otherCode("000000", i) });
    statuses.push(result.status);
    if (result.status === 429) limited = result.body;
  }
  assert.deepEqual(statuses.slice(0, 30), Array(30).fill(403), "token_verifications = 30 lets the first 30 through");
  assert.equal(limited?.code, "over_request_rate_limit");
  // Another client is not held back by this one.
  const other = await call("/verify", clientAddress(), { type: "email", email, token: "000000" });
  assert.equal(other.status, 403);
});
