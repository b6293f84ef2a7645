// SCRAM-SHA-256 client exchange (RFC 5802/7677) as PostgreSQL runs it: no channel binding, the
// user name taken from the startup message. The salted password is cached, since every pooled
// connection of a role repeats the same (costly) PBKDF2 with the same salt and iteration count.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

export const SCRAM_MECHANISM = "SCRAM-SHA-256";

const saltedPasswords = new Map<string, Buffer>();

function saltedPassword(password: string, salt: string, iterations: number): Buffer {
  const key = `${salt}\u0000${iterations}\u0000${password}`;
  let salted = saltedPasswords.get(key);
  if (!salted) {
    salted = pbkdf2Sync(password.normalize("NFKC"), Buffer.from(salt, "base64"), iterations, 32, "sha256");
    saltedPasswords.set(key, salted);
  }
  return salted;
}

const hmac = (key: Buffer, data: string) => createHmac("sha256", key).update(data).digest();

function attributes(message: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of message.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) map.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return map;
}

export interface ScramExchange {
  /** The client-first-message (SASLInitialResponse data). */
  first: string;
  /** The client-final-message answering the server-first-message. */
  final(serverFirst: string): string;
  /** Throws unless the server-final-message proves the server knows the password. */
  verify(serverFinal: string): void;
}

/** PostgreSQL ignores the SCRAM user name (it uses the startup user), hence `*` by default. */
export function startScram(password: string, nonce = randomBytes(18).toString("base64"), user = "*"): ScramExchange {
  const firstBare = `n=${user},r=${nonce}`;
  let expectedServerSignature: Buffer | undefined;
  return {
    first: `n,,${firstBare}`,
    final(serverFirst) {
      const attrs = attributes(serverFirst);
      const serverNonce = attrs.get("r");
      const salt = attrs.get("s");
      const iterations = Number(attrs.get("i"));
      if (!serverNonce?.startsWith(nonce) || !salt || !Number.isInteger(iterations) || iterations < 1)
        throw new Error("SCRAM: malformed server-first-message");
      const finalWithoutProof = `c=biws,r=${serverNonce}`;
      const authMessage = `${firstBare},${serverFirst},${finalWithoutProof}`;
      const salted = saltedPassword(password, salt, iterations);
      const clientKey = hmac(salted, "Client Key");
      const storedKey = createHash("sha256").update(clientKey).digest();
      const signature = hmac(storedKey, authMessage);
      const proof = Buffer.alloc(clientKey.length);
      for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i] ^ signature[i];
      expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
      return `${finalWithoutProof},p=${proof.toString("base64")}`;
    },
    verify(serverFinal) {
      const attrs = attributes(serverFinal);
      if (attrs.has("e")) throw new Error(`SCRAM: server refused authentication: ${attrs.get("e")}`);
      const given = Buffer.from(attrs.get("v") ?? "", "base64");
      if (!expectedServerSignature || given.length !== expectedServerSignature.length || !timingSafeEqual(given, expectedServerSignature))
        throw new Error("SCRAM: the server's signature does not match");
    },
  };
}
