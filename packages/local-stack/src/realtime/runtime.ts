// What every socket of the Realtime service shares: the database, token verification, the
// channel registry, presence, fan-out to other instances, and the subscription ledger.
import type { Sql } from "../db/connect.ts";
import type { ApiKeys } from "../keys/api-keys.ts";
import type { JwtVerifier } from "../keys/verify-jwt.ts";
import type { Logger } from "../log/logger.ts";
import type { ChannelRegistry } from "./channel-registry.ts";
import type { Fanout } from "./fanout.ts";
import type { PatternMatcher } from "./pattern-filters.ts";
import type { PresenceTracker } from "./presence.ts";
import type { ResumeGate } from "./resume-gate.ts";

export interface RealtimeRuntime {
  sql: Sql;
  keys: ApiKeys;
  verifier: JwtVerifier;
  registry: ChannelRegistry;
  presence: PresenceTracker;
  fanout: Fanout;
  resume: ResumeGate;
  logger: Logger;
  /** Decides like/ilike/match/imatch filters in Postgres, under a statement timeout. */
  patterns: PatternMatcher;
  /** Tables of the supabase_realtime publication, as `schema.table`. */
  publishedTables(): Promise<{ schema: string; table: string; columns: string[] }[]>;
}
