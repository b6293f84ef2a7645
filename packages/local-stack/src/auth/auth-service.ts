// The Auth service behind /auth/v1: one pooled connection as supabase_auth_admin, settings from
// config.toml, and the router over every endpoint.
import { connect } from "../db/connect.ts";
import type { Service } from "../gateway/types.ts";
import { createJwtVerifier } from "../keys/verify-jwt.ts";
import { senderFromEnvironment } from "../mail/resend-sender.ts";
import type { StackContext } from "../services.ts";
import { createApiKeyGate } from "./api-key-gate.ts";
import type { AuthContext } from "./auth-context.ts";
import { createAuthMailer } from "./auth-mailer.ts";
import { trustedProxyList } from "./client-info.ts";
import { CHALLENGE_EXPIRY_SECONDS } from "./mfa-factors.ts";
import { createRateLimits } from "./rate-limits.ts";
import { createRouter } from "./router.ts";
import { authRoutes } from "./routes.ts";
import { readAuthSettings } from "./settings.ts";

export function createAuthService(context: StackContext): Service | undefined {
  const { config } = context;
  if (!config.auth.enabled) return undefined;
  const settings = { ...readAuthSettings(config), signingKeys: context.keys.signingKeys };
  // Refresh and sign-in writes are session bookkeeping a local stack can lose on a crash:
  // asynchronous commit lets them go at memory speed.
  const sql = connect(context.db.url("supabase_auth_admin"), {
    max: 12,
    connection: { application_name: "basekit-auth", search_path: "auth", synchronous_commit: "off", TimeZone: "UTC" },
  });
  const limits = createRateLimits({
    ...settings.rateLimit,
    otpExpirySeconds: settings.email.otpExpiry,
    challengeExpirySeconds: CHALLENGE_EXPIRY_SECONDS,
  });
  const logger = context.logger.child({ service: "auth" });
  const ctx: AuthContext = {
    sql,
    settings,
    verifier: createJwtVerifier(settings.jwtSecret, settings.signingKeys?.publicJwks),
    limits,
    trustedProxies: trustedProxyList(settings.trustedProxies),
    mailer: createAuthMailer(settings, senderFromEnvironment(context.mailApiUrl), limits, logger),
    logger,
  };
  return {
    name: "auth",
    prefix: "/auth/v1",
    handle: createRouter(ctx, authRoutes, createApiKeyGate(context.keys, ctx.verifier)),
    health: async () => {
      await sql`select 1`;
      return { status: "ok" };
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
