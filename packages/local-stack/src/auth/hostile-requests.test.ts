// Requests built to break the server rather than use it: header injection through redirect_to,
// malformed path escapes and ids, and hostile User-Agent / X-Forwarded-For values on their way
// into auth.sessions and auth.audit_log_entries. Each is a 4xx (never a 500) and changes nothing.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, test } from "node:test";
import postgres from "postgres";
import {
  clientAddress,
  confirmedUser,
  latestMessage,
  messagesTo,
  openLink,
  stackFromEnvironment,
  strongPassword,
  uniqueEmail,
  userClient,
  verifyLink,
} from "./auth-test-kit.ts";
import { USER_AGENT_LIMIT } from "./client-info.ts";

const stack = stackFromEnvironment();
const sql = postgres(process.env.SUPABASE_DB_URL ?? "", { max: 1, onnotice: () => {} });
after(() => sql.end());

const injected = encodeURIComponent("http://127.0.0.1:3000/\r\nSet-Cookie: sb-access-token=attacker");

async function call(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const response = await fetch(`${stack.apiUrl}/auth/v1${path}`, {
    method: init.method ?? "POST",
    redirect: "manual",
    headers: {
      apikey: stack.publishableKey,
      authorization: `Bearer ${init.token ?? stack.publishableKey}`,
      "content-type": "application/json",
      "x-supabase-api-version": "2024-01-01",
      "x-forwarded-for": clientAddress(),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const usersWithEmail = async (email: string) => (await sql`select id from auth.users where email = ${email}`).length;

test("CR/LF in redirect_to is a 400 on /otp and /signup, and nobody is signed up or mailed", async () => {
  const otpEmail = uniqueEmail("crlf-otp");
  const otp = await call(`/otp?redirect_to=${injected}`, { body: { email: otpEmail, create_user: true } });
  assert.equal(otp.status, 400);
  assert.equal(otp.body.code, "validation_failed");
  assert.equal(otp.headers.get("set-cookie"), null);
  const signupEmail = uniqueEmail("crlf-signup");
  const signup = await call(`/signup?redirect_to=${injected}`, { body: { email: signupEmail, password: strongPassword() } });
  assert.equal(signup.status, 400);
  assert.equal(signup.body.code, "validation_failed");
  for (const email of [otpEmail, signupEmail]) {
    assert.equal(await usersWithEmail(email), 0, email);
    assert.equal((await messagesTo(stack, email)).length, 0, email);
  }
});

test("CR/LF in a /verify link's redirect_to is a 400 that leaves the token unspent", async () => {
  const email = uniqueEmail("crlf-verify");
  await userClient(stack).auth.signUp({ email, password: strongPassword() });
  const link = new URL(verifyLink(await latestMessage(stack, email, /Confirm/)));
  const token = link.searchParams.get("token") ?? "";
  const refused = await call(`/verify?token=${token}&type=signup&redirect_to=${injected}`, { method: "GET" });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.code, "validation_failed");
  assert.equal(refused.headers.get("set-cookie"), null);
  const [row] = await sql<{ email_confirmed_at: Date | null }[]>`select email_confirmed_at from auth.users where email = ${email}`;
  assert.equal(row.email_confirmed_at, null);
  // The untouched link still confirms the address.
  const { status, location } = await openLink(link.href);
  assert.equal(status, 303);
  assert.ok(new URLSearchParams(location.hash.slice(1)).get("access_token"));
});

test("a redirect_to with characters a header cannot carry arrives percent-encoded; an oversized one is a 400", async () => {
  const target = encodeURIComponent("http://127.0.0.1:3000/café/€");
  const response = await call(`/verify?token=nope&type=signup&redirect_to=${target}`, { method: "GET" });
  assert.equal(response.status, 303);
  assert.match(response.headers.get("location") ?? "", /^http:\/\/127\.0\.0\.1:3000\/caf%C3%A9\/%E2%82%AC#error=access_denied/);
  const huge = await call(`/verify?token=nope&type=signup&redirect_to=${encodeURIComponent(`http://127.0.0.1:3000/${"a".repeat(5000)}`)}`, {
    method: "GET",
  });
  assert.equal(huge.status, 400);
  assert.equal(huge.body.code, "validation_failed");
});

test("malformed percent-escapes in a path are 400, ids that are not UUIDs 404 validation_failed, nothing deleted", async () => {
  const { client } = await confirmedUser(stack);
  const { data: factor } = await client.auth.mfa.enroll({ factorType: "totp" });
  const token = (await client.auth.getSession()).data.session!.access_token;
  for (const [method, path] of [
    ["POST", "/factors/%ZZ/verify"],
    ["POST", "/factors/%E2/challenge"],
    ["DELETE", "/factors/%"],
  ]) {
    const response = await call(path, { method, token, body: { challenge_id: factor!.id, code: "123456" } });
    assert.equal(response.status, 400, path);
    assert.equal(response.body.code, "validation_failed", path);
  }
  const notUuid = await call("/factors/not-a-uuid/challenge", { token });
  assert.equal(notUuid.status, 404);
  assert.equal(notUuid.body.code, "validation_failed");
  const badChallenge = await call(`/factors/${factor!.id}/verify`, { token, body: { challenge_id: "'; drop table x; --", code: "1" } });
  assert.equal(badChallenge.status, 400);
  assert.equal(badChallenge.body.code, "bad_json");
  const admin = await fetch(`${stack.apiUrl}/auth/v1/admin/users/%ZZ`, { headers: { apikey: stack.secretKey } });
  assert.equal(admin.status, 400);
  const farPage = await fetch(`${stack.apiUrl}/auth/v1/admin/users?page=${"9".repeat(25)}`, { headers: { apikey: stack.secretKey } });
  assert.equal(farPage.status, 400);
  assert.equal((await sql`select id from auth.mfa_factors where id = ${factor!.id}`).length, 1);
});

/** A raw HTTP/1.1 request, so header values reach the server byte for byte (fetch refuses some). */
function rawPost(path: string, headers: Record<string, string>, body: string): Promise<number> {
  const url = new URL(`${stack.apiUrl}/auth/v1${path}`);
  const head = Object.entries({ ...headers, host: url.host, "content-length": String(Buffer.byteLength(body)), connection: "close" })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return new Promise((resolve, reject) => {
    const request = `POST ${url.pathname}${url.search} HTTP/1.1\r\n${head}\r\n${body}`;
    // Latin-1 puts each character on the wire as one byte, as a hostile client would; our side
    // stays open, since the server answers a `connection: close` request and then closes.
    const socket = connect(Number(url.port), url.hostname, () => socket.write(request, "latin1"));
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.once("error", reject);
    socket.once("close", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
  });
}

test("a hostile User-Agent and X-Forwarded-For are stored cleaned and bounded, never as given", async () => {
  const { email, password } = await confirmedUser(stack);
  const signIn = (userAgent: string) =>
    rawPost(
      "/token?grant_type=password",
      {
        apikey: stack.publishableKey,
        "content-type": "application/json",
        "user-agent": userAgent,
        "x-forwarded-for": `'; drop table auth.sessions; --, ${"9".repeat(300)}`,
      },
      JSON.stringify({ email, password }),
    );
  const sessions = () => sql<{ user_agent: string; ip: string }[]>`
    select s.user_agent, host(s.ip) as ip from auth.sessions s join auth.users u on u.id = s.user_id
    where u.email = ${email} order by s.created_at desc`;
  const before = (await sessions()).length;
  // C0 controls never get past Node's HTTP parser; tab and C1 controls (8-bit CSI, NEL) do.
  assert.equal(await signIn("evil\u0001\u001b[2J"), 400);
  assert.equal((await sessions()).length, before);
  assert.equal(await signIn(`evil\t\u009b2J\u0085${"x".repeat(4000)}`), 200);
  const [session] = await sessions();
  assert.equal(session.user_agent, `evil2J${"x".repeat(USER_AGENT_LIMIT - 6)}`);
  // Neither entry is an address, so the client is the trusted proxy that sent the request.
  assert.equal(session.ip, "127.0.0.1");
  const entries = await sql<{ ip_address: string }[]>`
    select ip_address from auth.audit_log_entries where payload->>'actor_username' = ${email}`;
  assert.ok(entries.length > 0);
  for (const entry of entries) assert.ok(entry.ip_address.length <= 64 && !entry.ip_address.includes("drop"), entry.ip_address);
});
