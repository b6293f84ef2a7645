// Flags shared by every command: where the project is and which database to use.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type ConfigOverrides, loadConfig, type StackConfig } from "../config/load-config.ts";

export const commonOptions = {
  workdir: { type: "string" },
  "db-url": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export class UsageError extends Error {}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(argv: string[], options: NonNullable<ParseArgsConfig["options"]>): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...commonOptions, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function configFrom(values: Record<string, unknown>): StackConfig {
  const overrides: ConfigOverrides = {};
  if (typeof values["db-url"] === "string") overrides.dbUrl = values["db-url"];
  const workdir = typeof values.workdir === "string" ? values.workdir : (process.env.SUPABASE_WORKDIR ?? process.cwd());
  return loadConfig(workdir, overrides);
}
