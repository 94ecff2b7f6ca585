/**
 * An embedded MongoDB Atlas Administration API simulator for private endpoints: strict Digest
 * authentication exactly as Atlas announces it, the create/get/delete operations for AWS, Azure and
 * GCP with their status life cycles on a controllable clock, Atlas-shaped errors, and fault
 * injection. It is a plain fetch handler, so it runs in-process (as a client's `fetch`), under
 * `serve()` on a loopback port, or in a Worker.
 *
 * @module
 */
import {
  createDigestVerifier,
  type DigestVerifierStats,
  type NcPolicy,
} from "./digest_verifier.ts";
import { DropConnection, requestTarget } from "./serve.ts";
import { atlasError, endpointNotFound, type SimulatedError } from "./_simulator_errors.ts";
import { createServiceAccountStore, REVOKE_PATH, TOKEN_PATH } from "./_simulator_oauth.ts";
import {
  DEFAULT_V2_VERSION,
  negotiate,
  type SimulatorApiVersion,
  V2_BASE_PATH,
} from "./_simulator_versions.ts";
import { delay, prettyJson, queryFlag } from "./_simulator_http.ts";
import {
  DEFAULT_PHASES,
  endpointIdOf,
  type EndpointRecord,
  isHex24,
  isVpceId,
  type LifeCycle,
  representation,
  type ServiceRecord,
  type SimulatorPhase,
  statusAt,
  validateCreateBody,
} from "./_simulator_model.ts";

export type { SimulatorPhase } from "./_simulator_model.ts";
export type { SimulatorApiVersion } from "./_simulator_versions.ts";

/** A cloud provider of the simulator. */
export type SimulatorCloudProvider = "AWS" | "AZURE" | "GCP";

/** The operations the simulator serves. */
export type SimulatorOperation = "create" | "get" | "delete";

/** What the simulator knows of a request when it picks latency and faults. */
export interface SimulatorRequestInfo {
  /** The HTTP method. */
  method: string;
  /** The raw path (percent-encoding kept), without the query. */
  path: string;
  /** The operation, when the path and method name one. */
  operation: SimulatorOperation | undefined;
}

/**
 * A kind of fault:
 * - `"rate-limit"`: 429 `RATE_LIMITED` with `Retry-After`;
 * - `"server-error"`: 500 `UNEXPECTED_ERROR`;
 * - `"unavailable"`: 503 `SERVICE_UNAVAILABLE` with `Retry-After`;
 * - `"drop"`: the connection drops before the request is processed (under `serve()` the socket is
 *   destroyed; in-process `fetch` rejects with a `TypeError`, {@linkcode DropConnection});
 * - `"drop-response"`: the request is processed (e.g. the endpoint is created) but the response
 *   is lost, so a retry meets the effect (409 on a repeated create);
 * - `"latency"`: an extra delay of `latencyMs`, then normal processing.
 */
export type SimulatorFaultKind =
  | "rate-limit"
  | "server-error"
  | "unavailable"
  | "drop"
  | "drop-response"
  | "latency";

/**
 * A fault to inject into authenticated requests (the Digest handshake itself is never faulted).
 * Without `probability`, it hits the next `count` matching requests; with it, each matching
 * request is hit with that probability until {@linkcode AtlasSimulator.clearFaults}.
 */
export interface SimulatorFault {
  /** What happens. */
  kind: SimulatorFaultKind;
  /** How many matching requests to hit. Default 1. Ignored when `probability` is set. */
  count?: number;
  /** Hit each matching request with this probability (0 to 1) instead of a count. */
  probability?: number;
  /** `Retry-After` in whole seconds for `"rate-limit"` and `"unavailable"`. Default 1. */
  retryAfterSeconds?: number;
  /** The delay of a `"latency"` fault, in milliseconds. Default 100. */
  latencyMs?: number;
  /** Only requests of this operation match. */
  operation?: SimulatorOperation;
  /** Only requests with this HTTP method match. */
  method?: string;
}

/** The address of an endpoint in the simulator. */
export interface SimulatorEndpointRef {
  /** The project id. */
  groupId: string;
  /** The provider. */
  cloudProvider: SimulatorCloudProvider;
  /** The endpoint service id. */
  endpointServiceId: string;
  /** AWS vpce id, Azure resource id (raw, not percent-encoded) or GCP endpoint group name. */
  endpointId: string;
}

/** An endpoint as the simulator currently sees it. */
export interface SimulatedEndpoint extends SimulatorEndpointRef {
  /** AWS `connectionStatus`, else `status`. */
  status: string;
  /** The asynchronous error, if any. */
  errorMessage: string | null;
  /** True once a DELETE was accepted. */
  deleteRequested: boolean;
  /** The JSON body a GET returns now. */
  body: Record<string, unknown>;
}

