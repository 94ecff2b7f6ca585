/**
 * Rate-limit information from Atlas's `RateLimit-*` and `Retry-After` response headers.
 *
 * @module
 */

/**
 * What the `RateLimit-*` headers of one response said; a field is undefined when absent.
 *
 * @example The combined `RateLimit` header
 * ```ts
 * import { parseRateLimit, type RateLimit } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const limits: RateLimit | undefined = parseRateLimit(
 *   new Headers({ RateLimit: "limit=100, remaining=0, reset=30" }),
 * );
 * assert.deepEqual(limits, { limit: 100, remaining: 0, resetSeconds: 30 });
 * ```
 */
export interface RateLimit {
  /** `RateLimit-Limit`: requests allowed in the current window (or bucket capacity). */
  limit: number | undefined;
  /** `RateLimit-Remaining`: requests left in the current window. */
  remaining: number | undefined;
  /** `RateLimit-Reset`: seconds until the window resets, when Atlas sends it. */
  resetSeconds: number | undefined;
}

/**
 * A response's rate-limit headers, as reported to `onRateLimit`.
 *
 * @example Watch the remaining budget
 * ```ts
 * import { createAtlasClient, getPrivateEndpoint, type RateLimitEvent } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const events: RateLimitEvent[] = [];
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () =>
 *     Response.json({ connectionStatus: "PENDING" }, {
 *       headers: { "RateLimit-Limit": "100", "RateLimit-Remaining": "3" },
 *     }),
 *   onRateLimit: (event) => events.push(event),
 * });
 * await getPrivateEndpoint(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "AWS",
 *   endpointId: "vpce-0123456789abcdef0",
 * });
 * assert.equal(events.length, 1);
 * assert.equal(events[0]?.method, "GET");
 * assert.equal(events[0]?.status, 200);
 * assert.equal(events[0]?.remaining, 3);
 * ```
 */
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
