// Reads supabase/config.toml the way the Supabase CLI does (env() substitution, defaults for
// missing keys) and adds basekit's own overrides (ports, state directory) from flags and env.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "smol-toml";
import { resolveConfigPaths, templateFileProblems } from "./config-paths.ts";
import { findUnknownKeys } from "./known-keys.ts";
import { findUnservedFeatures } from "./unserved-features.ts";

export type TomlTable = Record<string, unknown>;

export interface StackConfig {
  /** The project folder holding `supabase/`. */
  workdir: string;
  supabaseDir: string;
  /** Where basekit keeps its data (Postgres cluster, pid and state files). */
  stateDir: string;
  projectId: string;
  host: string;
  api: { enabled: boolean; port: number; schemas: string[]; extraSearchPath: string[]; maxRows: number; externalUrl: string };
  db: {
    port: number;
    /** 17: the embedded server; 15: a PostgreSQL 15 installed on the machine. */
    majorVersion: SupportedMajorVersion;
    /** External Postgres to use instead of the embedded one. */
    externalUrl?: string;
    migrations: { enabled: boolean };
    seed: { enabled: boolean; sqlPaths: string[] };
  };
  mail: { enabled: boolean; port: number; adminEmail: string; senderName: string };
  studio: { port: number };
  auth: { enabled: boolean; siteUrl: string; jwtExpiry: number; jwtSecret: string };
  realtime: { enabled: boolean };
  storage: { enabled: boolean; fileSizeLimit: string };
  edgeRuntime: { enabled: boolean };
  /** The whole parsed file, env() resolved, for services that read their own sections. */
  raw: TomlTable;
  /** Keys the CLI would not recognise; reported as warnings. */
  unknownKeys: string[];
  /** Features the file enables that basekit does not serve; each named once at start. */
  unservedFeatures: string[];
}

export const SUPPORTED_MAJOR_VERSIONS = [15, 17] as const;
export type SupportedMajorVersion = (typeof SUPPORTED_MAJOR_VERSIONS)[number];

export interface ConfigOverrides {
  apiPort?: number;
  dbPort?: number;
  mailPort?: number;
  stateDir?: string;
  dbUrl?: string;
}

export const DEFAULT_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";

export class ConfigError extends Error {}

/** Replaces `env(NAME)` strings with the variable's value, as the CLI does. */
function resolveEnv(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === "string") {
    const match = /^env\((\w+)\)$/.exec(value.trim());
    return match ? (env[match[1]] ?? "") : value;
  }
  if (Array.isArray(value)) return value.map((item) => resolveEnv(item, env));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnv(v, env)]));
  }
  return value;
}

function table(parent: TomlTable, key: string): TomlTable {
  const value = parent[key];
  return value && typeof value === "object" && !Array.isArray(value) ? (value as TomlTable) : {};
}

