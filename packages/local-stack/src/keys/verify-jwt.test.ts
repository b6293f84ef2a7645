import assert from "node:assert/strict";
import { test } from "node:test";
import { signHs256 } from "./api-keys.ts";
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

test("rejects a tampered payload", async () => {
  const [h, , s] = signHs256({ role: "anon", exp: future }, secret).split(".");
  const forged = Buffer.from(JSON.stringify({ role: "service_role", exp: future })).toString("base64url");
  await assert.rejects(verifier.verify(`${h}.${forged}.${s}`), (e: JwtError) => e.reason === "bad_signature");
});

test("rejects garbage", async () => {
  await assert.rejects(verifier.verify("not-a-jwt"), (e: JwtError) => e.reason === "malformed");
});
