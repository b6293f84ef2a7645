// Brings the project database to the state `supabase db reset` / `supabase start` would: a fresh
// database (reset only), Supabase's bootstrap, the project's migrations, then its seeds.
import { join } from "node:path";
import { type StackConfig, section } from "../config/load-config.ts";
import { installEmulatedExtensions } from "../extensions/install-extension-files.ts";
import type { Logger } from "../log/logger.ts";
import { applyBootstrap, quoteIdent } from "./bootstrap/apply-bootstrap.ts";
import { connect, type Sql } from "./connect.ts";
import type { Database } from "./database.ts";
import { applyMigrations, type MigrationFile } from "./migrations/apply-migrations.ts";
import { assertExtensionsAvailable } from "./migrations/required-extensions.ts";
import { runSeeds } from "./seed.ts";
import { installVaultKey, vaultRootKey } from "./vault-key.ts";
import { configuredVaultSecrets, upsertVaultSecrets } from "./vault-secrets.ts";

/** Drops and recreates the project database (and its replication slots). */
export async function recreateDatabase(db: Database, logger: Logger): Promise<void> {
  const maintenance = connect(db.maintenanceUrl, { max: 1 });
  try {
    // A database with an active logical replication slot cannot be dropped (Postgres checks that
    // before WITH (FORCE) ends connections), and a running stack's Realtime streams from one and
    // reconnects after a moment. So end its walsender, wait until it has exited, and try again if
    // it came back in between. The inactive slots go with the database.
    for (let attempt = 1; ; attempt++) {
      await maintenance`select pg_terminate_backend(active_pid, 5000) from pg_replication_slots
                        where database = ${db.name} and active_pid is not null and active_pid <> pg_backend_pid()`;
      try {
        await maintenance.unsafe(`drop database if exists ${quoteIdent(db.name)} with (force)`);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt === 5) throw error;
      }
    }
    await maintenance.unsafe(`create database ${quoteIdent(db.name)}`);
    logger.info("database recreated", { database: db.name });
  } finally {
    await maintenance.end();
  }
}

/** The connection migrations run on: role postgres, as the CLI's. */
export function migrationConnection(db: Database): Sql {
  return connect(db.external ? db.adminUrl : db.url("postgres"), { max: 1 });
}

export interface PrepareOptions {
  reset: boolean;
  /** Run seeds (on reset, or on a first start). */
  seed?: boolean;
  /** Apply pending migrations (default: `[db.migrations] enabled`; `db migrate` always does). */
  migrations?: boolean;
  progress?: (line: string) => void;
}

/** Returns the migrations it applied. */
export async function prepareDatabase(
  config: StackConfig,
  db: Database,
  logger: Logger,
  options: PrepareOptions,
): Promise<MigrationFile[]> {
  const progress = options.progress ?? ((line: string) => logger.info(line));
  if (options.reset) await recreateDatabase(db, logger);
  // basekit's pg_net and pg_cron, for `create extension` in the bootstrap and in migrations.
  if (db.extensionDir) installEmulatedExtensions(db.extensionDir, logger);

  const admin = connect(db.adminUrl, { max: 1 });
  let fresh = false;
  try {
    await installVaultKey(admin, vaultRootKey(config.stateDir));
    const applied = await applyBootstrap(admin, { jwtSecret: config.auth.jwtSecret, jwtExpiry: config.auth.jwtExpiry }, (file) =>
      progress(`Bootstrapping ${file}...`),
    );
    fresh = applied.some((file) => file.startsWith("01_"));
    await maintainRealtimePartitions(admin);
    await upsertVaultSecrets(admin, configuredVaultSecrets(section(config, "db", "vault")), progress);
  } finally {
    await admin.end();
  }

  const sql = migrationConnection(db);
  let applied: MigrationFile[] = [];
  try {
    if (options.migrations ?? config.db.migrations.enabled) {
      const result = await applyMigrations(
        sql,
        join(config.supabaseDir, "migrations"),
        (file) => progress(`Applying migration ${file.version}_${file.name}.sql...`),
        (pending) => assertExtensionsAvailable(sql, pending, config.workdir, db.server),
      );
      applied = result.applied;
      if (applied.length === 0 && !options.reset) logger.debug("no pending migrations");
    }
    if (config.db.seed.enabled && (options.seed ?? (options.reset || fresh))) {
      await runSeeds(sql, config.workdir, config.db.seed.sqlPaths, (path) => progress(`Seeding data from ${path}...`));
    }
    await sql`notify pgrst, 'reload schema'`;
  } finally {
    await sql.end();
  }
  return applied;
}

/** realtime.messages is partitioned by day, as on Supabase: keep partitions ahead of today. */
export async function maintainRealtimePartitions(admin: Sql): Promise<void> {
  await admin`select _basekit.maintain_realtime_message_partitions()`;
}
