// Endpoints of Auth features that are off on this stack (SAML SSO, Web3 and id_token sign-in,
// manual identity linking): they answer exactly as Supabase Auth answers while the feature is
// disabled, so a project finds out the same way it would on a project with the feature off.
import type { AuthContext, AuthHandler, AuthRequest } from "../auth-context.ts";
import { requireUser } from "../authenticate.ts";
import { badRequest, notFound, OAuthError, unprocessable, validationFailed } from "../errors.ts";
import { optionalBoolean, optionalString } from "../request-body.ts";

/** /sso, /sso/saml/metadata, /sso/saml/acs: GoTrue checks SAML is on before anything else. */
export const samlDisabled: AuthHandler = async () => {
  throw notFound("saml_provider_disabled", "SAML 2.0 is disabled");
};

/** /user/identities/*: a signed-in user first, then the manual-linking switch (off by default). */
export const manualLinkingDisabled: AuthHandler = async (ctx, request) => {
  await requireUser(ctx, request);
  throw notFound("manual_linking_disabled", "Manual linking is disabled");
};

/** POST /token?grant_type=web3: neither Solana nor Ethereum sign-in is served. */
export async function web3Grant(): Promise<never> {
  throw unprocessable("web3_provider_disabled", "Web3 provider is disabled");
}

const APPLE_ISSUERS = new Set(["https://appleid.apple.com", "https://account.apple.com"]);
const isAzureIssuer = (issuer: string) => issuer.startsWith("https://login.microsoftonline.com/");

/** Providers whose id_token issuer GoTrue knows by name. */
const FIXED_ISSUERS: Record<string, string> = {
  google: "https://accounts.google.com",
  facebook: "https://www.facebook.com",
  kakao: "https://kauth.kakao.com",
  vercel_marketplace: "https://marketplace.vercel.com",
  snapchat: "https://accounts.snapchat.com/accounts/oauth2/token",
};

/** Go's %q for the strings this file quotes (URLs and names): JSON's quoting agrees on them. */
const goQuoted = (text: string) => JSON.stringify(text);

/** The unverified `iss` of an id_token, as GoTrue reads it to tell Apple's or Azure's issuer. */
function tokenIssuer(idToken: string): string | undefined {
  const parts = idToken.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as { iss?: unknown };
    return typeof payload.iss === "string" ? payload.iss : "";
  } catch {
    return undefined;
  }
}

function detectedIssuer(idToken: string, issuer: string, name: "Apple" | "Azure", accepts: (iss: string) => boolean): string {
  const detected = tokenIssuer(idToken);
  if (detected === undefined) throw validationFailed(`Unable to detect issuer in ID token for ${name} provider`);
  if (!accepts(detected)) throw validationFailed(`Detected ID token issuer is not an ${name} ID token issuer`);
  if (issuer !== "" && issuer !== detected) throw validationFailed("Provided issuer does not match ID token issuer");
  return detected;
}

/**
 * POST /token?grant_type=id_token: every external provider is disabled here (GET /settings says
 * so), so after GoTrue's parameter checks the answer is its "not enabled" error for the issuer.
 */
export async function idTokenGrant(ctx: AuthContext, request: AuthRequest): Promise<never> {
  const body = await request.body();
  const idToken = optionalString(body, "id_token") ?? "";
  const provider = optionalString(body, "provider") ?? "";
  const issuer = optionalString(body, "issuer") ?? "";
  const clientId = optionalString(body, "client_id") ?? "";
  if (idToken === "") throw new OAuthError("invalid request", "id_token required");
  if (provider === "" && (clientId === "" || issuer === ""))
    throw new OAuthError("invalid request", "provider or client_id and issuer required");
  if (optionalBoolean(body, "link_identity")) {
    if (!request.gateway.headers.authorization)
      throw new OAuthError("invalid request", "Linking requires a valid user access token in Authorization");
    await requireUser(ctx, request);
  }
  let providerIssuer: string;
  if (provider === "apple" || APPLE_ISSUERS.has(issuer))
    providerIssuer = detectedIssuer(idToken, issuer, "Apple", (iss) => APPLE_ISSUERS.has(iss));
  else if (provider === "azure" || isAzureIssuer(issuer))
    providerIssuer = detectedIssuer(idToken, issuer, "Azure", (iss) => isAzureIssuer(iss) || iss.startsWith("https://sts.windows.net/"));
  else if (provider === "keycloak") providerIssuer = ctx.settings.keycloakUrl;
  else {
    const named = Object.entries(FIXED_ISSUERS).find(([name, iss]) => provider === name || issuer === iss);
    if (provider.startsWith("custom:") && !named) throw validationFailed("Custom OAuth providers are disabled");
    if (!named) throw validationFailed(`Custom OIDC provider ${goQuoted(provider)} not allowed`);
    providerIssuer = named[1];
  }
  throw badRequest("provider_disabled", `Provider (issuer ${goQuoted(providerIssuer)}) is not enabled`);
}
