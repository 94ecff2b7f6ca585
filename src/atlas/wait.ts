/**
 * Wait until a private endpoint, or a private endpoint service, is usable, or has failed.
 *
 * @module
 */
import type { AtlasClient } from "./client.ts";
import { systemClock, type WaitClock } from "./clock.ts";
import { BACKGROUND, type CallOptions, checkRequestOptions, checkTimeout } from "./_call.ts";
import { ACTIONS, checkEndpointId, checkServiceRef, SERVICE_ACTIONS } from "./_validate.ts";
import { AtlasApiError } from "./atlas_api_error.ts";
import { AtlasTimeoutError } from "./atlas_timeout_error.ts";
import { privateEndpointStatus } from "./endpoint.ts";
import { getPrivateEndpoint } from "./operations.ts";
import { PrivateEndpointFailedError } from "./private_endpoint_failed_error.ts";
import { type Provider, PROVIDERS, SERVICE_ENDED, SERVICE_READY } from "./_providers.ts";
import type { RetryOptions } from "./retry.ts";
import { EndpointServiceFailedError } from "./endpoint_service_failed_error.ts";
import { endpointServiceTarget, getEndpointService } from "./services.ts";
import type {
  EndpointService,
  PrivateEndpoint,
  PrivateEndpointRef,
  PrivateEndpointServiceRef,
  RequestOptions,
} from "./types.ts";

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
  /**
   * Called once for the first status seen, then for every change. What it throws ends the wait:
   * the call rejects with it.
   */
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
  const provider = PROVIDERS[ref.cloudProvider];
  const { onStatus } = options;
  return await poll(action, {
    read: (read) => getPrivateEndpoint(client, ref, read),
    status: privateEndpointStatus,
    ready(endpoint, status): boolean {
      if (failed(provider, endpoint, status)) {
        throw new PrivateEndpointFailedError({
          action,
          endpoint,
          status,
          endpointId: ref.endpointId,
        });
      }
      return status === provider.ready;
    },
    changed: onStatus &&
      ((endpoint, status, previousStatus, elapsedMs) =>
        onStatus({ status, previousStatus, endpoint, elapsedMs })),
  }, options);
}

/**
 * A status change of a private endpoint service, reported to
 * {@linkcode EndpointServiceWaitOptions.onStatus}.
 *
 * @example Record the statuses of a service being made
 * ```ts
 * import {
 *   createAtlasClient,
 *   type EndpointServiceStatusChange,
 *   waitForEndpointService,
 * } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const statuses = ["INITIATING", "INITIATING", "WAITING_FOR_USER"];
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () =>
 *     Response.json({
 *       status: statuses.shift(),
 *       endpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f67890",
 *     }),
 * });
 * let now = 0;
 * const changes: EndpointServiceStatusChange[] = [];
 * await waitForEndpointService(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   cloudProvider: "AWS",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 * }, {
 *   onStatus: (change) => changes.push(change),
 *   clock: { now: () => now, sleep: async (ms) => void (now += ms) },
 * });
 * assert.deepEqual(changes.map((c) => c.status), ["INITIATING", "WAITING_FOR_USER"]);
 * ```
 */
export interface EndpointServiceStatusChange {
  /** The status now, e.g. `"INITIATING"`. */
  status: string;
  /** The status before, or undefined for the first one seen. */
  previousStatus: string | undefined;
  /** The service as Atlas just reported it. */
  service: EndpointService;
  /** Milliseconds since the wait started. */
  elapsedMs: number;
}

/**
 * Options of {@linkcode waitForEndpointService}: those of {@linkcode waitForPrivateEndpoint},
 * with a status callback that sees the service.
 *
 * @example A short time limit
 * ```ts
 * import {
 *   createAtlasClient,
 *   type EndpointServiceWaitOptions,
 *   waitForEndpointService,
 * } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () => Response.json({ status: "INITIATING" }),
 * });
 * let now = 0;
 * const options: EndpointServiceWaitOptions = {
 *   timeoutMs: 60_000,
 *   clock: { now: () => now, sleep: async (ms) => void (now += ms) },
 * };
 * await assert.rejects(
 *   waitForEndpointService(atlas, {
 *     groupId: "32b6e34b3d91647abb20e7b8",
 *     cloudProvider: "GCP",
 *     endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   }, options),
 *   { name: "AtlasTimeoutError", lastStatus: "INITIATING" },
 * );
 * ```
 */
export interface EndpointServiceWaitOptions extends Omit<WaitOptions, "onStatus"> {
  /**
   * Called once for the first status seen, then for every change. What it throws ends the wait:
   * the call rejects with it.
   */
  onStatus?: ((change: EndpointServiceStatusChange) => void) | undefined;
}

