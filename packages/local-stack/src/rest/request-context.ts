// Who a request runs as, and the transaction-local settings PostgREST gives it: the role from the
// JWT (`anon` without one), request.jwt.claims, request.method/path/headers/cookies, search_path,
// the role's own `ALTER ROLE ... SET` values (statement_timeout), and the Prefer timezone.
import type { IncomingHttpHeaders } from "node:http";
import { bearerToken, JwtError, type JwtVerifier } from "../keys/verify-jwt.ts";
import { RestError } from "./errors.ts";
import type { SchemaCache } from "./schema-cache.ts";

export interface RequestIdentity {
  role: string;
  claims: Record<string, unknown>;
  isAnon: boolean;
}

const ANON_ROLE = "anon";

function jwtError(message: string, code = "PGRST301"): RestError {
  const description = message.replace(/"/g, "'");
  return new RestError(401, code, message, null, null, {
    "www-authenticate": `Bearer error="invalid_token", error_description="${description}"`,
  });
}

export async function identify(headers: IncomingHttpHeaders, verifier: JwtVerifier): Promise<RequestIdentity> {
  const authorization = headers.authorization;
  if (typeof authorization === "string" && /^bearer\s*$/i.test(authorization.trim()))
    throw jwtError("Empty JWT is sent in Authorization header");
  const token = bearerToken(authorization);
  if (!token) return { role: ANON_ROLE, claims: {}, isAnon: true };
  const parts = token.split(".").length;
  if (parts !== 3) throw jwtError(`Expected 3 parts in JWT; got ${parts}`);
  try {
    const claims = { ...(await verifier.verify(token)) };
    const role = typeof claims.role === "string" && claims.role ? claims.role : ANON_ROLE;
    claims.role = role;
    return { role, claims, isAnon: role === ANON_ROLE };
  } catch (error) {
    if (error instanceof JwtError) {
      if (error.reason === "expired") throw jwtError("JWT expired", "PGRST303");
      throw jwtError("JWT cryptographic operation failed");
    }
    throw error;
  }
}

export interface SettingsInput {
  identity: RequestIdentity;
  cache: SchemaCache;
  schema: string;
  extraSearchPath: string[];
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  timezone?: string;
  /** GET/HEAD and stable RPCs: the transaction is READ ONLY, as PostgREST opens it. */
  readOnly: boolean;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return cookies;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The settings as one JSON object (applied with set_config(k, v, true) in a single statement). */
export function transactionSettings(input: SettingsInput): string {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    if (name === "cookie" || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const settings: Record<string, string> = {
    search_path: [input.schema, ...input.extraSearchPath].map(quoteIdent).join(", "),
    ...input.cache.roleSettings.get(input.identity.role),
    role: input.identity.role,
    "request.jwt.claims": JSON.stringify(input.identity.claims),
    "request.method": input.method,
    "request.path": input.path,
    "request.headers": JSON.stringify(headers),
    "request.cookies": JSON.stringify(parseCookies(input.headers.cookie)),
  };
  if (input.timezone) settings.timezone = input.timezone;
  if (input.readOnly) settings.transaction_read_only = "on";
  return JSON.stringify(settings);
}
