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
  assert.deepEqual(config.db.seed.sqlPaths, [join(config.supabaseDir, "seed.sql")]);
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

test("an email template's content_path is read from the project root, as the CLI does (not supabase/supabase/...)", () => {
  const dir = project('[auth.email.template.confirmation]\nsubject = "Hi"\ncontent_path = "./supabase/templates/confirm.html"\n');
  mkdirSync(join(dir, "supabase", "templates"));
  writeFileSync(join(dir, "supabase", "templates", "confirm.html"), "<p>{{ .ConfirmationURL }}</p>");
  const config = loadConfig(dir, {}, {});
  const template = (config.raw.auth as { email: { template: { confirmation: { content_path: string } } } }).email.template.confirmation;
  assert.equal(template.content_path, join(dir, "supabase", "templates", "confirm.html"));
});

test("a missing template file fails the load naming the key and the path it looked at, as the CLI's message does", () => {
  const dir = project('[auth.email.template.invite]\ncontent_path = "./templates/invite.html"\n');
  assert.throws(
    () => loadConfig(dir, {}, {}),
    (error: Error) =>
      error instanceof ConfigError &&
      error.message.includes(`Invalid config for auth.email.template.invite.content_path: open ${join(dir, "templates", "invite.html")}`),
  );
});

test("every other path-valued key is resolved against supabase/, absolute paths are kept", () => {
  const dir = project(
    [
      "[auth]",
      'signing_keys_path = "./signing_keys.json"',
      "[auth.email.notification.password_changed]",
      "enabled = false",
      'content_path = "./templates/changed.html"',
      "[storage.buckets.images]",
      'objects_path = "./images"',
      "[functions.hello]",
      'entrypoint = "./functions/hello/main.ts"',
      'import_map = "./functions/import_map.json"',
      'static_files = ["./functions/hello/*.html", "/abs/file.txt"]',
      "[db.seed]",
      'sql_paths = ["./seeds/*.sql", "/abs/seed.sql"]',
      "[db.migrations]",
      'schema_paths = ["./schemas/a.sql"]',
    ].join("\n"),
  );
  const config = loadConfig(dir, {}, {});
  const s = (path: string) => join(dir, "supabase", path);
  const raw = config.raw as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
  assert.equal(raw.auth.signing_keys_path, s("signing_keys.json"));
  assert.equal(
    (raw.auth.email.notification as Record<string, Record<string, unknown>>).password_changed.content_path,
    s("templates/changed.html"),
  );
  assert.equal(raw.storage.buckets.images.objects_path, s("images"));
  assert.equal(raw.functions.hello.entrypoint, s("functions/hello/main.ts"));
  assert.equal(raw.functions.hello.import_map, s("functions/import_map.json"));
  assert.deepEqual(raw.functions.hello.static_files, [s("functions/hello/*.html"), "/abs/file.txt"]);
  assert.deepEqual(config.db.seed.sqlPaths, [s("seeds/*.sql"), "/abs/seed.sql"]);
  assert.deepEqual(raw.db.migrations.schema_paths, [s("schemas/a.sql")]);
});

test("features the file enables but basekit does not serve are each listed once", () => {
  const config = loadConfig(
    project(
      '[studio]\nenabled = true\n[auth.external.github]\nenabled = true\nclient_id = "x"\n[auth.external.apple]\nenabled = false\n[auth.hook.before_user_created]\nenabled = true\nuri = "pg-functions://postgres/public/hook"\n[auth.sms.twilio]\nenabled = true\n',
    ),
    {},
    {},
  );
  assert.deepEqual(config.unservedFeatures, [
    "[studio] enabled = true: Supabase Studio (the dashboard)",
    '[auth.external.github] enabled = true: OAuth sign-in provider "github"',
    '[auth.hook.before_user_created] enabled = true: Auth hook "before_user_created"',
    "[auth.sms.twilio] enabled = true: sending SMS through twilio",
  ]);
  assert.deepEqual(loadConfig(project("[auth.external.github]\nenabled = false\n"), {}, {}).unservedFeatures, []);
});

test("a custom access token hook is served as a Postgres function and reported only over HTTP", () => {
  const hook = (uri: string) =>
    loadConfig(project(`[auth.hook.custom_access_token]\nenabled = true\nuri = "${uri}"\n`), {}, {}).unservedFeatures;
  assert.deepEqual(hook("pg-functions://postgres/public/hook"), []);
  assert.deepEqual(hook("https://example.com/hook"), ['[auth.hook.custom_access_token] enabled = true: Auth hook "custom_access_token"']);
});

test("manual linking and phone/WebAuthn MFA verification switched on are reported with their keys", () => {
  const config = loadConfig(
    project("[auth]\nenable_manual_linking = true\n[auth.mfa.phone]\nverify_enabled = true\n[auth.mfa.web_authn]\nverify_enabled = true\n"),
    {},
    {},
  );
  assert.deepEqual(config.unservedFeatures, [
    "[auth] enable_manual_linking = true: manual identity linking (its endpoints answer manual_linking_disabled)",
    "[auth.mfa.phone] verify_enabled = true: phone MFA",
    "[auth.mfa.web_authn] verify_enabled = true: WebAuthn MFA",
  ]);
});

test("[db] major_version: 15 and 17 are honoured, any other is an error rather than a silent 17", () => {
  assert.equal(loadConfig(project("[db]\nmajor_version = 15\n"), {}, {}).db.majorVersion, 15);
  assert.equal(loadConfig(project(""), {}, {}).db.majorVersion, 17);
  assert.throws(() => loadConfig(project("[db]\nmajor_version = 14\n"), {}, {}), /major_version = 14 is not supported/);
});
