// `basekit start` in the foreground, stopped by Ctrl-C as a terminal sends it (SIGINT to the whole
// foreground process group): services stop first, Postgres last, with no burst of FATAL lines.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type CliProject, cliProject } from "../cli-test-kit.ts";

const bin = fileURLToPath(new URL("../../../bin/basekit.js", import.meta.url));
let project: CliProject | undefined;

after(() => project?.dispose());

test("Ctrl-C stops a foreground stack cleanly: one stop message, no burst of Postgres shutdown FATAL lines, exit 0, nothing left running", async () => {
  project = await cliProject({ "supabase/config.toml": 'project_id = "ctrl-c"\n' });
  const { workdir, env } = project;
  // Its own process group, as a shell gives a foreground job, so the signal reaches every process in it.
  const child = spawn(process.execPath, [bin, "start", "--workdir", workdir], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
      if (output.includes("Started basekit local stack")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    exited.then(() => reject(new Error(`basekit start exited before it was ready:\n${output}`)));
  });
  // The first start's slow step says what it is doing, in plain words.
  assert.match(stdout, /Creating the PostgreSQL cluster \(first start, a few seconds\)\.\.\./);
  const pidFile = join(workdir, ".basekit", "db", "postmaster.pid");
  assert.ok(existsSync(pidFile), "Postgres runs");
  process.kill(-(child.pid ?? 0), "SIGINT");
  assert.equal(await exited, 0, output);
  const afterCtrlC = output.slice(output.indexOf("Started basekit local stack"));
  assert.match(stdout, /Started basekit local stack[\s\S]*\nStopping basekit local stack\.\.\.\nStopped basekit local stack\.\n$/);
  // The burst a shutdown under live connections causes (Realtime's own stream end is its service's concern).
  assert.doesNotMatch(
    afterCtrlC,
    /FATAL:\s+(terminating connection due to administrator command|the database system is shutting down)|"level":"error"/,
  );
  assert.ok(!existsSync(pidFile), "Postgres stopped (its pid file is gone)");
  assert.ok(!existsSync(join(workdir, ".basekit", "stack.json")), "the stack's state is cleared");
});
