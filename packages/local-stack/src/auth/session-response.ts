// The Session object auth-js stores: access token, refresh token, expiry and the user.
import { type Issuance, issueAccessToken } from "./access-token.ts";
import type { AuthContext } from "./auth-context.ts";
import type { ClientInfo } from "./client-info.ts";
import type { PasswordWeakness } from "./passwords.ts";
import { type OpenedSession, openSession } from "./sessions.ts";
import { type UserRecord, userJson } from "./user-json.ts";

export async function sessionBody(
  ctx: AuthContext,
  user: UserRecord,
  session: OpenedSession,
  issuance: Issuance,
  weakPassword?: PasswordWeakness,
): Promise<Record<string, unknown>> {
  const token = await issueAccessToken(
    ctx.settings,
    ctx.sql,
    {
      id: user.id,
      email: user.email,
      phone: user.phone,
      role: user.role,
      app_metadata: user.raw_app_meta_data ?? {},
      user_metadata: user.raw_user_meta_data ?? {},
      is_anonymous: user.is_anonymous,
    },
    session,
    issuance,
  );
  return {
    ...token,
    refresh_token: session.refreshToken,
    user: userJson(user),
    ...(weakPassword ? { weak_password: weakPassword } : {}),
  };
}

/** Opens a session for `user` signed in by `method` and answers it, with last_sign_in_at as now. */
export async function signIn(ctx: AuthContext, user: UserRecord, method: string, client: ClientInfo, weakPassword?: PasswordWeakness) {
  const session = await openSession(ctx.sql, user.id, method, client);
  const now = new Date();
  const signedIn: UserRecord = {
    ...user,
    last_sign_in_at: now,
    identities: user.identities.map((i) => ({ ...i, last_sign_in_at: now.toISOString() })),
  };
  try {
    return await sessionBody(ctx, signedIn, session, { method, ip: client.ip }, weakPassword);
  } catch (error) {
    // GoTrue opens the session and runs the access token hook in one transaction: a refusing hook
    // leaves no session behind.
    await ctx.sql`delete from auth.sessions where id = ${session.id}`;
    throw error;
  }
}
