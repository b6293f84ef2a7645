// Applies supabase/migrations/<version>_<name>.sql in version order and records each in
// supabase_migrations.schema_migrations exactly as the Supabase CLI does, so `supabase migration
// list` and basekit agree on what is applied. Each file runs in one transaction: a failing file
// leaves the database as it was before that file, and its error names the file and line.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Sql } from "../connect.ts";
import { lineOf, splitStatements } from "./split-statements.ts";

const MIGRATION_FILE = /^([0-9]+)_(.*)\.sql$/;

export interface MigrationFile {
  version: string;
  name: string;
  path: string;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

export function listMigrationFiles(migrationsDir: string): MigrationFile[] {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir)
    .map((file) => ({ file, match: MIGRATION_FILE.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({ version: match[1], name: match[2], path: join(migrationsDir, file) }))
    .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

/** Creates the CLI's bookkeeping tables if this database has never seen a migration. */
export async function ensureMigrationHistory(sql: Sql): Promise<void> {
  await sql
    .unsafe(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
    create table if not exists supabase_migrations.seed_files (path text primary key, hash text not null);
  `)
    .simple();
}

export async function appliedVersions(sql: Sql): Promise<Set<string>> {
  await ensureMigrationHistory(sql);
  const rows = await sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations`;
  return new Set(rows.map((row) => row.version));
}

/** Runs a SQL file's text in one transaction together with `after`; rethrows with file and line. */
export async function runSqlFile(
  sql: Sql,
  path: string,
  after?: (tx: Sql) => Promise<unknown>,
  before?: (tx: Sql) => Promise<unknown>,
): Promise<void> {
  const text = readFileSync(path, "utf8");
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe("reset all");
      if (before) await before(tx as unknown as Sql);
      await tx.unsafe(text).simple();
      if (after) await after(tx as unknown as Sql);
    });
  } catch (error) {
    const pgError = error as { message: string; position?: string; where?: string };
    const line = pgError.position ? lineOf(text, Number(pgError.position)) : undefined;
    const where = pgError.where ? ` (${pgError.where.split("\n")[0]})` : "";
    throw new MigrationError(`${path}${line ? `:${line}` : ""}: ${pgError.message}${where}`, path, line);
  }
}

export interface MigrateResult {
  applied: MigrationFile[];
  skipped: number;
}

export async function applyMigrations(
  sql: Sql,
  migrationsDir: string,
  onApply: (file: MigrationFile) => void = () => {},
  /** Runs before the first pending file; throwing stops the run with nothing applied. */
  checkPending: (pending: MigrationFile[]) => Promise<void> = async () => {},
): Promise<MigrateResult> {
  const done = await appliedVersions(sql);
  const pending = listMigrationFiles(migrationsDir).filter((file) => !done.has(file.version));
  await checkPending(pending);
  for (const file of pending) {
    onApply(file);
    const statements = splitStatements(readFileSync(file.path, "utf8"));
    await runSqlFile(
      sql,
      file.path,
      (tx) =>
        tx`insert into supabase_migrations.schema_migrations (version, name, statements) values (${file.version}, ${file.name}, ${statements})`,
    );
  }
  return { applied: pending, skipped: done.size };
}