/**
 * Reads the service until it is ready for endpoints: `WAITING_FOR_USER` (AWS, Azure: create the
 * endpoint on the cloud side now) or `AVAILABLE`, with what to connect to on the cloud side named
 * ({@linkcode endpointServiceTarget}: Atlas fills it in as it makes the service). Fails with
 * {@linkcode EndpointServiceFailedError} when the service is `FAILED`, reports an `errorMessage`
 * once ready, or is `DELETING`; other statuses (`INITIATING`, and ones Atlas may add later) mean
 * "not yet".
 *
 * Polls, retries reads and keeps to its time limit exactly as {@linkcode waitForPrivateEndpoint}
 * does (one hour by default).
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param ref The project, the provider and the service id.
 * @param options Timeout, abort signal, poll intervals, a status callback, and an injectable clock.
 * @returns The service once it is ready.
 * @throws {EndpointServiceFailedError} When the service failed or is being deleted.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out; `lastStatus` is the last status seen.
 * @throws {AtlasApiError} When a read fails for good (e.g. 404: the service is gone).
 * @throws {AtlasNetworkError} When a read gets no usable answer, retries included.
 * @throws {AtlasValidationError} When the reference or an option is invalid; nothing was sent.
 *
 * @example Create an Azure service and wait until it is ready
 * ```ts
 * import {
 *   createAtlasClient,
 *   createEndpointService,
 *   waitForEndpointService,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const groupId = simulator.addGroup();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 *
 * const created = await createEndpointService(atlas, {
 *   groupId,
 *   cloudProvider: "AZURE",
 *   region: "eastus2", // sent as US_EAST_2
 * });
 * const ready = await waitForEndpointService(atlas, {
 *   groupId,
 *   cloudProvider: "AZURE",
 *   endpointServiceId: created.id!,
 * }, { pollIntervalMs: 1 });
 * assert.equal(ready.status, "WAITING_FOR_USER");
 * assert.ok(ready.cloudProvider === "AZURE" && ready.privateLinkServiceResourceId);
 * ```
 */
export async function waitForEndpointService(
  client: AtlasClient,
  ref: PrivateEndpointServiceRef,
  options: EndpointServiceWaitOptions = {},
): Promise<EndpointService> {
  const action = SERVICE_ACTIONS.wait;
  checkServiceRef(action, ref);
  const { onStatus } = options;
  return await poll(action, {
    read: (read) => getEndpointService(client, ref, read),
    status: serviceStatus,
    ready(service, status): boolean {
      const ready = (SERVICE_READY as readonly string[]).includes(status);
      if (
        (SERVICE_ENDED as readonly string[]).includes(status) || (ready && service.errorMessage)
      ) {
        throw new EndpointServiceFailedError({
          action,
          service,
          status,
          endpointServiceId: ref.endpointServiceId,
        });
      }
      return ready && endpointServiceTarget(service) !== undefined;
    },
    changed: onStatus &&
      ((service, status, previousStatus, elapsedMs) =>
        onStatus({ status, previousStatus, service, elapsedMs })),
  }, options);
}

/**
 * Options of {@linkcode waitForPrivateEndpointDeletion} and
 * {@linkcode waitForEndpointServiceDeletion}: those of {@linkcode waitForPrivateEndpoint}, with a
 * status callback that sees only statuses (the last one `DELETED`, once Atlas answers 404).
 *
 * @example A time limit and a clock that does not really sleep
 * ```ts
 * import type { DeletionWaitOptions } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * let now = 0;
 * const options: DeletionWaitOptions = {
 *   timeoutMs: 600_000,
 *   clock: { now: () => now, sleep: async (ms) => void (now += ms) },
 * };
 * assert.equal(options.timeoutMs, 600_000);
 * ```
 */
export type DeletionWaitOptions = Omit<WaitOptions, "onStatus"> & {
  /**
   * Called for the first status seen (e.g. `DELETING`), then for every change. What it throws
   * ends the wait: the call rejects with it.
   */
  onStatus?: ((change: Omit<StatusChange, "endpoint">) => void) | undefined;
};

/** What a read resolves to, or undefined when Atlas answers 404: it is gone. */
async function unlessGone<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof AtlasApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Reads the endpoint until it is gone (Atlas answers 404), e.g. after
 * {@linkcode deletePrivateEndpoint}: removal is asynchronous, and an endpoint with the same id
 * can only be created again once the old one is gone. Polls, retries reads and keeps to its time
 * limit as {@linkcode waitForPrivateEndpoint} does.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param ref The endpoint.
 * @param options Timeout, abort signal, poll intervals, and an injectable clock.
 * @returns Nothing, once the endpoint is gone.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out; `lastStatus` is the last status seen.
 * @throws {AtlasApiError} When a read fails for good with another status than 404.
 * @throws {AtlasNetworkError} When a read gets no usable answer, retries included.
 * @throws {AtlasValidationError} When the reference or an option is invalid; nothing was sent.
 *
 * @example Delete an endpoint and wait until it is gone
 * ```ts
 * import {
 *   createAtlasClient,
 *   createPrivateEndpoint,
 *   deletePrivateEndpoint,
 *   waitForPrivateEndpointDeletion,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
 * const ref = { ...service, endpointId: "vpce-0123456789abcdef0" };
 *
 * await createPrivateEndpoint(atlas, { ...service, id: "vpce-0123456789abcdef0" });
 * await deletePrivateEndpoint(atlas, ref);
 * await waitForPrivateEndpointDeletion(atlas, ref, { pollIntervalMs: 1 });
 * assert.equal(simulator.getEndpoint(ref), undefined);
 * ```
 */
