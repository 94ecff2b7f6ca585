/**
 * How the Atlas client retries: the options, their defaults, and the backoff.
 *
 * @module
 */
import type { AtlasApiError } from "./atlas_api_error.ts";
import type { AtlasNetworkError } from "./atlas_network_error.ts";
import type { WaitClock } from "./clock.ts";

/**
 * A retry about to happen, as reported to {@linkcode RetryOptions.onRetry}.
 *
 * @example Log each retry
 * ```ts
 * import { createAtlasClient, getPrivateEndpoint, type RetryEvent } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const answers = [503, 200];
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () => {
 *     const status = answers.shift();
 *     return status === 503
 *       ? Response.json({ errorCode: "SERVICE_UNAVAILABLE" }, { status, headers: { "Retry-After": "2" } })
 *       : Response.json({ interfaceEndpointId: "vpce-0123456789abcdef0", connectionStatus: "PENDING" });
 *   },
 * });
 * const events: RetryEvent[] = [];
 * await getPrivateEndpoint(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "AWS",
 *   endpointId: "vpce-0123456789abcdef0",
 * }, {
 *   retry: { onRetry: (event) => events.push(event), clock: { now: () => 0, sleep: async () => {} } },
 * });
 * assert.equal(events.length, 1);
 * assert.equal(events[0]?.attempt, 1);
 * assert.equal(events[0]?.delayMs, 2_000); // Retry-After: 2
 * assert.equal(events[0]?.error.name, "AtlasApiError");
 * ```
 */
export interface RetryEvent {
  /** What is being attempted, e.g. `"Cannot get private endpoint"`. */
  action: string;
  /** The HTTP method of the request that failed. */
  method: string;
  /** The URL of the request that failed. */
  url: string;
  /** Which attempt failed, from 1. */
  attempt: number;
  /** How long the client pauses before the next attempt, in milliseconds. */
  delayMs: number;
  /** Why: the Atlas error (429, 503, ...) or the network error. */
  error: AtlasApiError | AtlasNetworkError;
}

/**
 * Retry settings, per call (`options.retry`) or for a whole client
 * (`createAtlasClient({ retry })`); a call's fields override the client's, and `false` turns
 * retries off (every request is sent once).
 *
 * What is retried: 429 and 503 for every operation (the request was not processed), and 500,
 * 502, 504, network errors and attempts that time out for reads and deletes. A create whose
 * outcome is unknown is never simply sent again: the client reads the endpoint back first (see
 * `createPrivateEndpoint`). Pauses honour `Retry-After`; without it they back off exponentially
 * with jitter (see {@linkcode retryDelay}).
 *
 * @example At most two attempts, on a test clock
 * ```ts
 * import { createAtlasClient, getPrivateEndpoint, type RetryOptions } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * let calls = 0;
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () => (calls++, Response.json({ errorCode: "SERVICE_UNAVAILABLE" }, { status: 503 })),
 * });
 * const paused: number[] = [];
 * const retry: RetryOptions = {
 *   maxAttempts: 2,
 *   baseDelayMs: 100,
 *   random: () => 1,
 *   clock: { now: () => 0, sleep: async (ms) => void paused.push(ms) },
 * };
 * await assert.rejects(
 *   getPrivateEndpoint(atlas, {
 *     groupId: "32b6e34b3d91647abb20e7b8",
 *     endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *     cloudProvider: "AWS",
 *     endpointId: "vpce-0123456789abcdef0",
 *   }, { retry }),
 *   { name: "AtlasApiError", status: 503 },
 * );
 * assert.equal(calls, 2);
 * assert.deepEqual(paused, [100]);
 * ```
 */
export interface RetryOptions {
  /** How many times one request may be sent in all, retries included. Default 5; 1 = no retry. */
  maxAttempts?: number | undefined;
  /** The first backoff pause, in milliseconds. Default 250. */
  baseDelayMs?: number | undefined;
  /** The longest backoff pause, in milliseconds. Default 10_000. */
  maxDelayMs?: number | undefined;
  /**
   * The longest `Retry-After` honoured, in milliseconds. An answer that asks for a longer pause is
   * not retried: its error (with `retryAfterSeconds`) is thrown at once. Default 60_000.
   */
  maxRetryAfterMs?: number | undefined;
  /**
   * How long one attempt may take before it is abandoned as a network error (and retried as
   * such), in milliseconds. Default 60_000. `timeoutMs` bounds the whole call, retries included.
   */
  attemptTimeoutMs?: number | undefined;
  /** Called before each pause, e.g. to log retries. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** The clock to pause with. Default the real one. */
  clock?: WaitClock | undefined;
  /** A source of randomness in [0, 1) for the jitter. Default `Math.random`. */
  random?: (() => number) | undefined;
}

/**
 * The settings used when {@linkcode RetryOptions} leaves a number out.
 *
 * @example Derive settings from the defaults
 * ```ts
 * import { DEFAULT_RETRY, type RetryDefaults, type RetryOptions } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const defaults: RetryDefaults = DEFAULT_RETRY;
 * const patient: RetryOptions = { maxAttempts: defaults.maxAttempts * 2, maxDelayMs: 30_000 };
 * assert.equal(patient.maxAttempts, 10);
 * assert.equal(defaults.attemptTimeoutMs, 60_000);
 * ```
 */
export interface RetryDefaults {
  /** Default of {@linkcode RetryOptions.maxAttempts}. */
  readonly maxAttempts: number;
  /** Default of {@linkcode RetryOptions.baseDelayMs}. */
  readonly baseDelayMs: number;
  /** Default of {@linkcode RetryOptions.maxDelayMs}. */
  readonly maxDelayMs: number;
  /** Default of {@linkcode RetryOptions.maxRetryAfterMs}. */
  readonly maxRetryAfterMs: number;
  /** Default of {@linkcode RetryOptions.attemptTimeoutMs}. */
  readonly attemptTimeoutMs: number;
}

/**
 * The default retry settings.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_RETRY } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_RETRY.maxAttempts, 5);
 * assert.equal(DEFAULT_RETRY.maxRetryAfterMs, 60_000);
 * ```
 */
export const DEFAULT_RETRY: RetryDefaults = /* @__PURE__ */ Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  attemptTimeoutMs: 60_000,
});

/**
 * The backoff pause before retry number `retry` (from 0) when the server gave no `Retry-After`:
 * `baseDelayMs × 2^retry` capped at `maxDelayMs`, of which a random part up to a half is taken off
 * ("equal jitter"), so that clients that failed together do not retry together.
 *
 * @param retry How many retries came before this one.
 * @param baseDelayMs The first pause.
 * @param maxDelayMs The longest pause.
 * @param random A number in [0, 1): 0 gives the shortest pause, values near 1 the longest.
 * @returns The pause in milliseconds, between half the capped value and the capped value.
 *
 * @example Usage
 * ```ts
 * import { retryDelay } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(retryDelay(0, 250, 10_000, 0), 125);
 * assert.equal(retryDelay(2, 250, 10_000, 1), 1_000);
 * assert.equal(retryDelay(20, 250, 10_000, 0.5), 7_500);
 * ```
 */
export function retryDelay(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: number,
): number {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(retry, 52));
  return cap / 2 + (cap / 2) * Math.min(Math.max(random, 0), 1);
}
