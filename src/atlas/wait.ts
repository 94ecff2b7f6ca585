/**
 * Wait until a private endpoint is usable, or has failed.
 *
 * @module
 */
import type { AtlasClient } from "./client.ts";
import { systemClock, type WaitClock } from "./clock.ts";
import { BACKGROUND, type CallOptions, checkRequestOptions, checkTimeout } from "./_call.ts";
import { ACTIONS, checkEndpointId, checkServiceRef } from "./_validate.ts";
import { AtlasTimeoutError } from "./atlas_timeout_error.ts";
import { privateEndpointStatus } from "./endpoint.ts";
import { getPrivateEndpoint } from "./operations.ts";
import { PrivateEndpointFailedError } from "./private_endpoint_failed_error.ts";
import { type Provider, PROVIDERS } from "./_providers.ts";
import type { RetryOptions } from "./retry.ts";
import type { PrivateEndpoint, PrivateEndpointRef, RequestOptions } from "./types.ts";

/**
 * A status change reported to {@linkcode WaitOptions.onStatus}.
 *
 * @example Record every change with its predecessor
 * ```ts
 * import { createAtlasClient, type StatusChange, waitForPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const statuses = ["PENDING", "PENDING", "AVAILABLE"];
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () => Response.json({ connectionStatus: statuses.shift() }),
 * });
 * let now = 0;
 * const changes: StatusChange[] = [];
 * await waitForPrivateEndpoint(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "AWS",
 *   endpointId: "vpce-0123456789abcdef0",
 * }, {
 *   onStatus: (change) => changes.push(change),
 *   clock: { now: () => now, sleep: async (ms) => void (now += ms) },
 * });
 * // PENDING twice in a row is reported once.
 * assert.deepEqual(changes.map((c) => [c.previousStatus, c.status]), [
 *   [undefined, "PENDING"],
 *   ["PENDING", "AVAILABLE"],
 * ]);
 * assert.equal(changes[0]?.elapsedMs, 0);
 * ```
 */
export interface StatusChange {
  /** The status now, e.g. `"PENDING"` (see {@linkcode privateEndpointStatus}). */
  status: string;
  /** The status before, or undefined for the first one seen. */
  previousStatus: string | undefined;
  /** The endpoint as Atlas just reported it. */
  endpoint: PrivateEndpoint;
  /** Milliseconds since the wait started. */
  elapsedMs: number;
}

/**
 * Options of {@linkcode waitForPrivateEndpoint}.
 *
 * @example Poll intervals that grow up to a cap
 * ```ts
 * import { createAtlasClient, waitForPrivateEndpoint, type WaitOptions } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const statuses = ["INITIATING", "INITIATING", "INITIATING", "AVAILABLE"];
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () => Response.json({ status: statuses.shift() }),
 * });
 * let now = 0;
 * const pauses: number[] = [];
 * const options: WaitOptions = {
 *   pollIntervalMs: 1_000,
 *   maxPollIntervalMs: 2_000,
 *   random: () => 1, // no jitter
 *   clock: { now: () => now, sleep: async (ms) => void (pauses.push(ms), now += ms) },
 * };
 * await waitForPrivateEndpoint(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "GCP",
 *   endpointId: "atlas-group",
 * }, options);
 * assert.deepEqual(pauses, [1_000, 1_500, 2_000]);
 * ```
 */
export interface WaitOptions extends RequestOptions {
  /**
   * Gives up after this many milliseconds in total with an {@linkcode AtlasTimeoutError}, aborting
   * a request in flight. Default 3_600_000 (one hour).
   */
  timeoutMs?: number | undefined;
  /** The first pause between two reads, in milliseconds. Default 5_000. */
  pollIntervalMs?: number | undefined;
  /**
   * The longest pause, in milliseconds. Pauses grow by half each time from `pollIntervalMs` up to
   * this, and each is shortened at random by up to a quarter (never below `pollIntervalMs`), so
   * that many waiters spread out. Default 60_000 (and never below `pollIntervalMs`).
   */
  maxPollIntervalMs?: number | undefined;
  /** Called once for the first status seen, then for every change. */
  onStatus?: ((change: StatusChange) => void) | undefined;
  /** The clock to read and sleep with. Default the real one. */
  clock?: WaitClock | undefined;
  /** A source of randomness in [0, 1) for the jitter. Default `Math.random`. */
  random?: (() => number) | undefined;
}

