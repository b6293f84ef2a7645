// Debian's PostgreSQL 15 as a stand-in for a hosted project's database in tests: Supabase's oldest
// supported major, and the one Debian's pg_dump (15) can dump. `.ci/run` installs postgresql-15.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type RunningPostgres, startEmbeddedPostgres } from "../../packages/local-stack/src/db/embedded-postgres.ts";
import { createLogger } from "../../packages/local-stack/src/log/logger.ts";
import { freePort } from "../../packages/local-stack/src/testing/fixture-stack.ts";

export const debianBin = "/usr/lib/postgresql/15/bin";

export async function startPostgres15(dataDir: string): Promise<RunningPostgres> {
  if (!existsSync(join(debianBin, "pg_dump"))) {
    throw new Error("needs Debian's postgresql-15 (apt-get install postgresql-15; .ci/run installs it)");
  }
  return startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    host: "127.0.0.1",
    logger: createLogger({}, () => {}, "error"),
    binaries: {
      initdb: join(debianBin, "initdb"),
      postgres: join(debianBin, "postgres"),
      extensionDir: "/usr/share/postgresql/15/extension",
      libDir: "",
    },
  });
}
