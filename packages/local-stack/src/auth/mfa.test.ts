import assert from "node:assert/strict";
import { test } from "node:test";
import { confirmedUser, decodeJwt, stackFromEnvironment, userClient } from "./auth-test-kit.ts";
import { totpCode } from "./totp.ts";

const stack = stackFromEnvironment();

async function enrolledUser() {
  const signedIn = await confirmedUser(stack);
  const enrolled = await signedIn.client.auth.mfa.enroll({ factorType: "totp", friendlyName: "phone app" });
  if (enrolled.error) throw enrolled.error;
  return { ...signedIn, factor: enrolled.data };
}

/** A user whose session reached aal2 with a verified TOTP factor. */
async function verifiedFactorUser() {
  const enrolled = await enrolledUser();
  const challenge = await enrolled.client.auth.mfa.challenge({ factorId: enrolled.factor.id });
  const verified = await enrolled.client.auth.mfa.verify({
    factorId: enrolled.factor.id,
    challengeId: challenge.data!.id,
    code: totpCode(enrolled.factor.totp.secret),
  });
  if (verified.error) throw verified.error;
  return enrolled;
}

test("enrolling TOTP answers a secret, an otpauth URI and an SVG QR code", async () => {
  const { factor, email } = await enrolledUser();
  assert.equal(factor.type, "totp");
  assert.equal(factor.friendly_name, "phone app");
  assert.match(factor.totp.secret, /^[A-Z2-7]{32}$/);
  assert.match(factor.totp.uri, new RegExp(`^otpauth://totp/.*${encodeURIComponent(email).replace(/[.]/g, "\\.")}\\?secret=`));
  assert.match(factor.totp.qr_code, /^data:image\/svg\+xml;utf-8,<svg/);
});

test("challenge and verify with the current code raises the session to aal2 with a totp claim", async () => {
  const { client, factor } = await enrolledUser();
  const before = await client.auth.mfa.getAuthenticatorAssuranceLevel();
  assert.equal(before.data?.currentLevel, "aal1");
  const challenge = await client.auth.mfa.challenge({ factorId: factor.id });
  assert.equal(challenge.error, null);
  assert.ok(challenge.data!.expires_at > Date.now() / 1000);
  const wrong = await client.auth.mfa.verify({
    factorId: factor.id,
    challengeId: challenge.data!.id,
    code: totpCode(factor.totp.secret, Date.now() + 5 * 60_000),
  });
  assert.equal(wrong.error?.code, "mfa_verification_failed");
  const { data, error } = await client.auth.mfa.verify({
    factorId: factor.id,
    challengeId: challenge.data!.id,
    code: totpCode(factor.totp.secret),
  });
  assert.equal(error, null);
  const claims = decodeJwt(data!.access_token);
  assert.equal(claims.aal, "aal2");
  assert.deepEqual(
    (claims.amr as { method: string }[]).map((a) => a.method),
    ["totp", "otp"],
  );
  const after = await client.auth.mfa.getAuthenticatorAssuranceLevel();
  assert.equal(after.data?.currentLevel, "aal2");
  const factors = await client.auth.mfa.listFactors();
  assert.equal(factors.data?.totp.length, 1);
  assert.equal(factors.data?.totp[0].status, "verified");
});

test("with a verified factor, a new password sign-in is aal1 with aal2 next and may not change the password", async () => {
  const { email, password } = await verifiedFactorUser();
  const other = userClient(stack);
  await other.auth.signInWithPassword({ email, password });
  const level = await other.auth.mfa.getAuthenticatorAssuranceLevel();
  assert.equal(level.data?.currentLevel, "aal1");
  assert.equal(level.data?.nextLevel, "aal2");
  const { error } = await other.auth.updateUser({ password: `${password}Z9` });
  assert.equal(error?.code, "insufficient_aal");
  assert.equal(error?.status, 401);
});

test("unenrolling a verified factor needs aal2 and brings the session back to aal1", async () => {
  const { client, factor, email, password } = await verifiedFactorUser();
  const aal1 = userClient(stack);
  await aal1.auth.signInWithPassword({ email, password });
  assert.equal((await aal1.auth.mfa.unenroll({ factorId: factor.id })).error?.code, "insufficient_aal");
  const { data, error } = await client.auth.mfa.unenroll({ factorId: factor.id });
  assert.equal(error, null);
  assert.equal(data?.id, factor.id);
  const refreshed = await client.auth.refreshSession();
  assert.equal(decodeJwt(refreshed.data.session!.access_token).aal, "aal1");
  assert.equal((await client.auth.mfa.listFactors()).data?.all.length, 0);
});

test("anonymous users cannot enroll, and factors of another user are not found", async () => {
  const anonymous = userClient(stack);
  await anonymous.auth.signInAnonymously();
  const refused = await anonymous.auth.mfa.enroll({ factorType: "totp" });
  assert.equal(refused.error?.status, 403);
  const { factor } = await enrolledUser();
  const stranger = await confirmedUser(stack);
  const challenge = await stranger.client.auth.mfa.challenge({ factorId: factor.id });
  assert.equal(challenge.error?.code, "mfa_factor_not_found");
});
