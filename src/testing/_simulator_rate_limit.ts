// The simulator's rate limit: a fixed window of requests per project, the 429 Atlas answers (also
// used by the "rate-limit" fault): RATE_LIMITED on v1.0, RATE_LIMITED_TOKEN_BUCKET on v2, and the
// RateLimit-* headers of successes.
import { atlasError, type SimulatedError } from "./_simulator_errors.ts";

/** Requests per project and window, enforced or only announced. */
export interface RateLimiter {
  /** Counts a request against its project's window: the remaining count, or when to retry. */
  count(groupId: string): { remaining: number; retryAfter?: number };
  /**
   * 429 for `path`, with `Retry-After` in whole seconds: `RATE_LIMITED` on v1.0,
   * `RATE_LIMITED_TOKEN_BUCKET` (with its detail and parameters) on v2.
   */
  exceeded(path: string, retryAfterSeconds: number, api: "v1.0" | "v2"): SimulatedError;
  /** The `RateLimit-Limit` and `RateLimit-Remaining` headers of a success. */
  headers(remaining: number): Record<string, string>;
}

/**
 * A limiter of `limit` requests per `windowMs` (default 60_000). Without `rateLimit` nothing is
 * enforced, but a limit of 100 is announced and counted down.
 */
export function createRateLimiter(
  rateLimit: { limit: number; windowMs?: number } | undefined,
  now: () => number,
): RateLimiter {
  const limit = rateLimit?.limit ?? 100;
  const windowMs = rateLimit?.windowMs ?? 60_000;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    count(groupId: string): { remaining: number; retryAfter?: number } {
      const t = now();
      let window = windows.get(groupId);
      if (!window || t - window.start >= windowMs) {
        window = { start: t, count: 0 };
        windows.set(groupId, window);
      }
      if (rateLimit && window.count >= limit) {
        return {
          remaining: 0,
          retryAfter: Math.max(1, Math.ceil((window.start + windowMs - t) / 1000)),
        };
      }
      window.count++;
      return { remaining: Math.max(0, limit - window.count) };
    },
    exceeded(path: string, retryAfterSeconds: number, api: "v1.0" | "v2"): SimulatedError {
      const headers = { "retry-after": String(retryAfterSeconds) };
      if (api === "v2") {
        // Atlas's token bucket: the whole capacity refills over the window.
        const seconds = windowMs / 1000;
        return atlasError(
          429,
          "RATE_LIMITED_TOKEN_BUCKET",
          `Rate limit exceeded for ${path.slice(1)}. Please retry after ${retryAfterSeconds} ` +
            `seconds. Request capacity: ${limit}. Refill rate: ${limit} per ${seconds} seconds.`,
          [path.slice(1), retryAfterSeconds, limit, limit, seconds],
          headers,
        );
      }
      const minutes = windowMs / 60_000;
      return atlasError(
        429,
        "RATE_LIMITED",
        `Resource ${path} is limited to ${limit} requests every ${minutes} minutes.`,
        [path, limit, minutes],
        headers,
      );
    },
    headers(remaining: number): Record<string, string> {
      return { "ratelimit-limit": String(limit), "ratelimit-remaining": String(remaining) };
    },
  };
}
