// Database commands work whether or not the stack runs: they use the running stack's database,
// or start the embedded PostgreSQL just for the command.

import type { StackConfig } from "../config/load-config.ts";
import { type Database, externalDatabase, openDatabase } from "../db/database.ts";
import { SUPERUSER } from "../db/embedded-postgres.ts";
import { findServer } from "../db/server-binaries.ts";
import type { Logger } from "../log/logger.ts";
import { readStackState } from "../state/stack-state.ts";

export async function withDatabase<T>(config: StackConfig, logger: Logger, work: (db: Database) => Promise<T>): Promise<T> {
  const running = readStackState(config.stateDir);
  if (running && !config.db.externalUrl) {
    const url = `postgresql://${SUPERUSER}:postgres@${config.host}:${running.dbPort}/postgres`;
    const server = findServer(config.db.majorVersion);
    const db = { ...externalDatabase(url), external: false, server: server.description, extensionDir: server.extensionDir };
    db.url = (role: string) => `postgresql://${role}:postgres@${config.host}:${running.dbPort}/postgres`;
    return work(db);
  }
  const db = await openDatabase(config, logger);
  try {
    return await work(db);
  } finally {
    await db.stop();
  }
}
