// One Deno process running one function through our bootstrap: spawn, wait for its port, stop.
// The process reads our stdin and exits on EOF, so it dies with the stack even when the stack is
// killed without a chance to stop it.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Logger } from "../log/logger.ts";
import { denoBinary } from "./deno-binary.ts";
import type { FunctionSpec } from "./discover.ts";
import { BootError } from "./errors.ts";

const BOOTSTRAP = fileURLToPath(new URL("./worker-bootstrap.ts", import.meta.url));
const READY = /^basekit-worker-ready (\d+)$/;
/** Variables Deno itself needs to reach the npm registry from behind a proxy (and its CA). */
const PASSED_THROUGH = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "NPM_CONFIG_REGISTRY",
  "DENO_CERT",
  "DENO_TLS_CA_STORE",
  "NODE_EXTRA_CA_CERTS",
];

export interface WorkerOptions {
  spec: FunctionSpec;
  /** The function's environment: Supabase's variables, secrets and `functions/.env`. */
  env: Record<string, string>;
  denoDir: string;
  logger: Logger;
}

export class FunctionWorker {
  readonly ready: Promise<number>;
  readonly exited: Promise<void>;
  /** Keep-alive connections to this worker only; destroyed with it. */
  readonly agent = new Agent({ keepAlive: true });
  alive = true;
  /** Sent with every request (`x-basekit-worker-secret`); the worker refuses requests without it. */
  readonly secret = randomBytes(32).toString("hex");
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(readonly options: WorkerOptions) {
    const { spec, env, denoDir, logger } = options;
    const flags = [
      "run",
      "--no-prompt",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-sys",
      `--allow-write=${tmpdir()}`,
      "--no-lock",
    ];
    if (spec.denoConfig) flags.push(`--config=${spec.denoConfig}`);
    else flags.push("--no-config", ...(spec.importMap ? [`--import-map=${spec.importMap}`] : []));
    const inherited = Object.fromEntries(
      PASSED_THROUGH.filter((name) => process.env[name]).map((name) => [name, process.env[name] as string]),
    );
    this.child = spawn(denoBinary(), [...flags, BOOTSTRAP], {
      cwd: spec.dir,
      env: {
        ...inherited,
        ...env,
        DENO_DIR: denoDir,
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1",
        BASEKIT_FUNCTION_ENTRY: pathToFileURL(spec.entrypoint).href,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdin.write(`${this.secret}\n`);
    const log = logger.child({ function: spec.name, pid: this.child.pid });
    this.exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
    this.ready = new Promise<number>((resolve, reject) => {
      createInterface({ input: this.child.stdout }).on("line", (line) => {
        const match = READY.exec(line);
        if (match) resolve(Number(match[1]));
        else log.info(line);
      });
      createInterface({ input: this.child.stderr }).on("line", (line) => log.warn(line));
      this.child.once("error", (error) => reject(new BootError(`could not start deno: ${error.message}`)));
      this.child.once("exit", (code, signal) => {
        this.alive = false;
        this.agent.destroy();
        reject(new BootError(`worker exited before serving (code ${code ?? signal})`));
      });
    });
    // A rejected `ready` nobody awaited yet must not crash the stack.
    this.ready.catch(() => {});
  }

  /** Kills the process; resolves once it is gone. */
  async stop(): Promise<void> {
    this.alive = false;
    this.agent.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }
}
