import assert from "node:assert/strict";
import { test } from "node:test";
import type { AuthError } from "./errors.ts";
import { createRateLimits, forwardedClientIp, TokenBucketLimiter } from "./rate-limits.ts";

test("a bucket allows its capacity, then refills at capacity per period", () => {
  const limiter = new TokenBucketLimiter(3, 300);
  const t = 1_000_000;
  assert.deepEqual([limiter.take("ip", t), limiter.take("ip", t), limiter.take("ip", t), limiter.take("ip", t)], [true, true, true, false]);
  assert.equal(limiter.take("other", t), true);
  assert.equal(limiter.take("ip", t + 100_000), true); // 100 s of 3 per 300 s refills one
  assert.equal(limiter.take("ip", t + 100_000), false);
});

test("only requests naming a client in X-Forwarded-For are counted", () => {
  const limits = createRateLimits({ signInSignUps: 1, tokenRefresh: 1, tokenVerifications: 1, anonymousUsers: 1, emailSent: 1 });
  for (let i = 0; i < 5; i++) limits.check(limits.signInSignUps, {});
  limits.check(limits.signInSignUps, { "x-forwarded-for": "203.0.113.9" });
  assert.throws(
    () => limits.check(limits.signInSignUps, { "x-forwarded-for": "203.0.113.9, 10.0.0.1" }),
    (e: AuthError) => e.status === 429 && e.code === "over_request_rate_limit",
  );
  assert.equal(forwardedClientIp({ "x-forwarded-for": " 198.51.100.1 , 10.0.0.2" }), "198.51.100.1");
});

test("the email budget is project-wide", () => {
  const limits = createRateLimits({ signInSignUps: 1, tokenRefresh: 1, tokenVerifications: 1, anonymousUsers: 1, emailSent: 2 });
  limits.takeEmail();
  limits.takeEmail();
  assert.throws(
    () => limits.takeEmail(),
    (e: AuthError) => e.code === "over_email_send_rate_limit",
  );
});
