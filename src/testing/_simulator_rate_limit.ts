// The simulator's rate limit: a fixed window of requests per project, the 429 RATE_LIMITED error
// Atlas answers (also used by the "rate-limit" fault), and the RateLimit-* headers of successes.
import { atlasError, type SimulatedError } from "./_simulator_errors.ts";

/** Requests per project and window, enforced or only announced. */
export interface RateLimiter {
  /** Counts a request against its project's window: the remaining count, or when to retry. */
  count(groupId: string): { remaining: number; retryAfter?: number };
  /** 429 `RATE_LIMITED` for `path`, with `Retry-After` in whole seconds. */
  exceeded(path: string, retryAfterSeconds: number): SimulatedError;
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
    exceeded(path: string, retryAfterSeconds: number): SimulatedError {
      const minutes = windowMs / 60_000;
      return atlasError(
        429,
        "RATE_LIMITED",
        `Resource ${path} is limited to ${limit} requests every ${minutes} minutes.`,
        [path, limit, minutes],
        { "retry-after": String(retryAfterSeconds) },
      );
    },
    headers(remaining: number): Record<string, string> {
      return { "ratelimit-limit": String(limit), "ratelimit-remaining": String(remaining) };
    },
  };
}
