// `basekit db reset | migrate`: the database half of the Supabase CLI's `db` commands.
import { prepareDatabase } from "../../db/prepare-database.ts";
import { createLogger } from "../../log/logger.ts";
import { configFrom, parse, UsageError } from "../args.ts";
import { withDatabase } from "../with-database.ts";

export const dbHelp = `Usage: basekit db <reset|migrate> [--workdir DIR] [--db-url URL]

  reset     drop the database, apply Supabase's bootstrap, every migration in
            supabase/migrations in order, then the seed files ([db.seed] sql_paths)
  migrate   apply pending migrations only, recording them in
            supabase_migrations.schema_migrations as the Supabase CLI does`;

export async function db(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {});
  const sub = positionals[0];
  if (values.help || !sub) return (console.log(dbHelp), values.help ? 0 : 1);
  const config = configFrom(values);
  const logger = createLogger();
  const progress = (line: string) => process.stdout.write(`${line}\n`);
  if (sub === "reset") {
    await withDatabase(config, logger, (database) => prepareDatabase(config, database, logger, { reset: true, progress }));
    progress("Finished basekit db reset.");
    return 0;
  }
  if (sub === "migrate") {
    const applied = await withDatabase(config, logger, (database) =>
      prepareDatabase(config, database, logger, { reset: false, seed: false, migrations: true, progress }),
    );
    progress(applied.length ? `Applied ${applied.length} migration(s).` : "Database is up to date.");
    return 0;
  }
  throw new UsageError(`Unknown db command "${sub}".\n\n${dbHelp}`);
}
