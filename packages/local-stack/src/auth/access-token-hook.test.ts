// The custom access token hook as a Postgres function, end to end with unmodified supabase-js on a
// fixture stack: GoTrue's payload in, the output's claims signed (RLS reads them), the hook's own
// errors, schema violations and timeouts answered as GoTrue answers them, and no session left
// behind by a refused sign-in.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import postgres from "postgres";
import { type FixtureStack, startFixtureStack } from "../testing/fixture-stack.ts";
import { decodeJwt, type StackUnderTest, strongPassword, uniqueEmail, userClient } from "./auth-test-kit.ts";

const configToml = `
project_id = "auth-access-token-hook"
[auth.hook.custom_access_token]
enabled = true
uri = "pg-functions://postgres/public/custom_access_token_hook"
`;

// The hook behaves as hook_behaviours says for the user: "refuse" -> its own 403, "broken" ->
// claims without aal, "slow" -> outlives the 2 s statement_timeout; else user_role from a table.
const hookMigration = `
create table public.hook_behaviours (user_id uuid primary key, behaviour text not null);
create table public.hook_calls (id bigint generated always as identity primary key, event jsonb not null);
create table public.user_roles (user_id uuid primary key, user_role text not null);
create table public.team_notes (id bigint generated always as identity primary key, body text not null);
alter table public.team_notes enable row level security;
create policy "editors read team notes" on public.team_notes for select to authenticated
  using ((select auth.jwt() ->> 'user_role') = 'editor');
grant select on public.team_notes to authenticated;
insert into public.team_notes (body) values ('for editors');

create function public.custom_access_token_hook(event jsonb) returns jsonb
language plpgsql volatile as $$
declare
  behaviour text := (select b.behaviour from public.hook_behaviours b where b.user_id = (event ->> 'user_id')::uuid);
  claims jsonb := event -> 'claims';
begin
  insert into public.hook_calls (event) values (event);
  if behaviour = 'refuse' then
    return jsonb_build_object('error', jsonb_build_object('http_code', 403, 'message', 'Your account is on hold'));
  end if;
  if behaviour = 'broken' then
    return jsonb_build_object('claims', claims - 'aal');
  end if;
  if behaviour = 'slow' then
    perform pg_sleep(5);
  end if;
  claims := jsonb_set(claims, '{user_role}', coalesce(
    (select to_jsonb(user_role) from public.user_roles where user_id = (event ->> 'user_id')::uuid), 'null'::jsonb));
  return jsonb_build_object('claims', claims);
end;
$$;
grant usage on schema public to supabase_auth_admin;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
revoke execute on function public.custom_access_token_hook(jsonb) from authenticated, anon, public;
grant select on public.user_roles, public.hook_behaviours to supabase_auth_admin;
grant insert on public.hook_calls to supabase_auth_admin;
`;

let fixture: FixtureStack;
let stack: StackUnderTest;
let sql: postgres.Sql;

before(async () => {
  fixture = await startFixtureStack({
    files: { "config.toml": configToml, "migrations/20260101000000_access_token_hook.sql": hookMigration },
  });
  stack = {
    apiUrl: fixture.apiUrl,
    mailUrl: fixture.mailUrl,
    publishableKey: fixture.keys.publishableKey,
    secretKey: fixture.keys.secretKey,
    anonKey: fixture.keys.anonKey,
    serviceRoleKey: fixture.keys.serviceRoleKey,
    jwtSecret: fixture.keys.jwtSecret,
  };
  sql = postgres(fixture.db.url("postgres"), { max: 1, onnotice: () => {} });
});

after(async () => {
  await sql?.end();
  await fixture?.dispose();
});

async function signUp(prefix: string) {
  const email = uniqueEmail(prefix);
  const password = strongPassword();
  const client = userClient(stack);
  const result = await client.auth.signUp({ email, password });
  return { email, password, client, result };
}

/** A signed-up user (sessions ended) whose next sign-in meets the hook behaving as `behaviour`. */
async function userBehaving(behaviour: string) {
  const { email, password, client, result } = await signUp(behaviour);
  assert.equal(result.error, null);
  await sql`insert into public.hook_behaviours (user_id, behaviour) values (${result.data.user?.id ?? ""}, ${behaviour})`;
  await sql`delete from auth.sessions where user_id = ${result.data.user?.id ?? ""}`;
  return { email, password, client };
}

