// `basekit start`: the whole stack in the foreground (Ctrl-C stops it), or --detach.
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StackConfig } from "../../config/load-config.ts";
import { deriveApiKeys } from "../../keys/api-keys.ts";
import { createLogger } from "../../log/logger.ts";
import { startStack } from "../../stack.ts";
import { readStackState } from "../../state/stack-state.ts";
import { configFrom, parse } from "../args.ts";
import { answeringServices } from "../service-probe.ts";
import { formatStatus, statusValues } from "../status-values.ts";

export const startHelp = `Usage: basekit start [--workdir DIR] [--db-url URL] [--detach] [--reset]

Starts the local Supabase stack for the project in DIR (default: the current folder):
PostgreSQL, Auth, REST, Storage, Realtime, Functions and the mail inbox, on the ports of
supabase/config.toml. Prints the URLs and keys like \`supabase status\`.

  --detach     run in the background (logs in .basekit/stack.log); stop with \`basekit stop\`
  --reset      recreate the database (bootstrap, migrations, seed) before starting
  --db-url     use this PostgreSQL (>= 15, superuser) instead of the embedded one (or DATABASE_URL)`;

export async function start(argv: string[]): Promise<number> {
  const { values } = parse(argv, { detach: { type: "boolean" }, reset: { type: "boolean" } });
  if (values.help) return (console.log(startHelp), 0);
  const config = configFrom(values);
  if (values.detach)
    return startDetached(
      argv.filter((arg) => arg !== "--detach"),
      config,
    );

  const logger = createLogger();
  // Signals are ours from the start: Postgres runs in its own process group, so dying of a
  // Ctrl-C (Node's default) would leave it running. Before the stack is ready, exiting is enough:
  // the exit hook asks Postgres to shut down. Listeners stay on, so a second Ctrl-C while stopping
  // does not kill this process midway. A closed terminal (SIGHUP) stops the stack too.
  let requestStop = (_signal: string): void => {
    process.stdout.write("Interrupted before the stack was ready.\n");
    process.exit(130);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => requestStop(signal));

  const began = performance.now();
  const stack = await startStack(config, logger, { reset: Boolean(values.reset), progress: (line) => process.stdout.write(`${line}\n`) });
  const seconds = ((performance.now() - began) / 1000).toFixed(2);
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    requestStop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info("stopping", { signal });
      if (signal !== "postgres-exit") process.stdout.write("Stopping basekit local stack...\n");
      stack.stop().then(resolve, (error: Error) => {
        logger.error("stop failed", { error: error.message });
        resolve();
      });
    };
    stack.db.exited.then((code) => {
      if (!stopping) logger.error("postgres exited unexpectedly", { code });
      requestStop("postgres-exit");
    });
  });
  const answering = await answeringServices(stack.apiUrl, stack.dbUrl);
  process.stdout.write(
    `Started basekit local stack in ${seconds}s.\n\n${formatStatus(statusValues(config, stack.keys, stack.dbUrl, answering), "pretty")}\n`,
  );
  await stopped;
  process.stdout.write("Stopped basekit local stack.\n");
  return 0;
}

async function startDetached(argv: string[], config: StackConfig): Promise<number> {
  const { stateDir } = config;
  const running = readStackState(stateDir);
  if (running) {
    console.error(`basekit is already running for this project (pid ${running.pid}).`);
    return 1;
  }
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(stateDir, "stack.log");
  const out = openSync(logFile, "w");
  const bin = fileURLToPath(new URL("../../../bin/basekit.js", import.meta.url));
  const child = spawn(process.execPath, [bin, "start", ...argv], { detached: true, stdio: ["ignore", out, out], env: process.env });
  closeSync(out);
  let exited = false;
  child.once("exit", () => (exited = true));
  process.stdout.write("Starting basekit in the background...\n");
  for (let waited = 0; waited < 120_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const state = readStackState(stateDir);
    if (state && state.pid === child.pid) {
      child.unref();
      process.stdout.write(
        `Started (pid ${state.pid}); logs in ${logFile}.\n\n${formatStatus(statusValues(config, deriveApiKeys(config), state.dbUrl, await answeringServices(`http://${config.host}:${state.apiPort}`, state.dbUrl)), "pretty")}\n`,
      );
      return 0;
    }
    if (exited) break;
  }
  console.error(`basekit failed to start. Last log lines:\n${readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n")}`);
  return 1;
}