/** Options of {@linkcode AtlasSimulator.addEndpointService}. */
export interface AddEndpointServiceOptions {
  /** The provider of the service. */
  cloudProvider: SimulatorCloudProvider;
  /** The project; created when unknown. Default: a new random project. */
  groupId?: string;
  /** The service id (24 hex digits). Default: random. */
  endpointServiceId?: string;
  /** The Atlas region name. Default `US_EAST_1` (AWS), `US_EAST_2` (Azure), `CENTRAL_US` (GCP). */
  region?: string;
  /** GCP only: one forwarding rule serves every node; creates then need exactly one endpoint. */
  portMappingEnabled?: boolean;
  /** False makes creates fail with 409 `PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS`. Default true. */
  acceptsEndpoints?: boolean;
}

/** An endpoint service seeded into the simulator. */
export interface SimulatedEndpointService {
  /** The project id. */
  groupId: string;
  /** The service id. */
  endpointServiceId: string;
  /** The provider. */
  cloudProvider: SimulatorCloudProvider;
  /** The Atlas region name. */
  region: string;
  /** GCP port mapping. */
  portMappingEnabled: boolean;
}

/** A project seeded by {@linkcode AtlasSimulator.seed}: its id and one service id per provider. */
export interface SeededProject {
  /** The project id. */
  groupId: string;
  /** The AWS endpoint service id. */
  AWS: string;
  /** The Azure endpoint service id. */
  AZURE: string;
  /** The GCP endpoint service id. */
  GCP: string;
}

/** One request as the simulator saw it. */
export interface SimulatorLogEntry {
  /** Simulator clock time when the request arrived. */
  time: number;
  /** The HTTP method. */
  method: string;
  /** The raw path (percent-encoding kept), without the query. */
  path: string;
  /** The raw path and query, as sent. */
  target: string;
  /** The status answered; 0 when the connection was dropped. */
  status: number;
  /** Whether the request carried an Authorization header. */
  authorization: boolean;
  /** The operation, when the path and method name one. */
  operation?: SimulatorOperation;
  /** The Atlas error code of an error answer. */
  errorCode?: string;
  /** The fault injected, if any. */
  fault?: SimulatorFaultKind;
}

/** Counters of a simulator. */
export interface SimulatorStats {
  /** Requests received. */
  requests: number;
  /** Requests whose Digest authentication succeeded. */
  authenticated: number;
  /** Answers by HTTP status (`"0"` for dropped connections). */
  byStatus: Record<string, number>;
  /** Requests rejected for a wrong, replayed or out-of-order `nc`. */
  ncViolations: number;
  /** Requests answered `stale=true`. */
  staleNonces: number;
  /** Faults injected. */
  faults: number;
  /** Service account tokens issued by `/api/oauth/token`. */
  tokensIssued: number;
  /** Token requests refused (wrong credentials, wrong grant or body). */
  tokenRequestsRejected: number;
  /** API requests refused for an unknown, revoked or expired bearer token. */
  bearerRejected: number;
  /** The Digest verifier's own counters (challenges, accepted, rejected by reason). */
  digest: DigestVerifierStats;
}

/** The simulator's clock. */
export interface SimulatorClock {
  /** The current simulated time, in milliseconds. */
  now(): number;
  /** Moves the clock forward (status life cycles and nonce lifetimes follow it). */
  advance(ms: number): void;
}

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
  /** How long an endpoint stays DELETING before it is gone. Default 3000 (times `timeScale`). */
  deleteDurationMs?: number;
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
   * Enforce a rate limit per project: `limit` requests per `windowMs` (default 60_000), then 429
   * `RATE_LIMITED` with `Retry-After`. Without it nothing is enforced, but `RateLimit-Limit` (100)
   * and `RateLimit-Remaining` are still sent on success.
   */
  rateLimit?: { limit: number; windowMs?: number };
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
  /** Adds an endpoint service (and its project when new) and returns its ids. */
  addEndpointService(options: AddEndpointServiceOptions): SimulatedEndpointService;
  /** Adds a project with one endpoint service per provider. */
  seed(options?: { groupId?: string }): SeededProject;
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
  /** Empties the request log and zeroes the counters. */
  clearLog(): void;
}

/**
 * The API key a simulator accepts when no `apiKeys` option is given (not a secret: use it only
 * with the simulator).
 *
 * @example Authenticate with the default key
 * ```ts
 * import { createAtlasClient, getPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator();
 * const { groupId, GCP: endpointServiceId } = simulator.seed();
 * const client = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const ref = { groupId, endpointServiceId, cloudProvider: "GCP" as const, endpointId: "group-1" };
 * await assert.rejects(getPrivateEndpoint(client, ref), { name: "AtlasApiError", status: 404 });
 * assert.equal(simulator.stats.authenticated, 1);
 * ```
 */
