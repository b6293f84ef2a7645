// The deploy pipeline's `supabase db push --db-url`, proven without a hosted project: Debian's
// PostgreSQL 15 (pg_dump 15 must match the server) plays the hosted database, prepared by basekit's
// bootstrap only, as a new project is before its first push. The schema the real CLI leaves must
// equal the one `basekit db reset` builds, on a new project and on one a release behind.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { connect } from "../../packages/local-stack/src/db/connect.ts";
import { type RunningPostgres, SUPERUSER } from "../../packages/local-stack/src/db/embedded-postgres.ts";
import { applyMigrations } from "../../packages/local-stack/src/db/migrations/apply-migrations.ts";
import { debianBin, startPostgres15 } from "./postgres15.ts";

const root = join(import.meta.dirname, "..", "..");
const basekitBin = join(root, "packages", "local-stack", "bin", "basekit.js");
const supabaseBin = join(root, "node_modules", ".bin", "supabase");
// The previous release: the migrations as they stood before the first one of 2 December was added.
const firstMigrationOfCurrentRelease = "supabase/migrations/20261202060000_read_position_within_room.sql";

// pg_cron lives in database postgres only (as on Supabase), so each project gets its own server.
const servers = new Map<string, RunningPostgres>();
let workdir: string;

function run(command: string, args: string[], cwd = root): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: "1" } });
  assert.equal(result.status, 0, `${command} ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

const superuserUrl = (project: string) => (servers.get(project) as RunningPostgres).url(SUPERUSER);
// What a hosted project's connection string gives the CLI: role postgres.
const postgresUrl = (project: string) => (servers.get(project) as RunningPostgres).url("postgres");

/** A PostgreSQL 15 server for one project, as a hosted project has its own. */
async function startServer(project: string): Promise<void> {
  servers.set(project, await startPostgres15(join(workdir, `pg-${project}`)));
}

/** A project folder with this repo's config and the given migrations (seed empty: schema only). */
function projectWith(name: string, migrations: Record<string, string> | "none"): string {
  const dir = join(workdir, name);
  mkdirSync(join(dir, "supabase", "migrations"), { recursive: true });
  let config = readFileSync(join(root, "supabase", "config.toml"), "utf8");
  // With migrations and seeds off basekit leaves supabase_migrations.schema_migrations to the CLI,
  // as a new hosted project has none until its first push.
  if (migrations === "none") {
    config = config
      .replace(/(\[db\.migrations\]\s*enabled\s*=\s*)true/, "$1false")
      .replace(/(\[db\.seed\]\s*enabled\s*=\s*)true/, "$1false");
  }
  writeFileSync(join(dir, "supabase", "config.toml"), config);
  writeFileSync(join(dir, "supabase", "seed.sql"), "");
  for (const [file, body] of Object.entries(migrations === "none" ? {} : migrations))
    writeFileSync(join(dir, "supabase", "migrations", file), body);
  return dir;
}

function previousReleaseMigrations(): Record<string, string> {
  const added = run("git", ["log", "--diff-filter=A", "--format=%H", "--", firstMigrationOfCurrentRelease]).trim().split("\n").at(-1);
  assert.ok(added, `git history has no commit adding ${firstMigrationOfCurrentRelease}`);
  const files = run("git", ["ls-tree", "--name-only", `${added}^`, "supabase/migrations/"])
    .trim()
    .split("\n");
  assert.ok(files.length > 0, "the previous release has migrations");
  return Object.fromEntries(files.map((path) => [path.split("/").at(-1) as string, run("git", ["show", `${added}^:${path}`])]));
}

/** A new hosted project: Supabase's own schemas and roles, none of the project's. */
async function freshProject(database: string): Promise<void> {
  await startServer(database);
  run(process.execPath, [
    basekitBin,
    "db",
    "reset",
    "--workdir",
    projectWith(`empty-${database}`, "none"),
    "--db-url",
    superuserUrl(database),
  ]);
}

function dbPush(projectDir: string, database: string): string {
  return run(supabaseBin, ["db", "push", "--db-url", postgresUrl(database), "--yes", "--workdir", projectDir]);
}

/** The schema as pg_dump prints it, less what differs between two dumps of the same schema. */
function schemaDump(database: string): string {
  const dump = run(join(debianBin, "pg_dump"), ["--schema-only", "--exclude-schema=supabase_migrations", superuserUrl(database)]);
  return dump
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("--") && !/^\\(un)?restrict /.test(line))
    .join("\n");
}

async function appliedVersions(database: string): Promise<string[]> {
  const sql = connect(superuserUrl(database), { max: 1 });
  try {
    if (!(await sql`select to_regclass('supabase_migrations.schema_migrations') as t`)[0].t) return [];
    return (await sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations order by version`).map(
      (row) => row.version,
    );
  } finally {
    await sql.end();
  }
}

function assertSameSchema(database: string, reference: string): void {
  const actual = schemaDump(database).split("\n");
  const expected = schemaDump(reference).split("\n");
  const missing = expected.filter((line) => !actual.includes(line));
  const extra = actual.filter((line) => !expected.includes(line));
  assert.deepEqual({ missing: missing.slice(0, 20), extra: extra.slice(0, 20) }, { missing: [], extra: [] });
  assert.equal(actual.join("\n"), expected.join("\n"), "same statements in the same order");
}

const repoMigrations = () =>
  run("git", ["ls-files", "supabase/migrations"])
    .trim()
    .split("\n")
    .map((path) => path.split("/").at(-1)?.slice(0, 14));

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), "basekit-db-push-"));
  chmodSync(workdir, 0o755);
  // The reference: what `basekit db reset` builds from this repository on its own server, where
  // it runs the migrations as postgres (given a --db-url it would run them as that URL's role).
  await freshProject("reference");
  const sql = connect(postgresUrl("reference"), { max: 1 });
  try {
    await applyMigrations(sql, join(root, "supabase", "migrations"));
  } finally {
    await sql.end();
  }
});

after(async () => {
  for (const server of servers.values()) await server.stop();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

test("supabase db push --db-url deploys every migration to a new project, leaving the schema basekit db reset builds", async () => {
  await freshProject("fresh");
  assert.deepEqual(await appliedVersions("fresh"), []);
  dbPush(root, "fresh");
  assert.deepEqual(await appliedVersions("fresh"), repoMigrations());
  assertSameSchema("fresh", "reference");
  assert.match(dbPush(root, "fresh"), /up to date/i, "a second push has nothing to do");
});

test("supabase db push upgrades a project at the previous release's migrations to the same schema", async () => {
  const previous = previousReleaseMigrations();
  await freshProject("upgrade");
  dbPush(projectWith("previous-release", previous), "upgrade");
  const before = await appliedVersions("upgrade");
  assert.deepEqual(
    before,
    Object.keys(previous).map((file) => file.slice(0, 14)),
  );
  assert.ok(before.length < repoMigrations().length, "the previous release is behind this one");
  dbPush(root, "upgrade");
  assert.deepEqual(await appliedVersions("upgrade"), repoMigrations());
  assertSameSchema("upgrade", "reference");
});
