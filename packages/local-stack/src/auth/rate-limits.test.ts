import assert from "node:assert/strict";
import { test } from "node:test";
import type { AuthError } from "./errors.ts";
import { FailedAttempts } from "./failed-attempts.ts";
import { createRateLimits, TokenBucketLimiter } from "./rate-limits.ts";

test("a bucket allows its capacity, then refills at capacity per period", () => {
  const limiter = new TokenBucketLimiter(3, 300);
  const t = 1_000_000;
  assert.deepEqual([limiter.take("ip", t), limiter.take("ip", t), limiter.take("ip", t), limiter.take("ip", t)], [true, true, true, false]);
  assert.equal(limiter.take("other", t), true);
  assert.equal(limiter.take("ip", t + 100_000), true); // 100 s of 3 per 300 s refills one
  assert.equal(limiter.take("ip", t + 100_000), false);
});

const limitsOf = (emailSent = 1) =>
  createRateLimits({
    signInSignUps: 1,
    tokenRefresh: 1,
    tokenVerifications: 1,
    anonymousUsers: 1,
    emailSent,
    otpExpirySeconds: 3600,
    challengeExpirySeconds: 300,
  });

test("every request counts against its client address, requests without one all as one client", () => {
  const limits = limitsOf();
  const overLimit = (e: AuthError) => e.status === 429 && e.code === "over_request_rate_limit";
  limits.check(limits.signInSignUps, { ip: "203.0.113.9", userAgent: null });
  assert.throws(() => limits.check(limits.signInSignUps, { ip: "203.0.113.9", userAgent: "other browser" }), overLimit);
  limits.check(limits.signInSignUps, { ip: "198.51.100.1", userAgent: null });
  limits.check(limits.signInSignUps, { ip: null, userAgent: null });
  assert.throws(() => limits.check(limits.signInSignUps, { ip: null, userAgent: null }), overLimit);
});

test("a bucket makes room by dropping its oldest key, never by refilling everyone", () => {
  const limiter = new TokenBucketLimiter(1, 300);
  const t = 1_000_000;
  limiter.take("oldest", t);
  assert.equal(limiter.take("attacker", t), true);
  // 49,999 new keys fill the table (50,000) and push out exactly one: the oldest.
  for (let i = 0; i < 49_999; i++) limiter.take(`flood-${i}`, t);
  assert.equal(limiter.take("attacker", t), false);
  assert.equal(limiter.take("oldest", t), true);
});

test("failed attempts: the max-th failure exhausts a key until its window ends, and keys are separate", () => {
  const failures = new FailedAttempts(3, 60);
  const t = 1_000_000;
  assert.deepEqual([failures.fail("a", t), failures.fail("a", t), failures.exhausted("a", t)], [false, false, false]);
  assert.equal(failures.fail("a", t), true);
  assert.equal(failures.exhausted("a", t + 59_000), true);
  assert.equal(failures.exhausted("b", t), false);
  assert.equal(failures.exhausted("a", t + 60_000), false);
});

test("failed attempts kept past capacity drop the oldest key, not the counts of the rest", () => {
  const failures = new FailedAttempts(2, 60, 3);
  const t = 1_000_000;
  failures.fail("first", t);
  failures.fail("victim", t);
  failures.fail("victim", t);
  failures.fail("x", t);
  failures.fail("y", t);
  assert.equal(failures.exhausted("victim", t), true);
  assert.equal(failures.fail("first", t), false);
});

test("the email budget is project-wide", () => {
  const limits = limitsOf(2);
  limits.takeEmail();
  limits.takeEmail();
  assert.throws(
    () => limits.takeEmail(),
    (e: AuthError) => e.code === "over_email_send_rate_limit",
  );
});
