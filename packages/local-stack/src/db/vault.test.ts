// supabase_vault as on Supabase: a migration stores a secret with vault.create_secret(), the table
// holds only ciphertext, vault.decrypted_secrets decrypts it with a key kept outside the database,
// [db.vault] secrets exist before the migrations, and only postgres (and whom it grants) may read.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type FixtureStack, startFixtureStack } from "../testing/fixture-stack.ts";
import { quoteLiteral } from "./bootstrap/apply-bootstrap.ts";
import { connect, type Sql } from "./connect.ts";
import { serverVaultKeyPath, VAULT_KEY_FILE, vaultKeyPath } from "./vault-key.ts";

let stack: FixtureStack;
let postgres: Sql;
let admin: Sql;

before(async () => {
  process.env.BASEKIT_VAULT_TEST_WEBHOOK_TOKEN = "token-from-the-environment";
  stack = await startFixtureStack({
    files: {
      "config.toml":
        'project_id = "vault"\n[db.vault]\nwebhook_token = "env(BASEKIT_VAULT_TEST_WEBHOOK_TOKEN)"\nunset_one = "env(BASEKIT_VAULT_TEST_UNSET)"\n',
      "migrations/20240101000000_secrets.sql": [
        "create extension if not exists supabase_vault with schema vault;",
        "select vault.create_secret('sk-live-plaintext-value', 'payments_key', 'the payment provider key');",
        "-- the webhook token from [db.vault] is there already",
        "create table public.uses (token text);",
        "insert into public.uses select decrypted_secret from vault.decrypted_secrets where name = 'webhook_token';",
        "grant usage on schema vault to service_role;",
        "grant select on vault.decrypted_secrets to service_role;",
        "grant execute on function vault._crypto_aead_det_decrypt(bytea, bytea, bigint, bytea, bytea) to service_role;",
      ].join("\n"),
    },
  });
  postgres = connect(stack.dbUrl, { max: 1 });
  admin = connect(stack.db.adminUrl, { max: 1 });
});

after(async () => {
  await postgres?.end();
  await admin?.end();
  await stack?.dispose();
  delete process.env.BASEKIT_VAULT_TEST_WEBHOOK_TOKEN;
});

test("a migration's vault.create_secret() is stored encrypted and read back through vault.decrypted_secrets", async () => {
  const [row] = await postgres`select s.secret, d.decrypted_secret, d.description, length(s.nonce) as nonce_bytes
    from vault.secrets s join vault.decrypted_secrets d using (id) where s.name = 'payments_key'`;
  assert.equal(row.decrypted_secret, "sk-live-plaintext-value");
  assert.equal(row.description, "the payment provider key");
  assert.equal(row.nonce_bytes, 16);
  assert.doesNotMatch(row.secret, /plaintext/);
  assert.ok(!Buffer.from(row.secret, "base64").toString("latin1").includes("sk-live"));
});

test("[db.vault] secrets exist before the migrations run; unset variables make no secret", async () => {
  const uses = await postgres`select token from public.uses`;
  assert.deepEqual(
    uses.map((r) => r.token),
    ["token-from-the-environment"],
  );
  const [row] = await postgres`select count(*)::int as n from vault.secrets where name = 'unset_one'`;
  assert.equal(row.n, 0);
});

test("vault.update_secret() changes the value and name in place", async () => {
  const [{ id }] = await postgres`select vault.create_secret('first', 'rotating') as id`;
  await postgres`select vault.update_secret(${id}::uuid, 'second', 'rotated')`;
  const rows = await postgres`select name, decrypted_secret from vault.decrypted_secrets where id = ${id}::uuid`;
  assert.deepEqual(
    rows.map((r) => ({ ...r })),
    [{ name: "rotated", decrypted_secret: "second" }],
  );
});

test("the root key lives outside the database: in the state folder (owner-only) and the server's data directory", async () => {
  assert.equal(statSync(vaultKeyPath(join(stack.workdir, ".basekit"))).mode & 0o777, 0o600);
  const [row] =
    await admin`select count(*)::int as n from pg_catalog.pg_db_role_setting where array_to_string(setconfig, ',') ilike '%vault%'`;
  assert.equal(row.n, 0);
  // With another key in the data directory, no secret decrypts: the key is read from there.
  const original = (await admin`select pg_read_file(${VAULT_KEY_FILE}) as key`)[0].key as string;
  const onServer = quoteLiteral(await serverVaultKeyPath(admin));
  try {
    await admin.unsafe(`copy (select '${"ab".repeat(32)}') to ${onServer}`);
    await assert.rejects(postgres`select decrypted_secret from vault.decrypted_secrets where name = 'payments_key'`, /invalid ciphertext/);
  } finally {
    await admin.unsafe(`copy (select '${original.trim()}') to ${onServer}`);
  }
  const [back] = await postgres`select decrypted_secret from vault.decrypted_secrets where name = 'payments_key'`;
  assert.equal(back.decrypted_secret, "sk-live-plaintext-value");
});

test("a ciphertext moved to another row does not decrypt there (the row id is authenticated)", async () => {
  const [{ id }] = await postgres`select vault.create_secret('victim', 'moved_target') as id`;
  await admin`update vault.secrets set secret = (select secret from vault.secrets where name = 'payments_key'),
    nonce = (select nonce from vault.secrets where name = 'payments_key') where id = ${id}::uuid`;
  await assert.rejects(postgres`select decrypted_secret from vault.decrypted_secrets where id = ${id}::uuid`, /invalid ciphertext/);
  await admin`delete from vault.secrets where id = ${id}::uuid`;
});

test("anon and authenticated can neither read nor create secrets; service_role reads what postgres granted it", async () => {
  for (const role of ["anon", "authenticated"]) {
    await assert.rejects(
      postgres.begin(async (tx) => {
        await tx.unsafe(`set local role ${role}`);
        await tx`select decrypted_secret from vault.decrypted_secrets`;
      }),
      /permission denied/,
    );
    await assert.rejects(
      postgres.begin(async (tx) => {
        await tx.unsafe(`set local role ${role}`);
        await tx`select vault.create_secret('x')`;
      }),
      /permission denied/,
    );
  }
  const rows = await postgres.begin(async (tx) => {
    await tx.unsafe("set local role service_role");
    return tx`select decrypted_secret from vault.decrypted_secrets where name = 'payments_key'`;
  });
  assert.deepEqual(
    rows.map((r) => r.decrypted_secret),
    ["sk-live-plaintext-value"],
  );
  const [count] = await admin`select count(*)::int as n from vault.secrets where name like 'x%'`;
  assert.equal(count.n, 0);
});
