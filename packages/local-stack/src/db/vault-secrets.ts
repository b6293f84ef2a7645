// `[db.vault]` in config.toml: each `name = "value"` (usually "env(NAME)") becomes a Vault secret
// before the migrations run, created or updated by name, as the CLI's UpsertVaultSecrets does.
// Empty values (an unset variable) are skipped, as there.
import type { Sql } from "./connect.ts";

export function configuredVaultSecrets(vault: Record<string, unknown>): Map<string, string> {
  return new Map(Object.entries(vault).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== ""));
}

export async function upsertVaultSecrets(sql: Sql, secrets: Map<string, string>, progress: (line: string) => void): Promise<void> {
  if (secrets.size === 0) return;
  progress("Updating vault secrets...");
  const existing = await sql<{ id: string; name: string }[]>`select id, name from vault.secrets where name = any(${[...secrets.keys()]})`;
  const ids = new Map(existing.map((row) => [row.name, row.id]));
  for (const [name, value] of secrets) {
    const id = ids.get(name);
    if (id) await sql`select vault.update_secret(${id}::uuid, ${value})`;
    else await sql`select vault.create_secret(${value}, ${name})`;
  }
}
