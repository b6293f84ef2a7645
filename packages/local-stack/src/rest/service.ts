// The REST service (/rest/v1): a wire-protocol pool as `authenticator` for requests (one Sync per
// request, see execute.ts), a small postgres.js pool for the in-database config and the schema
// cache (both reloaded on NOTIFY pgrst), and the router.
import postgres from "postgres";
import type { Service } from "../gateway/types.ts";
import { createJwtVerifier } from "../keys/verify-jwt.ts";
import type { StackContext } from "../services.ts";
import { applyInDatabaseConfig, type RestSettings, readInDatabaseConfig } from "./in-database-config.ts";
import { createRestRouter } from "./router.ts";
import { loadSchemaCache, type SchemaCache } from "./schema-cache.ts";
import { optionsFromUrl } from "./wire/connection.ts";
import { WirePool } from "./wire/pool.ts";

const raw = (x: unknown) => String(x);
const identity = (x: string) => x;

/** Every value we bind is already text as PostgreSQL expects it; no JavaScript conversions. */
const TEXT_TYPES = {
  bool: { to: 16, from: [16], serialize: raw, parse: identity },
  json: { to: 114, from: [114, 3802], serialize: raw, parse: identity },
  date: { to: 1184, from: [1082, 1114, 1184], serialize: raw, parse: identity },
  bytea: { to: 17, from: [17], serialize: raw, parse: identity },
  number: { to: 0, from: [20, 21, 23, 26, 700, 701, 1700], serialize: raw, parse: identity },
};

export async function createRestService(context: StackContext): Promise<Service> {
  const { config, db, keys, logger } = context;
  const log = logger.child({ service: "rest" });
  const requests = new WirePool({ ...optionsFromUrl(db.url("authenticator"), "basekit-rest"), max: 16, idleTimeout: 60 });
  // Requests never touch this one: it loads the schema cache and LISTENs for reloads.
  const pool = postgres(db.url("authenticator"), {
    max: 1,
    idle_timeout: 60,
    prepare: true,
    types: TEXT_TYPES,
    onnotice: () => {},
    connection: { application_name: "basekit-rest" },
  });
  const fileSettings: RestSettings = {
    schemas: config.api.schemas,
    extraSearchPath: config.api.extraSearchPath,
    maxRows: config.api.maxRows > 0 ? config.api.maxRows : null,
    externalUrl: config.api.externalUrl,
    planEnabled: false,
    aggregatesEnabled: false,
    txEnd: "commit",
  };
  let settings = fileSettings;
  const reported = new Set<string>();
  let current: SchemaCache | undefined;
  let loading: Promise<void> | undefined;
  // The config first: `pgrst.db_schemas` decides which schemas the cache reads.
  const load = async () => {
    const applied = applyInDatabaseConfig(fileSettings, await readInDatabaseConfig(pool));
    for (const problem of applied.problems) {
      if (reported.has(problem)) continue;
      reported.add(problem);
      log.warn(`in-database config: ${problem}`);
    }
    const cache = await loadSchemaCache(pool, applied.settings.schemas);
    settings = applied.settings;
    current = cache;
    log.debug("schema cache loaded", { relations: cache.relations.size });
  };
  const reload = () => {
    loading = load()
      .catch((error: Error) => log.error("schema cache load failed", { error: error.message }))
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  await reload();
  const listener = await pool.listen("pgrst", (payload) => {
    if (payload === "" || payload === "reload schema" || payload === "reload config") void reload();
  });
  const handle = createRestRouter({
    pool: requests,
    verifier: createJwtVerifier(keys.jwtSecret, keys.signingKeys?.publicJwks),
    settings: () => settings,
    cache: async () => {
      if (loading) await loading;
      if (!current) await reload();
      return current;
    },
  });
  return {
    name: "rest",
    prefix: "/rest/v1",
    handle,
    health: () => ({ status: current ? "ok" : "loading", relations: current?.relations.size ?? 0 }),
    async close() {
      await listener.unlisten().catch(() => {});
      await Promise.all([requests.end(), pool.end({ timeout: 1 })]);
    },
  };
}
