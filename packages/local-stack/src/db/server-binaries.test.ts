// `[db] major_version` picks the server: 15 runs this machine's PostgreSQL 15 (Debian's here,
// .ci/run installs it), says so, and keeps its own cluster; 17 runs the embedded server. Both
// preload pg_stat_statements, so `supabase inspect db outliers` has data as on Supabase.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startFixtureStack } from "../testing/fixture-stack.ts";
import { connect } from "./connect.ts";
import { findServer, ServerNotFoundError } from "./server-binaries.ts";

test("major_version = 15 runs the installed PostgreSQL 15 with pg_stat_statements preloaded, in its own cluster folder", async () => {
  const stack = await startFixtureStack({ files: { "config.toml": 'project_id = "pg15"\n[db]\nmajor_version = 15\n' } });
  const sql = connect(stack.db.adminUrl, { max: 1 });
  try {
    const [row] = await sql`select current_setting('server_version_num')::int / 10000 as major,
      current_setting('shared_preload_libraries') as preload,
      (select count(*)::int from extensions.pg_stat_statements) >= 0 as statements_readable`;
    assert.deepEqual({ ...row }, { major: 15, preload: "pg_stat_statements", statements_readable: true });
    assert.match(stack.db.server, /PostgreSQL\) 15\.\d+.* from \/usr\/lib\/postgresql\/15\/bin/);
    assert.ok(existsSync(join(stack.workdir, ".basekit", "db-15", "PG_VERSION")));
    assert.ok(!existsSync(join(stack.workdir, ".basekit", "db")));
  } finally {
    await sql.end();
    await stack.dispose();
  }
});

test("the default (17) is the embedded server, also with pg_stat_statements", async () => {
  const stack = await startFixtureStack();
  const sql = connect(stack.db.adminUrl, { max: 1 });
  try {
    const [row] = await sql`select current_setting('server_version_num')::int / 10000 as major,
      exists (select from pg_extension where extname = 'pg_stat_statements' and extnamespace = 'extensions'::regnamespace) as enabled`;
    assert.deepEqual({ ...row }, { major: 17, enabled: true });
    assert.match(stack.db.server, /\(embedded\)$/);
  } finally {
    await sql.end();
    await stack.dispose();
  }
});

test("without a PostgreSQL 15 on the machine, major_version = 15 is a clear error with the ways out, not a silent 17", () => {
  assert.throws(
    () => findServer(15, ["/nonexistent/bin"]),
    (error: Error) =>
      error instanceof ServerNotFoundError &&
      error.message.includes("looked in /nonexistent/bin") &&
      error.message.includes("apt-get install postgresql-15") &&
      error.message.includes("major_version = 17") &&
      error.message.includes("--db-url"),
  );
  // The embedded 17 is never handed out as a 15: a folder holding another version does not count.
  assert.throws(() => findServer(15, [join(findServer(17).postgres, "..")]), ServerNotFoundError);
});
