// Asymmetric JWT signing keys, as the Supabase CLI keeps them: `[auth] signing_keys_path` (relative
// to supabase/) names a JSON array of private JWKs (ES256 on P-256 or RS256), each with a `kid`.
// The first key allowed to sign signs access tokens; every key's public half verifies and is
// published at /auth/v1/.well-known/jwks.json.
import { createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject, randomUUID, sign } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { ConfigError, type StackConfig, section } from "../config/load-config.ts";

export type SigningAlgorithm = "ES256" | "RS256";
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ["ES256", "RS256"];

/** A JWK as the CLI writes it; the member order of the interface is the order it serialises. */
export interface SigningJwk {
  kty: "EC" | "RSA";
  kid: string;
  use?: string;
  key_ops?: string[];
  alg: SigningAlgorithm;
  ext?: boolean;
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  crv?: string;
  x?: string;
  y?: string;
}

export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
}

export interface SigningKeys {
  /** Signs access tokens: the first key with a private part whose key_ops allow signing. */
  signer: SigningKey;
  /**
   * Signs the anon and service_role keys: the file's first key, whatever its key_ops, as the CLI
   * takes it (a first key without a private part, which the CLI cannot sign with, yields the signer).
   */
  first: SigningKey;
  /** Public halves of every key, in file order: what verifiers trust and jwks.json serves. */
  publicJwks: SigningJwk[];
}

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi"] as const;

/** The public half of a key, with only the `verify` operation, as Auth publishes it. */
export function publicJwk(jwk: SigningJwk): SigningJwk {
  const out: Partial<SigningJwk> = { kty: jwk.kty, kid: jwk.kid };
  if (jwk.use) out.use = jwk.use;
  out.key_ops = ["verify"];
  out.alg = jwk.alg;
  // WebCrypto refuses to import a key marked non-extractable as extractable (auth-js asks for
  // that), so only `ext: true` is passed on.
  if (jwk.ext === true) out.ext = true;
  if (jwk.kty === "RSA") Object.assign(out, { n: jwk.n, e: jwk.e });
  else Object.assign(out, { crv: jwk.crv, x: jwk.x, y: jwk.y });
  return out as SigningJwk;
}

function checkJwk(value: unknown, index: number, file: string): SigningJwk {
  const where = `signing key #${index + 1} in ${file}`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ConfigError(`${where} is not a JWK object`);
  const jwk = value as Record<string, unknown>;
  if (typeof jwk.kid !== "string" || jwk.kid === "") throw new ConfigError(`${where} has no "kid"`);
  const ok =
    (jwk.kty === "EC" && jwk.alg === "ES256" && jwk.crv === "P-256" && typeof jwk.x === "string" && typeof jwk.y === "string") ||
    (jwk.kty === "RSA" && jwk.alg === "RS256" && typeof jwk.n === "string" && typeof jwk.e === "string");
  if (!ok) throw new ConfigError(`${where} (kid ${jwk.kid}) must be an ES256 (EC P-256) or RS256 (RSA) key`);
  return jwk as unknown as SigningJwk;
}

/** Parses the keys file's text: a JSON array of JWKs (a single object is accepted as one key). */
export function parseSigningKeys(text: string, file: string): SigningKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`failed to parse signing keys ${file}: ${(error as Error).message}`);
  }
  const list = (Array.isArray(parsed) ? parsed : [parsed]).map((value, index) => checkJwk(value, index, file));
  if (list.length === 0) throw new ConfigError(`${file} holds no signing keys`);
  const canSign = (jwk: SigningJwk) => typeof jwk.d === "string" && (!jwk.key_ops || jwk.key_ops.includes("sign"));
  const signing = list.find(canSign);
  if (!signing) throw new ConfigError(`${file} holds no private key allowed to sign (a JWK with "d" and key_ops "sign")`);
  const signer = { kid: signing.kid, alg: signing.alg, privateKey: privateKeyObject(signing, file) };
  const [head] = list;
  const first =
    head === signing || typeof head.d !== "string" ? signer : { kid: head.kid, alg: head.alg, privateKey: privateKeyObject(head, file) };
  return { signer, first, publicJwks: list.map(publicJwk) };
}

function privateKeyObject(jwk: SigningJwk, file: string): KeyObject {
  try {
    return createPrivateKeyFromJwk(jwk);
  } catch (error) {
    throw new ConfigError(`signing key ${jwk.kid} in ${file} is not a valid private key: ${(error as Error).message}`);
  }
}

function createPrivateKeyFromJwk(jwk: SigningJwk): KeyObject {
  const { kty, crv, x, y, n, e } = jwk;
  const material: Record<string, string | undefined> = { kty, crv, x, y, n, e };
  for (const member of PRIVATE_MEMBERS) material[member] = jwk[member];
  for (const key of Object.keys(material)) if (material[key] === undefined) delete material[key];
  return createPrivateKey({ key: material as JsonWebKey, format: "jwk" });
}

/** The configured signing keys, or undefined when `[auth] signing_keys_path` is not set. */
export function loadSigningKeys(config: StackConfig): SigningKeys | undefined {
  const path = section(config, "auth").signing_keys_path;
  if (typeof path !== "string" || path === "") return undefined;
  const file = signingKeysFile(config, path);
  if (!existsSync(file)) throw new ConfigError(`signing keys file not found: ${file} ([auth] signing_keys_path)`);
  return parseSigningKeys(readFileSync(file, "utf8"), file);
}

/** `signing_keys_path` resolved as the CLI does: relative to the supabase/ folder. */
export function signingKeysFile(config: StackConfig, path: string): string {
  return isAbsolute(path) ? path : join(config.supabaseDir, path);
}

const b64 = (value: string | undefined) => value ?? "";

/** A new private JWK shaped like `supabase gen signing-key` makes it (random UUID kid). */
export function generateSigningJwk(alg: SigningAlgorithm): SigningJwk {
  const head = { kid: randomUUID(), use: "sig", key_ops: ["sign", "verify"], alg, ext: true };
  if (alg === "RS256") {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const k = privateKey.export({ format: "jwk" });
    return {
      kty: "RSA",
      ...head,
      n: b64(k.n),
      e: b64(k.e),
      d: b64(k.d),
      p: b64(k.p),
      q: b64(k.q),
      dp: b64(k.dp),
      dq: b64(k.dq),
      qi: b64(k.qi),
    };
  }
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const k = privateKey.export({ format: "jwk" });
  return { kty: "EC", ...head, d: b64(k.d), crv: "P-256", x: b64(k.x), y: b64(k.y) };
}

/**
 * A JWS over the claims as given (key order kept, like signHs256), with `kid` in the header.
 * Synchronous, so issuing a token stays as cheap to call as the HS256 path.
 */
export function signAsymmetric(claims: object, key: SigningKey): string {
  const header = Buffer.from(JSON.stringify({ alg: key.alg, kid: key.kid, typ: "JWT" })).toString("base64url");
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const input = `${header}.${payload}`;
  // JWS wants ECDSA signatures as raw r||s, not DER.
  const signature = sign(
    "sha256",
    Buffer.from(input),
    key.alg === "ES256" ? { key: key.privateKey, dsaEncoding: "ieee-p1363" } : key.privateKey,
  );
  return `${input}.${signature.toString("base64url")}`;
}

/** The signing key of a private JWK. */
export function signingKeyOf(jwk: SigningJwk): SigningKey {
  return { kid: jwk.kid, alg: jwk.alg, privateKey: privateKeyObject(jwk, "the key") };
}
