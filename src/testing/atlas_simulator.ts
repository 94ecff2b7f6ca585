/**
 * An embedded MongoDB Atlas Administration API simulator for private endpoints: strict Digest
 * authentication exactly as Atlas announces it, endpoint services (create, list, get, delete) and
 * endpoints (create, get, delete) for AWS, Azure and GCP with their status life cycles on a
 * controllable clock, Atlas-shaped errors, and fault injection. It is a plain fetch handler, so it runs in-process (as a client's `fetch`), under
 * `serve()` on a loopback port, or in a Worker.
 *
 * @module
 */
import { createSimulatorAuth } from "./_simulator_auth.ts";
import { createSimulatorClock, type SimulatorClock } from "./_simulator_clock.ts";
import { checkFault, createFaultQueue, type SimulatorFault } from "./_simulator_faults.ts";
import { createSimulatorHandler } from "./_simulator_handler.ts";
import { createRequestLog, type SimulatorLogEntry, type SimulatorStats } from "./_simulator_log.ts";
import {
  DEFAULT_PHASES,
  type LifeCycle,
  PROVIDERS,
  type SimulatedEndpointService,
  type SimulatorCloudProvider,
  type SimulatorPhase,
} from "./_simulator_model.ts";
import { createOperations } from "./_simulator_operations.ts";
import {
  createRateLimiter,
  rateLimitProblem,
  type SimulatorRateLimit,
  type SimulatorRateLimitState,
} from "./_simulator_rate_limit.ts";
import type { SimulatorRequestInfo } from "./_simulator_routing.ts";
import {
  type AddEndpointServiceOptions,
  createEndpointStore,
  type SeededProject,
  type SimulatedEndpoint,
  type SimulatedEndpointServiceState,
  type SimulatorEndpointRef,
  type SimulatorServiceRef,
} from "./_simulator_store.ts";
import {
  DEFAULT_V2_VERSION,
  type SimulatorApiVersion,
  V2_BASE_PATH,
} from "./_simulator_versions.ts";
import type { NcPolicy } from "./digest_verifier.ts";

export { DEFAULT_SIMULATOR_API_KEY, DEFAULT_SIMULATOR_SERVICE_ACCOUNT } from "./_simulator_auth.ts";
export type { SimulatorFaultKind } from "./_simulator_faults.ts";
export type { SimulatorOperation } from "./_simulator_routing.ts";
export type {
  AddEndpointServiceOptions,
  SeededProject,
  SimulatedEndpoint,
  SimulatedEndpointService,
  SimulatedEndpointServiceState,
  SimulatorApiVersion,
  SimulatorClock,
  SimulatorCloudProvider,
  SimulatorEndpointRef,
  SimulatorFault,
  SimulatorLogEntry,
  SimulatorPhase,
  SimulatorRateLimit,
  SimulatorRateLimitState,
  SimulatorRequestInfo,
  SimulatorServiceRef,
  SimulatorStats,
};

