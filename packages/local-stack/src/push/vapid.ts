// VAPID (RFC 8292) as a push service checks it: `Authorization: vapid t=<JWT>, k=<public key>`,
// the JWT signed ES256 with that key, for this push service's origin, expiring within 24 hours,
// with a contact (`sub`). A subscription made with an applicationServerKey takes only that key.
import { importJWK, jwtVerify } from "jose";

export type VapidCheck = { ok: true; publicKey: string; subject: string } | { ok: false; status: 401 | 403; reason: string };

const fromBase64Url = (text: string) => Buffer.from(text, "base64url");

export async function checkVapid(authorization: string | undefined, audience: string, now = Date.now()): Promise<VapidCheck> {
  const match = /^vapid\s+(.+)$/i.exec(authorization ?? "");
  if (!match) return { ok: false, status: 401, reason: "missing VAPID authorization" };
  const params = Object.fromEntries(
    match[1].split(",").map((part) => {
      const [name, ...value] = part.trim().split("=");
      return [name.trim(), value.join("=").trim()];
    }),
  );
  const token = params.t;
  const key = params.k;
  if (!token || !key) return { ok: false, status: 401, reason: "VAPID authorization needs t= and k=" };
  const raw = fromBase64Url(key);
  if (raw.length !== 65 || raw[0] !== 4) return { ok: false, status: 403, reason: "k is not an uncompressed P-256 public key" };
  try {
    const publicKey = await importJWK(
      { kty: "EC", crv: "P-256", x: raw.subarray(1, 33).toString("base64url"), y: raw.subarray(33).toString("base64url") },
      "ES256",
    );
    const { payload } = await jwtVerify(token, publicKey, { algorithms: ["ES256"], audience, currentDate: new Date(now) });
    if (typeof payload.exp !== "number" || payload.exp > now / 1000 + 24 * 3600)
      return { ok: false, status: 403, reason: "VAPID token must expire within 24 hours" };
    if (typeof payload.sub !== "string" || !/^(mailto:|https:)/.test(payload.sub))
      return { ok: false, status: 403, reason: "VAPID token needs a mailto: or https: subject" };
    return { ok: true, publicKey: raw.toString("base64url"), subject: payload.sub };
  } catch (error) {
    return { ok: false, status: 403, reason: `invalid VAPID token: ${(error as Error).message}` };
  }
}
