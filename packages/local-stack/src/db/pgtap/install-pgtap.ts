// pgTAP is plain SQL, so the files of any packaged pgTAP (Debian's postgresql-NN-pgtap) work on
// the embedded PostgreSQL 17: copy them into its extension directory when it lacks them, fetching
// Debian's package with apt-get when none is installed (fetch-pgtap.ts).
import { copyFileSync, existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Sql } from "../connect.ts";
import { findEmbeddedBinaries } from "../embedded-binaries.ts";
import { type FetchedPgTap, fetchPgTapWithApt } from "./fetch-pgtap.ts";

export class PgTapMissingError extends Error {
  constructor() {
    super(
      "pgTAP is not available to this PostgreSQL. Install it (Debian/Ubuntu: `sudo apt-get install postgresql-15-pgtap`, " +
        "or any postgresql-NN-pgtap; macOS: `brew install pgtap`) and run the command again, or set PGTAP_DIR to a folder holding pgtap.control.",
    );
  }
}

/** BASEKIT_IGNORE_SYSTEM=pgtap hides installed pgTAP, so CI can prove the apt-get fallback works. */
const systemPgTapIgnored = (env: NodeJS.ProcessEnv) => (env.BASEKIT_IGNORE_SYSTEM ?? "").split(/[\s,]+/).includes("pgtap");

/** Where packaged pgTAP files are looked for: PGTAP_DIR, then the usual share folders. */
export const pgTapSearchPath = (env: NodeJS.ProcessEnv = process.env): (string | undefined)[] =>
  systemPgTapIgnored(env)
    ? [env.PGTAP_DIR]
    : [env.PGTAP_DIR, "/usr/share/postgresql", "/usr/local/share/postgresql", "/opt/homebrew/share/postgresql"];

function findPackagedPgTap(candidates: (string | undefined)[]): string | undefined {
  for (const base of candidates) {
    if (!base || !existsSync(base)) continue;
    if (existsSync(join(base, "pgtap.control"))) return base;
    if (existsSync(join(base, "extension", "pgtap.control"))) return join(base, "extension");
    for (const version of readdirSync(base).sort().reverse()) {
      const dir = join(base, version, "extension");
      if (existsSync(join(dir, "pgtap.control"))) return dir;
    }
  }
  return undefined;
}

function copyPgTap(source: string, target: string): void {
  for (const file of readdirSync(source).filter((name) => name.startsWith("pgtap"))) {
    copyFileSync(join(source, file), join(target, file));
  }
}

export interface InstallPgTapOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the one line saying pgTAP is being fetched goes. */
  log?: (line: string) => void;
  fetch?: (log: (line: string) => void) => FetchedPgTap | undefined;
}

/** Copies pgTAP's files into the embedded cluster's extension directory if needed. */
export function installPgTapFiles(
  target = findEmbeddedBinaries().extensionDir,
  candidates?: (string | undefined)[],
  { env = process.env, log = (line) => process.stderr.write(`${line}\n`), fetch = fetchPgTapWithApt }: InstallPgTapOptions = {},
): void {
  // With the system's pgTAP hidden, a copy made earlier does not count either: fetch anew.
  if (!systemPgTapIgnored(env) && existsSync(join(target, "pgtap.control"))) return;
  const source = findPackagedPgTap(candidates ?? pgTapSearchPath(env));
  if (source) {
    copyPgTap(source, target);
    return;
  }
  const fetched = fetch(log);
  if (!fetched) throw new PgTapMissingError();
  try {
    copyPgTap(fetched.dir, target);
  } finally {
    rmSync(fetched.scratch, { recursive: true, force: true });
  }
}

/**
 * Creates the extension in schema extensions (as `supabase test db` does). Superuser only.
 * Returns whether it created it: the CLI drops pgTAP after the run only then, so a project that
 * creates pgTAP itself (in a migration or its own test setup) finds the database as it left it.
 */
export async function ensurePgTapExtension(adminSql: Sql, extensionDir?: string): Promise<boolean> {
  if (extensionDir) installPgTapFiles(extensionDir);
  const [row] = await adminSql<{ available: boolean; installed: boolean }[]>`
    select exists (select from pg_available_extensions where name = 'pgtap') as available,
           exists (select from pg_extension where extname = 'pgtap') as installed`;
  if (!row.available) throw new PgTapMissingError();
  if (row.installed) return false;
  await adminSql`create extension if not exists pgtap with schema extensions`;
  return true;
}

/** Undoes ensurePgTapExtension when it created pgTAP (the CLI's `drop extension if exists pgtap`). */
export async function dropPgTapExtension(adminSql: Sql): Promise<void> {
  await adminSql`drop extension if exists pgtap`;
}