/** Options of {@linkcode createAtlasSimulator}. */
export interface AtlasSimulatorOptions {
  /**
   * API keys accepted: public key (Digest username) -> private key (password). Default: the one
   * pair in {@linkcode DEFAULT_SIMULATOR_API_KEY}.
   */
  apiKeys?: Record<string, string>;
  /**
   * Service accounts accepted: client id -> client secret. Default: the one account in
   * {@linkcode DEFAULT_SIMULATOR_SERVICE_ACCOUNT}. Their tokens come from `POST /api/oauth/token`
   * and are accepted as `Authorization: Bearer …` on every API route, alongside Digest.
   */
  serviceAccounts?: Record<string, string>;
  /** How long an issued token lives, on the simulator clock. Default 3_600_000 (one hour). */
  tokenLifetimeMs?: number;
  /**
   * The API versions served and their life cycles: `"v1.0"` for the `basePaths`, and v2 dates
   * such as `"2023-01-01"` for `/api/atlas/v2`. Default `{ "v1.0": {}, "2023-01-01": {} }`.
   * `deprecatedAt` adds `Deprecation` (and `sunsetAt` adds `Sunset`) to that version's answers;
   * from `sunsetAt` on, it is answered with 410 `VERSION_GONE`.
   */
  apiVersions?: Record<string, SimulatorApiVersion>;
  /** The base clock, in milliseconds. Default `Date.now`. `clock.advance()` adds to it. */
  now?: () => number;
  /**
   * Multiplies every life-cycle duration: 1 (the default) is realistic seconds, 0.01 makes
   * everything 100 times faster, 0 settles endpoints at once.
   */
  timeScale?: number;
  /**
   * The phases of each provider's life cycle, before AVAILABLE (or REJECTED/FAILED). Defaults:
   * AWS PENDING_ACCEPTANCE 2 s, PENDING 3 s; Azure INITIATING 4 s; GCP INITIATING 2.5 s,
   * VERIFIED 2 s. Prepend `{ status: "NONE", durationMs }` to AWS to model Atlas's NONE.
   */
  phases?: Partial<Record<SimulatorCloudProvider, SimulatorPhase[]>>;
  /**
   * How long an endpoint, or an endpoint service, stays DELETING before it is gone. Default 3000
   * (times `timeScale`).
   */
  deleteDurationMs?: number;
  /**
   * How long an endpoint service created through the API stays INITIATING (Atlas building the load
   * balancer and the cloud-side service) before it takes endpoints. Default 5000 (times
   * `timeScale`). Services from {@linkcode AtlasSimulator.seed} and
   * {@linkcode AtlasSimulator.addEndpointService} are ready at once.
   */
  serviceInitiatingMs?: number;
  /**
   * Whether a service goes (DELETING, then gone) once the deletion of its last endpoint completes,
   * as the official description of the endpoint DELETE says. Default true.
   */
  removeEmptyServices?: boolean;
  /** How Digest `nc` is checked per nonce. Default `"unique"` (replays rejected, order free). */
  ncPolicy?: NcPolicy;
  /** Digest nonce lifetime on the simulator clock; then `stale=true`. Default 300_000. */
  nonceLifetimeMs?: number;
  /**
   * Path prefixes the v1.0 API is served under. Default `["/api/atlas/v1.0"]`. The versioned v2
   * API is served under `/api/atlas/v2` as well (see {@linkcode AtlasSimulator.v2BasePath}),
   * unless that prefix is listed here, which makes it serve the v1.0 shapes instead.
   */
  basePaths?: string[];
  /** Delay before every response (a number, or a function of the request), in milliseconds. */
  latencyMs?: number | ((request: SimulatorRequestInfo) => number);
  /** Faults to inject from the start (see {@linkcode AtlasSimulator.injectFault}). */
  faults?: SimulatorFault[];
  /**
   * Endpoints that end REJECTED (AWS) or FAILED (Azure, GCP) instead of AVAILABLE: endpoint id ->
   * errorMessage, or a function returning the errorMessage (undefined: no failure).
   */
  failEndpoints?: Record<string, string> | ((endpoint: SimulatorEndpointRef) => string | undefined);
  /**
   * Enforce Atlas's rate limit: a token bucket per project of `limit` requests (default 100),
   * `refill` of them (default `limit`) put back every `windowMs` (default 60_000, times
   * `timeScale` unless that is 0); `true` takes the defaults, 100 per minute. While it is on,
   * every answer to an authenticated request for a project (errors included) carries
   * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the bucket is
   * full; Atlas does not document it, see `resetHeader`), on v2 as Atlas's v2 spec documents and
   * on v1.0 alike (the legacy docs show only `Retry-After`), and an empty bucket answers 429 with
   * `Retry-After` (seconds until the next refill; `RATE_LIMITED` on v1.0,
   * `RATE_LIMITED_TOKEN_BUCKET` on v2). A 429 takes no token. Requests that fail authentication
   * take none either and carry no `RateLimit-*` headers (Atlas does not say; Digest clients,
   * MongoDB's own included, meet a 401 challenge on every request, which would halve the budget),
   * nor do injected faults. Default off: nothing is enforced or counted, and successes announce
   * a full bucket (`RateLimit-Limit` and `RateLimit-Remaining` 100), so that a client's own
   * request budget, which follows those headers, never slows the tests.
   */
  rateLimit?: boolean | SimulatorRateLimit;
  /** Randomness for fault probabilities. Default `Math.random`. */
  random?: () => number;
  /** How many entries the request log keeps (oldest dropped first). Default 10_000. */
  maxLogEntries?: number;
}