/**
 * How long {@linkcode waitForPrivateEndpoint} waits when no `timeoutMs` is given: one hour.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_WAIT_TIMEOUT_MS } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_WAIT_TIMEOUT_MS, 60 * 60_000);
 * ```
 */
export const DEFAULT_WAIT_TIMEOUT_MS: number = 3_600_000;

const BACKOFF_FACTOR = 1.5;
const JITTER = 0.25;

/**
 * The pause after read number `attempt` (from 0): `pollIntervalMs × 1.5^attempt` capped at
 * `maxPollIntervalMs`, then shortened at random by up to a quarter, never below `pollIntervalMs`.
 * So every pause lies between `pollIntervalMs` and `maxPollIntervalMs`.
 *
 * @param attempt How many reads came before, minus one.
 * @param pollIntervalMs The first pause.
 * @param maxPollIntervalMs The longest pause.
 * @param random A number in [0, 1): 0 gives the shortest pause, values near 1 the longest.
 * @returns The pause in milliseconds.
 *
 * @example Usage
 * ```ts
 * import { pollDelay } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pollDelay(0, 5_000, 60_000, 0.5), 5_000);
 * assert.equal(pollDelay(2, 5_000, 60_000, 1), 11_250);
 * assert.equal(pollDelay(20, 5_000, 60_000, 0), 45_000);
 * ```
 */
export function pollDelay(
  attempt: number,
  pollIntervalMs: number,
  maxPollIntervalMs: number,
  random: number,
): number {
  const base = Math.min(
    Math.max(pollIntervalMs, maxPollIntervalMs),
    pollIntervalMs * BACKOFF_FACTOR ** attempt,
  );
  const low = Math.max(pollIntervalMs, base * (1 - JITTER));
  return low + (base - low) * Math.min(Math.max(random, 0), 1);
}

/**
 * Whether a status ends the wait in failure: one after which the endpoint never becomes ready, or
 * the ready one with an error message.
 */
function failed(provider: Provider, endpoint: PrivateEndpoint, status: string): boolean {
  return provider.ended.includes(status) ||
    (status === provider.ready && Boolean(endpoint.errorMessage));
}

