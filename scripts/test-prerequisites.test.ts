import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..");

test("npm test with pgTAP missing and no apt-get to fetch it fails before starting a stack, naming the command to run", () => {
  const base = Number(process.env.BASEKIT_TEST_PORT_BASE ?? 55320) + 60;
  // A PATH holding node alone: no apt-get to fetch pgTAP with.
  const bin = mkdtempSync(join(tmpdir(), "basekit-path-"));
  symlinkSync(process.execPath, join(bin, "node"));
  const result = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts", "test-all.ts"), "--pgtap", "web/e2e/app.test.ts"], {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      // The installed pgTAP hidden too.
      PATH: bin,
      BASEKIT_IGNORE_SYSTEM: "pgtap",
      PGTAP_DIR: "",
      BASEKIT_TEST_PORT_BASE: String(base),
    },
  });
  const output = result.stdout + result.stderr;
  assert.equal(result.status, 1, output);
  assert.match(output, /sudo apt-get install postgresql-15-pgtap/);
  assert.match(output, /^0 passed, 1 failed$/m);
  assert.doesNotMatch(output, /starting a test stack|node:test/);
});
