// The real Supabase CLI and basekit must agree: the CLI parses the kit's config.toml and sees
// every migration basekit applied as applied, in both columns of `migration list`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { listMigrationFiles } from "../db/migrations/apply-migrations.ts";

const workdir = process.env.BASEKIT_WORKDIR;
const dbUrl = process.env.SUPABASE_DB_URL;

test("supabase migration list (the real CLI) reads config.toml and lists basekit's migrations as applied", () => {
  assert.ok(workdir && dbUrl, "run through `npm test`, which starts the stack and sets BASEKIT_WORKDIR and SUPABASE_DB_URL");
  const result = spawnSync("npx", ["supabase", "migration", "list", "--db-url", dbUrl ?? ""], { cwd: workdir, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  const versions = listMigrationFiles(join(workdir ?? "", "supabase", "migrations")).map((file) => file.version);
  assert.ok(versions.length > 0);
  for (const version of versions) {
    const row = result.stdout.split("\n").find((line) => line.includes(version));
    assert.ok(row, `migration ${version} missing from the CLI's list`);
    assert.equal(row.split(version).length - 1, 2, `migration ${version} not applied on both sides: ${row}`);
  }
});
