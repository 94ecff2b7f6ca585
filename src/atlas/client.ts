/**
 * The typed low-level Atlas client: openapi-fetch over the generated `paths`, with input checks,
 * the API version's media type, and authentication (a service account's bearer token, or an API
 * key over HTTP Digest) installed.
 *
 * @module
 */
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../gen/atlas.ts";
import { serviceAccountAuth } from "../auth/middleware.ts";
import { digestAuth } from "../digest/middleware.ts";
import { apiVersionMiddleware } from "./_api_version.ts";
import { atlasGuard } from "./_middleware.ts";
import {
  ATLAS_API_VERSIONS,
  type AtlasApiVersion,
  type AtlasDeprecationNotice,
  DEFAULT_ATLAS_V2_BASE_URL,
} from "./api_version.ts";
import { checkRetryOptions, setClientDefaults } from "./_retry.ts";
import { MAX_TIMER_MS } from "./_clock.ts";
import { checkTimeout } from "./_request.ts";
import { checkMaxResponseBytes } from "./_bounded_body.ts";
import { markingFetch, setClientTransport } from "./_transport.ts";
import { checkTransport } from "./_validate.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";
import type { RateLimitEvent } from "./rate_limit.ts";
import type { RetryOptions } from "./retry.ts";

/**
 * The Atlas Administration API v1.0 base URL, the default `baseUrl`.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_ATLAS_BASE_URL } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_ATLAS_BASE_URL, "https://cloud.mongodb.com/api/atlas/v1.0");
 * ```
 */
export const DEFAULT_ATLAS_BASE_URL: string = "https://cloud.mongodb.com/api/atlas/v1.0";

/**
 * This package's version, sent in the default `User-Agent`.
 *
 * @example Usage
 * ```ts
 * import { VERSION } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.match(VERSION, /^\d+\.\d+\.\d+/);
 * ```
 */
export const VERSION: string = "0.1.0";

/**
 * The `User-Agent` sent unless {@linkcode AtlasClientOptions.userAgent} says otherwise.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_USER_AGENT, VERSION } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_USER_AGENT, `atlas-private-endpoint/${VERSION}`);
 * ```
 */
export const DEFAULT_USER_AGENT: string = `atlas-private-endpoint/${VERSION}`;

/**
 * Options of {@linkcode createAtlasClient} shared by both ways to authenticate.
 *
 * @example One set of common options, either way to authenticate
 * ```ts
 * import {
 *   type AtlasClientCommonOptions,
 *   createAtlasClient,
 *   getPrivateEndpoint,
 * } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const headers: Headers[] = [];
 * const common: AtlasClientCommonOptions = {
 *   apiVersion: "2023-01-01",
 *   userAgent: "my-deployer/1.2",
 *   retry: false,
 *   fetch: async (request) => {
 *     headers.push(request.headers);
 *     return Response.json({ connectionStatus: "AVAILABLE" });
 *   },
 * };
 * const atlas = createAtlasClient({ ...common, publicKey: "abcdefgh", privateKey: "not-a-real-key" });
 * await getPrivateEndpoint(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "AWS",
 *   endpointId: "vpce-0123456789abcdef0",
 * });
 * assert.equal(headers[0]?.get("User-Agent"), "my-deployer/1.2");
 * assert.equal(headers[0]?.get("Accept"), "application/vnd.atlas.2023-01-01+json");
 * ```
 */
