// Who is calling and how their database work runs: every query on storage tables happens in a
// transaction that has switched to the caller's role with their claims set (the settings RLS
// policies and auth.uid() read), exactly as Storage scopes its queries. service_role bypasses RLS
// by its own attribute, not by anything here.
import type postgres from "postgres";
import type { Sql } from "../db/connect.ts";
import type { GatewayRequest } from "../gateway/types.ts";
import { bearerToken, type JwtClaims, JwtError, type JwtVerifier } from "../keys/verify-jwt.ts";
import { storageErrors } from "./errors.ts";

export type Tx = postgres.TransactionSql;

export interface Caller {
  role: string;
  claims: JwtClaims;
  token?: string;
  /** The `sub` claim, recorded as owner_id. */
  sub?: string;
}

const ANON: Caller = { role: "anon", claims: { role: "anon" } };

/**
 * The caller from `Authorization: Bearer`. A missing token or one that fails verification is
 * refused (403 AccessDenied with the verifier's words, for a missing one jose's "Invalid Compact
 * JWS" as Storage answers), unless `anonOnInvalid` (public reads), which reads them as anon.
 */
export async function authenticate(request: GatewayRequest, verifier: JwtVerifier, anonOnInvalid = false): Promise<Caller> {
  const token = bearerToken(request.headers.authorization);
  if (!token) {
    if (anonOnInvalid) return ANON;
    throw storageErrors.accessDenied("Invalid Compact JWS");
  }
  try {
    const claims = await verifier.verify(token);
    const role = typeof claims.role === "string" && claims.role !== "" ? claims.role : "anon";
    return { role, claims, token, sub: typeof claims.sub === "string" ? claims.sub : undefined };
  } catch (error) {
    if (anonOnInvalid) return ANON;
    throw storageErrors.accessDenied(error instanceof JwtError ? error.message : "invalid JWT");
  }
}

export interface ScopeOptions {
  /** Storage's operation name (`object.upload`...), readable by policies via storage.operation(). */
  operation: string;
  method: string;
  path: string;
  /** Deletes are refused by a trigger unless the session opts in. */
  allowDelete?: boolean;
}

/** Runs `work` as the caller: role and claims set locally in one transaction. The settings are
 * sent at once and `work`'s queries pipelined behind them on the same connection, so they still
 * run after (and fail with) the settings, without waiting a round trip for them. */
export function asCaller<T>(sql: Sql, caller: Caller, scope: ScopeOptions, work: (tx: Tx) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    const settings = tx`
      select
        set_config('request.jwt.claims', ${JSON.stringify(caller.claims)}, true),
        set_config('request.jwt.claim.role', ${caller.role}, true),
        set_config('request.jwt.claim.sub', ${caller.sub ?? ""}, true),
        set_config('request.jwt', ${caller.token ?? ""}, true),
        set_config('request.method', ${scope.method}, true),
        set_config('request.path', ${scope.path}, true),
        set_config('storage.operation', ${scope.operation}, true),
        set_config('storage.allow_delete_query', ${scope.allowDelete ? "true" : "false"}, true),
        set_config('role', ${caller.role}, true)`.execute();
    const [, result] = await Promise.all([settings, work(tx)]);
    return result;
  }) as Promise<T>;
}

/** Runs `work` as supabase_storage_admin (the tables' owner), for the writes Storage makes as
 * superuser once the caller's permission has been checked. */
export function asStorageAdmin<T>(sql: Sql, work: (tx: Tx) => Promise<T>, allowDelete = false): Promise<T> {
  return sql.begin(async (tx) => {
    if (allowDelete) await tx`select set_config('storage.allow_delete_query', 'true', true)`;
    return work(tx);
  }) as Promise<T>;
}
