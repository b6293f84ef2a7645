// Cold start (new data folder: initdb, bootstrap, migrations, seed) and warm start (data kept)
// of the whole stack, to "ready" (state file written, /health answering), plus its memory.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const bin = join(root, "packages", "local-stack", "bin", "basekit.js");
const stateDir = join(root, ".basekit", "bench-start");
const env = {
  ...process.env,
  BASEKIT_STATE_DIR: stateDir,
  BASEKIT_API_PORT: "57321",
  BASEKIT_DB_PORT: "57322",
  BASEKIT_MAIL_PORT: "57324",
};

/**
 * Memory (MB) of a process and all its descendants: proportional set size, not RSS, because
 * Postgres' processes share its buffers and summing their RSS counts that memory once per process.
 */
function treeRssMb(pid: number): number {
  const children = spawnSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean)
    .map(Number);
  const rollup = `/proc/${pid}/smaps_rollup`;
  const text = existsSync(rollup) ? readFileSync(rollup, "utf8") : "";
  const own = Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0) / 1024;
  return own + children.reduce((sum, child) => sum + treeRssMb(child), 0);
}

async function timeStart(): Promise<{ seconds: number; rssMb: number }> {
  const began = performance.now();
  const child = spawn(process.execPath, [bin, "start", "--workdir", root], { env, stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("Started basekit") && resolve());
    child.once("exit", (code) => reject(new Error(`stack exited with ${code}`)));
  });
  const seconds = (performance.now() - began) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const rssMb = treeRssMb(child.pid ?? 0);
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  return { seconds, rssMb };
}

export async function run(): Promise<void> {
  rmSync(stateDir, { recursive: true, force: true });
  const cold = await timeStart();
  const warm = [];
  for (let i = 0; i < 3; i++) warm.push(await timeStart());
  const warmBest = Math.min(...warm.map((w) => w.seconds));
  const nodeOnly = performance.now();
  spawnSync(process.execPath, [bin, "--help"], { env });
  const cliSeconds = (performance.now() - nodeOnly) / 1000;
  console.log(`cold start to ready:  ${cold.seconds.toFixed(2)} s`);
  console.log(`warm start to ready:  ${warmBest.toFixed(2)} s (best of 3; target < 1.5 s)`);
  console.log(`CLI start alone:      ${cliSeconds.toFixed(2)} s (node + tsx, the floor of any start)`);
  console.log(`memory after start:   ${Math.max(...warm.map((w) => w.rssMb)).toFixed(0)} MB (PSS), all processes (target < 300 MB)`);
  rmSync(stateDir, { recursive: true, force: true });
}
