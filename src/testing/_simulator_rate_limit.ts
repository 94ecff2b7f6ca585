// The simulator's rate limit, as Atlas's v2 one: a token bucket per project (capacity `limit`,
// `refill` tokens put back every `windowMs` of simulated time), `RateLimit-*` headers, and the 429
// Atlas answers (also used by the "rate-limit" fault): RATE_LIMITED on v1.0,
// RATE_LIMITED_TOKEN_BUCKET on v2.
import { atlasError, type SimulatedError } from "./_simulator_errors.ts";

/**
 * The simulator's rate limit (the `rateLimit` option of `createAtlasSimulator`): a token bucket per
 * project, as Atlas's v2 limit is. Tokens come back `refill` at a time at the end of each period,
 * as Atlas's own 429 suggests ("Please retry after 55 seconds. Request capacity: 10. Refill rate:
 * 5 per 60 seconds."); the limit Atlas sets for private endpoints is not published.
 */
export interface SimulatorRateLimit {
  /** The bucket's capacity: the requests a project can make at once (`RateLimit-Limit`). @default 100 */
  limit?: number;
  /** Tokens put back every `windowMs`, up to `limit` (Atlas's "refill rate"). @default limit */
  refill?: number;
  /** The refill period in milliseconds, times the simulator's `timeScale` (when not 0). @default 60_000 */
  windowMs?: number;
  /**
   * Whether answers carry `RateLimit-Reset`, the seconds until the bucket is full again. Atlas
   * documents only `RateLimit-Limit` and `RateLimit-Remaining`: turn it off to test a client
   * without it. @default true
   */
  resetHeader?: boolean;
}

/** A project's bucket as the simulator sees it now (from `getRateLimit(groupId)`). */
export interface SimulatorRateLimitState {
  /** Whether the limit is enforced (the `rateLimit` option), or only announced. */
  enforced: boolean;
  /** The bucket's capacity. */
  limit: number;
  /** The tokens left: requests that would be answered now. */
  remaining: number;
  /** Milliseconds of simulator clock until the next refill; 0 when the bucket is full. */
  nextRefillMs: number;
  /** Milliseconds of simulator clock until the bucket is full again; 0 when it is. */
  resetMs: number;
  /** 429s the limit answered this project with (injected faults not included). */
  rejected: number;
}

/** Token buckets per project, enforced or only announced. */
export interface RateLimiter {
  /** Whether the limit is enforced (every answer for a project then carries the headers). */
  readonly enforced: boolean;
  /**
   * Takes a token from the project's bucket: the headers to send with the answer, and when the
   * bucket is empty (and the limit enforced) the 429 to answer with instead.
   */
  take(
    groupId: string,
    path: string,
    api: "v1.0" | "v2",
  ): { headers: Record<string, string>; exceeded?: SimulatedError };
  /**
   * 429 for `path`, with `Retry-After` in whole seconds: `RATE_LIMITED` on v1.0,
   * `RATE_LIMITED_TOKEN_BUCKET` (with its detail and parameters) on v2.
   */
  exceeded(path: string, retryAfterSeconds: number, api: "v1.0" | "v2"): SimulatedError;
  /** The project's bucket now, without taking a token. */
  state(groupId: string): SimulatorRateLimitState;
  /** 429s answered per project. */
  rejected(): Record<string, number>;
  /** Zeroes the 429 counts (the buckets stay as they are). */
  clearCounts(): void;
}

interface Bucket {
  tokens: number;
  /** When the current refill period began. */
  periodStart: number;
}

/** Checks `rateLimit` eagerly; the message follows "Cannot create Atlas simulator: ". */
export function rateLimitProblem(
  rateLimit: boolean | SimulatorRateLimit | undefined,
): string | undefined {
  if (typeof rateLimit !== "object") {
    return rateLimit === undefined || typeof rateLimit === "boolean"
      ? undefined
      : "rateLimit must be a boolean or an object";
  }
  const { limit, refill, windowMs, resetHeader } = rateLimit;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1)) {
    return "rateLimit.limit must be a whole number >= 1";
  }
  if (refill !== undefined && !(Number.isSafeInteger(refill) && refill >= 1)) {
    return "rateLimit.refill must be a whole number >= 1";
  }
  if (windowMs !== undefined && !(windowMs > 0 && Number.isFinite(windowMs))) {
    return "rateLimit.windowMs must be positive";
  }
  if (resetHeader !== undefined && typeof resetHeader !== "boolean") {
    return "rateLimit.resetHeader must be a boolean";
  }
  return undefined;
}