export interface AtlasClientCommonOptions {
  /**
   * The API base URL. Default {@linkcode DEFAULT_ATLAS_BASE_URL} (v1.0), or
   * {@linkcode DEFAULT_ATLAS_V2_BASE_URL} with `apiVersion: "2023-01-01"`.
   */
  baseUrl?: string | undefined;
  /**
   * The API version: `"v1.0"` (the default; legacy, `application/json`) or `"2023-01-01"` (the
   * v2 API: `Accept`, and `Content-Type` with a body, are
   * `application/vnd.atlas.2023-01-01+json`). The high-level functions work the same with both.
   * A `baseUrl` ending in `/api/atlas/v1.0` or `/api/atlas/v2` must match it.
   */
  apiVersion?: AtlasApiVersion | undefined;
  /**
   * Called when Atlas marks the API version as deprecated (`Deprecation` header) or gives it a
   * removal date (`Sunset` header): once per client for each distinct pair of values, with the
   * parsed dates. Errors it throws are ignored. Without it, the headers are not reported (they
   * stay readable on the low-level client's `response`).
   */
  onDeprecation?: ((notice: AtlasDeprecationNotice) => void) | undefined;
  /** The fetch to send requests with, e.g. a simulator's `fetch`. Default `globalThis.fetch`. */
  fetch?: ((request: Request) => Response | Promise<Response>) | undefined;
  /** The `User-Agent` header. Default {@linkcode DEFAULT_USER_AGENT}. */
  userAgent?: string | undefined;
  /**
   * Allows a plain-http `baseUrl` (and `tokenUrl`) on a host that is not loopback. Default false:
   * neither Digest nor a bearer token encrypts anything, so plain http is only accepted for
   * 127.0.0.0/8, `[::1]` and `localhost`.
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * Retry settings for every call made with this client (a call's own `retry` overrides them
   * field by field); `false` sends each request once. See {@linkcode RetryOptions}.
   */
  retry?: RetryOptions | false | undefined;
  /** Called with the `RateLimit-*` headers of every response that has them, and for every 429. */
  onRateLimit?: ((event: RateLimitEvent) => void) | undefined;
  /**
   * The most bytes of a response body read (a call's own `maxResponseBytes` overrides it); a
   * larger answer fails with {@linkcode AtlasResponseTooLargeError}.
   *
   * @default {8388608}
   */
  maxResponseBytes?: number | undefined;
}

/**
 * Options of {@linkcode createAtlasClient} with a programmatic API key (HTTP Digest; legacy).
 *
 * @example An API key against the simulator
 * ```ts
 * import {
 *   type AtlasApiKeyClientOptions,
 *   createAtlasClient,
 *   createPrivateEndpoint,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const options: AtlasApiKeyClientOptions = {
 *   publicKey: DEFAULT_SIMULATOR_API_KEY.publicKey,
 *   privateKey: DEFAULT_SIMULATOR_API_KEY.privateKey,
 *   fetch: simulator.fetch,
 * };
 * const endpoint = await createPrivateEndpoint(createAtlasClient(options), {
 *   groupId,
 *   endpointServiceId,
 *   cloudProvider: "AWS",
 *   id: "vpce-0123456789abcdef0",
 * });
 * assert.equal(endpoint.cloudProvider, "AWS");
 * ```
 */
export interface AtlasApiKeyClientOptions extends AtlasClientCommonOptions {
  /** The API key's public key: the Digest user name. */
  publicKey: string;
  /** The API key's private key: the Digest password. Never logged, never in errors. */
  privateKey: string;
  /** Not with an API key. */
  clientId?: undefined;
  /** Not with an API key. */
  clientSecret?: undefined;
  /** Not with an API key. */
  tokenUrl?: undefined;
}

/**
 * Options of {@linkcode createAtlasClient} with a service account (OAuth 2.0; recommended).
 *
 * @example A service account against the simulator: one token for several calls
 * ```ts
 * import {
 *   type AtlasServiceAccountClientOptions,
 *   createAtlasClient,
 *   createPrivateEndpoint,
 *   getPrivateEndpoint,
 * } from "@atlas-edge/private-endpoint";
 * import {
 *   createAtlasSimulator,
 *   DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
 * } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const options: AtlasServiceAccountClientOptions = {
 *   clientId: DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientId,
 *   clientSecret: DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientSecret,
 *   baseUrl: `http://127.0.0.1${simulator.basePath}`,
 *   fetch: simulator.fetch,
 *   tokenTimeoutMs: 10_000,
 * };
 * const atlas = createAtlasClient(options);
 * const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
 * await createPrivateEndpoint(atlas, { ...service, id: "vpce-0123456789abcdef0" });
 * await getPrivateEndpoint(atlas, { ...service, endpointId: "vpce-0123456789abcdef0" });
 * assert.equal(simulator.stats.tokensIssued, 1);
 * ```
 */
