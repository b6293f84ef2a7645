// `basekit status` lists only what answers: never the services basekit does not serve (GraphQL,
// S3), nor a mail inbox that is off, nor the API while the gateway does not respond.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { readStackState } from "../../state/stack-state.ts";
import { type CliProject, cliProject } from "../cli-test-kit.ts";

let project: CliProject;

before(async () => {
  project = await cliProject({ "supabase/config.toml": 'project_id = "status-answers"\n\n[inbucket]\nenabled = false\n' });
  const started = project.basekit("start", "--detach");
  assert.equal(started.status, 0, started.stderr + started.stdout);
  // What start prints is what answers too.
  assert.match(started.stdout, /REST URL:/);
  assert.doesNotMatch(started.stdout, /GraphQL URL|S3 Storage URL|Mail URL/);
});

after(() => project?.dispose());

test("status prints the services that answer, and not GraphQL, S3 or a disabled mail inbox", () => {
  const status = project.basekit("status");
  assert.equal(status.status, 0, status.stderr);
  for (const label of ["API URL", "REST URL", "Functions URL", "DB URL", "anon key", "service_role key"])
    assert.match(status.stdout, new RegExp(`${label}: `));
  assert.doesNotMatch(status.stdout, /GraphQL URL|S3 Storage URL|Mail URL/);
  const json = JSON.parse(project.basekit("status", "-o", "json").stdout) as Record<string, string>;
  assert.equal(json.API_URL, `http://127.0.0.1:${project.ports.api}`);
  assert.equal(json.GRAPHQL_URL, undefined);
  assert.equal(json.MAILPIT_URL, undefined);
});

test("while the gateway does not respond, status leaves out the API and its keys and still shows the database", () => {
  const state = readStackState(`${project.workdir}/.basekit`);
  assert.ok(state, "the stack is running");
  // A stopped (SIGSTOP) gateway process accepts no request; Postgres, its own process, still answers.
  process.kill(state.pid, "SIGSTOP");
  try {
    const status = project.basekit("status");
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`DB URL: postgresql://postgres:postgres@127\\.0\\.0\\.1:${project.ports.db}/postgres`));
    assert.doesNotMatch(status.stdout, /API URL|REST URL|anon key/);
  } finally {
    process.kill(state.pid, "SIGCONT");
  }
  assert.match(project.basekit("status").stdout, /API URL: /);
});
