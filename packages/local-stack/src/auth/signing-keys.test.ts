// Asymmetric signing keys (`[auth] signing_keys_path`) end to end with unmodified supabase-js, on
// a fixture stack whose key file `basekit gen signing-key` writes: ES256 access tokens with `kid`,
// getClaims() through jwks.json, REST and Realtime accepting them, forgeries refused; anon and
// service_role keys signed by the first key as the CLI signs them.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { decodeProtectedHeader } from "jose";
import ws from "ws";
import { genSigningKey } from "../cli/commands/gen.ts";
import { signedRoleKey } from "../keys/api-keys.ts";
import { generateSigningJwk, parseSigningKeys, type SigningJwk, signAsymmetric, signingKeyOf } from "../keys/signing-keys.ts";
import { Inbox, joinOutcome } from "../realtime/testing/realtime-fixture.ts";
import { type FixtureStack, startFixtureStack } from "../testing/fixture-stack.ts";
import { adminClient, decodeJwt, type StackUnderTest, strongPassword, uniqueEmail, userClient } from "./auth-test-kit.ts";

const configToml = `
project_id = "auth-signing-keys"
[auth]
signing_keys_path = "./signing_keys.json"
`;

const notesMigration = `
create table public.sk_notes (
  id bigint generated always as identity primary key,
  owner uuid not null default auth.uid(),
  body text not null
);
alter table public.sk_notes enable row level security;
create policy "owners read their notes" on public.sk_notes for select to authenticated using (owner = (select auth.uid()));
create policy "owners add their notes" on public.sk_notes for insert to authenticated with check (owner = (select auth.uid()));
grant select, insert on public.sk_notes to authenticated;
alter publication supabase_realtime add table public.sk_notes;
`;

let project: string;
let fixture: FixtureStack;
let stack: StackUnderTest;
let keyFile: SigningJwk[];
let startedAt: number;
const clients: SupabaseClient[] = [];

before(async () => {
  project = mkdtempSync(join(tmpdir(), "basekit-signing-project-"));
  mkdirSync(join(project, "supabase", "migrations"), { recursive: true });
  writeFileSync(join(project, "supabase", "config.toml"), configToml);
  writeFileSync(join(project, "supabase", "migrations", "20260101000000_sk_notes.sql"), notesMigration);
  assert.equal(await genSigningKey(["--workdir", project, "--algorithm", "ES256"]), 0);
  keyFile = JSON.parse(readFileSync(join(project, "supabase", "signing_keys.json"), "utf8")) as SigningJwk[];
  startedAt = Math.floor(Date.now() / 1000);
  fixture = await startFixtureStack({ projectDir: project, files: { "config.toml": configToml } });
  stack = {
    apiUrl: fixture.apiUrl,
    mailUrl: fixture.mailUrl,
    publishableKey: fixture.keys.publishableKey,
    secretKey: fixture.keys.secretKey,
    anonKey: fixture.keys.anonKey,
    serviceRoleKey: fixture.keys.serviceRoleKey,
    jwtSecret: fixture.keys.jwtSecret,
  };
});

after(async () => {
  for (const client of clients) await client.removeAllChannels();
  await fixture?.dispose();
  if (project) rmSync(project, { recursive: true, force: true });
});

function tracked(client: SupabaseClient): SupabaseClient {
  clients.push(client);
  return client;
}

async function signedIn(): Promise<{ client: SupabaseClient; token: string; userId: string }> {
  const client = tracked(userClient(stack));
  const { data, error } = await client.auth.signUp({ email: uniqueEmail("signing"), password: strongPassword() });
  assert.equal(error, null);
  assert.ok(data.session && data.user);
  return { client, token: data.session.access_token, userId: data.user.id };
}

/** A client whose requests carry `token` as the bearer, as an app forwarding a user's JWT does. */
function bearerClient(token: string): SupabaseClient {
  const client = createClient(stack.apiUrl, stack.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
    realtime: { transport: ws as never },
  });
  client.realtime.setAuth(token);
  return tracked(client);
}

/** Claims like a real access token's, signed by a key the stack does not hold. */
function forged(claimsFrom: string, kid?: string): string {
  const claims = decodeJwt(claimsFrom);
  const stranger = signingKeyOf(generateSigningJwk("ES256"));
  return signAsymmetric(claims, kid ? { ...stranger, kid } : stranger);
}