export interface AtlasServiceAccountClientOptions extends AtlasClientCommonOptions {
  /** The service account's client id (`mdb_sa_id_…`). */
  clientId: string;
  /** The service account's client secret. Never logged, never in errors. */
  clientSecret: string;
  /** Where tokens come from. Default `/api/oauth/token` on the origin of `baseUrl`. */
  tokenUrl?: string | undefined;
  /** The clock token lifetimes are measured on, in milliseconds. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Gives up on a token request after this many milliseconds. Default 30_000. */
  tokenTimeoutMs?: number | undefined;
  /**
   * How long before its expiry a token is replaced, in milliseconds. Default 60_000, and never
   * more than half the token's lifetime.
   */
  refreshBeforeExpiryMs?: number | undefined;
  /** Not with a service account. */
  publicKey?: undefined;
  /** Not with a service account. */
  privateKey?: undefined;
}

/**
 * Options of {@linkcode createAtlasClient}: an API key pair or a service account, never both,
 * plus the common options.
 *
 * @example Both ways to authenticate
 * ```ts
 * import type { AtlasClientOptions } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const serviceAccount: AtlasClientOptions = {
 *   clientId: "mdb_sa_id_0123456789abcdef01234567",
 *   clientSecret: "mdb_sa_sk_not-a-real-secret",
 *   apiVersion: "2023-01-01",
 * };
 * const apiKey: AtlasClientOptions = { publicKey: "abcdefgh", privateKey: "not-a-real-key" };
 * assert.equal("clientId" in serviceAccount && !("clientId" in apiKey), true);
 * ```
 */
export type AtlasClientOptions = AtlasApiKeyClientOptions | AtlasServiceAccountClientOptions;

/**
 * The typed Atlas client: an openapi-fetch `Client` over the generated `paths` of `spec/`, with
 * `GET`, `POST` and `DELETE` methods that resolve to `{ data, error, response }`, and `use()` to
 * add middleware.
 *
 * (Tagged internal only so that `deno doc --lint` does not descend into openapi-fetch's own,
 * partly undocumented declarations; it is public and stable.)
 *
 * @internal
 *
 * @example Write helpers that take a client
 * ```ts
 * import {
 *   type AtlasClient,
 *   createAtlasClient,
 *   createPrivateEndpoint,
 *   type PrivateEndpointRef,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * async function exists(atlas: AtlasClient, ref: PrivateEndpointRef): Promise<boolean> {
 *   const { response } = await atlas.GET(
 *     "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}",
 *     { params: { path: ref } },
 *   );
 *   return response.ok;
 * }
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const atlas: AtlasClient = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
 * await createPrivateEndpoint(atlas, { ...service, id: "vpce-0123456789abcdef0" });
 * assert.equal(await exists(atlas, { ...service, endpointId: "vpce-0123456789abcdef0" }), true);
 * assert.equal(await exists(atlas, { ...service, endpointId: "vpce-0123456789abcdef1" }), false);
 * ```
 */
export type AtlasClient = Client<paths>;

