/**
 * Rate-limit information from Atlas's `RateLimit-*` and `Retry-After` response headers.
 *
 * @module
 */

/** What the `RateLimit-*` headers of one response said; a field is undefined when absent. */
export interface RateLimit {
  /** `RateLimit-Limit`: requests allowed in the current window (or bucket capacity). */
  limit: number | undefined;
  /** `RateLimit-Remaining`: requests left in the current window. */
  remaining: number | undefined;
  /** `RateLimit-Reset`: seconds until the window resets, when Atlas sends it. */
  resetSeconds: number | undefined;
}

/** A response's rate-limit headers, as reported to `onRateLimit`. */
export interface RateLimitEvent extends RateLimit {
  /** What was attempted, e.g. `"Cannot get private endpoint"`. */
  action: string;
  /** The request's HTTP method. */
  method: string;
  /** The request's URL. */
  url: string;
  /** The response's HTTP status (429 when rate limited). */
  status: number;
  /** `Retry-After` in seconds, when present. */
  retryAfterSeconds: number | undefined;
}

function count(value: string | null | undefined): number | undefined {
  const text = value?.trim();
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/**
 * Reads `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (and the combined
 * `RateLimit: limit=…, remaining=…, reset=…` form of the IETF draft). Values that are not whole
 * numbers are ignored.
 *
 * @param headers A response's headers.
 * @returns The limits, or undefined when the response carried none.
 *
 * @example Usage
 * ```ts
 * import { parseRateLimit } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const headers = new Headers({ "RateLimit-Limit": "100", "RateLimit-Remaining": "7" });
 * assert.deepEqual(parseRateLimit(headers), { limit: 100, remaining: 7, resetSeconds: undefined });
 * assert.equal(parseRateLimit(new Headers()), undefined);
 * ```
 */
export function parseRateLimit(headers: Headers): RateLimit | undefined {
  const combined = headers.get("ratelimit") ?? "";
  const field = (names: string): number | undefined =>
    count(new RegExp(`(?:^|[,;\\s])(?:${names})=(\\d+)`, "i").exec(combined)?.[1]);
  const limit = count(headers.get("ratelimit-limit")) ?? field("limit");
  const remaining = count(headers.get("ratelimit-remaining")) ?? field("remaining|r");
  const resetSeconds = count(headers.get("ratelimit-reset")) ?? field("reset|t");
  if (limit === undefined && remaining === undefined && resetSeconds === undefined) {
    return undefined;
  }
  return { limit, remaining, resetSeconds };
}