test("sign-in yields an ES256 access token whose kid is the key file's first key", async () => {
  const { client, token } = await signedIn();
  const header = decodeProtectedHeader(token);
  assert.equal(header.alg, "ES256");
  assert.equal(header.kid, keyFile[0].kid);
  const { data, error } = await client.auth.getUser();
  assert.equal(error, null);
  assert.ok(data.user?.id);
});

test("jwks.json publishes the public key only: no private members, verify only", async () => {
  const response = await fetch(`${stack.apiUrl}/auth/v1/.well-known/jwks.json`);
  assert.equal(response.status, 200);
  const body = (await response.json()) as { keys: Record<string, unknown>[] };
  assert.equal(body.keys.length, 1);
  const [key] = body.keys;
  assert.equal(key.kid, keyFile[0].kid);
  assert.equal(key.kty, "EC");
  assert.equal(key.alg, "ES256");
  assert.deepEqual(key.key_ops, ["verify"]);
  for (const member of ["d", "p", "q", "dp", "dq", "qi"]) assert.equal(member in key, false, `jwks.json leaks ${member}`);
});

test("getClaims() verifies the token against jwks.json, without asking the server about the session", async () => {
  const { client, token, userId } = await signedIn();
  // With the session gone, GET /user would refuse the token; only a JWKS check still accepts it.
  assert.equal((await client.auth.signOut({ scope: "global" })).error, null);
  const { data, error } = await client.auth.getClaims(token);
  assert.equal(error, null);
  assert.equal(data?.claims.sub, userId);
  assert.equal(data?.header.kid, keyFile[0].kid);
  // GET /user answers 403 session_not_found, which auth-js reports as a missing session.
  const gone = await tracked(userClient(stack)).auth.getUser(token);
  assert.equal(gone.error?.name, "AuthSessionMissingError");
});

test("REST runs the request as the token's user: RLS sees the sub", async () => {
  const { client, userId } = await signedIn();
  const other = await signedIn();
  const mine = await client.from("sk_notes").insert({ body: "mine" }).select().single();
  assert.equal(mine.error, null);
  assert.equal(mine.data?.owner, userId);
  assert.equal((await other.client.from("sk_notes").insert({ body: "theirs" })).error, null);
  const { data, error } = await client.from("sk_notes").select("owner, body");
  assert.equal(error, null);
  assert.deepEqual(data, [{ owner: userId, body: "mine" }]);
});

test("Realtime accepts the token: postgres_changes delivers the user's own row under RLS", async () => {
  const { client, token, userId } = await signedIn();
  const delivered = new Inbox<Record<string, unknown>>();
  const channel = bearerClient(token)
    .channel(`sk-notes-${userId}`)
    .on("postgres_changes", { event: "INSERT", schema: "public", table: "sk_notes" }, (change) => delivered.push(change.new));
  const joined = await joinOutcome(channel);
  assert.equal(joined.status, "SUBSCRIBED", joined.error?.message);
  const insert = await client.from("sk_notes").insert({ body: "live" });
  assert.equal(insert.error, null);
  const row = await delivered.next();
  assert.equal(row.owner, userId);
  assert.equal(row.body, "live");
});

test("a token signed under an unknown kid is refused by Auth, REST and Realtime with Supabase's errors", async () => {
  const { token } = await signedIn();
  const fake = forged(token);
  const user = await tracked(userClient(stack)).auth.getUser(fake);
  assert.equal(user.error?.status, 403);
  assert.equal(user.error?.code, "bad_jwt");
  // Unknown kid: auth-js finds no key in jwks.json, asks GET /user, which refuses.
  const claims = await tracked(userClient(stack)).auth.getClaims(fake);
  assert.equal(claims.data, null);
  assert.equal(claims.error?.code, "bad_jwt");
  const rest = await bearerClient(fake).from("sk_notes").select();
  assert.equal(rest.status, 401);
  assert.equal(rest.error?.code, "PGRST301");
  const joined = await joinOutcome(bearerClient(fake).channel("sk-forged-unknown", { config: { private: false } }));
  assert.equal(joined.status, "CHANNEL_ERROR");
  assert.match(joined.error?.message ?? "", /InvalidJWTToken/);
});

