// Starts one fixture stack with the REST test schema (test-fixture/*.sql) for an end-to-end test file.
import fs, { readdirSync, readFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { signHs256 } from "../../keys/api-keys.ts";
import { type FixtureStack, startFixtureStack } from "../../testing/fixture-stack.ts";

const here = import.meta.dirname;

// Workaround: the fixture folder comes from mkdtemp (mode 0700); when tests run as root, Postgres
// runs as an unprivileged user that cannot enter it. Widen the folder's mode while starting.
function allowUnprivilegedPostgres(): () => void {
  if (process.getuid?.() !== 0) return () => {};
  const original = fs.mkdtempSync;
  fs.mkdtempSync = ((prefix: string, options?: unknown) => {
    const dir = original(prefix, options as BufferEncoding);
    fs.chmodSync(dir, 0o755);
    return dir;
  }) as typeof fs.mkdtempSync;
  syncBuiltinESMExports();
  return () => {
    fs.mkdtempSync = original;
    syncBuiltinESMExports();
  };
}

export const FIXTURE_CONFIG = `project_id = "rest-fixture"

[api]
schemas = ["public", "graphql_public", "api_two"]
extra_search_path = ["public", "extensions"]
max_rows = 1000
`;

/** Starts a stack whose database holds the REST fixture schema (every *.sql here, in name order). */
export async function startRestFixture(config = FIXTURE_CONFIG): Promise<FixtureStack> {
  const files: Record<string, string> = { "config.toml": config };
  const sqlFiles = readdirSync(here)
    .filter((name) => name.endsWith(".sql"))
    .sort();
  sqlFiles.forEach((name, index) => {
    files[`migrations/2025010100000${index}_${name}`] = readFileSync(join(here, name), "utf8");
  });
  const restore = allowUnprivilegedPostgres();
  try {
    return await startFixtureStack({ files });
  } finally {
    restore();
  }
}

/** A token as Supabase Auth would issue it for a signed-in user. */
export function userToken(stack: FixtureStack, sub: string, role = "authenticated", extra: object = {}): string {
  return signHs256({ sub, role, aud: "authenticated", exp: Math.floor(Date.now() / 1000) + 3600, ...extra }, stack.keys.jwtSecret);
}

/** The fixture has no generated Database types; the schema name varies per client. */
// biome-ignore lint/suspicious/noExplicitAny: untyped fixture database
export type RestClient = SupabaseClient<any, string>;

/** The unmodified supabase-js client, anonymous or signed in with `token`. */
export function client(stack: FixtureStack, token?: string, schema = "public"): RestClient {
  return createClient(stack.apiUrl, stack.keys.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    db: { schema },
    // Node 20 has no global WebSocket; supabase-js's realtime client needs one at construction.
    realtime: { transport: WebSocket as never },
    global: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  });
}

/** Plain HTTP to /rest/v1, for what supabase-js does not expose (headers, raw statuses). */
export function rest(stack: FixtureStack, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("apikey")) headers.set("apikey", stack.keys.anonKey);
  return fetch(`${stack.apiUrl}/rest/v1${path}`, { ...init, headers });
}
