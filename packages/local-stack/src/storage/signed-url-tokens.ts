// Signed-URL tokens: HS256 JWTs with the project's secret, as Storage issues them. Each is scoped
// to one action (`scope: "download"` or `"upload"`) so a shared download link can never be
// replayed as an upload; tokens from before scopes existed are told apart as Storage does, by the
// `upsert` claim only upload tokens carry.
import { errors, jwtVerify, SignJWT } from "jose";
import { storageErrors } from "./errors.ts";
import type { StorageContext } from "./storage-context.ts";

export type SignedUrlScope = "download" | "upload";

export interface UploadTokenClaims {
  /** `sub` of whoever made the URL: the object's owner once uploaded. */
  owner?: string;
  upsert: boolean;
}

const secretKey = (context: StorageContext) => new TextEncoder().encode(context.jwtSecret);

function sign(context: StorageContext, claims: Record<string, unknown>, seconds: number): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(secretKey(context));
}

/** `url` is `bucket/key`; the claims are set here only, so nothing a caller sends can add to them.
 * `transformations`: what a signed /render/image URL applies, fixed by the signer. */
export const signDownloadToken = (context: StorageContext, url: string, seconds: number, transformations?: Record<string, unknown>) =>
  sign(context, { url, scope: "download", ...(transformations ? { transformations } : {}) }, seconds);

export const signUploadToken = (context: StorageContext, url: string, claims: UploadTokenClaims, seconds: number) =>
  sign(context, { owner: claims.owner, url, upsert: claims.upsert, scope: "upload" }, seconds);

function hasScope(payload: Record<string, unknown>, scope: SignedUrlScope): boolean {
  if (payload.scope !== undefined) return payload.scope === scope;
  return scope === "upload" ? "upsert" in payload : !("upsert" in payload);
}

/** The verified claims of a token for `url`, used for `scope`; Storage's errors otherwise. */
export async function verifySignedUrlToken(
  context: StorageContext,
  token: string | null,
  url: string,
  scope: SignedUrlScope,
): Promise<Record<string, unknown>> {
  if (!token) throw storageErrors.invalidRequest("querystring must have required property 'token'");
  let payload: Record<string, unknown>;
  try {
    payload = (await jwtVerify(token, secretKey(context), { algorithms: ["HS256"] })).payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw storageErrors.expiredToken();
    throw storageErrors.invalidSignature();
  }
  if (!hasScope(payload, scope)) throw storageErrors.invalidSignature(`Token is not scoped for ${scope}`);
  if (payload.url !== url) throw storageErrors.invalidSignature();
  return payload;
}
