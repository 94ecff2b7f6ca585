/**
 * Wait for many private endpoints at once, one result per endpoint.
 *
 * @module
 */
import type { AtlasClient } from "./client.ts";
import { checkRequestOptions, checkTimeout } from "./_call.ts";
import { ACTIONS, checkEndpointId, checkServiceRef } from "./_validate.ts";
import { AtlasTimeoutError } from "./atlas_timeout_error.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";
import { privateEndpointStatus } from "./endpoint.ts";
import type { PrivateEndpoint, PrivateEndpointRef } from "./types.ts";
import { type StatusChange, waitForPrivateEndpoint, type WaitOptions } from "./wait.ts";

/** A status change of one of the endpoints of {@linkcode waitForPrivateEndpoints}. */
export interface EndpointStatusChange extends StatusChange {
  /** The endpoint's reference, as given. */
  ref: PrivateEndpointRef;
  /** Its position in the `refs` given. */
  index: number;
}

/**
 * How one endpoint of {@linkcode waitForPrivateEndpoints} ended: `"available"` with the endpoint,
 * `"failed"` with the error that ended its wait ({@linkcode PrivateEndpointFailedError}, or an
 * {@linkcode AtlasApiError} such as a 404, or an {@linkcode AtlasNetworkError}), or `"timedOut"`
 * with the {@linkcode AtlasTimeoutError}.
 */
export type PrivateEndpointWaitResult =
  & {
    /** The endpoint's reference, as given. */
    ref: PrivateEndpointRef;
    /** Its position in the `refs` given. */
    index: number;
    /** The last status seen, or undefined when none was read. */
    lastStatus: string | undefined;
  }
  & (
    | {
      /** The endpoint is usable. */
      outcome: "available";
      /** The endpoint as Atlas last reported it. */
      endpoint: PrivateEndpoint;
      /** Not when available. */
      error?: undefined;
    }
    | {
      /** Its wait failed, or it ran out of time. */
      outcome: "failed" | "timedOut";
      /** The endpoint as Atlas last reported it, when it was read. */
      endpoint: PrivateEndpoint | undefined;
      /** Why its wait ended. */
      error: Error;
    }
  );

/** Options of {@linkcode waitForPrivateEndpoints}: those of {@linkcode waitForPrivateEndpoint}, per endpoint. */
export interface WaitManyOptions extends Omit<WaitOptions, "onStatus"> {
  /**
   * The time limit of the whole call, in milliseconds: endpoints not settled by then end
   * `"timedOut"`. Default 3_600_000 (one hour).
   */
  timeoutMs?: number | undefined;
  /**
   * Called once for the first status seen of each endpoint, then for every change. What it throws
   * ends no wait; the call rejects with it once every endpoint has settled.
   */
  onStatus?: ((change: EndpointStatusChange) => void) | undefined;
  /**
   * Called once per endpoint, as soon as it has settled, with its result. What it throws ends no
   * wait; the call rejects with it once every endpoint has settled.
   */
  onSettled?: ((result: PrivateEndpointWaitResult) => void) | undefined;
}

