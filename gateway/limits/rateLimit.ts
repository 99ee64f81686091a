// Requests per caller, as token buckets, counted before anything of a request is read: before its
// body is parsed and before its token is verified (limit first, parse later).
import { createHash } from 'node:crypto';

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #perSecond: number;
  readonly #burst: number;

  constructor(perSecond: number, burst: number) {
    this.#perSecond = perSecond;
    this.#burst = Math.max(burst, perSecond);
  }

  /** Seconds to wait before the next request may pass, or 0 when this one passes. */
  take(key: string, now = Date.now()): number {
    return this.#wait(key, now, true);
  }

  /** The same, without spending anything. */
  peek(key: string, now = Date.now()): number {
    return this.#wait(key, now, false);
  }

  #wait(key: string, now: number, spend: boolean): number {
    if (this.#perSecond <= 0) return 0;
    const known = this.#buckets.get(key);
    if (!known && !spend) return 0;
    const bucket = known ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond);
    bucket.at = now;
    if (!spend) return bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) / this.#perSecond;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 100_000) this.#forgetFull(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.#perSecond;
  }

  /** A full bucket holds nothing worth remembering. */
  #forgetFull(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond >= this.#burst) this.#buckets.delete(key);
    }
  }
}

/**
 * The gateway's limits per caller, all at the same rate:
 * - before anything is read, the bucket of the bearer token as sent — unverified, so it is keyed
 *   by the token's hash, which only its holder can spend — or, without a token, of the client
 *   address; and the address's budget of failed tokens, so that a flood of made-up tokens (each
 *   a fresh bucket) stops at that budget;
 * - once the token is verified, the bucket of its subject, which all the subject's tokens share.
 */
export class RequestLimiter {
  readonly #requests: RateLimiter;
  readonly #failures: RateLimiter;

  constructor(perSecond: number, burst: number) {
    this.#requests = new RateLimiter(perSecond, burst);
    this.#failures = new RateLimiter(perSecond, burst);
  }

  /** Seconds to wait before a request from `address` with this Authorization header may pass; 0: it passes. */
  admit(address: string, authorization: string | undefined): number {
    if (authorization === undefined) return this.#requests.take(`ip:${address}`);
    const failures = this.#failures.peek(`ip:${address}`);
    if (failures > 0) return failures;
    return this.#requests.take(`token:${createHash('sha256').update(authorization).digest('base64url')}`);
  }

  /** The same for the verified subject of a token. */
  admitSubject(subject: string): number {
    return this.#requests.take(`sub:${subject}`);
  }

  /** A token from `address` failed verification. */
  failed(address: string): void {
    this.#failures.take(`ip:${address}`);
  }
}
