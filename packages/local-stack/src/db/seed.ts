// Runs the seed files named by [db.seed] sql_paths (globs, already resolved against supabase/),
// recording each with its sha256 in supabase_migrations.seed_files as the CLI does: under its path
// from the project root (`supabase/seed.sql`), so `supabase db push --include-seed` sees it applied.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { Sql } from "./connect.ts";
import { ensureMigrationHistory, runSqlFile } from "./migrations/apply-migrations.ts";

/** Expands `*` and `?` in the file-name part of a path; directories are taken literally. */
export function expandSeedPaths(supabaseDir: string, patterns: string[]): string[] {
  const files: string[] = [];
  for (const pattern of patterns) {
    const full = resolve(supabaseDir, pattern);
    const name = basename(full);
    if (!/[*?]/.test(name)) {
      if (existsSync(full)) files.push(full);
      continue;
    }
    const dir = dirname(full);
    if (!existsSync(dir)) continue;
    const regex = new RegExp(
      `^${name
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
    );
    files.push(
      ...readdirSync(dir)
        .filter((file) => regex.test(file))
        .sort()
        .map((file) => join(dir, file)),
    );
  }
  return [...new Set(files)];
}

export async function runSeeds(
  sql: Sql,
  projectRoot: string,
  patterns: string[],
  onSeed: (path: string) => void = () => {},
): Promise<string[]> {
  await ensureMigrationHistory(sql);
  const files = expandSeedPaths(join(projectRoot, "supabase"), patterns);
  for (const file of files) {
    const path = relative(projectRoot, file).split(sep).join("/");
    const hash = createHash("sha256").update(readFileSync(file)).digest("hex");
    onSeed(path);
    await runSqlFile(
      sql,
      file,
      (tx) =>
        tx`insert into supabase_migrations.seed_files (path, hash) values (${path}, ${hash}) on conflict (path) do update set hash = excluded.hash`,
    );
  }
  return files;
}
