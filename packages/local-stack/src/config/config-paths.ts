// Path-valued config.toml keys made absolute exactly as the Supabase CLI's config resolve() does:
// auth email templates relative to the project root (the CLI's FIXME: "only email template is
// relative to repo directory"), everything else relative to supabase/. Services then read
// absolute paths and never guess a base themselves.
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { TomlTable } from "./load-config.ts";

const isTable = (value: unknown): value is TomlTable => Boolean(value) && typeof value === "object" && !Array.isArray(value);
const tablesOf = (value: unknown): TomlTable[] => (isTable(value) ? Object.values(value).filter(isTable) : []);
const child = (table: TomlTable, ...keys: string[]): TomlTable | undefined =>
  keys.reduce<TomlTable | undefined>((current, key) => (current && isTable(current[key]) ? (current[key] as TomlTable) : undefined), table);

function resolveKey(table: TomlTable | undefined, key: string, base: string): void {
  const value = table?.[key];
  if (table && typeof value === "string" && value !== "" && !isAbsolute(value)) table[key] = join(base, value);
}

function resolveList(table: TomlTable | undefined, key: string, base: string): void {
  const value = table?.[key];
  if (table && Array.isArray(value))
    table[key] = value.map((item) => (typeof item === "string" && item !== "" && !isAbsolute(item) ? join(base, item) : item));
}

/** Rewrites, in `raw`, every path-valued key to an absolute path. */
export function resolveConfigPaths(raw: TomlTable, workdir: string, supabaseDir: string): void {
  for (const template of tablesOf(child(raw, "auth", "email", "template"))) resolveKey(template, "content_path", workdir);
  for (const notification of tablesOf(child(raw, "auth", "email", "notification"))) resolveKey(notification, "content_path", supabaseDir);
  for (const bucket of tablesOf(child(raw, "storage", "buckets"))) resolveKey(bucket, "objects_path", supabaseDir);
  resolveKey(child(raw, "auth"), "signing_keys_path", supabaseDir);
  for (const fn of tablesOf(raw.functions)) {
    resolveKey(fn, "entrypoint", supabaseDir);
    resolveKey(fn, "import_map", supabaseDir);
    resolveList(fn, "static_files", supabaseDir);
  }
  const tls = child(raw, "api", "tls");
  resolveKey(tls, "cert_path", supabaseDir);
  resolveKey(tls, "key_path", supabaseDir);
  resolveList(child(raw, "db", "seed"), "sql_paths", supabaseDir);
  resolveList(child(raw, "db", "migrations"), "schema_paths", supabaseDir);
  resolveKey(child(raw, "analytics"), "gcp_jwt_path", supabaseDir);
}

/**
 * The CLI reads every template's file while loading the config, so a wrong path fails the start
 * with the key's name rather than the first mail. Returns the problems, in the CLI's words.
 */
export function templateFileProblems(raw: TomlTable): string[] {
  const email = child(raw, "auth", "email");
  const problems: string[] = [];
  const check = (kind: string, name: string, settings: TomlTable, enabled: boolean) => {
    const path = settings.content_path;
    if (!enabled || typeof path !== "string" || path === "") return;
    try {
      readFileSync(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (error as Error).message;
      problems.push(`Invalid config for auth.email.${kind}.${name}.content_path: open ${path}: ${reason}`);
    }
  };
  for (const [name, settings] of Object.entries(email?.template ?? {})) if (isTable(settings)) check("template", name, settings, true);
  for (const [name, settings] of Object.entries(email?.notification ?? {}))
    if (isTable(settings)) check("notification", name, settings, settings.enabled === true);
  return problems;
}
