// `npm test`: starts a throwaway stack (own ports and data folder, fresh database), runs the
// pgTAP suites and every node:test file against it, stops it, and prints one closing line.
//
//   npm test                      everything
//   npm test -- path/a.test.ts    only these node:test files (pgTAP skipped unless --pgtap)
//   BASEKIT_TEST_PORT_BASE=56300  ports base+1 (API), base+2 (DB), base+4 (mail)
//   BASEKIT_TEST_TIMEOUT_MS       a test still running after this fails (default 5 minutes), so
//                                 a hung test cannot hang the run
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { prepareTestPrerequisites } from "./test-prerequisites.ts";

const root = join(import.meta.dirname, "..");
const base = Number(process.env.BASEKIT_TEST_PORT_BASE ?? 55320);
const stateDir = join(root, ".basekit", `test-${base}`);
const bin = join(root, "packages", "local-stack", "bin", "basekit.js");
const artifacts = join(root, "test-artifacts");
const args = process.argv.slice(2);
const onlyFiles = args.filter((arg) => !arg.startsWith("--"));
const runPgTap = onlyFiles.length === 0 || args.includes("--pgtap");

const stackEnv: NodeJS.ProcessEnv = {
  ...process.env,
  BASEKIT_STATE_DIR: stateDir,
  BASEKIT_API_PORT: String(base + 1),
  BASEKIT_DB_PORT: String(base + 2),
  BASEKIT_MAIL_PORT: String(base + 4),
  // Tests stand in for many clients by naming each in X-Forwarded-For, as a local proxy would.
  BASEKIT_TRUSTED_PROXIES: "127.0.0.1,::1",
  // Tests run the notification processor themselves; a shell exporting the demo's values must
  // not let cron run it behind their backs.
  NOTIFICATIONS_PROCESSOR_URL: undefined,
  NOTIFICATIONS_PROCESSOR_KEY: undefined,
};

function findTests(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (/\.test\.tsx?$/.test(entry)) out.push(path);
  }
  return out;
}

function basekit(...command: string[]): string {
  const result = spawnSync(process.execPath, [bin, ...command, "--workdir", root], { env: stackEnv, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`basekit ${command.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

function run(command: string, argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { env, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

const count = (output: string, pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? 0);

async function main(): Promise<number> {
  mkdirSync(artifacts, { recursive: true });
  const files = onlyFiles.length
    ? onlyFiles
    : [...findTests(join(root, "packages")), ...findTests(join(root, "web")), ...findTests(join(root, "scripts"))];
  const browser = files.some((file) => file.includes(`web${sep}e2e${sep}`));
  Object.assign(stackEnv, await prepareTestPrerequisites({ pgtap: runPgTap, browser }));
  basekit("stop");
  rmSync(stateDir, { recursive: true, force: true });
  console.log(`# starting a test stack on ports ${base + 1} (API), ${base + 2} (DB), ${base + 4} (mail)`);
  basekit("start", "--detach");
  let passed = 0;
  let failed = 0;
  let code = 0;
  try {
    const status = JSON.parse(basekit("status", "-o", "json")) as Record<string, string>;
    const testEnv: NodeJS.ProcessEnv = {
      ...stackEnv,
      SUPABASE_URL: status.API_URL,
      SUPABASE_ANON_KEY: status.ANON_KEY,
      SUPABASE_SERVICE_ROLE_KEY: status.SERVICE_ROLE_KEY,
      SUPABASE_PUBLISHABLE_KEY: status.PUBLISHABLE_KEY,
      SUPABASE_SECRET_KEY: status.SECRET_KEY,
      SUPABASE_JWT_SECRET: status.JWT_SECRET,
      SUPABASE_DB_URL: status.DB_URL,
      BASEKIT_MAIL_URL: status.MAILPIT_URL,
      BASEKIT_TEST_ARTIFACTS: artifacts,
      BASEKIT_WORKDIR: root,
    };
    if (runPgTap) {
      console.log("# pgTAP: supabase/tests");
      const pg = await run(process.execPath, [bin, "test", "db", "--workdir", root], testEnv);
      passed += count(pg.output, /pgtap: (\d+) passed/);
      failed += count(pg.output, /(\d+) failed\s*$/m) + (pg.code !== 0 && !/failed\s*$/m.test(pg.output) ? 1 : 0);
      if (pg.code !== 0) code = 1;
    }
    console.log(`# node:test: ${files.length} file(s)`);
    const tapFile = join(artifacts, "node-test.tap");
    const node = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "--test",
        "--test-concurrency=2",
        `--test-timeout=${process.env.BASEKIT_TEST_TIMEOUT_MS ?? 300_000}`,
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        "--test-reporter=tap",
        `--test-reporter-destination=${tapFile}`,
        ...files.map((f) => relative(process.cwd(), f)),
      ],
      testEnv,
    );
    const tap = existsSync(tapFile) ? readFileSync(tapFile, "utf8") : "";
    passed += count(tap, /^# pass (\d+)/m);
    failed += count(tap, /^# fail (\d+)/m) + count(tap, /^# cancelled (\d+)/m);
    if (node.code !== 0) code = 1;
  } finally {
    basekit("stop");
  }
  if (code !== 0 && failed === 0) failed = 1;
  console.log(`\n${passed} passed, ${failed} failed`);
  return code;
}

process.exitCode = await main().catch((error: Error) => {
  console.error(error.message);
  console.log("0 passed, 1 failed");
  return 1;
});
