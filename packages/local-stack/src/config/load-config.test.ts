import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError, DEFAULT_JWT_SECRET, loadConfig } from "./load-config.ts";

function project(toml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "basekit-config-"));
  mkdirSync(join(dir, "supabase"));
  writeFileSync(join(dir, "supabase", "config.toml"), toml);
  return dir;
}

test("reads ports and settings, with the CLI's defaults for what is missing", () => {
  const config = loadConfig(project('project_id = "p"\n[api]\nport = 6000\n[db]\nport = 6001\n'), {}, {});
  assert.equal(config.projectId, "p");
  assert.equal(config.api.port, 6000);
  assert.equal(config.db.port, 6001);
  assert.equal(config.mail.port, 54324);
  assert.deepEqual(config.api.schemas, ["public", "graphql_public"]);
  assert.equal(config.auth.jwtSecret, DEFAULT_JWT_SECRET);
  assert.deepEqual(config.db.seed.sqlPaths, ["./seed.sql"]);
});

test("the mail port comes from [inbucket] or the newer [local_smtp]", () => {
  assert.equal(loadConfig(project("[inbucket]\nport = 7000\n"), {}, {}).mail.port, 7000);
  assert.equal(loadConfig(project("[local_smtp]\nport = 7001\n"), {}, {}).mail.port, 7001);
});

test("env(NAME) values are substituted from the environment", () => {
  const config = loadConfig(project('[auth]\njwt_secret = "env(MY_SECRET)"\n'), {}, { MY_SECRET: "x".repeat(40) });
  assert.equal(config.auth.jwtSecret, "x".repeat(40));
});

test("unknown keys are listed for a warning, not rejected", () => {
  const config = loadConfig(
    project("[api]\nport = 1\nfuture_flag = true\n[brand_new_section]\nx = 1\n[storage.buckets.avatars]\npublic = true\n"),
    {},
    {},
  );
  assert.deepEqual(config.unknownKeys.sort(), ["api.future_flag", "brand_new_section"]);
});

test("overrides and BASEKIT_*_PORT variables win over the file", () => {
  const dir = project("[api]\nport = 6000\n");
  assert.equal(loadConfig(dir, { apiPort: 7100 }, {}).api.port, 7100);
  assert.equal(loadConfig(dir, {}, { BASEKIT_API_PORT: "7200" }).api.port, 7200);
  assert.throws(() => loadConfig(dir, {}, { BASEKIT_API_PORT: "nope" }), ConfigError);
});

test("a missing config.toml or invalid TOML is a clear ConfigError", () => {
  assert.throws(() => loadConfig(mkdtempSync(join(tmpdir(), "empty-"))), /No supabase\/config.toml/);
  assert.throws(() => loadConfig(project("[api\nport=")), /not valid TOML/);
  assert.throws(() => loadConfig(project('[api]\nport = "high"\n'), {}, {}), /"port" should be a number/);
});
