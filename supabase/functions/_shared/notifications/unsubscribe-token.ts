// Unsubscribe links that work without signing in: a token naming the user and the category,
// with an expiry, signed with HMAC-SHA256. Only the server knows the secret, so nobody can mint
// a token for someone else or change the category of their own.

const DEFAULT_LIFETIME_SECONDS = 60 * 24 * 3600;
const encoder = new TextEncoder();

export interface UnsubscribeClaims {
  userId: string;
  category: string;
  /** Unix seconds. */
  expiresAt: number;
}

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const fromBase64Url = (text: string) =>
  Uint8Array.from(
    atob(
      text
        .replace(/-/g, "+")
        .replace(/_/g, "/")
        .padEnd(Math.ceil(text.length / 4) * 4, "="),
    ),
    (c) => c.charCodeAt(0),
  );

const hmacKey = (secret: string) =>
  crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);

/** `expiresAt` in Unix seconds; by default 60 days from now. */
export async function signUnsubscribeToken(
  secret: string,
  userId: string,
  category: string,
  expiresAt = Math.floor(Date.now() / 1000) + DEFAULT_LIFETIME_SECONDS,
): Promise<string> {
  const body = toBase64Url(encoder.encode(JSON.stringify({ u: userId, c: category, x: expiresAt })));
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(body)));
  return `${body}.${toBase64Url(signature)}`;
}

/** The claims of a genuine, unexpired token; null for anything else. */
export async function verifyUnsubscribeToken(secret: string, token: string): Promise<UnsubscribeClaims | null> {
  if (token.length > 1024) return null;
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) return null;
  try {
    const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), fromBase64Url(signature), encoder.encode(body));
    if (!valid) return null;
    const claims = JSON.parse(new TextDecoder().decode(fromBase64Url(body)));
    if (typeof claims?.u !== "string" || typeof claims?.c !== "string" || typeof claims?.x !== "number") return null;
    if (claims.x < Date.now() / 1000) return null;
    return { userId: claims.u, category: claims.c, expiresAt: claims.x };
  } catch {
    return null;
  }
}