export const DEFAULT_SIMULATOR_API_KEY: {
  readonly publicKey: string;
  readonly privateKey: string;
} = Object.freeze({ publicKey: "simulator-public-key", privateKey: "simulator-private-key" });

/**
 * The service account a simulator accepts when no `serviceAccounts` option is given (not a
 * secret: use it only with the simulator).
 *
 * @example Authenticate with the default service account
 * ```ts
 * import { createAtlasClient, getPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import {
 *   createAtlasSimulator,
 *   DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
 * } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator();
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const client = createAtlasClient({
 *   ...DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
 *   baseUrl: `http://127.0.0.1${simulator.basePath}`,
 *   fetch: simulator.fetch,
 * });
 * const ref = { groupId, endpointServiceId, cloudProvider: "AWS" as const, endpointId: "vpce-0123456789abcdef0" };
 * await assert.rejects(getPrivateEndpoint(client, ref), { name: "AtlasApiError", status: 404 });
 * assert.equal(simulator.stats.tokensIssued, 1);
 * ```
 */
export const DEFAULT_SIMULATOR_SERVICE_ACCOUNT: {
  readonly clientId: string;
  readonly clientSecret: string;
} = Object.freeze({
  clientId: "mdb_sa_id_simulator0000000000000000",
  clientSecret: "mdb_sa_sk_simulator-client-secret",
});

const PROVIDERS: readonly SimulatorCloudProvider[] = ["AWS", "AZURE", "GCP"];
const DEFAULT_REGIONS: Record<SimulatorCloudProvider, string> = {
  AWS: "US_EAST_1",
  AZURE: "US_EAST_2",
  GCP: "CENTRAL_US",
};
const JSON_TYPE = /^application\/(?:json|vnd\.atlas\.[0-9-]+\+json)\s*(?:;|$)/i;

/** A successful operation: status and JSON body. */
interface Success {
  ok: true;
  status: number;
  body: unknown;
}

interface Route {
  api: "v1.0" | "v2";
  operation: SimulatorOperation | undefined;
  provider: string;
  groupId: string;
  endpointServiceId: string;
  endpointId: string | undefined;
}