/**
 * Token buckets of `limit` tokens per project, `refill` put back every `windowMs × timeScale` of
 * simulated time (`windowMs` as given when `timeScale` is 0, which would otherwise mean no limit).
 * A full bucket starts its refill period with the request that takes its first token. Without
 * `rateLimit` (or with `false`) nothing is enforced and nothing is taken: a full bucket is
 * announced on every success, so a client that follows `RateLimit-Remaining` is never slowed.
 */
export function createRateLimiter(
  rateLimit: boolean | SimulatorRateLimit | undefined,
  timeScale: number,
  now: () => number,
): RateLimiter {
  const options = typeof rateLimit === "object" ? rateLimit : {};
  const enforced = rateLimit !== undefined && rateLimit !== false;
  const limit = options.limit ?? 100;
  const refill = Math.min(options.refill ?? limit, limit);
  const windowMs = options.windowMs ?? 60_000;
  const periodMs = windowMs * (timeScale > 0 ? timeScale : 1);
  const resetHeader = enforced && (options.resetHeader ?? true);
  const buckets = new Map<string, Bucket>();
  let rejected: Record<string, number> = {};

  /** The project's bucket, refilled up to now. */
  const bucket = (groupId: string, t: number): Bucket => {
    let b = buckets.get(groupId);
    if (!b) {
      b = { tokens: limit, periodStart: t };
      buckets.set(groupId, b);
    }
    const periods = Math.floor((t - b.periodStart) / periodMs);
    if (periods > 0) {
      b.tokens = Math.min(limit, b.tokens + periods * refill);
      b.periodStart += periods * periodMs;
    }
    return b;
  };
  const nextRefillMs = (b: Bucket, t: number): number =>
    b.tokens >= limit ? 0 : b.periodStart + periodMs - t;
  const resetMs = (b: Bucket, t: number): number =>
    b.tokens >= limit ? 0 : b.periodStart + Math.ceil((limit - b.tokens) / refill) * periodMs - t;
  const seconds = (ms: number): number => Math.ceil(ms / 1000);
  const headers = (b: Bucket, t: number): Record<string, string> => ({
    "ratelimit-limit": String(limit),
    "ratelimit-remaining": String(b.tokens),
    ...(resetHeader ? { "ratelimit-reset": String(seconds(resetMs(b, t))) } : {}),
  });

  const exceeded = (
    path: string,
    retryAfterSeconds: number,
    api: "v1.0" | "v2",
  ): SimulatedError => {
    const headers = { "retry-after": String(retryAfterSeconds) };
    if (api === "v2") {
      const periodSeconds = periodMs / 1000;
      return atlasError(
        429,
        "RATE_LIMITED_TOKEN_BUCKET",
        `Rate limit exceeded for ${path.slice(1)}. Please retry after ${retryAfterSeconds} ` +
          `seconds. Request capacity: ${limit}. Refill rate: ${refill} per ${periodSeconds} seconds.`,
        [path.slice(1), retryAfterSeconds, limit, refill, periodSeconds],
        headers,
      );
    }
    const minutes = periodMs / 60_000;
    return atlasError(
      429,
      "RATE_LIMITED",
      `Resource ${path} is limited to ${limit} requests every ${minutes} minutes.`,
      [path, limit, minutes],
      headers,
    );
  };

  return {
    enforced,
    take(
      groupId: string,
      path: string,
      api: "v1.0" | "v2",
    ): { headers: Record<string, string>; exceeded?: SimulatedError } {
      const t = now();
      const b = bucket(groupId, t);
      if (!enforced) return { headers: headers(b, t) };
      if (b.tokens > 0) {
        if (b.tokens === limit) b.periodStart = t;
        b.tokens--;
        return { headers: headers(b, t) };
      }
      rejected[groupId] = (rejected[groupId] ?? 0) + 1;
      return {
        headers: headers(b, t),
        exceeded: exceeded(path, Math.max(1, seconds(nextRefillMs(b, t))), api),
      };
    },
    exceeded,
    state(groupId: string): SimulatorRateLimitState {
      const t = now();
      const b = bucket(groupId, t);
      return {
        enforced,
        limit,
        remaining: b.tokens,
        nextRefillMs: nextRefillMs(b, t),
        resetMs: resetMs(b, t),
        rejected: rejected[groupId] ?? 0,
      };
    },
    rejected: (): Record<string, number> => ({ ...rejected }),
    clearCounts(): void {
      rejected = {};
    },
  };
}
