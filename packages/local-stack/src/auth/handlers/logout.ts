// POST /logout?scope=global|local|others: ends the caller's sessions (their refresh tokens go
// with them; access tokens stay valid for stateless checks until they expire).

import { writeAudit } from "../audit-log.ts";
import type { AuthHandler } from "../auth-context.ts";
import { requireUser } from "../authenticate.ts";
import { validationFailed } from "../errors.ts";
import { deleteSessions, type LogoutScope } from "../sessions.ts";

const scopes = new Set<LogoutScope>(["global", "local", "others"]);

export const logout: AuthHandler = async (ctx, request) => {
  const scope = (request.query.get("scope") || "global") as LogoutScope;
  if (!scopes.has(scope)) throw validationFailed(`Unsupported logout scope "${scope}"`);
  const { user, sessionId } = await requireUser(ctx, request);
  await deleteSessions(ctx.sql, user.id, sessionId, scope);
  await writeAudit(ctx.sql, "logout", user, request.client.ip, { scope });
  return { status: 204 };
};
