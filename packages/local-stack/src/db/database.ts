// The database the stack runs on: the embedded cluster by default, or an external PostgreSQL
// (>= 15) given by --db-url / DATABASE_URL. Either way callers get URLs per role.
import { join } from "node:path";
import type { StackConfig } from "../config/load-config.ts";
import type { Logger } from "../log/logger.ts";
import { LOCAL_PASSWORD, SUPERUSER, startEmbeddedPostgres } from "./embedded-postgres.ts";
import { findServer } from "./server-binaries.ts";

export interface Database {
  /** Superuser (or the external URL's user) on the project database. */
  adminUrl: string;
  /** Same server, `template1`: used to drop and recreate the project database. */
  maintenanceUrl: string;
  /** The database's name (postgres unless the external URL says otherwise). */
  name: string;
  /** URL for one of the Supabase login roles (password `postgres`, as the CLI sets). */
  url(role: string): string;
  external: boolean;
  /** Which server this is, for the start message: version and where its binaries are. */
  server: string;
  /** The server's extension folder when basekit runs it (pgTAP and emulated extensions go there). */
  extensionDir?: string;
  /** The server's private Unix socket folder when basekit runs it: sessions as any role, no password. */
  socketDir?: string;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

function withCredentials(base: URL, role: string, password: string, database?: string): string {
  const url = new URL(base.toString());
  url.username = encodeURIComponent(role);
  url.password = encodeURIComponent(password);
  if (database) url.pathname = `/${database}`;
  return url.toString();
}

export function externalDatabase(externalUrl: string): Database {
  const base = new URL(externalUrl);
  const name = decodeURIComponent(base.pathname.replace(/^\//, "")) || "postgres";
  const maintenance = new URL(base.toString());
  maintenance.pathname = "/template1";
  return {
    adminUrl: base.toString(),
    maintenanceUrl: maintenance.toString(),
    name,
    url: (role) => withCredentials(base, role, LOCAL_PASSWORD, name),
    external: true,
    server: `external PostgreSQL at ${base.host}`,
    stop: async () => {},
    exited: new Promise(() => {}),
  };
}

export async function openDatabase(config: StackConfig, logger: Logger, progress?: (line: string) => void): Promise<Database> {
  if (config.db.externalUrl) return externalDatabase(config.db.externalUrl);
  const binaries = findServer(config.db.majorVersion);
  const server = await startEmbeddedPostgres({
    // One cluster per major version: switching major_version back and forth loses nothing.
    dataDir: join(config.stateDir, binaries.major === 17 ? "db" : `db-${binaries.major}`),
    port: config.db.port,
    host: config.host,
    logger,
    binaries,
    progress,
  });
  logger.info(`database server: ${binaries.description}`);
  return {
    adminUrl: server.url(SUPERUSER),
    maintenanceUrl: server.url(SUPERUSER, "template1"),
    name: "postgres",
    url: (role) => server.url(role),
    external: false,
    server: binaries.description,
    extensionDir: binaries.extensionDir,
    socketDir: server.socketDir,
    stop: () => server.stop(),
    exited: server.exited,
  };
}