export async function waitForPrivateEndpointDeletion(
  client: AtlasClient,
  ref: PrivateEndpointRef,
  options: DeletionWaitOptions = {},
): Promise<void> {
  const action = ACTIONS.wait;
  checkServiceRef(action, ref);
  checkEndpointId(action, ref.cloudProvider, ref.endpointId);
  await poll(action, {
    read: (read) => unlessGone(getPrivateEndpoint(client, ref, read)),
    status: (endpoint) => endpoint === undefined ? "DELETED" : privateEndpointStatus(endpoint),
    ready: (endpoint) => endpoint === undefined,
    changed: deletionChanges(options),
  }, options);
}

/**
 * Reads the service until it is gone (Atlas answers 404), e.g. after
 * {@linkcode deleteEndpointService} or after its last endpoint was deleted. Polls, retries reads
 * and keeps to its time limit as {@linkcode waitForPrivateEndpoint} does.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param ref The service.
 * @param options Timeout, abort signal, poll intervals, and an injectable clock.
 * @returns Nothing, once the service is gone.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out; `lastStatus` is the last status seen.
 * @throws {AtlasApiError} When a read fails for good with another status than 404.
 * @throws {AtlasNetworkError} When a read gets no usable answer, retries included.
 * @throws {AtlasValidationError} When the reference or an option is invalid; nothing was sent.
 *
 * @example Delete a service and wait until it is gone
 * ```ts
 * import {
 *   createAtlasClient,
 *   deleteEndpointService,
 *   waitForEndpointServiceDeletion,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, GCP: endpointServiceId } = simulator.seed();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const ref = { groupId, cloudProvider: "GCP", endpointServiceId } as const;
 *
 * await deleteEndpointService(atlas, ref);
 * await waitForEndpointServiceDeletion(atlas, ref, { pollIntervalMs: 1 });
 * assert.equal(simulator.getEndpointService(ref), undefined);
 * ```
 */
export async function waitForEndpointServiceDeletion(
  client: AtlasClient,
  ref: PrivateEndpointServiceRef,
  options: DeletionWaitOptions = {},
): Promise<void> {
  const action = SERVICE_ACTIONS.wait;
  checkServiceRef(action, ref);
  await poll(action, {
    read: (read) => unlessGone(getEndpointService(client, ref, read)),
    status: (service) => service === undefined ? "DELETED" : serviceStatus(service),
    ready: (service) => service === undefined,
    changed: deletionChanges(options),
  }, options);
}

/** A deletion wait's status reports, when the caller asked for them. */
function deletionChanges(
  options: DeletionWaitOptions,
): Polled<unknown>["changed"] {
  const { onStatus } = options;
  return onStatus &&
    ((_, status, previousStatus, elapsedMs) => onStatus({ status, previousStatus, elapsedMs }));
}

/** A service's status, or `"UNKNOWN"` when Atlas reported none. */
function serviceStatus(service: EndpointService): string {
  return typeof service.status === "string" && service.status !== "" ? service.status : "UNKNOWN";
}

/** What {@linkcode poll} reads, and how it judges what it read. */
interface Polled<T> {
  /** Reads it once, within what is left of the wait. */
  read(options: RequestOptions): Promise<T>;
  /** Its status. */
  status(value: T): string;
  /** True once it is ready; throws when it never will be. */
  ready(value: T, status: string): boolean;
  /** Called for the first status seen, then for every change. */
  changed?:
    | ((value: T, status: string, previous: string | undefined, ms: number) => void)
    | undefined;
}

/** The options {@linkcode poll} takes: {@linkcode WaitOptions} without the status callback. */
type PollOptions = Omit<WaitOptions, "onStatus">;

/**
 * The one poll loop of every wait: reads until ready, pausing with backoff and jitter (see
 * {@linkcode WaitOptions}), each read retried as a read is, within the wait's time limit.
 */
async function poll<T>(action: string, polled: Polled<T>, options: PollOptions): Promise<T> {
  checkRequestOptions(action, options);
  checkTimeout(action, "pollIntervalMs", options.pollIntervalMs);
  checkTimeout(action, "maxPollIntervalMs", options.maxPollIntervalMs);
  const { signal } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const interval = options.pollIntervalMs ?? 5_000;
  const maxInterval = Math.max(interval, options.maxPollIntervalMs ?? 60_000);
  signal?.throwIfAborted();

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
      const value = await polled.read({ ...read, timeoutMs: remaining });
      const status = polled.status(value);
      if (status !== lastStatus) {
        const previousStatus = lastStatus;
        lastStatus = status;
        polled.changed?.(value, status, previousStatus, clock.now() - started);
      }
      if (polled.ready(value, status)) return value;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof AtlasTimeoutError) throw timedOut();
      throw error;
    }
    await clock.sleep(Math.min(pause, Math.max(0, deadline - clock.now())), signal);
  }
}
