// The stack's VAPID key pair: made on first start and kept in the state folder, so push
// subscriptions made against it stay valid across restarts. Functions get it as VAPID_PUBLIC_KEY
// and VAPID_PRIVATE_KEY (in production those are secrets you set).
import { createECDH } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface VapidKeys {
  /** Uncompressed P-256 point, base64url (what browsers take as applicationServerKey). */
  publicKey: string;
  /** 32-byte private scalar, base64url (what web-push takes). */
  privateKey: string;
}

/** Node drops leading zero bytes of the scalar; web-push wants exactly 32. */
const padTo32 = (bytes: Buffer) => Buffer.concat([Buffer.alloc(32 - bytes.length), bytes]);

export function localVapidKeys(stateDir: string): VapidKeys {
  const file = join(stateDir, "vapid.json");
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as Partial<VapidKeys>;
    if (typeof stored.publicKey === "string" && typeof stored.privateKey === "string")
      return { publicKey: stored.publicKey, privateKey: stored.privateKey };
  }
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const keys = { publicKey: ecdh.getPublicKey().toString("base64url"), privateKey: padTo32(ecdh.getPrivateKey()).toString("base64url") };
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}
