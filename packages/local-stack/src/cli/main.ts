// Entry point of the `basekit` command: dispatches to one module per command.
import { ConfigError } from "../config/load-config.ts";
import { MigrationError } from "../db/migrations/apply-migrations.ts";
import { PgTapMissingError } from "../db/pgtap/install-pgtap.ts";
import { AlreadyRunningError } from "../state/stack-state.ts";
import { UsageError } from "./args.ts";

const help = `basekit: a Docker-free local Supabase for any Supabase project.

Usage: basekit <command> [options]

Commands:
  start [--detach]         start the stack (PostgreSQL, Auth, REST, Storage, Realtime, Functions, mail)
  stop                     stop a running stack
  status [-o env|json]     print URLs and keys (as \`supabase status\`)
  db reset                 recreate the database: bootstrap, migrations, seed
  db migrate               apply pending migrations
  test db [paths]          run pgTAP tests (default supabase/tests)
  gen types [-f FILE]      TypeScript types for the schema (as supabase gen types typescript)
  gen signing-key          a JWT signing key (ES256/RS256) for [auth] signing_keys_path

Every command takes --workdir DIR (default: current folder) and --help.`;

// Loaded on demand: `status` or `--help` should not pay for importing every service.
const commands: Record<string, (argv: string[]) => Promise<number>> = {
  start: async (argv) => (await import("./commands/start.ts")).start(argv),
  stop: async (argv) => (await import("./commands/stop.ts")).stop(argv),
  status: async (argv) => (await import("./commands/status.ts")).status(argv),
  db: async (argv) => (await import("./commands/db.ts")).db(argv),
  test: async (argv) => (await import("./commands/test.ts")).test(argv),
  gen: async (argv) => (await import("./commands/gen.ts")).gen(argv),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(help);
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${help}`);
    return 1;
  }
  try {
    return await command(rest);
  } catch (error) {
    // Expected failures get one clear line; anything else its stack too, to report as a bug.
    const expected = [UsageError, ConfigError, MigrationError, PgTapMissingError, AlreadyRunningError].some(
      (kind) => error instanceof kind,
    );
    const detail = expected || process.env.BASEKIT_LOG_LEVEL !== "debug" ? (error as Error).message : (error as Error).stack;
    console.error(`Error: ${detail ?? String(error)}`);
    return 1;
  }
}

const exitCode = await main(process.argv.slice(2));
process.exitCode = exitCode;
