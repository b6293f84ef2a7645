import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import { signHs256 } from "./api-keys.ts";
import { generateSigningJwk, publicJwk, signAsymmetric, signingKeyOf } from "./signing-keys.ts";
import { createJwtVerifier, JwtError } from "./verify-jwt.ts";

const secret = "s".repeat(40);
const verifier = createJwtVerifier(secret);
const future = Math.floor(Date.now() / 1000) + 600;

test("accepts a token signed with the secret and returns its claims", async () => {
  const claims = await verifier.verify(signHs256({ sub: "u1", role: "authenticated", exp: future }, secret));
  assert.equal(claims.sub, "u1");
  assert.equal(claims.role, "authenticated");
});

test("rejects a token signed with another key", async () => {
  await assert.rejects(
    verifier.verify(signHs256({ role: "service_role", exp: future }, "x".repeat(40))),
    (e: JwtError) => e.reason === "bad_signature",
  );
});

test("rejects alg none", async () => {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const token = `${b64({ alg: "none", typ: "JWT" })}.${b64({ role: "service_role", exp: future })}.`;
  await assert.rejects(verifier.verify(token), (e: JwtError) => e instanceof JwtError && e.reason !== "expired");
});

test("rejects an expired token", async () => {
  await assert.rejects(verifier.verify(signHs256({ role: "anon", exp: 1000 }, secret)), (e: JwtError) => e.reason === "expired");
});

test("a verification remembered from before exp does not outlive it: the token is refused right after", async (t) => {
  // A mocked clock, so the token can expire between two uses without the test waiting.
  t.mock.timers.enable({ apis: ["Date"], now: Date.now() });
  const exp = Math.floor(Date.now() / 1000) + 2;
  const token = signHs256({ sub: "soon-expired", role: "authenticated", exp }, secret);
  const fresh = createJwtVerifier(secret);
  assert.equal((await fresh.verify(token)).sub, "soon-expired");
  t.mock.timers.tick(exp * 1000 - Date.now() - 1);
  assert.equal((await fresh.verify(token)).sub, "soon-expired", "still valid a millisecond before exp");
  t.mock.timers.tick(1);
  await assert.rejects(fresh.verify(token), (e: JwtError) => e.reason === "expired");
});

test("rejects a tampered payload", async () => {
  const [h, , s] = signHs256({ role: "anon", exp: future }, secret).split(".");
  const forged = Buffer.from(JSON.stringify({ role: "service_role", exp: future })).toString("base64url");
  await assert.rejects(verifier.verify(`${h}.${forged}.${s}`), (e: JwtError) => e.reason === "bad_signature");
});

test("rejects garbage", async () => {
  await assert.rejects(verifier.verify("not-a-jwt"), (e: JwtError) => e.reason === "malformed");
});

describe("with asymmetric signing keys", () => {
  const es = generateSigningJwk("ES256");
  const rs = generateSigningJwk("RS256");
  const keyed = createJwtVerifier(secret, [publicJwk(es), publicJwk(rs)]);
  const signer = signingKeyOf;
  const claims = { sub: "u2", role: "authenticated", exp: future };

  test("accepts ES256 and RS256 tokens by kid", async () => {
    assert.equal((await keyed.verify(signAsymmetric(claims, signer(es)))).sub, "u2");
    assert.equal((await keyed.verify(signAsymmetric({ ...claims, sub: "u3" }, signer(rs)))).sub, "u3");
  });

  test("still accepts HS256 tokens without kid signed with the secret", async () => {
    assert.equal((await keyed.verify(signHs256({ role: "anon", exp: future }, secret))).role, "anon");
  });

  test("refuses a kid no configured key has", async () => {
    const stranger = generateSigningJwk("ES256");
    await assert.rejects(keyed.verify(signAsymmetric(claims, signer(stranger))), (e: JwtError) => e.reason === "unknown_kid");
  });

  test("refuses a token signed with another key under a known kid", async () => {
    const impostor = { ...signer(generateSigningJwk("ES256")), kid: es.kid };
    await assert.rejects(keyed.verify(signAsymmetric(claims, impostor)), (e: JwtError) => e.reason === "bad_signature");
  });

  test("refuses an asymmetric token without kid, and HS256 under an asymmetric kid", async () => {
    const noKid = signAsymmetric(claims, signer(es)).split(".");
    noKid[0] = Buffer.from(JSON.stringify({ alg: "ES256", typ: "JWT" })).toString("base64url");
    await assert.rejects(keyed.verify(noKid.join(".")), (e: JwtError) => e.reason !== "expired");
    const header = Buffer.from(JSON.stringify({ alg: "HS256", kid: es.kid, typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
    const mac = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
    await assert.rejects(keyed.verify(`${header}.${payload}.${mac}`), (e: JwtError) => e.reason === "unsupported_alg");
  });

  test("a verifier without keys refuses kid tokens", async () => {
    await assert.rejects(verifier.verify(signAsymmetric(claims, signer(es))), (e: JwtError) => e.reason === "unknown_kid");
  });
});
