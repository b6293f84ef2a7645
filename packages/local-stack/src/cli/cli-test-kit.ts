// Throwaway Supabase projects driven through the `basekit` command itself, as a user runs it:
// each project gets its own folder, data folder and ports, so tests never touch the shared stack.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../testing/fixture-stack.ts";

const bin = fileURLToPath(new URL("../../bin/basekit.js", import.meta.url));

export interface CliProject {
  workdir: string;
  env: NodeJS.ProcessEnv;
  ports: { api: number; db: number; mail: number };
  /** Runs `basekit <args>` in the project; never throws. */
  basekit(...args: string[]): { status: number | null; stdout: string; stderr: string };
  /** Stops a stack started with `start --detach` (if any) and deletes the folder. */
  dispose(): void;
}

/** Writes `files` (paths from the project root, e.g. "supabase/config.toml") into a new project. */
export async function cliProject(files: Record<string, string>): Promise<CliProject> {
  const workdir = mkdtempSync(join(tmpdir(), "basekit-cli-"));
  // Postgres, run as an unprivileged user under root, must reach the folder.
  chmodSync(workdir, 0o755);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(workdir, path)), { recursive: true });
    writeFileSync(join(workdir, path), text);
  }
  const ports = { api: await freePort(), db: await freePort(), mail: await freePort() };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BASEKIT_STATE_DIR: join(workdir, ".basekit"),
    BASEKIT_API_PORT: String(ports.api),
    BASEKIT_DB_PORT: String(ports.db),
    BASEKIT_MAIL_PORT: String(ports.mail),
    DATABASE_URL: "",
  };
  const basekit = (...args: string[]) => {
    const result = spawnSync(process.execPath, [bin, ...args, "--workdir", workdir], { env, encoding: "utf8", timeout: 240_000 });
    return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
  };
  return {
    workdir,
    env,
    ports,
    basekit,
    dispose() {
      basekit("stop");
      rmSync(workdir, { recursive: true, force: true });
    },
  };
}
