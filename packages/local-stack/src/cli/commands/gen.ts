// `basekit gen types`: TypeScript `Database` types from the live schema, in the exact format of
// `supabase gen types typescript` (same engine: @supabase/postgrest-typegen).
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { generateTypescript, introspect, sortGeneratorMetadata } from "@supabase/postgrest-typegen";
import { section } from "../../config/load-config.ts";
import { connect } from "../../db/connect.ts";
import { generateSigningJwk, SIGNING_ALGORITHMS, type SigningAlgorithm, signingKeysFile } from "../../keys/signing-keys.ts";
import { createLogger } from "../../log/logger.ts";
import { configFrom, parse, UsageError } from "../args.ts";
import { withDatabase } from "../with-database.ts";

export const genHelp = `Usage: basekit gen types [--lang typescript] [--schema NAME ...] [--db-url URL]
                         [--output FILE] [--postgrest-version V] [--workdir DIR]
       basekit gen signing-key [--algorithm ES256|RS256] [--append] [--workdir DIR]

Prints TypeScript types for the database schema (tables, views, functions, enums),
byte-identical to \`supabase gen types typescript\`. Reads the running stack's database,
the one given by --db-url, or starts the embedded PostgreSQL just for the command.

  --schema             schema to include; repeat for several (default: public and every
                       schema of [api] schemas, as the CLI)
  --output, -f         write to FILE instead of standard output
  --postgrest-version  add the PostgrestVersion marker supabase-js reads (e.g. 12)

gen signing-key makes a private JWK for Auth's access tokens, as \`supabase gen signing-key\`.
With [auth] signing_keys_path set it writes the key file there (asking before overwriting);
otherwise it prints the key on standard output.

  --algorithm          ES256 (default) or RS256
  --append             add the key to the existing file instead of replacing it`;

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

/** `--schema` values (repeated or comma-separated), else public plus `[api] schemas`, as the CLI. */
export function typeSchemas(flags: string[] | undefined, apiSchemas: string[]): string[] {
  const given = (flags ?? []).flatMap((schema) => schema.split(",")).filter(Boolean);
  return [...new Set(given.length > 0 ? given : ["public", ...apiSchemas])];
}

async function confirmOverwrite(file: string): Promise<boolean> {
  // Without a terminal the default answer (yes) stands, as the Supabase CLI does.
  if (!process.stdin.isTTY) return true;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await prompt.question(`Do you want to overwrite the existing ${file} file? [Y/n] `)).trim().toLowerCase();
    return answer === "" || answer === "y" || answer === "yes";
  } finally {
    prompt.close();
  }
}

function isGitIgnored(file: string): boolean | undefined {
  try {
    execFileSync("git", ["check-ignore", "-q", file], { cwd: dirname(file), stdio: "ignore" });
    return true;
  } catch (error) {
    // Exit status 1: not ignored; anything else (no git, not a repository): unknown.
    return (error as { status?: number }).status === 1 ? false : undefined;
  }
}

/** `basekit gen signing-key`: a new key on stdout, or written/appended to `[auth] signing_keys_path`. */
export async function genSigningKey(argv: string[]): Promise<number> {
  const { values } = parse(argv, { algorithm: { type: "string" }, append: { type: "boolean" } });
  if (values.help) return (console.log(genHelp), 0);
  const algorithm = (values.algorithm ?? "ES256") as SigningAlgorithm;
  if (!SIGNING_ALGORITHMS.includes(algorithm))
    throw new UsageError(`--algorithm must be one of ${SIGNING_ALGORITHMS.join(", ")} (got "${algorithm}")`);
  const config = configFrom(values);
  const key = generateSigningJwk(algorithm);
  const path = section(config, "auth").signing_keys_path;
  if (typeof path !== "string" || path === "") {
    process.stdout.write(`${JSON.stringify(key)}\n`);
    console.error(
      `\nTo enable JWT signing keys in your local project:\n1. Save the generated key to ${resolve(config.supabaseDir, "signing_keys.json")} (as a JSON array)\n2. Update your ${resolve(config.supabaseDir, "config.toml")} with the new keys path\n\n[auth]\nsigning_keys_path = "./signing_keys.json"`,
    );
    return 0;
  }
  const file = signingKeysFile(config, path);
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  let keys: unknown[] = [];
  if (values.append && text.trim() !== "") {
    const existing: unknown = JSON.parse(text);
    if (!Array.isArray(existing)) throw new UsageError(`${file} is not a JSON array of keys`);
    keys = existing;
  } else if (!values.append && text !== "" && !(await confirmOverwrite(file))) {
    console.error("Cancelled.");
    return 1;
  }
  keys.push(key);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  console.error(`JWT signing key appended to: ${relative(process.cwd(), file) || file} (now contains ${keys.length} keys)`);
  if (keys.length === 1 && isGitIgnored(file) === false)
    console.error("IMPORTANT: Add your signing key path to .gitignore to prevent committing to version control.");
  return 0;
}

export async function gen(argv: string[]): Promise<number> {
  if (argv[0] === "signing-key") return genSigningKey(argv.slice(1));
  const { values, positionals } = parse(argv, {
    lang: { type: "string" },
    schema: { type: "string", short: "s", multiple: true },
    output: { type: "string", short: "f" },
    "postgrest-version": { type: "string" },
  });
  if (values.help) return (console.log(genHelp), 0);
  const [what, ...extra] = positionals;
  if (what !== "types") throw new UsageError(what ? `unknown gen target "${what}" (expected "types" or "signing-key")` : genHelp);
  const lang = (values.lang as string | undefined) ?? extra[0] ?? "typescript";
  if (lang !== "typescript") throw new UsageError(`--lang must be typescript (got "${lang}")`);
  const rawSchemas = values.schema as unknown as string[] | undefined;
  const config = configFrom(values);
  const options = {
    schemas: typeSchemas(rawSchemas, config.api.schemas),
    postgrestVersion: values["postgrest-version"] as string | undefined,
  };

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