function randomHex24(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function randomUuid(): string {
  return crypto.randomUUID();
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
  if (options.rateLimit && !(options.rateLimit.limit >= 1)) fail("rateLimit.limit must be >= 1");
  if (typeof options.latencyMs === "number" && !(options.latencyMs >= 0)) {
    fail("latencyMs must be zero or positive");
  }
  for (const fault of options.faults ?? []) checkFault(fault);
}

function checkFault(fault: SimulatorFault): void {
  const kinds: SimulatorFaultKind[] = [
    "rate-limit",
    "server-error",
    "unavailable",
    "drop",
    "drop-response",
    "latency",
  ];
  if (!kinds.includes(fault.kind)) {
    throw new RangeError(`Cannot inject fault: unknown kind ${String(fault.kind)}`);
  }
  if (fault.probability !== undefined && !(fault.probability >= 0 && fault.probability <= 1)) {
    throw new RangeError("Cannot inject fault: probability must be between 0 and 1");
  }
  if (fault.count !== undefined && !(Number.isInteger(fault.count) && fault.count >= 1)) {
    throw new RangeError("Cannot inject fault: count must be a positive integer");
  }
}

/**
 * Creates an embedded Atlas simulator.
 *
 * Requests must authenticate with HTTP Digest as Atlas announces it:
 * `Digest realm="MMS Public API", domain="", nonce="…", algorithm=MD5, qop="auth", stale=false`.
 * Wrong or missing credentials get 401 with an Atlas error body and a fresh challenge; an expired
 * nonce with a correct digest gets `stale=true`. Served under `/api/atlas/v1.0`:
 *
 * - `POST /groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint`
 *   creates an endpoint (200, the endpoint in its first status);
 * - `GET …/endpoint/{endpointId}` reads it (the Azure resource id percent-encoded as one segment);
 * - `DELETE …/endpoint/{endpointId}` asks for its removal (200 `{}`; DELETING, then 404).
 *
 * Responses have the v1.0 shapes and always include `cloudProvider` (real v1.0 responses may omit
 * it). `pretty=true` indents the JSON, `envelope=true` answers 200 with `{status, content}` (except
 * the 401 Digest challenge, which stays a 401 so that clients can authenticate). Successes carry
 * `RateLimit-Limit` and `RateLimit-Remaining`; errors are `application/json` Atlas error bodies.
 * Statuses follow the clock: AWS PENDING_ACCEPTANCE → PENDING → AVAILABLE, Azure INITIATING →
 * AVAILABLE, GCP INITIATING → VERIFIED → AVAILABLE (each forwarding rule INITIATING → AVAILABLE),
 * or REJECTED/FAILED with an errorMessage for the ids in `failEndpoints`.
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
 * assert.equal((await response.json()).errorCode, "UNAUTHORIZED");
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
  const baseNow = options.now ?? Date.now;
  let offset = 0;
  const clock: SimulatorClock = {
    now: () => baseNow() + offset,
    advance(ms: number): void {
      if (!(ms >= 0)) throw new RangeError("Cannot advance the simulator clock: ms must be >= 0");
      offset += ms;
    },
  };
  const apiKeys = {
    ...(options.apiKeys ?? {
      [DEFAULT_SIMULATOR_API_KEY.publicKey]: DEFAULT_SIMULATOR_API_KEY.privateKey,
    }),
  };
  const verifier = createDigestVerifier({
    realm: "MMS Public API",
    credentials: apiKeys,
    algorithms: ["MD5"],
    qop: ["auth"],
    opaque: "none",
    extraChallengeParams: 'domain=""',
    explicitStale: true,
    ncPolicy: options.ncPolicy ?? "unique",
    nonceLifetimeMs: options.nonceLifetimeMs ?? 300_000,
    now: clock.now,
  });
  const life: LifeCycle = {
    phases: { ...DEFAULT_PHASES, ...options.phases } as LifeCycle["phases"],
    deleteMs: options.deleteDurationMs ?? 3_000,
    scale: options.timeScale ?? 1,
  };
  const basePaths = options.basePaths ?? ["/api/atlas/v1.0"];
  const serviceAccounts = createServiceAccountStore({
    accounts: options.serviceAccounts ?? {
      [DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientId]: DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientSecret,
    },
    lifetimeMs: options.tokenLifetimeMs ?? 3_600_000,
    now: clock.now,
  });
  const apiVersions = options.apiVersions ?? { "v1.0": {}, [DEFAULT_V2_VERSION]: {} };
  let bearerRejected = 0;
  const random = options.random ?? Math.random;
  const maxLog = options.maxLogEntries ?? 10_000;
  const rateLimit = options.rateLimit;
  const rateWindowMs = rateLimit?.windowMs ?? 60_000;
  const failures = new Map<string, string>(
    typeof options.failEndpoints === "object" ? Object.entries(options.failEndpoints) : [],
  );
  const failPredicate = typeof options.failEndpoints === "function"
    ? options.failEndpoints
    : undefined;

  const groups = new Map<string, Map<string, ServiceRecord>>();
  const faults: { fault: SimulatorFault; remaining: number }[] = [];
  const windows = new Map<string, { start: number; count: number }>();
  let log: SimulatorLogEntry[] = [];
  let counters = {
    requests: 0,
    authenticated: 0,
    faults: 0,
    byStatus: {} as Record<string, number>,
  };

  const injectFault = (fault: SimulatorFault): void => {
    checkFault(fault);
    faults.push({ fault: { ...fault }, remaining: fault.count ?? 1 });
  };
  for (const fault of options.faults ?? []) injectFault(fault);

  const addGroup = (groupId: string = randomHex24()): string => {
    if (!isHex24(groupId)) {
      throw new RangeError("Cannot add group: groupId must be 24 lowercase hexadecimal characters");
    }
    if (!groups.has(groupId)) groups.set(groupId, new Map());
    return groupId;
  };

  const addEndpointService = (o: AddEndpointServiceOptions): SimulatedEndpointService => {
    if (!PROVIDERS.includes(o.cloudProvider)) {
      throw new RangeError(`Cannot add endpoint service: unknown provider ${o.cloudProvider}`);
    }
    const groupId = addGroup(o.groupId);
    const endpointServiceId = o.endpointServiceId ?? randomHex24();
    if (!isHex24(endpointServiceId)) {
      throw new RangeError(
        "Cannot add endpoint service: endpointServiceId must be 24 lowercase hexadecimal characters",
      );
    }
    const services = groups.get(groupId)!;
    if (services.has(endpointServiceId)) {
      throw new RangeError(`Cannot add endpoint service: ${endpointServiceId} already exists`);
    }
    const record: ServiceRecord = {
      groupId,
      endpointServiceId,
      cloudProvider: o.cloudProvider,
      region: o.region ?? DEFAULT_REGIONS[o.cloudProvider],
      portMappingEnabled: o.cloudProvider === "GCP" && (o.portMappingEnabled ?? false),
      acceptsEndpoints: o.acceptsEndpoints ?? true,
      endpoints: new Map(),
    };
    services.set(endpointServiceId, record);
    return {
      groupId,
      endpointServiceId,
      cloudProvider: record.cloudProvider,
      region: record.region,
      portMappingEnabled: record.portMappingEnabled,
    };
  };

  /** The endpoint record, dropping it when its deletion has completed. */
  const liveEndpoint = (service: ServiceRecord, endpointId: string): EndpointRecord | undefined => {
    const record = service.endpoints.get(endpointId);
    if (!record) return undefined;
    if (statusAt(record, clock.now(), life).gone) {
      service.endpoints.delete(endpointId);
      return undefined;
    }
    return record;
  };

  const snapshot = (service: ServiceRecord, record: EndpointRecord): SimulatedEndpoint => {
    const state = statusAt(record, clock.now(), life);
    return {
      groupId: service.groupId,
      cloudProvider: service.cloudProvider,
      endpointServiceId: service.endpointServiceId,
      endpointId: record.endpointId,
      status: state.status,
      errorMessage: state.errorMessage,
      deleteRequested: record.deleteRequestedAt !== undefined,
      body: representation(record, state, service),
    };
  };

  const findService = (ref: SimulatorEndpointRef): ServiceRecord | undefined => {
    const service = groups.get(ref.groupId)?.get(ref.endpointServiceId);
    return service?.cloudProvider === ref.cloudProvider ? service : undefined;
  };

  // --- HTTP -------------------------------------------------------------------------------

  const parseRoute = (method: string, rawPath: string): Route | SimulatedError | undefined => {
    // A prefix listed in basePaths serves v1.0 shapes, even /api/atlas/v2 (the option's first
    // meaning); otherwise /api/atlas/v2 is the versioned v2 API.
    const v1Base = basePaths.find((p) => rawPath.startsWith(p + "/"));
    const base = v1Base ?? (rawPath.startsWith(V2_BASE_PATH + "/") ? V2_BASE_PATH : undefined);
    if (base === undefined) return undefined;
    const raw = rawPath.slice(base.length + 1).split("/");
    if (
      (raw.length !== 7 && raw.length !== 8) || raw[0] !== "groups" ||
      raw[2] !== "privateEndpoint" || raw[4] !== "endpointService" || raw[6] !== "endpoint"
    ) {
      return undefined;
    }
    const decoded: string[] = [];
    for (const [i, segment] of raw.entries()) {
      try {
        decoded.push(decodeURIComponent(segment));
      } catch {
        return atlasError(
          400,
          "PATH_PARAM_PARSE_ERROR",
          `Unable to parse path parameter at position ${i + 1}.`,
          [segment],
        );
      }
    }
    const endpointId = raw.length === 8 ? decoded[7]! : undefined;
    if (endpointId === "") return undefined;
    let operation: SimulatorOperation | undefined;
    if (endpointId === undefined) operation = method === "POST" ? "create" : undefined;
    else if (method === "GET") operation = "get";
    else if (method === "DELETE") operation = "delete";
    return {
      api: v1Base === undefined ? "v2" : "v1.0",
      operation,
      provider: decoded[3]!,
      groupId: decoded[1]!,
      endpointServiceId: decoded[5]!,
      endpointId,
    };
  };

  const pathParamError = (name: string, value: string): SimulatedError =>
    atlasError(
      400,
      "PATH_PARAM_PARSE_ERROR",
      `Path parameter ${name} with value ${value} is not a valid 24-hexadecimal-digit id.`,
      [name, value],
    );

  /** Runs an operation; returns the success body, or an error. */
  const perform = (
    route: Route,
    request: Request,
    body: Uint8Array,
  ): Success | SimulatedError => {
    if (route.operation === undefined) {
      return atlasError(
        405,
        "METHOD_NOT_ALLOWED",
        `Method ${request.method} is not allowed on this resource.`,
        [request.method],
        { allow: route.endpointId === undefined ? "POST" : "GET, DELETE" },
      );
    }
    if (!PROVIDERS.includes(route.provider as SimulatorCloudProvider)) {
      return atlasError(400, "INVALID_PROVIDER", `Invalid provider ${route.provider} specified.`, [
        route.provider,
      ]);
    }
    const provider = route.provider as SimulatorCloudProvider;
    if (!isHex24(route.groupId)) return pathParamError("groupId", route.groupId);
    if (!isHex24(route.endpointServiceId)) {
      return pathParamError("endpointServiceId", route.endpointServiceId);
    }
    const services = groups.get(route.groupId);
    if (!services) {
      return atlasError(404, "GROUP_NOT_FOUND", `No group with ID ${route.groupId} exists.`, [
        route.groupId,
      ]);
    }
    const service = services.get(route.endpointServiceId);
    if (!service || service.cloudProvider !== provider) {
      return atlasError(
        404,
        "PRIVATELINK_NOT_FOUND",
        `A PrivateLink with id ${route.endpointServiceId} does not exist.`,
        [route.endpointServiceId],
      );
    }
    if (route.operation === "create") return create(service, request, body);
    const endpointId = route.endpointId!;
    if (provider === "AWS" && !isVpceId(endpointId)) {
      return atlasError(
        404,
        "PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED",
        "AWS interface endpoint ids must begin with 'vpce-' followed by a series of alphanumeric characters.",
        [endpointId],
      );
    }
    const record = liveEndpoint(service, endpointId);
    if (!record) return endpointNotFound(endpointId);
    if (route.operation === "get") {
      return { ok: true, status: 200, body: snapshot(service, record).body };
    }
    record.deleteRequestedAt ??= clock.now();
    return { ok: true, status: 200, body: {} };
  };

  const create = (
    service: ServiceRecord,
    request: Request,
    bytes: Uint8Array,
  ): Success | SimulatedError => {
    const type = request.headers.get("content-type");
    if (type !== null && !JSON_TYPE.test(type)) {
      return atlasError(415, "UNSUPPORTED_MEDIA_TYPE", `Content type ${type} is not supported.`, [
        type,
      ]);
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch {
      return atlasError(400, "MALFORMED_JSON", "Received JSON is malformed.");
    }
    const input = validateCreateBody(service.cloudProvider, json, service);
    if ("status" in input) return input;
    if (!service.acceptsEndpoints) {
      return atlasError(
        409,
        "PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS",
        `The PrivateLink with the specified id ${service.endpointServiceId} is not ready to accept endpoint connection requests.`,
        [service.endpointServiceId],
      );
    }
    const endpointId = endpointIdOf(input);
    if (liveEndpoint(service, endpointId)) {
      return atlasError(
        409,
        "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS",
        `The PrivateLink already contains an interface endpoint with the specified id ${endpointId}.`,
        [endpointId],
      );
    }
    const ref: SimulatorEndpointRef = {
      groupId: service.groupId,
      cloudProvider: service.cloudProvider,
      endpointServiceId: service.endpointServiceId,
      endpointId,
    };
    const failMessage = failures.get(endpointId) ?? failPredicate?.(ref);
    const record: EndpointRecord = {
      cloudProvider: service.cloudProvider,
      endpointId,
      createdAt: clock.now(),
      ...(failMessage === undefined ? {} : { failMessage }),
    };
    if (input.cloudProvider === "AZURE") {
      record.privateEndpointIPAddress = input.privateEndpointIPAddress;
      const name = endpointId.slice(endpointId.lastIndexOf("/") + 1);
      record.connectionName = `${randomUuid()}/${service.endpointServiceId}/${name}`;
    } else if (input.cloudProvider === "GCP") {
      record.gcpProjectId = input.gcpProjectId;
      record.endpoints = input.endpoints;
    }
    service.endpoints.set(endpointId, record);
    return { ok: true, status: 200, body: snapshot(service, record).body };
  };

  const pickFault = (info: SimulatorRequestInfo): SimulatorFault | undefined => {
    for (let i = 0; i < faults.length; i++) {
      const slot = faults[i]!;
      const { fault } = slot;
      if (fault.operation !== undefined && fault.operation !== info.operation) continue;
      if (fault.method !== undefined && fault.method.toUpperCase() !== info.method) continue;
      if (fault.probability !== undefined) {
        if (random() < fault.probability) return fault;
        continue;
      }
      if (--slot.remaining <= 0) faults.splice(i, 1);
      return fault;
    }
    return undefined;
  };

  /** Counts a request against its project's window; returns the remaining count or an error. */
  const countRate = (groupId: string): { remaining: number; retryAfter?: number } => {
    const limit = rateLimit?.limit ?? 100;
    const now = clock.now();
    let window = windows.get(groupId);
    if (!window || now - window.start >= rateWindowMs) {
      window = { start: now, count: 0 };
      windows.set(groupId, window);
    }
    if (rateLimit && window.count >= limit) {
      return {
        remaining: 0,
        retryAfter: Math.max(1, Math.ceil((window.start + rateWindowMs - now) / 1000)),
      };
    }
    window.count++;
    return { remaining: Math.max(0, limit - window.count) };
  };

  const respond = (
    status: number,
    payload: unknown,
    query: URLSearchParams,
    headers: Record<string, string> = {},
  ): Response => {
    let httpStatus = status;
    let body = payload;
    if (queryFlag(query, "envelope") && status !== 401) {
      body = { status, content: payload };
      httpStatus = 200;
    }
    if (httpStatus === 204) return new Response(null, { status: 204, headers });
    const text = queryFlag(query, "pretty") ? prettyJson(body) : JSON.stringify(body);
    return new Response(text, {
      status: httpStatus,
      headers: { "content-type": "application/json", ...headers },
    });
  };

  const record = (entry: SimulatorLogEntry): void => {
    counters.byStatus[entry.status] = (counters.byStatus[entry.status] ?? 0) + 1;
    log.push(entry);
    if (log.length > maxLog) log.splice(0, log.length - maxLog);
  };

  async function fetch(request: Request): Promise<Response> {
    if (request.signal?.aborted) throw request.signal.reason;
    counters.requests++;
    const target = requestTarget(request);
    const q = target.indexOf("?");
    const rawPath = q < 0 ? target : target.slice(0, q);
    const query = new URLSearchParams(q < 0 ? "" : target.slice(q + 1));
    const route = parseRoute(request.method, rawPath);
    const operation = route && !("status" in route) ? route.operation : undefined;
    const info: SimulatorRequestInfo = { method: request.method, path: rawPath, operation };
    const entry: SimulatorLogEntry = {
      time: clock.now(),
      method: request.method,
      path: rawPath,
      target,
      status: 0,
      authorization: request.headers.has("authorization"),
      ...(operation ? { operation } : {}),
    };
    const finish = (response: Response, errorCode?: string): Response => {
      entry.status = response.status;
      if (errorCode !== undefined) entry.errorCode = errorCode;
      record(entry);
      return response;
    };
    const fail = (error: SimulatedError): Response =>
      finish(respond(error.status, error.body, query, error.headers), error.body.errorCode);
    const drop = (kind: SimulatorFaultKind): never => {
      entry.fault = kind;
      record(entry);
      throw new DropConnection();
    };

    const body = new Uint8Array(await request.arrayBuffer());
    const latency = typeof options.latencyMs === "function"
      ? options.latencyMs(info)
      : options.latencyMs ?? 0;
    await delay(latency, request.signal);

    if (rawPath === TOKEN_PATH || rawPath === REVOKE_PATH) {
      return finish(
        rawPath === TOKEN_PATH
          ? serviceAccounts.token(request, body)
          : serviceAccounts.revoke(request, body),
      );
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    const verdict = bearer === undefined
      ? await verifier.verify(request, body)
      : serviceAccounts.verify(bearer) === "ok"
      ? { ok: true as const }
      : undefined;
    if (verdict === undefined) {
      bearerRejected++;
      return fail(
        atlasError(401, "UNAUTHORIZED", "The access token is invalid, revoked or expired.", [], {
          "www-authenticate": 'Bearer error="invalid_token"',
        }),
      );
    }
    if (!verdict.ok) {
      if (verdict.status === 400) {
        const detail = verdict.reason === "uri"
          ? "The Digest uri does not match the request target."
          : "The Digest Authorization header is malformed.";
        return fail(atlasError(400, "INVALID_AUTHORIZATION_HEADER", detail));
      }
      return fail(
        atlasError(401, "UNAUTHORIZED", "You are not authorized for this resource.", [], {
          "www-authenticate": verdict.wwwAuthenticate!,
        }),
      );
    }
    counters.authenticated++;

    const fault = pickFault(info);
    let dropResponse = false;
    if (fault) {
      counters.faults++;
      entry.fault = fault.kind;
      const retryAfter = String(fault.retryAfterSeconds ?? 1);
      switch (fault.kind) {
        case "latency":
          await delay(fault.latencyMs ?? 100, request.signal);
          break;
        case "drop":
          return drop("drop");
        case "drop-response":
          dropResponse = true;
          break;
        case "rate-limit":
          return fail(atlasError(
            429,
            "RATE_LIMITED",
            `Resource ${rawPath} is limited to ${rateLimit?.limit ?? 100} requests every ${
              rateWindowMs / 60_000
            } minutes.`,
            [rawPath, rateLimit?.limit ?? 100, rateWindowMs / 60_000],
            { "retry-after": retryAfter },
          ));
        case "server-error":
          return fail(atlasError(500, "UNEXPECTED_ERROR", "Unexpected error."));
        case "unavailable":
          return fail(atlasError(503, "SERVICE_UNAVAILABLE", "Service unavailable.", [], {
            "retry-after": retryAfter,
          }));
      }
    }

    if (route === undefined) {
      return fail(atlasError(404, "RESOURCE_NOT_FOUND", `Cannot find resource ${rawPath}.`, [
        rawPath,
      ]));
    }
    if ("status" in route) return fail(route);
    const negotiated = negotiate(
      route.api,
      request.headers.get("accept"),
      apiVersions,
      clock.now(),
    );
    if ("status" in negotiated) return fail(negotiated);
    const rate = countRate(route.groupId);
    if (rate.retryAfter !== undefined) {
      const minutes = rateWindowMs / 60_000;
      return fail(atlasError(
        429,
        "RATE_LIMITED",
        `Resource ${rawPath} is limited to ${rateLimit!.limit} requests every ${minutes} minutes.`,
        [rawPath, rateLimit!.limit, minutes],
        { "retry-after": String(rate.retryAfter) },
      ));
    }
    const result = perform(route, request, body);
    if (dropResponse) return drop("drop-response");
    if (!("ok" in result)) return fail(result);
    // v2 answers a removal with 204 and no body; v1.0 with 200 and `{}`.
    const v2Delete = route.api === "v2" && route.operation === "delete";
    return finish(
      respond(v2Delete ? 204 : result.status, v2Delete ? undefined : result.body, query, {
        ...negotiated.headers,
        "ratelimit-limit": String(rateLimit?.limit ?? 100),
        "ratelimit-remaining": String(rate.remaining),
      }),
    );
  }

  return {
    fetch,
    basePath: basePaths[0]!,
    v2BasePath: V2_BASE_PATH,
    clock,
    addServiceAccount(
      account: { clientId?: string; clientSecret?: string } = {},
    ): { clientId: string; clientSecret: string } {
      const clientId = account.clientId ?? `mdb_sa_id_${randomHex24()}`;
      const clientSecret = account.clientSecret ?? `mdb_sa_sk_${randomUuid()}`;
      if (clientId === "" || clientId.includes(":") || clientSecret === "") {
        throw new RangeError(
          "Cannot add service account: clientId must be non-empty without ':' and clientSecret non-empty",
        );
      }
      serviceAccounts.add(clientId, clientSecret);
      return { clientId, clientSecret };
    },
    removeServiceAccount: (clientId: string): boolean => serviceAccounts.remove(clientId),
    revokeTokens: (clientId?: string): number => serviceAccounts.revokeTokens(clientId),
    addGroup,
    addEndpointService,
    seed(o: { groupId?: string } = {}): SeededProject {
      const groupId = addGroup(o.groupId);
      const id = (cloudProvider: SimulatorCloudProvider) =>
        addEndpointService({ cloudProvider, groupId }).endpointServiceId;
      return { groupId, AWS: id("AWS"), AZURE: id("AZURE"), GCP: id("GCP") };
    },
    getEndpoint(ref: SimulatorEndpointRef): SimulatedEndpoint | undefined {
      const service = findService(ref);
      const endpoint = service && liveEndpoint(service, ref.endpointId);
      return endpoint && snapshot(service!, endpoint);
    },
    listEndpoints(): SimulatedEndpoint[] {
      const out: SimulatedEndpoint[] = [];
      for (const services of groups.values()) {
        for (const service of services.values()) {
          for (const id of [...service.endpoints.keys()]) {
            const endpoint = liveEndpoint(service, id);
            if (endpoint) out.push(snapshot(service, endpoint));
          }
        }
      }
      return out;
    },
    setEndpointStatus(
      ref: SimulatorEndpointRef,
      status: string | null,
      errorMessage: string | null = null,
    ): void {
      const service = findService(ref);
      const endpoint = service && liveEndpoint(service, ref.endpointId);
      if (!endpoint) {
        throw new RangeError(
          `Cannot set endpoint status: no ${ref.cloudProvider} endpoint ${ref.endpointId} in endpoint service ${ref.endpointServiceId}`,
        );
      }
      if (status === null) delete endpoint.forced;
      else endpoint.forced = { status, errorMessage };
    },
    failEndpoint(endpointId: string, errorMessage: string): void {
      failures.set(endpointId, errorMessage);
      for (const services of groups.values()) {
        for (const service of services.values()) {
          const endpoint = service.endpoints.get(endpointId);
          if (endpoint) endpoint.failMessage = errorMessage;
        }
      }
    },
    injectFault,
    clearFaults(): void {
      faults.length = 0;
    },
    get requestLog(): readonly SimulatorLogEntry[] {
      return log;
    },
    get stats(): SimulatorStats {
      const digest = verifier.stats;
      return {
        requests: counters.requests,
        authenticated: counters.authenticated,
        byStatus: { ...counters.byStatus },
        ncViolations: digest.rejected.nc ?? 0,
        staleNonces: digest.rejected.stale ?? 0,
        faults: counters.faults,
        tokensIssued: serviceAccounts.counters.issued,
        tokenRequestsRejected: serviceAccounts.counters.rejected,
        bearerRejected,
        digest: { ...digest, rejected: { ...digest.rejected } },
      };
    },
    clearLog(): void {
      log = [];
      counters = { requests: 0, authenticated: 0, faults: 0, byStatus: {} };
      serviceAccounts.counters.issued = 0;
      serviceAccounts.counters.rejected = 0;
      bearerRejected = 0;
      verifier.stats.challenges = 0;
      verifier.stats.accepted = 0;
      for (const key of Object.keys(verifier.stats.rejected)) delete verifier.stats.rejected[key];
    },
  };
}
