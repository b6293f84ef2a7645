// What every Auth handler gets: the database, settings, JWT verifier, limits and mailer, plus the
// request with its body parsed the way GoTrue parses it.
import type { BlockList } from "node:net";
import type { Sql } from "../db/connect.ts";
import type { GatewayRequest, GatewayResponse } from "../gateway/types.ts";
import type { JwtVerifier } from "../keys/verify-jwt.ts";
import type { Logger } from "../log/logger.ts";
import type { AuthMailer } from "./auth-mailer.ts";
import type { ClientInfo } from "./client-info.ts";
import type { AuthRateLimits } from "./rate-limits.ts";
import type { AuthSettings } from "./settings.ts";

export interface AuthContext {
  sql: Sql;
  settings: AuthSettings;
  verifier: JwtVerifier;
  limits: AuthRateLimits;
  /** Peers whose X-Forwarded-For names the client (client-info.ts). */
  trustedProxies: BlockList;
  mailer: AuthMailer;
  logger: Logger;
}

export interface AuthRequest {
  gateway: GatewayRequest;
  method: string;
  path: string;
  query: URLSearchParams;
  /** The JSON body as an object ({} when empty); 400 bad_json otherwise. */
  body(): Promise<Record<string, unknown>>;
  client: ClientInfo;
}

export type AuthHandler = (ctx: AuthContext, request: AuthRequest, params: Record<string, string>) => Promise<GatewayResponse>;
