// `npm run docs`: writes docs/schema.md, the database's entity-relationship diagram and its
// table / column / policy / function reference, from a live database and the comments the
// migrations put on every object. Output depends only on the schema (everything sorted), so a
// stale file is a plain diff: scripts/docs/schema-docs.test.ts regenerates it and compares.
//
//   npm run docs                      from the running stack (basekit status)
//   npm run docs -- --db-url URL      from another database
//   npm run docs -- --check           print nothing, exit 1 when docs/schema.md differs
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { connect } from "../../packages/local-stack/src/db/connect.ts";
import { readSchema } from "./read-schema.ts";
import { renderSchemaDocs } from "./render-schema-docs.ts";

const root = join(import.meta.dirname, "..", "..");
export const schemaDocsPath = join(root, "docs", "schema.md");

function runningStackDbUrl(): string {
  const bin = join(root, "packages", "local-stack", "bin", "basekit.js");
  const result = spawnSync(process.execPath, [bin, "status", "-o", "json", "--workdir", root], { encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`no running stack to read the schema from (start one with npm start, or pass --db-url)\n${result.stderr}`);
  return (JSON.parse(result.stdout) as { DB_URL: string }).DB_URL;
}

/** The markdown docs/schema.md should hold for the database at `dbUrl`. */
export async function generateSchemaDocs(dbUrl: string): Promise<string> {
  const sql = connect(dbUrl, { max: 1 });
  try {
    return renderSchemaDocs(await readSchema(sql));
  } finally {
    await sql.end();
  }
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { "db-url": { type: "string" }, check: { type: "boolean" } } });
  const docs = await generateSchemaDocs(values["db-url"] ?? runningStackDbUrl());
  if (values.check) {
    process.exitCode = readFileSync(schemaDocsPath, "utf8") === docs ? 0 : 1;
  } else {
    writeFileSync(schemaDocsPath, docs);
    console.log(`wrote ${schemaDocsPath}`);
  }
}