/**
 * Creates a typed Atlas client, authenticated with a service account (`clientId`,
 * `clientSecret`: OAuth 2.0 client credentials, see {@linkcode serviceAccountAuth}) or with an
 * API key (`publicKey`, `privateKey`: HTTP Digest), speaking API version v1.0 (default) or
 * `2023-01-01` (v2).
 *
 * Every call is checked before it is sent (ids' formats, the provider, the body's shape for that
 * provider, the URL's scheme) and rejected with an {@linkcode AtlasValidationError}; Azure
 * resource ids in paths are percent-encoded into one segment; `envelope=true` responses are
 * unwrapped; endpoints always carry `cloudProvider`. Atlas errors are returned, not thrown, as
 * openapi-fetch does; the high-level functions such as {@linkcode createPrivateEndpoint} throw
 * them as {@linkcode AtlasApiError}.
 *
 * @param options Credentials, and optionally the API version, base URL, a fetch, a User-Agent.
 * @returns The client.
 * @throws {AtlasValidationError} When an option is invalid (e.g. an http `baseUrl` that is not
 * loopback, both an API key and a service account, an unknown `apiVersion`).
 *
 * @example Create an AWS endpoint with the low-level client
 * ```ts
 * import { createAtlasClient } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const seen: string[] = [];
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async (request) => {
 *     seen.push(`${request.method} ${new URL(request.url).pathname}`);
 *     const body = await request.json();
 *     return Response.json({ interfaceEndpointId: body.id, connectionStatus: "PENDING_ACCEPTANCE" });
 *   },
 * });
 * const { data, error } = await atlas.POST(
 *   "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint",
 *   {
 *     params: {
 *       path: {
 *         groupId: "32b6e34b3d91647abb20e7b8",
 *         cloudProvider: "AWS",
 *         endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *       },
 *     },
 *     body: { id: "vpce-0123456789abcdef0" },
 *   },
 * );
 * assert.equal(error, undefined);
 * assert.equal(data?.cloudProvider, "AWS"); // filled in from the path
 * assert.deepEqual(seen, [
 *   "POST /api/atlas/v1.0/groups/32b6e34b3d91647abb20e7b8/privateEndpoint/AWS/endpointService/5f4fc14da2b47835a58c63a2/endpoint",
 * ]);
 * ```
 *
 * @example A service account on the v2 API (here against the simulator)
 * ```ts
 * import { createAtlasClient, createPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import {
 *   createAtlasSimulator,
 *   DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
 * } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator();
 * const { groupId, GCP: endpointServiceId } = simulator.seed();
 * const atlas = createAtlasClient({
 *   ...DEFAULT_SIMULATOR_SERVICE_ACCOUNT, // { clientId, clientSecret }
 *   apiVersion: "2023-01-01",
 *   baseUrl: `http://127.0.0.1${simulator.v2BasePath}`,
 *   fetch: simulator.fetch,
 * });
 * const endpoint = await createPrivateEndpoint(atlas, {
 *   groupId,
 *   endpointServiceId,
 *   cloudProvider: "GCP",
 *   endpointGroupName: "atlas-group",
 *   gcpProjectId: "customer-project",
 *   endpoints: [{ endpointName: "atlas-rule-0", ipAddress: "10.142.0.5" }],
 * });
 * assert.equal(endpoint.cloudProvider, "GCP");
 * assert.equal(simulator.stats.tokensIssued, 1);
 * ```
 */