/** An Atlas simulator, as created by {@linkcode createAtlasSimulator}. */
export interface AtlasSimulator {
  /** The fetch handler. Safe to pass unbound (`fetch: simulator.fetch`). */
  fetch(request: Request): Promise<Response>;
  /** The first base path, e.g. `/api/atlas/v1.0`: append it to a served URL. */
  readonly basePath: string;
  /** The v2 base path, `/api/atlas/v2` (versioned media types required). */
  readonly v2BasePath: string;
  /**
   * Adds a service account (random id and secret by default) and returns its credentials, ready
   * to spread into `createAtlasClient`.
   */
  addServiceAccount(account?: { clientId?: string; clientSecret?: string }): {
    clientId: string;
    clientSecret: string;
  };
  /** Deletes a service account and its tokens: token requests then get 401 `invalid_client`. */
  removeServiceAccount(clientId: string): boolean;
  /** Invalidates issued tokens (of one account, or all) and returns how many; accounts stay. */
  revokeTokens(clientId?: string): number;
  /** The clock that drives life cycles and nonce lifetimes. */
  readonly clock: SimulatorClock;
  /** Adds a project (random id by default) and returns its id. */
  addGroup(groupId?: string): string;
  /**
   * Adds an endpoint service (and its project when new), ready at once, and returns its ids.
   * Throws a `RangeError` when the project has a service of that provider in that region.
   */
  addEndpointService(options: AddEndpointServiceOptions): SimulatedEndpointService;
  /**
   * Adds a project with one ready endpoint service per provider (AWS `US_EAST_1`, Azure
   * `US_EAST_2`, GCP `CENTRAL_US`), as {@linkcode AtlasSimulator.addEndpointService} does (so a
   * second seed of the same project throws a `RangeError`: those regions are taken).
   */
  seed(options?: { groupId?: string }): SeededProject;
  /** The endpoint service as the simulator sees it now, or undefined once it is gone. */
  getEndpointService(ref: SimulatorServiceRef): SimulatedEndpointServiceState | undefined;
  /** Every endpoint service that exists now. */
  listEndpointServices(): SimulatedEndpointServiceState[];
  /** Pins a service's status (and errorMessage), e.g. FAILED; `null` releases it. */
  setEndpointServiceStatus(
    ref: SimulatorServiceRef,
    status: string | null,
    errorMessage?: string | null,
  ): void;
  /** The endpoint as the simulator sees it now, or undefined. */
  getEndpoint(ref: SimulatorEndpointRef): SimulatedEndpoint | undefined;
  /** Every endpoint that exists now. */
  listEndpoints(): SimulatedEndpoint[];
  /** Pins an endpoint's status (and errorMessage); `null` releases it to its life cycle. */
  setEndpointStatus(
    ref: SimulatorEndpointRef,
    status: string | null,
    errorMessage?: string | null,
  ): void;
  /** Makes endpoints with this id end REJECTED/FAILED with `errorMessage` (existing and future). */
  failEndpoint(endpointId: string, errorMessage: string): void;
  /** Queues a fault. */
  injectFault(fault: SimulatorFault): void;
  /** Removes every queued fault. */
  clearFaults(): void;
  /** The requests seen, oldest first. */
  readonly requestLog: readonly SimulatorLogEntry[];
  /** A snapshot of the counters. */
  readonly stats: SimulatorStats;
  /** Empties the request log and zeroes the counters (rate-limit buckets keep their tokens). */
  clearLog(): void;
  /** A project's rate-limit bucket now (tokens left, time to refill, 429s), taking no token. */
  getRateLimit(groupId: string): SimulatorRateLimitState;
}

