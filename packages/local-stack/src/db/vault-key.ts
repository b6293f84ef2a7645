// The Vault's root key, kept where Supabase keeps pgsodium's: outside the database. Its copy of
// record is a file in basekit's state folder (.basekit/vault-root.key, readable by its owner
// only); at every start it is written, through the server, into the data directory, where only
// vault._crypto_root_key() (security definer, superuser-owned) reads it. A dump or a copy of the
// database holds ciphertext only.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { quoteLiteral } from "./bootstrap/apply-bootstrap.ts";
import type { Sql } from "./connect.ts";

/** The file name inside the server's data directory, as the vault extension reads it. */
export const VAULT_KEY_FILE = "basekit_vault_root.key";

export const vaultKeyPath = (stateDir: string) => join(stateDir, "vault-root.key");

/** The project's root key (64 hex characters), made on first use. */
export function vaultRootKey(stateDir: string): string {
  const path = vaultKeyPath(stateDir);
  if (existsSync(path)) {
    const key = readFileSync(path, "utf8").trim();
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`${path} is not a Vault root key (64 hex characters); restore it or delete it`);
    return key;
  }
  mkdirSync(stateDir, { recursive: true });
  const key = randomBytes(32).toString("hex");
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(path, 0o600);
  return key;
}

/** Where the key file is on the server: its data directory (COPY wants an absolute path). */
export async function serverVaultKeyPath(adminSql: Sql): Promise<string> {
  const [row] = await adminSql<{ dir: string }[]>`select current_setting('data_directory') as dir`;
  return `${row.dir}/${VAULT_KEY_FILE}`;
}

/** Writes the key into the server's data directory (COPY runs as the server: local or not). */
export async function installVaultKey(adminSql: Sql, key: string): Promise<void> {
  await adminSql.unsafe(`copy (select ${quoteLiteral(key)}) to ${quoteLiteral(await serverVaultKeyPath(adminSql))}`);
}
