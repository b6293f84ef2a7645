// A project whose migrations need an extension the server lacks fails before any migration is
// applied, with every such extension named by file and line and the ways out.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../config/load-config.ts";
import { createLogger } from "../../log/logger.ts";
import { startStack } from "../../stack.ts";
import { freePort } from "../../testing/fixture-stack.ts";
import { connect } from "../connect.ts";
import { openDatabase } from "../database.ts";
import { MigrationError } from "./apply-migrations.ts";
import { findExtensionUses, missingExtensionsMessage } from "./required-extensions.ts";

test("create extension statements are found with their line, comments and quoted names included", () => {
  const text = [
    "-- set up",
    "create table a (id int);",
    "/* vectors */ create extension if not exists vector with schema extensions;",
    'create extension "uuid-ossp";',
    "select 'create extension http;';",
    "do $$ begin create extension hstore; end $$;",
    "",
    "CREATE EXTENSION\n  pg_tle;",
  ].join("\n");
  assert.deepEqual(
    findExtensionUses(text, "m.sql").map((use) => [use.extension, use.line]),
    [
      ["vector", 3],
      ["uuid-ossp", 4],
      ["pg_tle", 8],
    ],
  );
});

test("the message names each missing extension with file:line and the ways out", () => {
  const message = missingExtensionsMessage(
    [
      { extension: "vector", path: "/p/supabase/migrations/1_a.sql", line: 3 },
      { extension: "http", path: "/p/supabase/migrations/2_b.sql", line: 7 },
    ],
    "/p",
    "PostgreSQL 17.10 (embedded)",
  );
  assert.match(message, /vector {2}supabase\/migrations\/1_a\.sql:3/);
  assert.match(message, /http {4}supabase\/migrations\/2_b\.sql:7/);
  assert.match(message, /--db-url/);
  assert.match(message, /apt-get install postgresql-15-pgvector postgresql-15-http/);
  assert.match(message, /no migration was applied/);
});

test("a project needing vector and http fails start before any of its migrations is applied", async () => {
  const workdir = mkdtempSync(join(tmpdir(), "basekit-extensions-"));
  mkdirSync(join(workdir, "supabase", "migrations"), { recursive: true });
  writeFileSync(join(workdir, "supabase", "config.toml"), 'project_id = "extensions"\n');
  writeFileSync(join(workdir, "supabase", "migrations", "20240101000000_notes.sql"), "create table public.notes (id int);\n");
  writeFileSync(
    join(workdir, "supabase", "migrations", "20240101000100_embeddings.sql"),
    "create extension if not exists pgcrypto with schema extensions;\n\ncreate extension if not exists vector with schema extensions;\ncreate table public.docs (id int);\n",
  );
  writeFileSync(join(workdir, "supabase", "migrations", "20240101000200_http.sql"), "-- calls out\ncreate extension http;\n");
  const config = loadConfig(workdir, {
    apiPort: await freePort(),
    dbPort: await freePort(),
    mailPort: await freePort(),
    stateDir: join(workdir, ".basekit"),
  });
  const quiet = createLogger({}, () => {}, "error");
  const progress: string[] = [];
  await assert.rejects(
    startStack(config, quiet, { progress: (line) => progress.push(line) }),
    (error: Error) =>
      error instanceof MigrationError &&
      error.message.includes("vector  supabase/migrations/20240101000100_embeddings.sql:3") &&
      error.message.includes("http    supabase/migrations/20240101000200_http.sql:2") &&
      !error.message.includes("pgcrypto"),
  );
  assert.deepEqual(
    progress.filter((line) => line.startsWith("Applying migration")),
    [],
  );
  const db = await openDatabase(config, quiet);
  const sql = connect(db.adminUrl, { max: 1 });
  try {
    const [row] = await sql`select (select count(*)::int from supabase_migrations.schema_migrations) as applied,
      to_regclass('public.notes') is null as no_notes`;
    assert.deepEqual({ ...row }, { applied: 0, no_notes: true });
  } finally {
    await sql.end();
    await db.stop();
  }
});
