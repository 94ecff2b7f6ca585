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

/**
 * The request budget of a client (`createAtlasClient({ rateLimit })`): a token bucket per project,
 * shared by every call made through the client. It starts at this rate; once Atlas answers with
 * `RateLimit-Limit` / `-Remaining` (and `-Reset`), it follows them instead, and after a 429 it
 * sends nothing more to that project until `Retry-After` has passed.
 *
 * @example A slower budget for a project that other tools use too
 * ```ts
 * import { createAtlasClient, getPrivateEndpoint, type RateLimitOptions } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * let now = 0;
 * const sentAt: number[] = [];
 * const rateLimit: RateLimitOptions = { requestsPerMinute: 6, burst: 2 };
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   rateLimit,
 *   retry: { clock: { now: () => now, sleep: async (ms) => void (now += ms) } },
 *   fetch: async () => (sentAt.push(now), Response.json({ connectionStatus: "AVAILABLE" })),
 * });
 * const ref = {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "AWS",
 *   endpointId: "vpce-0123456789abcdef0",
 * } as const;
 * for (let i = 0; i < 4; i++) await getPrivateEndpoint(atlas, ref);
 * // Two at once (the burst), then one every 10 seconds (6 per minute).
 * assert.deepEqual(sentAt, [0, 0, 10_000, 20_000]);
 * ```
 */
export interface RateLimitOptions {
  /**
   * The rate the budget starts at, and refills at while Atlas sends no `RateLimit-Reset`.
   *
   * @default {50}
   */
  requestsPerMinute?: number | undefined;
  /**
   * How many requests may go at once before the rate applies (the bucket's size), until Atlas's
   * own `RateLimit-Limit` is known.
   *
   * @default {10}
   */
  burst?: number | undefined;
}

/** Default values of {@linkcode RateLimitOptions}. */
export interface RateLimitDefaults {
  /** Default of {@linkcode RateLimitOptions.requestsPerMinute}. */
  readonly requestsPerMinute: number;
  /** Default of {@linkcode RateLimitOptions.burst}. */
  readonly burst: number;
}

/**
 * The request budget a client has unless told otherwise: 50 requests per minute per project with
 * bursts of 10, half the 100 per minute per project that Atlas documents, until Atlas's
 * `RateLimit-*` headers say more.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_RATE_LIMIT } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_RATE_LIMIT.requestsPerMinute, 50);
 * assert.equal(DEFAULT_RATE_LIMIT.burst, 10);
 * ```
 */
export const DEFAULT_RATE_LIMIT: RateLimitDefaults = /* @__PURE__ */ Object.freeze({
  requestsPerMinute: 50,
  burst: 10,
});