/**
 * Reads the endpoint until it is `AVAILABLE`, and returns it. Fails with
 * {@linkcode PrivateEndpointFailedError} when it is `REJECTED` or `FAILED`, reports an
 * `errorMessage` while `AVAILABLE`, or is `DELETING` (it will never become available); other statuses (including ones Atlas may
 * add later) mean "not yet".
 *
 * Between reads it pauses with backoff and jitter (see {@linkcode WaitOptions}). Each read is
 * retried as {@linkcode getPrivateEndpoint} retries (429, 500, 502, 503, 504 and network errors,
 * honouring `Retry-After`, up to `retry.maxAttempts` (default 5) attempts in a row, pausing on the
 * wait's clock); an error that survives them ends the wait, as does any other error at once.
 * Reads take their turn in the client's request budget (`rateLimit` of
 * {@linkcode createAtlasClient}) after the client's other calls to the same project, so that many
 * waits on one client share it rather than each polling at full rate; while the budget has room,
 * each read goes as soon as its pause is over. For many endpoints at once, see
 * {@linkcode waitForPrivateEndpoints}.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param ref The endpoint to wait for.
 * @param options Timeout, abort signal, poll intervals, a status callback, and an injectable clock.
 * @returns The endpoint once it is `AVAILABLE`.
 * @throws {PrivateEndpointFailedError} When the endpoint failed.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out; `lastStatus` is the last status seen.
 * @throws {AtlasApiError} When a read fails for good (e.g. 404: the endpoint is gone).
 * @throws {AtlasNetworkError} When a read gets no usable answer, retries included.
 * @throws {AtlasValidationError} When the reference or an option is invalid; nothing was sent.
 *
 * @example Wait for an AWS endpoint, with a clock that does not really sleep
 * ```ts
 * import { createAtlasClient, waitForPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const statuses = ["PENDING_ACCEPTANCE", "PENDING", "AVAILABLE"];
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () => Response.json({ connectionStatus: statuses.shift() }),
 * });
 * let now = 0;
 * const seen: string[] = [];
 * const endpoint = await waitForPrivateEndpoint(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "AWS",
 *   endpointId: "vpce-0123456789abcdef0",
 * }, {
 *   onStatus: ({ status }) => seen.push(status),
 *   clock: { now: () => now, sleep: async (ms) => void (now += ms) },
 * });
 * assert.equal(endpoint.cloudProvider, "AWS");
 * assert.deepEqual(seen, ["PENDING_ACCEPTANCE", "PENDING", "AVAILABLE"]);
 * ```
 */
export async function waitForPrivateEndpoint(
  client: AtlasClient,
  ref: PrivateEndpointRef,
  options: WaitOptions = {},
): Promise<PrivateEndpoint> {
  const action = ACTIONS.wait;
  checkServiceRef(action, ref);
  checkEndpointId(action, ref.cloudProvider, ref.endpointId);
  checkRequestOptions(action, options);
  checkTimeout(action, "pollIntervalMs", options.pollIntervalMs);
  checkTimeout(action, "maxPollIntervalMs", options.maxPollIntervalMs);
  const { signal, onStatus } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const interval = options.pollIntervalMs ?? 5_000;
  const maxInterval = Math.max(interval, options.maxPollIntervalMs ?? 60_000);
  signal?.throwIfAborted();
  const provider = PROVIDERS[ref.cloudProvider];

  const started = clock.now();
  const deadline = started + timeoutMs;
  let lastStatus: string | undefined;
  const timedOut = (): AtlasTimeoutError =>
    new AtlasTimeoutError({ action, elapsedMs: clock.now() - started, lastStatus });

  // Reads retry on the wait's clock and randomness, unless the retry option brings its own.
  const retry: RetryOptions | false = options.retry === false ? false : {
    ...(options.clock ? { clock } : {}),
    ...(options.random ? { random } : {}),
    ...options.retry,
  };
  // Polls yield to the client's other calls when the project's budget runs short (see
  // createAtlasClient's `rateLimit`): many waits share it instead of each polling at full rate.
  const read: CallOptions = {
    signal,
    retry,
    onRateLimit: options.onRateLimit,
    maxResponseBytes: options.maxResponseBytes,
    [BACKGROUND]: true,
  };

  for (let attempt = 0;; attempt++) {
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw timedOut();
    const pause = pollDelay(attempt, interval, maxInterval, random());
    try {
      const endpoint = await getPrivateEndpoint(client, ref, { ...read, timeoutMs: remaining });
      const status = privateEndpointStatus(endpoint);
      if (status !== lastStatus) {
        const previousStatus = lastStatus;
        lastStatus = status;
        onStatus?.({ status, previousStatus, endpoint, elapsedMs: clock.now() - started });
      }
      if (failed(provider, endpoint, status)) {
        throw new PrivateEndpointFailedError({
          action,
          endpoint,
          status,
          endpointId: ref.endpointId,
        });
      }
      if (status === provider.ready) return endpoint;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof AtlasTimeoutError) throw timedOut();
      throw error;
    }
    await clock.sleep(Math.min(pause, Math.max(0, deadline - clock.now())), signal);
  }
}
