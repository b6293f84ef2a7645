// `basekit test db` judges pgTAP files as `supabase test db` (pg_prove) does, and leaves pgTAP
// installed only if it was before the run.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connect } from "../../db/connect.ts";
import { type CliProject, cliProject } from "../cli-test-kit.ts";

let project: CliProject;
const dbUrl = () => `postgresql://supabase_admin:postgres@127.0.0.1:${project.ports.db}/postgres`;

// Twenty tests, each row with a second column: pg_prove prints "ok N - ...|why" and counts it.
const twoColumnTests = [
  "begin;",
  "select plan(20);",
  ...Array.from({ length: 19 }, (_, i) => `select ok(true, 'check ${i + 1}'), 'why ${i + 1}';`),
  "select has_table('public', 'notes', 'notes exist'), 'the table';",
  "select * from finish();",
  "rollback;",
].join("\n");

before(async () => {
  project = await cliProject({
    "supabase/config.toml": 'project_id = "pgtap-counting"\n',
    "supabase/migrations/20240101000000_notes.sql": "create table public.notes (id int);\n",
    "supabase/tests/two_columns.test.sql": twoColumnTests,
    "supabase/tests/failing/wrong_plan.test.sql": "begin;\nselect plan(3);\nselect ok(true), 'one';\nselect ok(true), 'two';\nrollback;\n",
  });
  const started = project.basekit("start", "--detach");
  assert.equal(started.status, 0, started.stderr + started.stdout);
});

after(() => project?.dispose());

async function pgTapInstalled(): Promise<boolean> {
  const sql = connect(dbUrl(), { max: 1 });
  try {
    const [row] = await sql`select exists (select from pg_extension where extname = 'pgtap') as installed`;
    return row.installed;
  } finally {
    await sql.end();
  }
}

test("a file of two-column `select ok(...), 'why'` rows passes with all 20 tests counted, and pgTAP is dropped after the run that created it", async () => {
  assert.equal(await pgTapInstalled(), false);
  const run = project.basekit("test", "db", `${project.workdir}/supabase/tests/two_columns.test.sql`);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^ok 20 - notes exist\|the table$/m);
  assert.match(run.stdout, /pgtap: 20 passed, 0 failed/);
  assert.equal(await pgTapInstalled(), false);
});

test("a file that runs fewer tests than planned fails, whatever the width of its rows", () => {
  const run = project.basekit("test", "db", `${project.workdir}/supabase/tests/failing`);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /planned 3 tests but ran 2/);
  assert.match(run.stdout, /pgtap: 2 passed, 0 failed/);
});

test("pgTAP the project installed itself is still installed after the run", async () => {
  const sql = connect(dbUrl(), { max: 1 });
  try {
    await sql`create extension pgtap with schema extensions`;
  } finally {
    await sql.end();
  }
  const run = project.basekit("test", "db", `${project.workdir}/supabase/tests/two_columns.test.sql`);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.equal(await pgTapInstalled(), true);
});
