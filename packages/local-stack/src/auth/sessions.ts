// Sessions and refresh tokens (auth.sessions, auth.refresh_tokens, auth.mfa_amr_claims) as GoTrue
// keeps them: sign-in opens a session with its first refresh token and an AMR claim; a refresh
// revokes the token and inserts its child, each in a single statement so the hot paths make one
// round trip.
import { randomUUID } from "node:crypto";
import type { Sql } from "../db/connect.ts";
import type { AmrEntry } from "./access-token.ts";
import type { ClientInfo } from "./client-info.ts";
import { randomRefreshToken } from "./secure-tokens.ts";
import type { UserRecord } from "./user-json.ts";
import { userColumns, ZERO_UUID } from "./user-store.ts";

export interface OpenedSession {
  id: string;
  refreshToken: string;
  aal: string;
  amr: AmrEntry[];
}

/** Opens a session for a sign-in by `method` (password, otp, magiclink, anonymous, ...). */
export async function openSession(sql: Sql, userId: string, method: string, client: ClientInfo): Promise<OpenedSession> {
  const id = randomUUID();
  const refreshToken = randomRefreshToken();
  const now = new Date();
  await sql`
    with session as (
      insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
      values (${id}, ${userId}, ${now}, ${now}, 'aal1', ${client.userAgent}, ${client.ip})
      returning id),
    token as (
      insert into auth.refresh_tokens (instance_id, token, user_id, revoked, parent, session_id, created_at, updated_at)
      select ${ZERO_UUID}::uuid, ${refreshToken}, ${userId}, false, null, id, ${now}, ${now} from session),
    amr as (
      insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
      select ${randomUUID()}::uuid, id, ${now}, ${now}, ${method} from session),
    signed_in as (
      update auth.users set last_sign_in_at = ${now}, updated_at = ${now} where id = ${userId}),
    identity as (
      update auth.identities set last_sign_in_at = ${now} where user_id = ${userId})
    select 1`;
  return { id, refreshToken, aal: "aal1", amr: [{ method, timestamp: Math.floor(now.getTime() / 1000) }] };
}

export interface RefreshTokenState {
  id: string;
  token: string;
  revoked: boolean;
  updated_at: Date;
  parent: string | null;
  session_id: string;
  user_id: string;
  aal: string | null;
  not_after: Date | null;
  session_created_at: Date | null;
  refreshed_at: Date | null;
  amr: AmrEntry[];
  /** The session's user (dates as ISO strings), read in the same statement. */
  user: UserRecord;
  /** The child token when this statement rotated a live token; null when it did not. */
  rotated: string | null;
}

export interface SessionPolicy {
  timeboxSeconds: number;
  inactivityTimeoutSeconds: number;
}

/**
 * Reads a refresh token with its session, AMR claims and user, and - when the token is live, the
 * user not banned and the session not expired - revokes it, inserts its child and touches the
 * session, all in one statement: the refresh hot path is a single round trip.
 */
