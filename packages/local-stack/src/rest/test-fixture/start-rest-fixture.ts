// Starts one fixture stack with the REST test schema (test-fixture/*.sql) for an end-to-end test file.
import fs, { readdirSync, readFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { type FixtureStack, startFixtureStack } from "../../testing/fixture-stack.ts";

const here = import.meta.dirname;

// Workaround: the fixture folder comes from mkdtemp (mode 0700); when tests run as root, Postgres
// runs as an unprivileged user that cannot enter it. Widen the folder's mode while starting.
function allowUnprivilegedPostgres(): () => void {
  if (process.getuid?.() !== 0) return () => {};
  const original = fs.mkdtempSync;
  fs.mkdtempSync = ((prefix: string, options?: unknown) => {
    const dir = original(prefix, options as BufferEncoding);
    fs.chmodSync(dir, 0o755);
    return dir;
  }) as typeof fs.mkdtempSync;
  syncBuiltinESMExports();
  return () => {
    fs.mkdtempSync = original;
    syncBuiltinESMExports();
  };
}

export const FIXTURE_CONFIG = `project_id = "rest-fixture"

[api]
schemas = ["public", "graphql_public", "api_two"]
extra_search_path = ["public", "extensions"]
max_rows = 1000
`;

/** Starts a stack whose database holds the REST fixture schema (every *.sql here, in name order). */
export async function startRestFixture(config = FIXTURE_CONFIG): Promise<FixtureStack> {
  const files: Record<string, string> = { "config.toml": config };
  const sqlFiles = readdirSync(here)
    .filter((name) => name.endsWith(".sql"))
    .sort();
  sqlFiles.forEach((name, index) => {
    files[`migrations/2025010100000${index}_${name}`] = readFileSync(join(here, name), "utf8");
  });
  const restore = allowUnprivilegedPostgres();
  try {
    return await startFixtureStack({ files });
  } finally {
    restore();
  }
}
