// GoTrue's per-IP request limits (`[auth.rate_limit]`) as token buckets, and the project-wide
// hourly email budget. Like GoTrue behind a rate-limit header, a request is keyed by the client
// IP its X-Forwarded-For names; requests without one (the developer's own local traffic, which
// Supabase's local stack never limits either) are not counted.
import type { IncomingHttpHeaders } from "node:http";
import { tooManyRequests } from "./errors.ts";

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
      if (this.buckets.size > 50_000) this.buckets.clear();
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

/** The client IP named by X-Forwarded-For, or undefined for direct (unlimited) requests. */
export function forwardedClientIp(headers: IncomingHttpHeaders): string | undefined {
  const header = headers["x-forwarded-for"];
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(",")[0]?.trim();
  return first || undefined;
}

export interface AuthRateLimits {
  /** Throws 429 over_request_rate_limit when the client behind `headers` is over `limiter`'s rate. */
  check(limiter: TokenBucketLimiter, headers: IncomingHttpHeaders): void;
  /** Throws 429 over_email_send_rate_limit when the project's hourly email budget is spent. */
  takeEmail(): void;
  signInSignUps: TokenBucketLimiter;
  tokenRefresh: TokenBucketLimiter;
  tokenVerifications: TokenBucketLimiter;
  anonymousUsers: TokenBucketLimiter;
}

export function createRateLimits(limits: {
  signInSignUps: number;
  tokenRefresh: number;
  tokenVerifications: number;
  anonymousUsers: number;
  emailSent: number;
}): AuthRateLimits {
  const email = new TokenBucketLimiter(limits.emailSent, 3600);
  return {
    signInSignUps: new TokenBucketLimiter(limits.signInSignUps, 300),
    tokenRefresh: new TokenBucketLimiter(limits.tokenRefresh, 300),
    tokenVerifications: new TokenBucketLimiter(limits.tokenVerifications, 300),
    anonymousUsers: new TokenBucketLimiter(limits.anonymousUsers, 3600),
    check(limiter, headers) {
      const ip = forwardedClientIp(headers);
      if (ip !== undefined && !limiter.take(ip)) throw tooManyRequests("over_request_rate_limit", "Request rate limit reached");
    },
    takeEmail() {
      if (!email.take("project")) throw tooManyRequests("over_email_send_rate_limit", "Email rate limit exceeded");
    },
  };
}
