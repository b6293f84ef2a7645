// The committed Database types must match the schema the migrations build: regenerate them with
// `basekit gen types -f packages/client-sdk/src/database.types.ts` when this fails.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../local-stack/bin/basekit.js", import.meta.url));
const committed = fileURLToPath(new URL("./database.types.ts", import.meta.url));

test("database.types.ts is up to date with the migrations", () => {
  const dbUrl = process.env.SUPABASE_DB_URL;
  assert.ok(dbUrl, "SUPABASE_DB_URL is set by npm test");
  const generated = execFileSync(process.execPath, [bin, "gen", "types", "--db-url", dbUrl], { encoding: "utf8" });
  assert.ok(generated.includes("export type Database"), "basekit gen types printed types");
  assert.equal(
    readFileSync(committed, "utf8"),
    generated,
    "stale types: run `basekit gen types -f packages/client-sdk/src/database.types.ts`",
  );
});
