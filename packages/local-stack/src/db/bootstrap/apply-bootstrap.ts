// Gives a fresh database what Supabase's Postgres image, CLI and service migrations give it
// (roles, schemas, auth/storage/realtime tables, grants), by running the numbered SQL files
// beside this module. Files already applied are recorded in _basekit.bootstrap so that a newer
// basekit can add files to an existing database without a reset.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Sql } from "../connect.ts";
import { runSqlFile } from "../migrations/apply-migrations.ts";

const bootstrapDir = dirname(fileURLToPath(import.meta.url));

export function listBootstrapFiles(): string[] {
  return readdirSync(bootstrapDir)
    .filter((file) => /^\d+_.*\.sql$/.test(file))
    .sort();
}

export interface BootstrapSettings {
  jwtSecret: string;
  jwtExpiry: number;
}

/** Applies bootstrap files not yet recorded. Runs as the cluster superuser. */
export async function applyBootstrap(sql: Sql, settings: BootstrapSettings, onFile: (file: string) => void = () => {}): Promise<string[]> {
  await sql
    .unsafe(`
    create schema if not exists _basekit;
    comment on schema _basekit is 'basekit local stack bookkeeping (not part of Supabase; never exposed)';
    create table if not exists _basekit.bootstrap (file text primary key, applied_at timestamptz not null default now());
  `)
    .simple();
  const done = new Set((await sql<{ file: string }[]>`select file from _basekit.bootstrap`).map((row) => row.file));
  const pending = listBootstrapFiles().filter((file) => !done.has(file));
  for (const file of pending) {
    onFile(file);
    await runSqlFile(
      sql,
      join(bootstrapDir, file),
      (tx) => tx`insert into _basekit.bootstrap (file) values (${file})`,
      (tx) =>
        tx`select set_config('basekit.jwt_secret', ${settings.jwtSecret}, true), set_config('basekit.jwt_exp', ${String(settings.jwtExpiry)}, true)`,
    );
  }
  if (pending.length > 0) {
    // Settings the files read with current_setting('basekit.jwt_secret'), made durable for later
    // sessions as the CLI's app.settings.* are.
    await sql.unsafe(
      `alter database ${quoteIdent(await currentDatabase(sql))} set app.settings.jwt_secret = ${quoteLiteral(settings.jwtSecret)}`,
    );
    await sql.unsafe(
      `alter database ${quoteIdent(await currentDatabase(sql))} set app.settings.jwt_exp = ${quoteLiteral(String(settings.jwtExpiry))}`,
    );
  }
  return pending;
}

async function currentDatabase(sql: Sql): Promise<string> {
  const [row] = await sql<{ name: string }[]>`select current_database() as name`;
  return row.name;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;
