// `basekit gen types`: TypeScript `Database` types from the live schema, in the exact format of
// `supabase gen types typescript` (same engine: @supabase/postgrest-typegen).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { generateTypescript, introspect, sortGeneratorMetadata } from "@supabase/postgrest-typegen";
import { connect } from "../../db/connect.ts";
import { createLogger } from "../../log/logger.ts";
import { configFrom, parse, UsageError } from "../args.ts";
import { withDatabase } from "../with-database.ts";

export const genHelp = `Usage: basekit gen types [--lang typescript] [--schema NAME ...] [--db-url URL]
                         [--output FILE] [--postgrest-version V] [--workdir DIR]

Prints TypeScript types for the database schema (tables, views, functions, enums),
byte-identical to \`supabase gen types typescript\`. Reads the running stack's database,
the one given by --db-url, or starts the embedded PostgreSQL just for the command.

  --schema             schema to include; repeat for several (default: public)
  --output, -f         write to FILE instead of standard output
  --postgrest-version  add the PostgrestVersion marker supabase-js reads (e.g. 12)`;

export interface GenerateTypesOptions {
  schemas: string[];
  postgrestVersion?: string;
}

/** Introspects the database at `url` and returns the generated TypeScript source. */
export async function generateTypes(url: string, options: GenerateTypesOptions): Promise<string> {
  const sql = connect(url, { max: 1 });
  try {
    // The typegen accepts any driver with `query(text) -> { rows }`; postgres.js runs raw text with unsafe().
    const queryable = { query: async (text: string) => ({ rows: [...(await sql.unsafe(text))] }) };
    const metadata = await introspect(queryable, { includedSchemas: options.schemas });
    return await generateTypescript(sortGeneratorMetadata(metadata), { postgrestVersion: options.postgrestVersion });
  } finally {
    await sql.end();
  }
}

export async function gen(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    lang: { type: "string" },
    schema: { type: "string", short: "s", multiple: true },
    output: { type: "string", short: "f" },
    "postgrest-version": { type: "string" },
  });
  if (values.help) return (console.log(genHelp), 0);
  const [what, ...extra] = positionals;
  if (what !== "types") throw new UsageError(what ? `unknown gen target "${what}" (expected "types")` : genHelp);
  const lang = (values.lang as string | undefined) ?? extra[0] ?? "typescript";
  if (lang !== "typescript") throw new UsageError(`--lang must be typescript (got "${lang}")`);
  const rawSchemas = values.schema as unknown as string[] | undefined;
  const schemas = rawSchemas?.length ? rawSchemas.flatMap((s) => s.split(",")).filter(Boolean) : ["public"];
  const options = { schemas, postgrestVersion: values["postgrest-version"] as string | undefined };

  const config = configFrom(values);
  const logger = createLogger();
  const types = await withDatabase(config, logger, (database) => generateTypes(database.adminUrl, options));
  if (typeof values.output === "string") {
    const file = resolve(values.output);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, types);
    console.error(`Wrote ${file}`);
  } else {
    process.stdout.write(types);
  }
  return 0;
}
