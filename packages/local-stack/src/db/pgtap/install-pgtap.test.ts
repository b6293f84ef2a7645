import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { installPgTapFiles, PgTapMissingError } from "./install-pgtap.ts";

const folder = () => mkdtempSync(join(tmpdir(), "basekit-pgtap-"));

test("without pgTAP anywhere, the error says how to install it and nothing is copied", () => {
  const target = folder();
  assert.throws(
    () => installPgTapFiles(target, [folder(), undefined, join(folder(), "missing")], { fetch: () => undefined }),
    (error: Error) =>
      error instanceof PgTapMissingError && /apt-get install postgresql-15-pgtap/.test(error.message) && /PGTAP_DIR/.test(error.message),
  );
  assert.deepEqual(readdirSync(target), []);
});

test("pgTAP files found in a versioned share folder (as Debian lays them out) are copied into the server's extension folder", () => {
  const share = folder();
  const extension = join(share, "15", "extension");
  mkdirSync(extension, { recursive: true });
  writeFileSync(join(extension, "pgtap.control"), "default_version = '1.2.0'\n");
  writeFileSync(join(extension, "pgtap--1.2.0.sql"), "select 1;\n");
  writeFileSync(join(extension, "plpgsql.control"), "not ours\n");
  const target = folder();
  installPgTapFiles(target, [undefined, share]);
  assert.deepEqual(readdirSync(target).sort(), ["pgtap--1.2.0.sql", "pgtap.control"]);
  assert.ok(!existsSync(join(target, "plpgsql.control")));
});

test("with no pgTAP installed, Debian's package is fetched with apt-get, saying so on one line, and its files copied", () => {
  const target = folder();
  // A copy made earlier does not count while the system's pgTAP is hidden: it is replaced.
  writeFileSync(join(target, "pgtap.control"), "stale\n");
  const lines: string[] = [];
  installPgTapFiles(target, undefined, { env: { BASEKIT_IGNORE_SYSTEM: "pgtap" }, log: (line) => lines.push(line) });
  assert.equal(lines.filter((line) => /fetching Debian's postgresql-\d+-pgtap with apt-get/.test(line)).length, 1);
  assert.match(readFileSync(join(target, "pgtap.control"), "utf8"), /default_version/);
  assert.ok(readdirSync(target).some((file) => /^pgtap--[\d.]+\.sql$/.test(file)));
  assert.ok(readdirSync(target).every((file) => file.startsWith("pgtap")));
});