export async function findAndRotateRefreshToken(
  sql: Sql,
  token: string,
  client: ClientInfo,
  policy: SessionPolicy,
): Promise<RefreshTokenState | undefined> {
  const child = randomRefreshToken();
  const now = new Date();
  const [row] = await sql<RefreshTokenState[]>`
    with current_token as (
      select rt.id, rt.token, rt.revoked, rt.updated_at, rt.parent, rt.session_id, s.user_id, s.aal, s.not_after,
        s.created_at as session_created_at, s.refreshed_at
      from auth.refresh_tokens rt join auth.sessions s on s.id = rt.session_id
      where rt.token = ${token}),
    live as (
      select c.id from current_token c join auth.users u on u.id = c.user_id
      where not c.revoked
        and (u.banned_until is null or u.banned_until <= now())
        and (c.not_after is null or c.not_after > now())
        and (${policy.timeboxSeconds}::float8 = 0 or c.session_created_at + make_interval(secs => ${policy.timeboxSeconds}::float8) > now())
        and (${policy.inactivityTimeoutSeconds}::float8 = 0
          or coalesce(c.refreshed_at at time zone 'utc', c.session_created_at) + make_interval(secs => ${policy.inactivityTimeoutSeconds}::float8) > now())),
    revoked as (
      update auth.refresh_tokens t set revoked = true, updated_at = ${now}
      from live where t.id = live.id and not t.revoked
      returning t.token, t.session_id, t.user_id),
    child as (
      insert into auth.refresh_tokens (instance_id, token, user_id, revoked, parent, session_id, created_at, updated_at)
      select ${ZERO_UUID}::uuid, ${child}, user_id, false, token, session_id, ${now}, ${now} from revoked
      returning token),
    touched as (
      update auth.sessions set refreshed_at = ${now}::timestamptz at time zone 'utc', updated_at = ${now},
        user_agent = coalesce(${client.userAgent}, user_agent), ip = coalesce(${client.ip}::inet, ip)
      where id = (select session_id from revoked))
    select c.*, (select token from child) as rotated,
      coalesce((select json_agg(json_build_object('method', a.authentication_method,
          'timestamp', floor(extract(epoch from a.updated_at))::bigint) order by a.updated_at desc)
        from auth.mfa_amr_claims a where a.session_id = c.session_id), '[]') as amr,
      (select row_to_json(x) from (select ${userColumns(sql)} from auth.users u where u.id = c.user_id) x) as user
    from current_token c`;
  return row;
}

/** Issues a new child of a token already revoked (reuse within the reuse interval). */
export async function insertChildToken(sql: Sql, parent: RefreshTokenState): Promise<string> {
  const child = randomRefreshToken();
  await sql`
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, parent, session_id, created_at, updated_at)
    values (${ZERO_UUID}, ${child}, ${parent.user_id}, false, ${parent.token}, ${parent.session_id}, now(), now())`;
  return child;
}

/** The session's one active (unrevoked, newest) token. */
export async function activeRefreshToken(sql: Sql, sessionId: string): Promise<{ token: string; parent: string | null } | undefined> {
  const [row] = await sql<{ token: string; parent: string | null }[]>`
    select token, parent from auth.refresh_tokens where session_id = ${sessionId} and not revoked order by id desc limit 1`;
  return row;
}

/** Reuse detected: every token of the session is revoked (the session row stays, as in GoTrue). */
export async function revokeTokenFamily(sql: Sql, sessionId: string): Promise<void> {
  await sql`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = ${sessionId} and not revoked`;
}

/** Adds (or refreshes) an AMR claim on a session. */
export async function addAmrClaim(sql: Sql, sessionId: string, method: string): Promise<void> {
  await sql`
    insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
    values (${randomUUID()}, ${sessionId}, now(), now(), ${method})
    on conflict (session_id, authentication_method) do update set updated_at = now()`;
}

export async function sessionAmr(sql: Sql, sessionId: string): Promise<AmrEntry[]> {
  const rows = await sql<{ method: string; timestamp: string }[]>`
    select authentication_method as method, floor(extract(epoch from updated_at))::bigint as timestamp
    from auth.mfa_amr_claims where session_id = ${sessionId} order by updated_at desc`;
  return rows.map((row) => ({ method: row.method, timestamp: Number(row.timestamp) }));
}

export type LogoutScope = "global" | "local" | "others";

export async function deleteSessions(sql: Sql, userId: string, sessionId: string | undefined, scope: LogoutScope): Promise<void> {
  if (scope === "local") {
    if (sessionId) await sql`delete from auth.sessions where id = ${sessionId}`;
  } else if (scope === "others") await sql`delete from auth.sessions where user_id = ${userId} and id <> ${sessionId ?? ZERO_UUID}`;
  else await sql`delete from auth.sessions where user_id = ${userId}`;
}
