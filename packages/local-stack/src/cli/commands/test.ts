// `basekit test db [paths]`: runs pgTAP files (default supabase/tests) and prints TAP, like
// `supabase test db` does with pg_prove.
import { join } from "node:path";
import { connect } from "../../db/connect.ts";
import { dropPgTapExtension, ensurePgTapExtension } from "../../db/pgtap/install-pgtap.ts";
import { findTestFiles, runPgTapFile } from "../../db/pgtap/run-pgtap.ts";
import { createLogger } from "../../log/logger.ts";
import { configFrom, parse, UsageError } from "../args.ts";
import { withDatabase } from "../with-database.ts";

export const testHelp = `Usage: basekit test db [paths...] [--workdir DIR] [--db-url URL]

Runs the pgTAP test files (*.sql, *.pg) in the given files or folders (default:
supabase/tests) against the local database, prints TAP, and exits non-zero if any fails.
Results are counted as pg_prove counts them. pgTAP is created in schema extensions for the
run and dropped afterwards if the run created it, as \`supabase test db\` does.`;

export async function test(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {});
  if (values.help || positionals[0] !== "db") {
    console.log(testHelp);
    return values.help ? 0 : 1;
  }
  const config = configFrom(values);
  const paths = positionals.length > 1 ? positionals.slice(1) : [join(config.supabaseDir, "tests")];
  const files = findTestFiles(paths);
  if (files.length === 0) throw new UsageError(`No pgTAP files (*.sql, *.pg) in ${paths.join(", ")}`);
  const logger = createLogger();
  const results = await withDatabase(config, logger, async (database) => {
    const admin = connect(database.adminUrl, { max: 1 });
    try {
      const created = await ensurePgTapExtension(admin, database.external ? undefined : database.extensionDir);
      try {
        // Tests run as postgres, like `supabase test db`; each file on its own connection, as
        // pg_prove runs one psql per file, so no setting or open transaction leaks into the next.
        const out = [];
        for (const file of files) {
          const sql = connect(database.external ? database.adminUrl : database.url("postgres"), { max: 1 });
          try {
            out.push(await runPgTapFile(sql, file, (line) => process.stdout.write(`${line}\n`)));
          } finally {
            await sql.end();
          }
        }
        return out;
      } finally {
        if (created) await dropPgTapExtension(admin).catch((error: Error) => console.error(`failed to disable pgTAP: ${error.message}`));
      }
    } finally {
      await admin.end();
    }
  });
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const badFiles = results.filter((r) => !r.ok);
  console.log(
    `# ${files.length} file(s), ${passed + failed} test(s)${badFiles.length ? `; failing: ${badFiles.map((r) => r.file).join(", ")}` : ""}`,
  );
  console.log(`pgtap: ${passed} passed, ${failed} failed`);
  return badFiles.length === 0 ? 0 : 1;
}
