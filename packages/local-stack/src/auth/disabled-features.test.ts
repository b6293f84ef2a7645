// Features off on this stack answer as Supabase Auth does while they are disabled: SAML SSO, Web3
// and id_token sign-in, manual identity linking; plus listUsers' page parsing and MFA enrolment
// without a user. Whole bodies compared with GoTrue's (status, code, message), nothing created.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import postgres from "postgres";
import { adminClient, confirmedUser, stackFromEnvironment, strongPassword, userClient } from "./auth-test-kit.ts";

const stack = stackFromEnvironment();
const sql = postgres(process.env.SUPABASE_DB_URL ?? "", { max: 1, onnotice: () => {} });
after(() => sql.end());

/** A raw call with auth-js's headers, answering the status and the whole parsed body. */
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.apiUrl}/auth/v1${path}`, {
    method,
    headers: { apikey: stack.publishableKey, "x-supabase-api-version": "2024-01-01", "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const usersCount = async () => Number((await sql`select count(*) from auth.users`)[0].count);
const identitiesCount = async () => Number((await sql`select count(*) from auth.identities`)[0].count);

test("SSO sign-in answers 404 saml_provider_disabled, as Supabase with SAML off", async () => {
  const { data, error } = await userClient(stack).auth.signInWithSSO({ domain: "example.com" });
  assert.equal(data, null);
  assert.equal(error?.status, 404);
  assert.equal(error?.code, "saml_provider_disabled");
  assert.equal(error?.message, "SAML 2.0 is disabled");
  for (const [method, path] of [
    ["POST", "/sso"],
    ["GET", "/sso/saml/metadata"],
    ["POST", "/sso/saml/acs"],
  ])
    assert.deepEqual(await call(method, path, method === "POST" ? {} : undefined), {
      status: 404,
      body: { code: "saml_provider_disabled", message: "SAML 2.0 is disabled" },
    });
});

test("Web3 sign-in answers 422 web3_provider_disabled and creates no user", async () => {
  const before = await usersCount();
  const { data, error } = await userClient(stack).auth.signInWithWeb3({
    chain: "ethereum",
    message: "localhost wants you to sign in with your Ethereum account",
    signature: "0x00",
  });
  assert.deepEqual(data, { user: null, session: null });
  assert.equal(error?.status, 422);
  assert.equal(error?.code, "web3_provider_disabled");
  assert.equal(error?.message, "Web3 provider is disabled");
  assert.deepEqual(await call("POST", "/token?grant_type=web3", { chain: "solana", message: "m", signature: "s" }), {
    status: 422,
    body: { code: "web3_provider_disabled", message: "Web3 provider is disabled" },
  });
  assert.equal(await usersCount(), before);
});

const fakeIdToken = (claims: object) =>
  `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;

test("id_token sign-in with a disabled provider answers 400 provider_disabled naming the issuer, and creates no user", async () => {
  const before = await usersCount();
  const google = await userClient(stack).auth.signInWithIdToken({ provider: "google", token: fakeIdToken({ sub: "1" }) });
  assert.equal(google.error?.status, 400);
  assert.equal(google.error?.code, "provider_disabled");
  assert.equal(google.error?.message, 'Provider (issuer "https://accounts.google.com") is not enabled');
  const apple = await call("POST", "/token?grant_type=id_token", {
    provider: "apple",
    id_token: fakeIdToken({ iss: "https://appleid.apple.com", sub: "1" }),
  });
  assert.deepEqual(apple, {
    status: 400,
    body: { code: "provider_disabled", message: 'Provider (issuer "https://appleid.apple.com") is not enabled' },
  });
  assert.deepEqual(await call("POST", "/token?grant_type=id_token", { provider: "apple", id_token: "not-a-jwt" }), {
    status: 400,
    body: { code: "validation_failed", message: "Unable to detect issuer in ID token for Apple provider" },
  });
  assert.deepEqual(await call("POST", "/token?grant_type=id_token", { provider: "myidp", id_token: fakeIdToken({}) }), {
    status: 400,
    body: { code: "validation_failed", message: 'Custom OIDC provider "myidp" not allowed' },
  });
  assert.equal(await usersCount(), before);
});

test("id_token grant parameter errors use GoTrue's OAuth error shape", async () => {
  assert.deepEqual(await call("POST", "/token?grant_type=id_token", { provider: "google" }), {
    status: 400,
    body: { error: "invalid request", error_description: "id_token required" },
  });
  assert.deepEqual(await call("POST", "/token?grant_type=id_token", { id_token: fakeIdToken({}) }), {
    status: 400,
    body: { error: "invalid request", error_description: "provider or client_id and issuer required" },
  });
});