function pick<T>(parent: TomlTable, key: string, fallback: T): T {
  const value = parent[key];
  if (value === undefined || value === "") return fallback;
  if (typeof value !== typeof fallback || Array.isArray(value) !== Array.isArray(fallback)) {
    throw new ConfigError(
      `config.toml: "${key}" should be a ${Array.isArray(fallback) ? "list" : typeof fallback}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

function envPort(name: string, env: NodeJS.ProcessEnv): number | undefined {
  const value = env[name];
  if (!value) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new ConfigError(`${name} must be a port number, got "${value}"`);
  return port;
}

function majorVersion(value: number): SupportedMajorVersion {
  const supported = SUPPORTED_MAJOR_VERSIONS.find((version) => version === value);
  if (supported === undefined)
    throw new ConfigError(
      `config.toml: [db] major_version = ${value} is not supported: basekit runs PostgreSQL 17 (embedded) or 15 (installed on this machine).`,
    );
  return supported;
}

export function loadConfig(workdirInput: string, overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): StackConfig {
  const workdir = resolve(workdirInput);
  const supabaseDir = join(workdir, "supabase");
  const file = join(supabaseDir, "config.toml");
  if (!existsSync(file)) {
    throw new ConfigError(
      `No supabase/config.toml in ${workdir}. Run basekit in a Supabase project (or pass --workdir), or create one with \`npx supabase init\`.`,
    );
  }
  let parsed: TomlTable;
  try {
    parsed = parse(readFileSync(file, "utf8")) as TomlTable;
  } catch (error) {
    throw new ConfigError(`supabase/config.toml is not valid TOML: ${(error as Error).message}`);
  }
  const raw = resolveEnv(parsed, env) as TomlTable;
  resolveConfigPaths(raw, workdir, supabaseDir);
  const problems = templateFileProblems(raw);
  if (problems.length > 0) throw new ConfigError(`supabase/config.toml: ${problems.join("\n")}`);
  const api = table(raw, "api");
  const db = table(raw, "db");
  const mail = { ...table(raw, "inbucket"), ...table(raw, "local_smtp") };
  const auth = table(raw, "auth");
  const seed = table(db, "seed");
  const apiPort = overrides.apiPort ?? envPort("BASEKIT_API_PORT", env) ?? pick(api, "port", 54321);
  const host = "127.0.0.1";

  return {
    workdir,
    supabaseDir,
    stateDir: resolve(workdir, overrides.stateDir ?? env.BASEKIT_STATE_DIR ?? ".basekit"),
    projectId: pick(raw, "project_id", "basekit"),
    host,
    api: {
      enabled: pick(api, "enabled", true),
      port: apiPort,
      schemas: pick(api, "schemas", ["public", "graphql_public"]),
      extraSearchPath: pick(api, "extra_search_path", ["public", "extensions"]),
      maxRows: pick(api, "max_rows", 1000),
      externalUrl: pick(api, "external_url", `http://${host}:${apiPort}`),
    },
    db: {
      port: overrides.dbPort ?? envPort("BASEKIT_DB_PORT", env) ?? pick(db, "port", 54322),
      majorVersion: majorVersion(pick(db, "major_version", 17)),
      externalUrl: overrides.dbUrl ?? (env.DATABASE_URL || undefined),
      migrations: { enabled: pick(table(db, "migrations"), "enabled", true) },
      seed: { enabled: pick(seed, "enabled", true), sqlPaths: pick(seed, "sql_paths", [join(supabaseDir, "seed.sql")]) },
    },
    mail: {
      enabled: pick(mail, "enabled", true),
      port: overrides.mailPort ?? envPort("BASEKIT_MAIL_PORT", env) ?? pick(mail, "port", 54324),
      adminEmail: pick(mail, "admin_email", "admin@email.com"),
      senderName: pick(mail, "sender_name", "Admin"),
    },
    studio: { port: pick(table(raw, "studio"), "port", 54323) },
    auth: {
      enabled: pick(auth, "enabled", true),
      siteUrl: pick(auth, "site_url", "http://127.0.0.1:3000"),
      jwtExpiry: pick(auth, "jwt_expiry", 3600),
      jwtSecret: pick(auth, "jwt_secret", DEFAULT_JWT_SECRET),
    },
    realtime: { enabled: pick(table(raw, "realtime"), "enabled", true) },
    storage: {
      enabled: pick(table(raw, "storage"), "enabled", true),
      fileSizeLimit: pick(table(raw, "storage"), "file_size_limit", "50MiB"),
    },
    edgeRuntime: { enabled: pick(table(raw, "edge_runtime"), "enabled", true) },
    raw,
    unknownKeys: findUnknownKeys(parsed),
    unservedFeatures: findUnservedFeatures(raw),
  };
}

/** Reads a nested table of the raw config, e.g. `section(config, "auth", "rate_limit")`. */
export function section(config: StackConfig, ...path: string[]): TomlTable {
  return path.reduce<TomlTable>((current, key) => table(current, key), config.raw);
}
