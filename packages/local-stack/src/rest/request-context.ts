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
  /** `claims` as the JSON text request.jwt.claims holds. */
  claimsJson: string;
  isAnon: boolean;
}

const ANONYMOUS: RequestIdentity = { role: "anon", claims: {}, claimsJson: "{}", isAnon: true };

/** Identities per verified claims object: the verifier hands back the same object while a token
 * stays in its cache, so the role and claims JSON are derived once per token, not per request. */
const identities = new WeakMap<object, RequestIdentity>();

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
  if (!token) return ANONYMOUS;
  const parts = token.split(".").length;
  if (parts !== 3) throw jwtError(`Expected 3 parts in JWT; got ${parts}`);
  try {
    const verified = await verifier.verify(token);
    const known = identities.get(verified);
    if (known) return known;
    const claims = { ...verified };
    const role = typeof claims.role === "string" && claims.role ? claims.role : ANON_ROLE;
    claims.role = role;
    const identity = { role, claims, claimsJson: JSON.stringify(claims), isAnon: role === ANON_ROLE };
    identities.set(verified, identity);
    return identity;
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

/** search_path per schema, per extra search path list (fixed per service). */
const searchPaths = new WeakMap<string[], Map<string, string>>();

function searchPath(schema: string, extra: string[]): string {
  let bySchema = searchPaths.get(extra);
  if (!bySchema) {
    bySchema = new Map();
    searchPaths.set(extra, bySchema);
  }
  let path = bySchema.get(schema);
  if (path === undefined) {
    path = [schema, ...extra].map(quoteIdent).join(", ");
    bySchema.set(schema, path);
  }
  return path;
}

function headersJson(headers: IncomingHttpHeaders): string {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (name === "cookie" || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return JSON.stringify(out);
}

/** The settings as name, value, name, value... (applied with set_config(name, value, true) in
 * one statement, see execute.ts); a later name overrides an earlier one. */
export function transactionSettings(input: SettingsInput): string[] {
  const settings = ["search_path", searchPath(input.schema, input.extraSearchPath)];
  const roleSettings = input.cache.roleSettings.get(input.identity.role);
  if (roleSettings) for (const name in roleSettings) settings.push(name, roleSettings[name]);
  settings.push(
    "role",
    input.identity.role,
    "request.jwt.claims",
    input.identity.claimsJson,
    "request.method",
    input.method,
    "request.path",
    input.path,
    "request.headers",
    headersJson(input.headers),
    "request.cookies",
    input.headers.cookie ? JSON.stringify(parseCookies(input.headers.cookie)) : "{}",
  );
  if (input.timezone) settings.push("timezone", input.timezone);
  if (input.readOnly) settings.push("transaction_read_only", "on");
  return settings;
}