test("linking an identity answers 404 manual_linking_disabled for a signed-in user and adds no identity", async () => {
  const { client, user, session } = await confirmedUser(stack);
  const before = await identitiesCount();
  const { data, error } = await client.auth.linkIdentity({ provider: "github" });
  assert.equal(data?.url ?? null, null);
  assert.equal(error?.status, 404);
  assert.equal(error?.code, "manual_linking_disabled");
  assert.equal(error?.message, "Manual linking is disabled");
  assert.deepEqual(
    await call("DELETE", `/user/identities/${user.identities?.[0]?.identity_id}`, undefined, {
      authorization: `Bearer ${session.access_token}`,
    }),
    {
      status: 404,
      body: { code: "manual_linking_disabled", message: "Manual linking is disabled" },
    },
  );
  // Without a user the bearer check comes first, as GoTrue's middleware order has it.
  assert.deepEqual(await call("GET", "/user/identities/authorize?provider=github"), {
    status: 403,
    body: { code: "bad_jwt", message: "invalid claim: missing sub claim" },
  });
  assert.equal(await identitiesCount(), before);
});

test("listUsers with an invalid page answers GoTrue's 400 Bad Pagination Parameters", async () => {
  const admin = adminClient(stack);
  const negative = await admin.auth.admin.listUsers({ page: -1, perPage: 10 });
  assert.equal(negative.error?.status, 400);
  assert.equal(negative.error?.code, "validation_failed");
  assert.equal(negative.error?.message, 'Bad Pagination Parameters: strconv.ParseUint: parsing "-1": invalid syntax');
  const auth = { authorization: `Bearer ${stack.serviceRoleKey}`, apikey: stack.serviceRoleKey };
  assert.deepEqual(await call("GET", "/admin/users?page=abc", undefined, auth), {
    status: 400,
    body: { code: "validation_failed", message: 'Bad Pagination Parameters: strconv.ParseUint: parsing "abc": invalid syntax' },
  });
  assert.deepEqual(await call("GET", "/admin/users?page=1&per_page=99999999999999999999", undefined, auth), {
    status: 400,
    body: {
      code: "validation_failed",
      message: 'Bad Pagination Parameters: strconv.ParseUint: parsing "99999999999999999999": value out of range',
    },
  });
  const fine = await admin.auth.admin.listUsers({ page: 1, perPage: 1 });
  assert.equal(fine.error, null);
  assert.equal(fine.data.users.length, 1);
});

test("MFA enrolment without a session answers 403 bad_jwt (missing sub claim) and enrols nothing", async () => {
  const factors = async () => Number((await sql`select count(*) from auth.mfa_factors`)[0].count);
  const before = await factors();
  const { data, error } = await userClient(stack).auth.mfa.enroll({ factorType: "totp" });
  // auth-js sends the client's key as the bearer; the gateway turns it into the anon JWT, which
  // has no user: GoTrue's 403, raw and through auth-js alike.
  assert.equal(data, null);
  assert.equal(error?.status, 403);
  assert.equal(error?.code, "bad_jwt");
  assert.equal(error?.message, "invalid claim: missing sub claim");
  assert.deepEqual(await call("POST", "/factors", { factor_type: "totp" }), {
    status: 403,
    body: { code: "bad_jwt", message: "invalid claim: missing sub claim" },
  });
  assert.equal(await factors(), before);
});

test("phone sign-up, OTP and password sign-in meet the disabled phone provider with GoTrue's errors, creating nobody", async () => {
  const phone = `+1555${String(Date.now()).slice(-7)}`;
  const phoneUsers = async () => Number((await sql`select count(*) from auth.users where phone = ${phone.slice(1)}`)[0].count);
  const client = userClient(stack);
  const signUp = await client.auth.signUp({ phone, password: strongPassword() });
  assert.equal(signUp.error?.status, 400);
  assert.equal(signUp.error?.code, "phone_provider_disabled");
  assert.equal(signUp.error?.message, "Phone signups are disabled");
  const otp = await client.auth.signInWithOtp({ phone });
  assert.equal(otp.error?.status, 400);
  assert.equal(otp.error?.code, "phone_provider_disabled");
  assert.equal(otp.error?.message, "Unsupported phone provider");
  // With create_user off, an unknown or invalid number is otp_disabled before the provider.
  for (const number of [phone, "not-a-number"]) {
    const existingOnly = await client.auth.signInWithOtp({ phone: number, options: { shouldCreateUser: false } });
    assert.equal(existingOnly.error?.status, 422);
    assert.equal(existingOnly.error?.code, "otp_disabled");
    assert.equal(existingOnly.error?.message, "Signups not allowed for otp");
  }
  const password = await client.auth.signInWithPassword({ phone, password: strongPassword() });
  assert.equal(password.error?.status, 422);
  assert.equal(password.error?.code, "phone_provider_disabled");
  assert.equal(password.error?.message, "Phone logins are disabled");
  assert.equal(await phoneUsers(), 0);
});
