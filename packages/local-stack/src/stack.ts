// Starts the whole local stack in this process: PostgreSQL, the database bootstrap and
// migrations, every service behind the gateway, and the mail inbox; stops them in reverse order.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { join } from "node:path";
import type { StackConfig } from "./config/load-config.ts";
import { connect } from "./db/connect.ts";
import { type Database, openDatabase } from "./db/database.ts";
import { assertPortFree } from "./db/port-check.ts";
import { maintainRealtimePartitions, prepareDatabase } from "./db/prepare-database.ts";
import { createGateway } from "./gateway/server.ts";
import type { Service } from "./gateway/types.ts";
import { type ApiKeys, deriveApiKeys } from "./keys/api-keys.ts";
import type { Logger } from "./log/logger.ts";
import { type StackContext, serviceFactories } from "./services.ts";
import { AlreadyRunningError, clearStackState, readStackState, writeStackState } from "./state/stack-state.ts";

export { AlreadyRunningError };

export interface RunningStack {
  config: StackConfig;
  keys: ApiKeys;
  db: Database;
  apiUrl: string;
  dbUrl: string;
  mailUrl: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Recreate the database before starting (as `db reset`). */
  reset?: boolean;
  progress?: (line: string) => void;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

export async function startStack(config: StackConfig, logger: Logger, options: StartOptions = {}): Promise<RunningStack> {
  const progress = options.progress ?? ((line: string) => logger.info(line));
  const running = readStackState(config.stateDir);
  if (running) {
    throw new AlreadyRunningError(
      `basekit is already running for this project (pid ${running.pid}, API ${config.host}:${running.apiPort}). Use \`basekit status\` or \`basekit stop\`.`,
    );
  }
  for (const key of config.unknownKeys) logger.warn(`config.toml: unknown key "${key}" ignored`);
  for (const feature of config.unservedFeatures)
    logger.warn(`config.toml: ${feature}, which basekit does not serve (see docs/compatibility.md)`);
  mkdirSync(config.stateDir, { recursive: true });
  // The data folder sits inside the user's project: keep it out of their commits.
  const ignoreFile = join(config.stateDir, ".gitignore");
  if (!existsSync(ignoreFile)) writeFileSync(ignoreFile, "# basekit's local data (database, logs): never commit it\n*\n");
  await assertPortFree(config.api.port, config.host, "API");
  if (config.mail.enabled) await assertPortFree(config.mail.port, config.host, "mail");

  progress("Starting database...");
  const db = await openDatabase(config, logger, progress);
  progress(`Database server: ${db.server}`);
  const keys = deriveApiKeys(config);
  const services: Service[] = [];
  let gateway: Server | undefined;
  // A long-running stack keeps realtime.messages' daily partitions ahead of the clock.
  const maintenance = setInterval(() => {
    const admin = connect(db.adminUrl, { max: 1 });
    maintainRealtimePartitions(admin)
      .catch((error: Error) => logger.warn("realtime partition maintenance failed", { error: error.message }))
      .finally(() => admin.end());
  }, 6 * 3600_000);
  maintenance.unref();
  const stop = async () => {
    clearInterval(maintenance);
    // Stop accepting first; then services end what they hold open (WebSockets the HTTP server
    // no longer tracks once upgraded); only then can the server's close complete.
    const closed = gateway ? new Promise<void>((resolve) => gateway?.close(() => resolve())) : Promise.resolve();
    gateway?.closeIdleConnections();
    for (const service of services.reverse())
      await service.close?.().catch((error: Error) => logger.error(`stopping ${service.name} failed`, { error: error.message }));
    gateway?.closeAllConnections();
    await closed;
    await db.stop();
    clearStackState(config.stateDir);
  };
  try {
    await prepareDatabase(config, db, logger, { reset: options.reset ?? false, progress });
    const apiUrl = `http://${config.host}:${config.api.port}`;
    const mailUrl = `http://${config.host}:${config.mail.port}`;
    const context: StackContext = { config, keys, db, logger, mailApiUrl: process.env.BASEKIT_MAIL_API_URL ?? mailUrl };
    for (const factory of serviceFactories) {
      const service = await factory(context);
      if (service) services.push(service);
    }
    gateway = createGateway({ services, keys, logger: logger.child({ service: "gateway" }) });
    await listen(gateway, config.api.port, config.host);
    const dbUrl = db.external ? db.adminUrl : `postgresql://postgres:postgres@${config.host}:${config.db.port}/postgres`;
    writeStackState(config.stateDir, {
      pid: process.pid,
      apiPort: config.api.port,
      dbPort: config.db.port,
      mailPort: config.mail.port,
      dbUrl,
      startedAt: new Date().toISOString(),
    });
    logger.info("stack ready", { api: apiUrl, services: services.map((s) => s.name) });
    return { config, keys, db, apiUrl, dbUrl, mailUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