function checkSimulatorOptions(options: AtlasSimulatorOptions): void {
  const fail = (message: string): never => {
    throw new RangeError(`Cannot create Atlas simulator: ${message}`);
  };
  if (options.timeScale !== undefined && !(options.timeScale >= 0)) {
    fail("timeScale must be zero or positive");
  }
  if (options.deleteDurationMs !== undefined && !(options.deleteDurationMs >= 0)) {
    fail("deleteDurationMs must be zero or positive");
  }
  if (options.serviceInitiatingMs !== undefined && !(options.serviceInitiatingMs >= 0)) {
    fail("serviceInitiatingMs must be zero or positive");
  }
  for (const [provider, phases] of Object.entries(options.phases ?? {})) {
    if (!PROVIDERS.includes(provider as SimulatorCloudProvider)) {
      fail(`unknown provider ${provider}`);
    }
    for (const phase of phases ?? []) {
      if (typeof phase.status !== "string" || !(phase.durationMs >= 0)) {
        fail(`each ${provider} phase needs a status and a duration of zero or more`);
      }
    }
  }
  for (const path of options.basePaths ?? []) {
    if (!path.startsWith("/") || path.endsWith("/")) {
      fail(`base path ${path} must start with "/" and not end with "/"`);
    }
  }
  if (options.basePaths?.length === 0) fail("basePaths must not be empty");
  if (options.tokenLifetimeMs !== undefined && !(options.tokenLifetimeMs >= 1_000)) {
    fail("tokenLifetimeMs must be at least 1000");
  }
  if (options.apiKeys && Object.keys(options.apiKeys).length === 0) {
    fail("apiKeys must hold at least one key");
  }
  const rateLimit = rateLimitProblem(options.rateLimit);
  if (rateLimit) fail(rateLimit);
  if (typeof options.latencyMs === "number" && !(options.latencyMs >= 0)) {
    fail("latencyMs must be zero or positive");
  }
  for (const fault of options.faults ?? []) checkFault(fault);
}

