import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import postgres from "postgres";
import { confirmedUser, stackFromEnvironment, strongPassword, uniqueEmail, userClient } from "./auth-test-kit.ts";

const stack = stackFromEnvironment();

async function withDatabase<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(process.env.SUPABASE_DB_URL ?? "", { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

test("a user row as Supabase dumps or seeds write it (pgcrypto bcrypt) signs in here", async () => {
  const id = randomUUID();
  const email = uniqueEmail("dumped");
  const password = strongPassword();
  await withDatabase(async (sql) => {
    await sql`
      insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data,
        created_at, updated_at, confirmation_token, recovery_token, email_change_token_new, email_change)
      values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${email},
        extensions.crypt(${password}, extensions.gen_salt('bf', 10)), now(), '{"provider":"email","providers":["email"]}', '{"from":"dump"}',
        now(), now(), '', '', '', '')`;
    await sql`
      insert into auth.identities (id, provider_id, user_id, identity_data, provider, created_at, updated_at)
      values (${randomUUID()}, ${id}, ${id}, ${sql.json({ sub: id, email })}, 'email', now(), now())`;
  });
  const { data, error } = await userClient(stack).auth.signInWithPassword({ email, password });
  assert.equal(error, null);
  assert.equal(data.user?.id, id);
  assert.deepEqual(data.user?.user_metadata, { from: "dump" });
});

test("rows written here are what Supabase Auth reads: bcrypt $2a$ cost 10, token columns not NULL, sessions and tokens linked", async () => {
  const { user, email, password, session } = await confirmedUser(stack);
  const row = await withDatabase(async (sql) => {
    const [u] = await sql`
      select encrypted_password, extensions.crypt(${password}, encrypted_password) = encrypted_password as pgcrypto_agrees,
        confirmation_token, recovery_token, email_change_token_new, email_change, instance_id, aud, role
      from auth.users where id = ${user.id}`;
    const [s] = await sql`
      select count(*)::int as tokens, bool_or(not revoked) as active from auth.refresh_tokens rt
      join auth.sessions s on s.id = rt.session_id where s.user_id = ${user.id} and rt.token = ${session.refresh_token}`;
    const [i] = await sql`select provider, identity_data->>'email' as email, (identity_data->>'email_verified')::boolean as verified
      from auth.identities where user_id = ${user.id}`;
    const audit = await sql`select payload->>'action' as action from auth.audit_log_entries where payload->>'actor_id' = ${user.id}`;
    return { u, s, i, actions: audit.map((a) => a.action) };
  });
  assert.match(row.u.encrypted_password, /^\$2a\$10\$/);
  assert.equal(row.u.pgcrypto_agrees, true);
  for (const column of ["confirmation_token", "recovery_token", "email_change_token_new", "email_change"])
    assert.equal(row.u[column], "", column);
  assert.equal(row.u.instance_id, "00000000-0000-0000-0000-000000000000");
  assert.equal(row.u.aud, "authenticated");
  assert.deepEqual(row.s, { tokens: 1, active: true });
  assert.deepEqual(row.i, { provider: "email", email, verified: true });
  assert.ok(row.actions.includes("user_signedup"));
});
