/**
 * Time for waiting and retrying: the clock interface to inject in tests, and the real clock.
 *
 * @module
 */

/**
 * Time, for `waitForPrivateEndpoint` and for retry pauses; inject one to test without real waiting.
 *
 * @example Test a one-hour timeout without waiting
 * ```ts
 * import { createAtlasClient, waitForPrivateEndpoint, type WaitClock } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * let now = 0;
 * const clock: WaitClock = { now: () => now, sleep: async (ms) => void (now += ms) };
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () => Response.json({ connectionStatus: "PENDING_ACCEPTANCE" }),
 * });
 * await assert.rejects(
 *   waitForPrivateEndpoint(atlas, {
 *     groupId: "32b6e34b3d91647abb20e7b8",
 *     endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *     cloudProvider: "AWS",
 *     endpointId: "vpce-0123456789abcdef0",
 *   }, { clock, timeoutMs: 3_600_000 }),
 *   { name: "AtlasTimeoutError", lastStatus: "PENDING_ACCEPTANCE" },
 * );
 * assert.equal(now, 3_600_000);
 * ```
 */
export interface WaitClock {
  /** The current time in milliseconds. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds, or rejects with `signal.reason` as soon as `signal` aborts.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock, on `Date.now()` and `setTimeout`; the default of `WaitOptions.clock` and `RetryOptions.clock`.
 *
 * @example Usage
 * ```ts
 * import { systemClock } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const before = systemClock.now();
 * await systemClock.sleep(5);
 * assert.ok(systemClock.now() >= before);
 * await assert.rejects(systemClock.sleep(60_000, AbortSignal.abort()), { name: "AbortError" });
 * ```
 */
export const systemClock: WaitClock = {
  now: (): number => Date.now(),
  sleep: (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
