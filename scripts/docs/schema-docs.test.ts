// docs/schema.md is what `npm run docs` writes for the schema the migrations build: regenerated
// here from a database made by `basekit db reset` alone (the test stack's database also holds
// whatever other tests create), and compared byte for byte.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { connect } from "../../packages/local-stack/src/db/connect.ts";
import { type RunningPostgres, SUPERUSER } from "../../packages/local-stack/src/db/embedded-postgres.ts";
import { startPostgres15 } from "../ci/postgres15.ts";
import { generateSchemaDocs, schemaDocsPath } from "./generate-schema-docs.ts";
import { readSchema } from "./read-schema.ts";

const root = join(import.meta.dirname, "..", "..");
let server: RunningPostgres;
let workdir: string;

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), "basekit-docs-"));
  chmodSync(workdir, 0o755);
  server = await startPostgres15(join(workdir, "pg"));
  const reset = spawnSync(
    process.execPath,
    [join(root, "packages", "local-stack", "bin", "basekit.js"), "db", "reset", "--workdir", root, "--db-url", server.url(SUPERUSER)],
    { encoding: "utf8" },
  );
  assert.equal(reset.status, 0, reset.stdout + reset.stderr);
});

after(async () => {
  await server?.stop();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

test("docs/schema.md is what npm run docs generates from the migrations", async () => {
  const generated = await generateSchemaDocs(server.url(SUPERUSER));
  assert.ok(
    readFileSync(schemaDocsPath, "utf8") === generated,
    "docs/schema.md is stale: run `npm run docs` (with the stack running: npm start) and commit the result",
  );
});

test("the schema docs cover every public table with its policies and comments", async () => {
  const sql = connect(server.url(SUPERUSER), { max: 1 });
  try {
    const schema = await readSchema(sql);
    const docs = await generateSchemaDocs(server.url(SUPERUSER));
    assert.ok(schema.tables.length >= 10, `found ${schema.tables.length} tables`);
    for (const table of schema.tables) {
      assert.ok(docs.includes(`### ${table.name}\n\n${table.comment}`), `${table.name} and its comment`);
      for (const policy of table.policies) assert.ok(docs.includes(`| ${policy.name}`), `${table.name}: policy ${policy.name}`);
    }
    assert.ok(docs.includes("rooms ||--o{ messages"), "a foreign key is a relationship in the diagram");
  } finally {
    await sql.end();
  }
});
