// GoTrue's per-IP request limits (`[auth.rate_limit]`) as token buckets, the project-wide hourly
// email budget, and the failure budgets that burn a guessed-at OTP, nonce or MFA challenge. A
// request counts against its client address (client-info.ts): the socket's peer unless that is a
// trusted proxy, so a forged X-Forwarded-For neither escapes nor resets a limit.
import type { ClientInfo } from "./client-info.ts";
import { tooManyRequests } from "./errors.ts";
import { FailedAttempts, MAX_FAILED_ATTEMPTS } from "./failed-attempts.ts";

export interface Bucket {
  tokens: number;
  updated: number;
}

export class TokenBucketLimiter {
  private buckets = new Map<string, Bucket>();

  /** `capacity` requests per `periodSeconds`, refilled continuously. */
  constructor(
    private readonly capacity: number,
    private readonly periodSeconds: number,
  ) {}

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string, now = Date.now()): boolean {
    if (this.capacity <= 0) return true;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // The oldest bucket makes room, never all of them: a flood of new keys must not refill the rest.
      if (this.buckets.size >= 50_000) this.buckets.delete(this.buckets.keys().next().value as string);
      bucket = { tokens: this.capacity, updated: now };
      this.buckets.set(key, bucket);
    }
    const refill = ((now - bucket.updated) / 1000) * (this.capacity / this.periodSeconds);
    bucket.tokens = Math.min(this.capacity, bucket.tokens + refill);
    bucket.updated = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** GoTrue's MFA challenge-and-verify limit (`GOTRUE_MFA_RATE_LIMIT_CHALLENGE_AND_VERIFY`): 15 a minute. */
const MFA_REQUESTS_PER_MINUTE = 15;
/** Wrong TOTP codes one factor takes in an hour, across all its challenges, before it refuses more. */
const FACTOR_FAILURES_PER_HOUR = 30;

export interface AuthRateLimits {
  /** Throws 429 over_request_rate_limit when `client` is over `limiter`'s rate. */
  check(limiter: TokenBucketLimiter, client: ClientInfo): void;
  /** Throws 429 over_email_send_rate_limit when the project's hourly email budget is spent. */
  takeEmail(): void;
  signInSignUps: TokenBucketLimiter;
  tokenRefresh: TokenBucketLimiter;
  tokenVerifications: TokenBucketLimiter;
  anonymousUsers: TokenBucketLimiter;
  mfaChallengeAndVerify: TokenBucketLimiter;
  /** Wrong codes per email OTP / reauthentication nonce, keyed by the token's stored hash. */
  failedOtps: FailedAttempts;
  /** Wrong codes per MFA challenge. */
  failedChallenges: FailedAttempts;
  /** Wrong codes per MFA factor, whatever the challenge. */
  failedFactors: FailedAttempts;
}

export function createRateLimits(limits: {
  signInSignUps: number;
  tokenRefresh: number;
  tokenVerifications: number;
  anonymousUsers: number;
  emailSent: number;
  otpExpirySeconds: number;
  challengeExpirySeconds: number;
}): AuthRateLimits {
  const email = new TokenBucketLimiter(limits.emailSent, 3600);
  return {
    signInSignUps: new TokenBucketLimiter(limits.signInSignUps, 300),
    tokenRefresh: new TokenBucketLimiter(limits.tokenRefresh, 300),
    tokenVerifications: new TokenBucketLimiter(limits.tokenVerifications, 300),
    anonymousUsers: new TokenBucketLimiter(limits.anonymousUsers, 3600),
    mfaChallengeAndVerify: new TokenBucketLimiter(MFA_REQUESTS_PER_MINUTE, 60),
    failedOtps: new FailedAttempts(MAX_FAILED_ATTEMPTS, limits.otpExpirySeconds),
    failedChallenges: new FailedAttempts(MAX_FAILED_ATTEMPTS, limits.challengeExpirySeconds),
    failedFactors: new FailedAttempts(FACTOR_FAILURES_PER_HOUR, 3600),
    check(limiter, client) {
      // A client without an address (a Unix socket, say) still counts, all such clients as one.
      if (!limiter.take(client.ip ?? "unknown")) throw tooManyRequests("over_request_rate_limit", "Request rate limit reached");
    },
    takeEmail() {
      if (!email.take("project")) throw tooManyRequests("over_email_send_rate_limit", "Email rate limit exceeded");
    },
  };
}
