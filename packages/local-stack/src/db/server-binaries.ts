// Which PostgreSQL server runs the project, from `[db] major_version` as the CLI picks its image:
// 17 is the embedded server; 15 is a PostgreSQL 15 installed on the machine (Debian's, whose
// packages add extensions the embedded one lacks). Never a silent substitute for the other.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SupportedMajorVersion } from "../config/load-config.ts";
import { findEmbeddedBinaries, type PostgresBinaries } from "./embedded-binaries.ts";

export interface PostgresServer extends PostgresBinaries {
  major: SupportedMajorVersion;
  /** Where the server's loadable modules are (pg_stat_statements is preloaded when present). */
  pkgLibDir?: string;
  /** `postgres --version` and where it lives, for the start message. */
  description: string;
}

export class ServerNotFoundError extends Error {}

/** Where PostgreSQL 15 is installed by the usual packages, most common first. */
export const postgres15Candidates = (env: NodeJS.ProcessEnv = process.env): string[] =>
  [
    env.BASEKIT_POSTGRES15_BIN,
    "/usr/lib/postgresql/15/bin",
    "/usr/pgsql-15/bin",
    "/opt/homebrew/opt/postgresql@15/bin",
    "/usr/local/opt/postgresql@15/bin",
    "/Applications/Postgres.app/Contents/Versions/15/bin",
  ].filter((dir): dir is string => Boolean(dir));

function run(binary: string, ...args: string[]): string | undefined {
  const result = spawnSync(binary, args, { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The installed server in `binDir`, if it is a PostgreSQL `major`. */
export function installedServer(binDir: string, major: SupportedMajorVersion): PostgresServer | undefined {
  const postgres = join(binDir, "postgres");
  if (!existsSync(postgres)) return undefined;
  const version = run(postgres, "--version");
  if (!version || !new RegExp(`\\(PostgreSQL\\) ${major}\\.`).test(version)) return undefined;
  const pgConfig = join(binDir, "pg_config");
  const shareDir = (existsSync(pgConfig) && run(pgConfig, "--sharedir")) || join(binDir, "..", "share");
  return {
    major,
    description: `${version} from ${binDir}`,
    initdb: join(binDir, "initdb"),
    postgres,
    extensionDir: join(shareDir, "extension"),
    libDir: "",
    pkgLibDir: (existsSync(pgConfig) && run(pgConfig, "--pkglibdir")) || undefined,
  };
}

export function findServer(major: SupportedMajorVersion, candidates: string[] = postgres15Candidates()): PostgresServer {
  if (major === 17) {
    const binaries = findEmbeddedBinaries();
    return {
      ...binaries,
      major,
      description: `${run(binaries.postgres, "--version") ?? "PostgreSQL 17"} (embedded)`,
      pkgLibDir: join(dirname(binaries.libDir), "lib", "postgresql"),
    };
  }
  for (const dir of candidates) {
    const server = installedServer(dir, major);
    if (server) return server;
  }
  throw new ServerNotFoundError(
    `[db] major_version = ${major} needs a PostgreSQL ${major} on this machine, and none was found (looked in ${candidates.join(", ")}). ` +
      `Install it (Debian/Ubuntu: \`sudo apt-get install postgresql-${major}\`; macOS: \`brew install postgresql@${major}\`) ` +
      `or set BASEKIT_POSTGRES15_BIN to its bin folder; or set major_version = 17 to use the embedded PostgreSQL 17; or pass --db-url to a server of your own.`,
  );
}
