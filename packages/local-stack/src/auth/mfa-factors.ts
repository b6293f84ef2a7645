// MFA factor rows (auth.mfa_factors, auth.mfa_challenges) and the session upgrade to aal2 that a
// verified TOTP code earns.
import { randomUUID } from "node:crypto";
import type { Sql } from "../db/connect.ts";
import { randomRefreshToken } from "./secure-tokens.ts";
import { addAmrClaim } from "./sessions.ts";
import { ZERO_UUID } from "./user-store.ts";

export const CHALLENGE_EXPIRY_SECONDS = 300;

export interface FactorRow {
  id: string;
  user_id: string;
  friendly_name: string | null;
  factor_type: string;
  status: string;
  secret: string | null;
  created_at: Date;
  updated_at: Date;
}

export async function findFactor(sql: Sql, userId: string, factorId: string): Promise<FactorRow | undefined> {
  const [row] = await sql<FactorRow[]>`select * from auth.mfa_factors where id = ${factorId} and user_id = ${userId}`;
  return row;
}

export async function insertTotpFactor(sql: Sql, userId: string, friendlyName: string, secret: string): Promise<FactorRow> {
  const [row] = await sql<FactorRow[]>`
    insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
    values (${randomUUID()}, ${userId}, ${friendlyName}, 'totp', 'unverified', now(), now(), ${secret})
    returning *`;
  return row;
}

/**
 * After a correct code: the factor is verified, the challenge used, the session at aal2 with a
 * `totp` AMR claim and a fresh refresh token. A first verification ends the user's other
 * sessions below aal2, as GoTrue does.
 */
export async function upgradeSession(sql: Sql, factor: FactorRow, challengeId: string, sessionId: string): Promise<string> {
  const refreshToken = randomRefreshToken();
  await sql.begin(async (tx) => {
    await tx`update auth.mfa_challenges set verified_at = now() where id = ${challengeId}`;
    if (factor.status !== "verified") {
      await tx`update auth.mfa_factors set status = 'verified', updated_at = now() where id = ${factor.id}`;
      await tx`delete from auth.sessions where user_id = ${factor.user_id} and id <> ${sessionId} and aal <> 'aal2'`;
    }
    await tx`update auth.sessions set aal = 'aal2', factor_id = ${factor.id}, updated_at = now() where id = ${sessionId}`;
    const [last] = await tx<{ token: string }[]>`
      update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = ${sessionId} and not revoked returning token`;
    await tx`
      insert into auth.refresh_tokens (instance_id, token, user_id, revoked, parent, session_id, created_at, updated_at)
      values (${ZERO_UUID}, ${refreshToken}, ${factor.user_id}, false, ${last?.token ?? null}, ${sessionId}, now(), now())`;
  });
  await addAmrClaim(sql, sessionId, "totp");
  return refreshToken;
}

/** Unenrolling a factor takes sessions that relied on it back to aal1. */
export async function deleteFactor(sql: Sql, factorId: string): Promise<void> {
  await sql.begin(async (tx) => {
    const sessions = await tx<
      { id: string }[]
    >`update auth.sessions set aal = 'aal1', factor_id = null, updated_at = now() where factor_id = ${factorId} returning id`;
    if (sessions.length)
      await tx`delete from auth.mfa_amr_claims where authentication_method = 'totp' and session_id in ${tx(sessions.map((s) => s.id))}`;
    await tx`delete from auth.mfa_factors where id = ${factorId}`;
  });
}