async function signInBehaving(behaviour: string) {
  const { email, password, client } = await userBehaving(behaviour);
  return { email, signedIn: await client.auth.signInWithPassword({ email, password }) };
}

/** auth-js reports any 5xx as a retryable fetch error without its body: the body is read raw. */
async function rawSignIn(email: string, password: string) {
  const response = await fetch(`${stack.apiUrl}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: stack.publishableKey, "x-supabase-api-version": "2024-01-01", "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  return { status: response.status, body: await response.json() };
}

const sessionsOf = async (email: string) =>
  Number((await sql`select count(*) from auth.sessions s join auth.users u on u.id = s.user_id where u.email = ${email}`)[0].count);

test("the hook's claims are signed (sorted as Go writes a map) and RLS reads them", async () => {
  const { email, password, client, result } = await signUp("editor");
  assert.equal(result.error, null);
  const userId = result.data.user?.id ?? "";
  // Signed up before the role existed: the claim is null.
  assert.equal(decodeJwt(result.data.session?.access_token ?? "").user_role, null);
  await sql`insert into public.user_roles (user_id, user_role) values (${userId}, 'editor')`;
  const signedIn = await client.auth.signInWithPassword({ email, password });
  assert.equal(signedIn.error, null);
  const claims = decodeJwt(signedIn.data.session?.access_token ?? "");
  assert.equal(claims.user_role, "editor");
  assert.equal(claims.sub, userId);
  assert.deepEqual(Object.keys(claims), [...Object.keys(claims)].sort());
  const notes = await client.from("team_notes").select("body");
  assert.equal(notes.error, null);
  assert.deepEqual(notes.data, [{ body: "for editors" }]);
});

test("the hook receives GoTrue's payload: metadata, user_id, the standard claims and the authentication method", async () => {
  const { email, password, client } = await signUp("payload");
  assert.equal((await client.auth.signInWithPassword({ email, password })).error, null);
  assert.equal((await client.auth.refreshSession()).error, null);
  const events = (
    await sql<{ event: Record<string, unknown> }[]>`
    select event from public.hook_calls where event -> 'claims' ->> 'email' = ${email} order by id`
  ).map((row) => row.event);
  assert.deepEqual(
    events.map((event) => event.authentication_method),
    ["password", "password", "token_refresh"],
  );
  const [, signIn] = events;
  const claims = signIn.claims as Record<string, unknown>;
  assert.equal(signIn.user_id, claims.sub);
  // jsonb keeps no key order, so the set of claims is what can be compared here.
  assert.deepEqual(Object.keys(claims).sort(), [
    "aal",
    "amr",
    "app_metadata",
    "aud",
    "email",
    "exp",
    "iat",
    "is_anonymous",
    "iss",
    "phone",
    "role",
    "session_id",
    "sub",
    "user_metadata",
  ]);
  const metadata = signIn.metadata as Record<string, unknown>;
  assert.equal(metadata.name, "customize-access-token");
  assert.match(String(metadata.uuid), /^[0-9a-f-]{36}$/);
});

test("a hook's own error is answered with its status and message, and leaves no session", async () => {
  const { email, signedIn } = await signInBehaving("refuse");
  assert.equal(signedIn.data.session, null);
  assert.equal(signedIn.error?.status, 403);
  assert.equal(signedIn.error?.code, "unknown");
  assert.equal(signedIn.error?.message, "Your account is on hold");
  assert.equal(await sessionsOf(email), 0);
});

test("claims missing a required member are a 500 naming the schema violation, with no session", async () => {
  const { email, password } = await userBehaving("broken");
  assert.deepEqual(await rawSignIn(email, password), {
    status: 500,
    body: { code: "unexpected_failure", message: "output claims do not conform to the expected schema: \n- (root): aal is required\n" },
  });
  assert.equal(await sessionsOf(email), 0);
});

test("a hook outliving its 2 s statement_timeout fails the sign-in with GoTrue's 500, with no session", async () => {
  const { email, password } = await userBehaving("slow");
  assert.deepEqual(await rawSignIn(email, password), {
    status: 500,
    body: { code: "unexpected_failure", message: "error generating jwt token" },
  });
  assert.equal(await sessionsOf(email), 0);
});