/**
 * Creates an embedded Atlas simulator.
 *
 * Requests must authenticate with HTTP Digest as Atlas announces it:
 * `Digest realm="MMS Public API", domain="", nonce="…", algorithm=MD5, qop="auth", stale=false`.
 * Wrong or missing credentials get 401 with an Atlas error body and a fresh challenge; an expired
 * nonce with a correct digest gets `stale=true` (a 401's body is Atlas's, without `errorCode`).
 * Served under `/api/atlas/v1.0` and, with a versioned `Accept`, `/api/atlas/v2`:
 *
 * - `POST /groups/{groupId}/privateEndpoint/endpointService` with `{providerName, region}` (and
 *   `portMappingEnabled` for GCP, `supportedRemoteRegions` for AWS) creates an endpoint service,
 *   one per provider and region in a project (else 409
 *   `PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION`); the region as Atlas spells it
 *   (`US_EAST_1`) or as the cloud does (`us-east-1`);
 * - `GET /groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService` lists a provider's
 *   services (a plain array); `GET …/endpointService/{endpointServiceId}` reads one;
 *   `DELETE …/endpointService/{endpointServiceId}` removes it (409
 *   `CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS` while it has endpoints; DELETING, then 404);
 * - `POST …/endpointService/{endpointServiceId}/endpoint` creates an endpoint (200, the endpoint in
 *   its first status; 404 `PRIVATELINK_NOT_FOUND` without the service, 409
 *   `PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS` while it is INITIATING). On a GCP service with port
 *   mapping it takes exactly one forwarding rule, ignores `endpointGroupName` (still required) and
 *   keeps the rule's name as the endpoint id, answered in `endpointGroupName`;
 * - `GET …/endpoint/{endpointId}` reads it (the Azure resource id percent-encoded as one segment);
 * - `DELETE …/endpoint/{endpointId}` asks for its removal (DELETING, then 404); once the last
 *   endpoint of a service is gone, the service goes too (unless `removeEmptyServices` is false).
 *
 * A removal answers 200 `{}` on v1.0 and 204 on v2. Responses always include `cloudProvider`
 * (real v1.0 responses may omit it); a GCP endpoint's `gcpProjectId` and `portMappingEnabled` only
 * on v2, its rules' `serviceAttachmentName` only on v1.0. `pretty=true` indents the JSON, `envelope=true` answers 200
 * with `{status, content}` (except the 401 Digest challenge, which stays a 401 so that clients can
 * authenticate). Successes carry `RateLimit-Limit` and `RateLimit-Remaining` (with `rateLimit`
 * on, every answer for a project does, and `RateLimit-Reset`); errors are `application/json` Atlas
 * error bodies.
 *
 * Services follow the clock: INITIATING for `serviceInitiatingMs`, then AWS and Azure
 * WAITING_FOR_USER until an endpoint connects (AVAILABLE), GCP AVAILABLE at once. Their names are
 * Atlas's: AWS `com.amazonaws.vpce.<region>.vpce-svc-<17 hex>` (null while INITIATING), Azure
 * `pls_<24 hex>` with its resource id, GCP 50 service attachment URLs (one with port mapping).
 * Endpoints: AWS PENDING_ACCEPTANCE → PENDING → AVAILABLE, Azure INITIATING → AVAILABLE, GCP
 * INITIATING → VERIFIED → AVAILABLE (each forwarding rule INITIATING → AVAILABLE), or
 * REJECTED/FAILED with an errorMessage for the ids in `failEndpoints`.
 *
 * @param options Keys, clock, life cycles, Digest policy, faults.
 * @returns The simulator.
 * @throws {RangeError} when an option is invalid.
 *
 * @example Test code that uses the client, in-process, on simulated time
 * ```ts
 * import {
 *   createAtlasClient,
 *   createPrivateEndpoint,
 *   privateEndpointStatus,
 *   waitForPrivateEndpoint,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * let now = 0;
 * const simulator = createAtlasSimulator({ now: () => now });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const client = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 *
 * const ref = { groupId, endpointServiceId, cloudProvider: "AWS" as const };
 * const created = await createPrivateEndpoint(client, { ...ref, id: "vpce-0123456789abcdef0" });
 * assert.equal(privateEndpointStatus(created), "PENDING_ACCEPTANCE");
 *
 * // Waiting sleeps on the simulator's clock: no real time passes.
 * const seen: string[] = [];
 * const ready = await waitForPrivateEndpoint(client, { ...ref, endpointId: "vpce-0123456789abcdef0" }, {
 *   pollIntervalMs: 1_000,
 *   clock: { now: () => now, sleep: async (ms) => void (now += ms) },
 *   onStatus: (change) => seen.push(change.status),
 * });
 * assert.equal(privateEndpointStatus(ready), "AVAILABLE");
 * assert.deepEqual(seen, ["PENDING_ACCEPTANCE", "PENDING", "AVAILABLE"]);
 * ```
 *
 * @example Atlas's rate limit: a token bucket per project, which the client's budget follows
 * ```ts
 * import { createAtlasClient, getPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * let now = 0;
 * const simulator = createAtlasSimulator({ now: () => now, rateLimit: { limit: 1, windowMs: 10_000 } });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const paused: number[] = [];
 * const client = createAtlasClient({
 *   ...DEFAULT_SIMULATOR_API_KEY,
 *   fetch: simulator.fetch,
 *   retry: {
 *     clock: {
 *       now: () => now,
 *       sleep: async (ms) => {
 *         paused.push(ms);
 *         now += ms;
 *       },
 *     },
 *   },
 * });
 * const ref = { groupId, endpointServiceId, cloudProvider: "AWS" as const, endpointId: "vpce-0123456789abcdef0" };
 * await assert.rejects(getPrivateEndpoint(client, ref), { status: 404 }); // takes the one token
 * assert.equal(simulator.getRateLimit(groupId).remaining, 0);
 * // The answer said RateLimit-Remaining: 0 and RateLimit-Reset: 10, so the client's next read
 * // waits for the refill on the clock (no 429), then gets its 404.
 * await assert.rejects(getPrivateEndpoint(client, ref), { status: 404 });
 * assert.deepEqual(paused, [10_000]);
 * assert.equal(simulator.stats.rateLimited, 0);
 * ```
 *
 * @example Look at Atlas's raw answers and the simulator's state
 * ```ts
 * import { createAtlasSimulator } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ now: () => 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const url = `http://127.0.0.1${simulator.basePath}/groups/${groupId}/privateEndpoint/AWS/` +
 *   `endpointService/${endpointServiceId}/endpoint/vpce-0123456789abcdef0`;
 * const response = await simulator.fetch(new Request(url));
 * assert.equal(response.status, 401);
 * assert.match(response.headers.get("www-authenticate")!, /^Digest realm="MMS Public API", domain=""/);
 * assert.deepEqual(await response.json(), {
 *   error: 401,
 *   reason: "Unauthorized",
 *   detail: "You are not authorized for this resource.",
 * });
 *
 * assert.equal(simulator.getEndpoint({ groupId, cloudProvider: "AWS", endpointServiceId,
 *   endpointId: "vpce-0123456789abcdef0" }), undefined);
 * simulator.clock.advance(1_000);
 * assert.equal(simulator.clock.now(), 1_000);
 * assert.deepEqual(simulator.requestLog.map((entry) => entry.status), [401]);
 * ```
 */
