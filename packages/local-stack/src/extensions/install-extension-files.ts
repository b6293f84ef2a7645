// Puts basekit's pg_net and pg_cron (a control file and a SQL script each, no C library) into the
// extension folder of the PostgreSQL basekit runs, so that `create extension pg_net` and
// `create extension pg_cron` work there exactly as in a migration for hosted Supabase.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../log/logger.ts";

const here = dirname(fileURLToPath(import.meta.url));
const sources = [join(here, "pg-net"), join(here, "pg-cron"), join(here, "supabase-vault")];
/** Our control files say so; a control file without it belongs to a real extension. */
const MARKER = "basekit";

export interface InstallResult {
  /** Extensions whose files are ours (installed now or before). */
  installed: string[];
  /** Extensions left alone because the server has the real one. */
  foreign: string[];
}

/**
 * A folder this process may not write (a system PostgreSQL's, basekit not run as root) leaves
 * the server without them: said once here, and a migration creating one then fails before it
 * runs, naming it (db/migrations/required-extensions.ts).
 */
export function installEmulatedExtensions(extensionDir: string, logger: Logger): InstallResult {
  const result: InstallResult = { installed: [], foreign: [] };
  for (const source of sources) {
    const files = readdirSync(source).filter((file) => /\.(control|sql)$/.test(file));
    const control = files.find((file) => file.endsWith(".control"));
    if (!control) continue;
    const name = control.replace(/\.control$/, "");
    const existing = join(extensionDir, control);
    if (existsSync(existing) && !readFileSync(existing, "utf8").includes(MARKER)) {
      result.foreign.push(name);
      continue;
    }
    try {
      for (const file of files) writeIfChanged(join(extensionDir, file), readFileSync(join(source, file), "utf8"));
      result.installed.push(name);
    } catch (error) {
      logger.warn(`cannot install basekit's ${name} into ${extensionDir}; create extension ${name} will not work`, {
        error: (error as Error).message,
      });
    }
  }
  return result;
}

/** Several stacks may share one extension folder: write whole files, atomically, only on change. */
function writeIfChanged(target: string, text: string): void {
  if (existsSync(target) && readFileSync(target, "utf8") === text) return;
  const staging = `${target}.${process.pid}.tmp`;
  writeFileSync(staging, text, { mode: 0o644 });
  renameSync(staging, target);
}
