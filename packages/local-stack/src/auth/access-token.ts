// Access tokens with Supabase Auth's claims: signed with the configured asymmetric key (ES256 or
// RS256, `kid` in the header) when `[auth] signing_keys_path` is set, else HS256 with the secret;
// the custom access token hook, when configured, decides the claims.
import type { Sql } from "../db/connect.ts";
import { signHs256 } from "../keys/api-keys.ts";
import { signAsymmetric } from "../keys/signing-keys.ts";
import { runAccessTokenHook } from "./access-token-hook.ts";
import type { AuthSettings } from "./settings.ts";

export interface AmrEntry {
  method: string;
  timestamp: number;
}

export interface TokenSubject {
  id: string;
  email: string | null;
  phone: string | null;
  role: string | null;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  is_anonymous: boolean;
}

export interface IssuedAccessToken {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  expires_at: number;
}

/** How the token came to be issued (GoTrue's authentication_method) and for which client address. */
export interface Issuance {
  method: string;
  ip: string | null;
}

export async function issueAccessToken(
  settings: Pick<AuthSettings, "issuer" | "jwtExpiry" | "jwtSecret" | "signingKeys" | "accessTokenHook">,
  sql: Sql,
  user: TokenSubject,
  session: { id: string; aal: string; amr: AmrEntry[] },
  issuance: Issuance,
): Promise<IssuedAccessToken> {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + settings.jwtExpiry;
  // Claim order as GoTrue writes them.
  const claims = {
    iss: settings.issuer,
    sub: user.id,
    aud: "authenticated",
    exp,
    iat,
    email: user.email ?? "",
    phone: user.phone ?? "",
    app_metadata: user.app_metadata,
    user_metadata: user.user_metadata,
    role: user.role || "authenticated",
    aal: session.aal,
    amr: session.amr,
    session_id: session.id,
    is_anonymous: user.is_anonymous,
  };
  const signed = settings.accessTokenHook
    ? await runAccessTokenHook(sql, settings.accessTokenHook, {
        userId: user.id,
        claims,
        authenticationMethod: issuance.method,
        ipAddress: issuance.ip ?? "",
      })
    : claims;
  const signer = settings.signingKeys?.signer;
  const accessToken = signer ? signAsymmetric(signed, signer) : signHs256(signed, settings.jwtSecret);
  return { access_token: accessToken, token_type: "bearer", expires_in: settings.jwtExpiry, expires_at: exp };
}