test("a token signed with another key under the real kid is refused everywhere", async () => {
  const { token } = await signedIn();
  const fake = forged(token, keyFile[0].kid);
  const user = await tracked(userClient(stack)).auth.getUser(fake);
  assert.equal(user.error?.status, 403);
  assert.equal(user.error?.code, "bad_jwt");
  const claims = await tracked(userClient(stack)).auth.getClaims(fake);
  assert.equal(claims.data, null);
  assert.match(claims.error?.message ?? "", /signature/i);
  const rest = await bearerClient(fake).from("sk_notes").select();
  assert.equal(rest.status, 401);
  assert.equal(rest.error?.code, "PGRST301");
  assert.equal(rest.error?.message, "JWT cryptographic operation failed");
  const joined = await joinOutcome(bearerClient(fake).channel("sk-forged-known", { config: { private: false } }));
  assert.equal(joined.status, "CHANNEL_ERROR");
  assert.match(joined.error?.message ?? "", /InvalidJWTToken: Signature error/);
});

/** The decoded header and payload texts, to compare byte for byte with what the CLI writes. */
function jwtParts(token: string): [string, string] {
  const [header, payload] = token.split(".");
  return [Buffer.from(header, "base64url").toString("utf8"), Buffer.from(payload, "base64url").toString("utf8")];
}

test("anon and service_role keys are signed with the key file's first key exactly as the CLI signs them", () => {
  for (const [key, role] of [
    [stack.anonKey, "anon"],
    [stack.serviceRoleKey, "service_role"],
  ] as const) {
    const [header, payload] = jwtParts(key);
    assert.equal(header, `{"alg":"ES256","kid":"${keyFile[0].kid}","typ":"JWT"}`);
    const { exp } = JSON.parse(payload) as { exp: number };
    assert.equal(payload, `{"iss":"supabase-demo","role":"${role}","exp":${exp}}`);
    // Ten 365-day years after the stack derived them (it started between these two moments).
    assert.ok(exp >= startedAt + 315360000 && exp <= Math.ceil(Date.now() / 1000) + 315360000, `exp ${exp}`);
  }
});

test("role keys the CLI derived at another moment work unchanged: admin API, REST as anon", async () => {
  const keys = parseSigningKeys(JSON.stringify(keyFile), "signing_keys.json");
  const yesterday = startedAt - 86400;
  const cliServiceRole = signedRoleKey("service_role", keys, yesterday);
  const cliAnon = signedRoleKey("anon", keys, yesterday);
  assert.notEqual(cliServiceRole, stack.serviceRoleKey);
  const admin = tracked(adminClient({ ...stack, secretKey: cliServiceRole }));
  const { data, error } = await admin.auth.admin.listUsers({ page: 1, perPage: 1 });
  assert.equal(error, null);
  assert.ok(data.users.length >= 1);
  // Supabase grants anon on public tables; RLS has no policy for it, so it sees no rows.
  const anon = await tracked(createClient(stack.apiUrl, cliAnon, { auth: { persistSession: false }, realtime: { transport: ws as never } }))
    .from("sk_notes")
    .select();
  assert.equal(anon.error, null);
  assert.deepEqual(anon.data, []);
});

test("an apikey that is a stranger-signed role key or a user's token is refused by the Auth gateway, creating no user", async () => {
  const { token } = await signedIn();
  const stranger = parseSigningKeys(JSON.stringify([generateSigningJwk("ES256")]), "stranger.json");
  const before = await adminCount();
  for (const apiKey of [signedRoleKey("service_role", stranger, startedAt), token]) {
    const response = await fetch(`${stack.apiUrl}/auth/v1/admin/users`, {
      method: "POST",
      headers: { apikey: apiKey, authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ email: uniqueEmail("gate"), password: strongPassword() }),
    });
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { message: "Invalid authentication credentials" });
  }
  assert.equal(await adminCount(), before);
});

/** How many users exist, counted with the stack's own service_role key. */
async function adminCount(): Promise<number> {
  const admin = tracked(adminClient({ ...stack, secretKey: stack.serviceRoleKey }));
  const { data, error } = await admin.auth.admin.listUsers({ page: 1, perPage: 1000 });
  assert.equal(error, null);
  return data.users.length;
}
