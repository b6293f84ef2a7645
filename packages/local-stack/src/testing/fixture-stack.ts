// Starts a whole stack, in the calling (test) process, on a fixture Supabase project: its own
// config.toml, migrations and seed, free ports, and a throwaway data folder. Tests whose schema
// must not leak into the kit's own database (REST grammar fixtures, config variations) use it.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadConfig } from "../config/load-config.ts";
import { createLogger } from "../log/logger.ts";
import { type RunningStack, startStack } from "../stack.ts";

export interface FixtureOptions {
  /** A folder holding a `supabase/` project to copy, or nothing for an empty project. */
  projectDir?: string;
  /** Files to write into the project's `supabase/` folder, e.g. {"config.toml": "...", "migrations/1_x.sql": "..."}. */
  files?: Record<string, string>;
}

export interface FixtureStack extends RunningStack {
  workdir: string;
  /** Stops the stack and deletes its folder. */
  dispose(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const isPortRace = (error: unknown) =>
  (error as NodeJS.ErrnoException).code === "EADDRINUSE" || /is already in use/.test((error as Error).message);

export async function startFixtureStack(options: FixtureOptions = {}): Promise<FixtureStack> {
  const workdir = mkdtempSync(join(tmpdir(), "basekit-fixture-"));
  // mkdtemp makes the folder private; Postgres, run as an unprivileged user under root, must reach it.
  chmodSync(workdir, 0o755);
  if (options.projectDir) cpSync(join(options.projectDir, "supabase"), join(workdir, "supabase"), { recursive: true });
  const files = { "config.toml": 'project_id = "fixture"\n', ...options.files };
  for (const [path, text] of Object.entries(files)) {
    const full = join(workdir, "supabase", path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  const logger = createLogger({ fixture: workdir }, () => {}, "error");
  let stack: RunningStack | undefined;
  // A port found free can be taken by another test process before the stack binds it: then the
  // start is tried again on new ports (a few times), instead of failing a test for a race.
  for (let attempt = 1; !stack; attempt++) {
    const [apiPort, dbPort, mailPort] = [await freePort(), await freePort(), await freePort()];
    const config = loadConfig(workdir, { apiPort, dbPort, mailPort, stateDir: join(workdir, ".basekit") });
    try {
      stack = await startStack(config, logger, { progress: () => {} });
    } catch (error) {
      if (attempt < 4 && isPortRace(error)) continue;
      rmSync(workdir, { recursive: true, force: true });
      throw error;
    }
  }
  const started = stack;
  return {
    ...started,
    workdir,
    async dispose() {
      await started.stop();
      rmSync(workdir, { recursive: true, force: true });
    },
  };
}
