// `basekit db reset | migrate`: the database half of the Supabase CLI's `db` commands.
import { join } from "node:path";
import { applyBootstrap } from "../../db/bootstrap/apply-bootstrap.ts";
import { connect } from "../../db/connect.ts";
import { applyMigrations } from "../../db/migrations/apply-migrations.ts";
import { migrationConnection, prepareDatabase } from "../../db/prepare-database.ts";
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
    await withDatabase(config, logger, async (database) => {
      const admin = connect(database.adminUrl, { max: 1 });
      try {
        await applyBootstrap(admin, { jwtSecret: config.auth.jwtSecret, jwtExpiry: config.auth.jwtExpiry }, (file) =>
          progress(`Bootstrapping ${file}...`),
        );
      } finally {
        await admin.end();
      }
      const sql = migrationConnection(database);
      try {
        const result = await applyMigrations(sql, join(config.supabaseDir, "migrations"), (file) =>
          progress(`Applying migration ${file.version}_${file.name}.sql...`),
        );
        progress(result.applied.length ? `Applied ${result.applied.length} migration(s).` : "Database is up to date.");
        await sql`notify pgrst, 'reload schema'`;
      } finally {
        await sql.end();
      }
    });
    return 0;
  }
  throw new UsageError(`Unknown db command "${sub}".\n\n${dbHelp}`);
}