/**
 * Waits for many private endpoints at once, and returns one result per endpoint, in the order of
 * `refs`: `"available"`, `"failed"` (with its error) or `"timedOut"`. One endpoint's failure never
 * ends the others' waits nor throws their results away.
 *
 * The endpoints are waited for as {@linkcode waitForPrivateEndpoint} waits for one, all on the
 * same client: their reads share its request budget (`rateLimit` of
 * {@linkcode createAtlasClient}) per project, behind the client's other calls, so that a thousand
 * endpoints poll no faster than the budget allows and meet no 429.
 *
 * An error thrown by `onStatus` or `onSettled` is a bug in the caller's code, so it is not
 * swallowed, but it costs no endpoint its wait either: every wait runs to its end, `onSettled` is
 * still called for every endpoint, and then the call rejects with what the callback threw (an
 * `AggregateError` of everything the callbacks threw, in the order thrown, when they threw more
 * than once), as {@linkcode waitForPrivateEndpoint} rejects with what its `onStatus` throws.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param refs The endpoints to wait for.
 * @param options Time limit, abort signal, poll intervals, progress callbacks, an injectable clock.
 * @returns One result per endpoint, in the order of `refs`.
 * @throws {AtlasValidationError} When `refs`, one of them, or an option is invalid; nothing was sent.
 * @throws {unknown} The signal's reason when `signal` aborts (the results settled so far have
 * been reported to `onSettled`).
 * @throws {unknown} What `onStatus` or `onSettled` threw (an `AggregateError` when they threw
 * more than once), after every endpoint has settled and been reported to `onSettled`.
 *
 * @example Two endpoints: one becomes available, the other is rejected
 * ```ts
 * import {
 *   createAtlasClient,
 *   createPrivateEndpoint,
 *   waitForPrivateEndpoints,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({
 *   timeScale: 0.001,
 *   failEndpoints: { "vpce-0bbbbbbbbbbbbbbbb": "The endpoint was rejected in AWS" },
 * });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
 * for (const id of ["vpce-0aaaaaaaaaaaaaaaa", "vpce-0bbbbbbbbbbbbbbbb"]) {
 *   await createPrivateEndpoint(atlas, { ...service, id });
 * }
 * const settled: string[] = [];
 * const results = await waitForPrivateEndpoints(atlas, [
 *   { ...service, endpointId: "vpce-0aaaaaaaaaaaaaaaa" },
 *   { ...service, endpointId: "vpce-0bbbbbbbbbbbbbbbb" },
 * ], {
 *   pollIntervalMs: 5,
 *   onSettled: ({ ref, outcome }) => settled.push(`${ref.endpointId} ${outcome}`),
 * });
 * assert.deepEqual(results.map((r) => [r.outcome, r.lastStatus]), [
 *   ["available", "AVAILABLE"],
 *   ["failed", "REJECTED"],
 * ]);
 * assert.equal(results[1]?.error?.name, "PrivateEndpointFailedError");
 * assert.equal(settled.length, 2);
 * ```
 */
export async function waitForPrivateEndpoints(
  client: AtlasClient,
  refs: readonly PrivateEndpointRef[],
  options: WaitManyOptions = {},
): Promise<PrivateEndpointWaitResult[]> {
  const action = ACTIONS.wait;
  if (!Array.isArray(refs)) {
    throw new AtlasValidationError(`${action}: refs must be an array`, { field: "refs" });
  }
  for (const ref of refs as readonly unknown[]) {
    checkServiceRef(action, ref);
    checkEndpointId(action, ref.cloudProvider, (ref as { endpointId?: unknown }).endpointId);
  }
  checkRequestOptions(action, options);
  checkTimeout(action, "pollIntervalMs", options.pollIntervalMs);
  checkTimeout(action, "maxPollIntervalMs", options.maxPollIntervalMs);
  for (const name of ["onStatus", "onSettled"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      throw new AtlasValidationError(`${action}: ${name} must be a function`, { field: name });
    }
  }
  const { onStatus, onSettled, ...each } = options;
  options.signal?.throwIfAborted();
  // What the caller's callbacks throw, kept for the end: it must neither end a wait nor be lost.
  const thrown: unknown[] = [];
  const report = <T>(callback: ((value: T) => void) | undefined, value: T): void => {
    try {
      callback?.(value);
    } catch (error) {
      thrown.push(error);
    }
  };
  const results = await Promise.all(refs.map(async (ref, index) => {
    let last: PrivateEndpoint | undefined;
    let result: PrivateEndpointWaitResult;
    try {
      const endpoint = await waitForPrivateEndpoint(client, ref, {
        ...each,
        onStatus: (change) => {
          last = change.endpoint;
          report(onStatus, { ...change, ref, index });
        },
      });
      result = {
        ref,
        index,
        outcome: "available",
        endpoint,
        lastStatus: privateEndpointStatus(endpoint),
      };
    } catch (error) {
      if (options.signal?.aborted) return undefined;
      result = {
        ref,
        index,
        outcome: error instanceof AtlasTimeoutError ? "timedOut" : "failed",
        endpoint: last,
        lastStatus: last === undefined ? undefined : privateEndpointStatus(last),
        error: error instanceof Error ? error : new Error(String(error)),
      };
    }
    report(onSettled, result);
    return result;
  }));
  options.signal?.throwIfAborted();
  if (thrown.length === 1) throw thrown[0];
  if (thrown.length > 1) {
    throw new AggregateError(
      thrown,
      `${action}s: the onStatus and onSettled callbacks threw ${thrown.length} errors`,
    );
  }
  return results as PrivateEndpointWaitResult[];
}