export function createAtlasClient(options: AtlasClientOptions): AtlasClient {
  const action = "Cannot create Atlas client";
  const invalid = (field: string, rule: string): never => {
    throw new AtlasValidationError(`${action}: ${field} ${rule}`, { field });
  };
  if (typeof options !== "object" || options === null) invalid("options", "must be an object");
  const fields = options as unknown as Record<string, unknown>;
  const given = (field: string): boolean => fields[field] !== undefined;
  const apiKey = given("publicKey") || given("privateKey");
  const serviceAccount = given("clientId") || given("clientSecret") || given("tokenUrl");
  if (apiKey && serviceAccount) {
    invalid(
      "options",
      "must hold either an API key (publicKey, privateKey) or a service account " +
        "(clientId, clientSecret), not both",
    );
  }
  const credentials = serviceAccount
    ? (["clientId", "clientSecret"] as const)
    : (["publicKey", "privateKey"] as const);
  for (const field of credentials) {
    const value = fields[field];
    if (typeof value !== "string" || value === "") {
      invalid(field, "must be a non-empty string");
    }
    // A service account's id and secret travel in a header (HTTP Basic of the token request).
    if (serviceAccount && /[\r\n]/.test(value as string)) {
      invalid(field, "must be a single-line string");
    }
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    invalid("fetch", "must be a function");
  }
  if (options.onDeprecation !== undefined && typeof options.onDeprecation !== "function") {
    invalid("onDeprecation", "must be a function");
  }
  if (options.userAgent !== undefined) {
    let valid = typeof options.userAgent === "string" && !/[\r\n]/.test(options.userAgent);
    try {
      if (valid) new Headers({ "user-agent": options.userAgent });
    } catch {
      valid = false;
    }
    if (!valid) invalid("userAgent", "must be a single-line string of valid header characters");
  }
  const apiVersion = options.apiVersion ?? "v1.0";
  if (!ATLAS_API_VERSIONS.includes(apiVersion)) {
    invalid("apiVersion", `must be one of ${ATLAS_API_VERSIONS.join(", ")}`);
  }
  const baseUrl = options.baseUrl ??
    (apiVersion === "v1.0" ? DEFAULT_ATLAS_BASE_URL : DEFAULT_ATLAS_V2_BASE_URL);
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    invalid("baseUrl", "must be an absolute URL");
  }
  const allowInsecureHttp = options.allowInsecureHttp === true;
  checkTransport(action, "baseUrl", url!, allowInsecureHttp);
  if (url!.search !== "" || url!.hash !== "") {
    invalid("baseUrl", "must not have a query or fragment");
  }
  const path = url!.pathname.replace(/\/+$/, "");
  if (path.endsWith("/api/atlas/v1.0") && apiVersion !== "v1.0") {
    invalid("baseUrl", `is the v1.0 API; use .../api/atlas/v2 with apiVersion ${apiVersion}`);
  }
  if (path.endsWith("/api/atlas/v2") && apiVersion === "v1.0") {
    invalid("baseUrl", 'is the v2 API; set apiVersion "2023-01-01" or use .../api/atlas/v1.0');
  }

  let auth;
  if (serviceAccount) {
    const sa = options as AtlasServiceAccountClientOptions;
    if (sa.now !== undefined && typeof sa.now !== "function") invalid("now", "must be a function");
    checkTimeout(action, "tokenTimeoutMs", sa.tokenTimeoutMs);
    const refresh: unknown = sa.refreshBeforeExpiryMs;
    if (
      refresh !== undefined &&
      (typeof refresh !== "number" || !(refresh >= 0 && refresh <= MAX_TIMER_MS))
    ) {
      invalid(
        "refreshBeforeExpiryMs",
        `must be zero or a number of milliseconds up to ${MAX_TIMER_MS}`,
      );
    }
    let tokenUrl: URL | undefined;
    try {
      tokenUrl = new URL(sa.tokenUrl ?? "/api/oauth/token", url!);
    } catch {
      invalid("tokenUrl", "must be an absolute URL");
    }
    checkTransport(action, "tokenUrl", tokenUrl!, allowInsecureHttp);
    auth = serviceAccountAuth({
      clientId: sa.clientId,
      clientSecret: sa.clientSecret,
      tokenUrl: tokenUrl!.href,
      allowInsecureHttp,
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      ...(sa.now === undefined ? {} : { now: sa.now }),
      tokenTimeoutMs: sa.tokenTimeoutMs,
      refreshBeforeExpiryMs: sa.refreshBeforeExpiryMs,
    });
  } else {
    const key = options as AtlasApiKeyClientOptions;
    auth = digestAuth({ username: key.publicKey, password: key.privateKey });
  }
  checkRetryOptions(action, "retry", options.retry);
  checkMaxResponseBytes(action, options.maxResponseBytes);
  if (options.onRateLimit !== undefined && typeof options.onRateLimit !== "function") {
    invalid("onRateLimit", "must be a function");
  }

  const client = createClient<paths>({
    baseUrl,
    headers: {
      "Accept": "application/json",
      "User-Agent": options.userAgent ?? DEFAULT_USER_AGENT,
    },
    fetch: markingFetch(options.fetch, options.maxResponseBytes),
  });
  // First: sets the media type before anything else sees the request, and handles 406/410 and
  // Deprecation/Sunset after the guard has unwrapped envelopes.
  client.use(apiVersionMiddleware({ apiVersion, onDeprecation: options.onDeprecation }));
  client.use(atlasGuard({ allowInsecureHttp, baseUrl: url! }));
  // Last, so that it authenticates the final request and is the first to see a 401.
  client.use(auth);
  setClientDefaults(client, { retry: options.retry, onRateLimit: options.onRateLimit });
  setClientTransport(client, options.fetch, options.maxResponseBytes);
  return client;
}
