import assert from "node:assert/strict";
import { test } from "node:test";
import { base32Decode, base32Encode, newTotpSecret, totpCode, totpUri, verifyTotp } from "./totp.ts";

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last six digits.
const rfcSecret = base32Encode(Buffer.from("12345678901234567890"));

test("codes match RFC 6238's SHA-1 test vectors", () => {
  assert.equal(rfcSecret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  assert.equal(totpCode(rfcSecret, 59_000), "287082");
  assert.equal(totpCode(rfcSecret, 1_111_111_109_000), "081804");
  assert.equal(totpCode(rfcSecret, 1_234_567_890_000), "005924");
  assert.equal(totpCode(rfcSecret, 2_000_000_000_000), "279037");
});

test("verification accepts one step of skew and nothing further", () => {
  const at = 1_700_000_000_000;
  assert.ok(verifyTotp(rfcSecret, totpCode(rfcSecret, at), at));
  assert.ok(verifyTotp(rfcSecret, totpCode(rfcSecret, at - 30_000), at));
  assert.ok(verifyTotp(rfcSecret, totpCode(rfcSecret, at + 30_000), at));
  assert.ok(!verifyTotp(rfcSecret, totpCode(rfcSecret, at + 90_000), at));
  assert.ok(!verifyTotp(rfcSecret, "12345", at));
  assert.ok(!verifyTotp(rfcSecret, "abcdef", at));
});

test("secrets are 160-bit base32 and round-trip", () => {
  const secret = newTotpSecret();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.equal(base32Encode(base32Decode(secret)), secret);
  assert.notEqual(newTotpSecret(), secret);
});

test("the otpauth URI names issuer and account", () => {
  assert.equal(
    totpUri("JBSWY3DPEHPK3PXP", "example.com", "a@b.c"),
    "otpauth://totp/example.com%3Aa%40b.c?secret=JBSWY3DPEHPK3PXP&issuer=example.com&algorithm=SHA1&digits=6&period=30",
  );
});