export function createAtlasSimulator(options: AtlasSimulatorOptions = {}): AtlasSimulator {
  checkSimulatorOptions(options);
  const clock = createSimulatorClock(options.now ?? Date.now);
  const auth = createSimulatorAuth({
    apiKeys: options.apiKeys,
    serviceAccounts: options.serviceAccounts,
    tokenLifetimeMs: options.tokenLifetimeMs,
    ncPolicy: options.ncPolicy,
    nonceLifetimeMs: options.nonceLifetimeMs,
    now: clock.now,
  });
  const life: LifeCycle = {
    phases: { ...DEFAULT_PHASES, ...options.phases } as LifeCycle["phases"],
    deleteMs: options.deleteDurationMs ?? 3_000,
    scale: options.timeScale ?? 1,
  };
  const store = createEndpointStore({
    now: clock.now,
    life,
    serviceReadyMs: (options.serviceInitiatingMs ?? 5_000) * life.scale,
    removeEmptyServices: options.removeEmptyServices ?? true,
    failEndpoints: options.failEndpoints,
  });
  const faults = createFaultQueue(options.random ?? Math.random);
  for (const fault of options.faults ?? []) faults.inject(fault);
  const log = createRequestLog(options.maxLogEntries ?? 10_000);
  const limiter = createRateLimiter(options.rateLimit, life.scale, clock.now);
  const basePaths = options.basePaths ?? ["/api/atlas/v1.0"];
  const fetch = createSimulatorHandler({
    now: clock.now,
    basePaths,
    apiVersions: options.apiVersions ?? { "v1.0": {}, [DEFAULT_V2_VERSION]: {} },
    // Read per request, as the option always was.
    latency: (info) =>
      typeof options.latencyMs === "function" ? options.latencyMs(info) : options.latencyMs ?? 0,
    auth,
    faults,
    limiter,
    perform: createOperations(store, clock.now),
    log,
  });

  return {
    fetch,
    basePath: basePaths[0]!,
    v2BasePath: V2_BASE_PATH,
    clock,
    addServiceAccount: auth.addServiceAccount,
    removeServiceAccount: auth.removeServiceAccount,
    revokeTokens: auth.revokeTokens,
    addGroup: store.addGroup,
    addEndpointService: store.addEndpointService,
    seed: store.seed,
    getEndpoint: store.getEndpoint,
    listEndpoints: store.listEndpoints,
    getEndpointService: store.getEndpointService,
    listEndpointServices: store.listEndpointServices,
    setEndpointServiceStatus: store.setEndpointServiceStatus,
    setEndpointStatus: store.setEndpointStatus,
    failEndpoint: store.failEndpoint,
    injectFault: faults.inject,
    clearFaults: faults.clear,
    get requestLog(): readonly SimulatorLogEntry[] {
      return log.entries;
    },
    get stats(): SimulatorStats {
      return log.stats({ auth: auth.stats(), rateLimited: limiter.rejected() });
    },
    clearLog(): void {
      log.clear();
      auth.reset();
      limiter.clearCounts();
    },
    getRateLimit: limiter.state,
  };
}
