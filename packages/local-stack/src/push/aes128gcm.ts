// Decrypts a Web Push message as the browser does: RFC 8291 (keys from ECDH between the
// subscription's key and the sender's, salted with the subscription's auth secret) over the
// aes128gcm content coding of RFC 8188 (salt, record size, sender key id, then records).
import { createDecipheriv, type ECDH, hkdfSync } from "node:crypto";

export class PushDecryptError extends Error {}

const TAG_LENGTH = 16;
const hkdf = (ikm: Buffer, salt: Buffer, info: Buffer, length: number) => Buffer.from(hkdfSync("sha256", ikm, salt, info, length));

export interface SubscriptionKeys {
  /** The subscription's P-256 key pair (the browser side). */
  ecdh: ECDH;
  authSecret: Buffer;
}

export function decryptAes128gcm(body: Buffer, keys: SubscriptionKeys): Buffer {
  if (body.length < 21) throw new PushDecryptError("body shorter than the aes128gcm header");
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20];
  if (recordSize < 18) throw new PushDecryptError(`record size ${recordSize} is too small`);
  if (idLength !== 65) throw new PushDecryptError("the key id is not an uncompressed P-256 public key");
  const senderKey = body.subarray(21, 21 + idLength);
  const records = body.subarray(21 + idLength);
  let shared: Buffer;
  try {
    shared = keys.ecdh.computeSecret(senderKey);
  } catch {
    throw new PushDecryptError("the sender's key is not a valid P-256 point");
  }
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), keys.ecdh.getPublicKey(), senderKey]);
  const ikm = hkdf(shared, keys.authSecret, keyInfo, 32);
  const contentKey = hkdf(ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16);
  const baseNonce = hkdf(ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12);

  const plain: Buffer[] = [];
  for (let offset = 0, seq = 0; offset < records.length; offset += recordSize, seq++) {
    const record = records.subarray(offset, offset + recordSize);
    if (record.length <= TAG_LENGTH) throw new PushDecryptError("truncated record");
    const nonce = Buffer.from(baseNonce);
    // The record number XORed into the nonce's low bytes (a 4 KiB push never needs more than 32 bits).
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv("aes-128-gcm", contentKey, nonce);
    decipher.setAuthTag(record.subarray(record.length - TAG_LENGTH));
    let padded: Buffer;
    try {
      padded = Buffer.concat([decipher.update(record.subarray(0, record.length - TAG_LENGTH)), decipher.final()]);
    } catch {
      throw new PushDecryptError("authentication failed: wrong keys or altered message");
    }
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    const last = offset + recordSize >= records.length;
    if (end < 0 || padded[end] !== (last ? 2 : 1)) throw new PushDecryptError("bad padding delimiter");
    plain.push(padded.subarray(0, end));
  }
  return Buffer.concat(plain);
}
