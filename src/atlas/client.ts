/**
 * The typed low-level Atlas client: openapi-fetch over the generated `paths`, with input checks,
 * the API version's media type, and authentication (a service account's bearer token, or an API
 * key over HTTP Digest) installed.
 *
 * @module
 */
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../gen/atlas.ts";
import { wireMiddleware } from "./_wire.ts";
import {
  ATLAS_API_VERSIONS,
  type AtlasApiVersion,
  type AtlasDeprecationNotice,
  DEFAULT_ATLAS_V2_BASE_URL,
} from "./api_version.ts";
import { isRecord, transportProblem } from "../shared/_checks.ts";
import { Budget } from "./_budget.ts";
import { BUDGET, checkRetryOptions, type Core, UNCHECKED } from "./_call.ts";
import {
  ENDPOINT_PATH,
  ENDPOINTS_PATH,
  PROVIDER_SERVICES_PATH,
  SERVICE_PATH,
  SERVICES_PATH,
} from "./_paths.ts";
import {
  checkMaxResponseBytes,
  markingFetch,
  sendReading,
  TRANSPORT,
  type Transport,
} from "./_transport.ts";
import { DEFAULT_MAX_RESPONSE_BYTES } from "./atlas_response_too_large_error.ts";
import {
  ACTIONS,
  checkCreateBody,
  checkEndpointId,
  checkProjectRef,
  checkProvider,
  checkQuery,
  checkRegionShape,
  checkServiceBody,
  checkServiceRef,
  fail,
  SERVICE_ACTIONS,
} from "./_validate.ts";
import { apiKey } from "./api_key.ts";
import type { AtlasAuth } from "./auth.ts";
import { type AtlasServiceAccount, serviceAccount } from "./service_account.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";
import { DEFAULT_RATE_LIMIT, type RateLimitEvent, type RateLimitOptions } from "./rate_limit.ts";
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
   * The request budget per project that every call made with this client shares (creates, reads,
   * deletes, waits' polls): it starts at this rate, then follows Atlas's `RateLimit-*` headers,
   * and after a 429 sends nothing more to that project until `Retry-After` has passed. `false`
   * turns it off. See {@linkcode RateLimitOptions}.
   *
   * @default {{ requestsPerMinute: 50, burst: 10 }}
   */
  rateLimit?: RateLimitOptions | false | undefined;
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
  /** Not with an API key pair. */
  auth?: undefined;
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
export interface AtlasServiceAccountClientOptions
  extends AtlasClientCommonOptions, AtlasServiceAccount {
  /** Not with a service account. */
  publicKey?: undefined;
  /** Not with a service account. */
  privateKey?: undefined;
  /** Not with a service account's id and secret. */
  auth?: undefined;
}

/**
 * Options of {@linkcode atlasClient} (and of {@linkcode createAtlasClient}): the authentication as
 * an {@linkcode AtlasAuth} value, plus the common options.
 *
 * @example Options with an API key built by apiKey()
 * ```ts
 * import { apiKey, type AtlasAuthClientOptions, atlasClient } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const options: AtlasAuthClientOptions = {
 *   auth: apiKey("abcdefgh", "not-a-real-key"),
 *   apiVersion: "2023-01-01",
 * };
 * assert.equal(typeof atlasClient(options).POST, "function");
 * ```
 */
export interface AtlasAuthClientOptions extends AtlasClientCommonOptions {
  /** The authentication: {@linkcode apiKey} or {@linkcode serviceAccount}. */
  auth: AtlasAuth;
  /** Not with `auth`. */
  publicKey?: undefined;
  /** Not with `auth`. */
  privateKey?: undefined;
  /** Not with `auth`. */
  clientId?: undefined;
  /** Not with `auth`. */
  clientSecret?: undefined;
  /** Not with `auth`: give it to {@linkcode serviceAccount}. */
  tokenUrl?: undefined;
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
export type AtlasClientOptions =
  | AtlasApiKeyClientOptions
  | AtlasServiceAccountClientOptions
  | AtlasAuthClientOptions;

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
export type AtlasClient = Client<paths> & {
  /** What the client was created with for every call made through it (none when built by hand). */
  readonly defaults?: AtlasClientDefaults | undefined;
};

/**
 * The per-client defaults of the calls made with an {@linkcode AtlasClient}, as
 * {@linkcode createAtlasClient} received them; a call's own options override them.
 *
 * @example Read a client's retry defaults
 * ```ts
 * import { createAtlasClient } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const atlas = createAtlasClient({ publicKey: "abcdefgh", privateKey: "not-a-real-key", retry: false });
 * assert.equal(atlas.defaults?.retry, false);
 * ```
 */
export interface AtlasClientDefaults {
  /** {@linkcode AtlasClientCommonOptions.retry}. */
  readonly retry: RetryOptions | false | undefined;
  /** {@linkcode AtlasClientCommonOptions.onRateLimit}. */
  readonly onRateLimit: ((event: RateLimitEvent) => void) | undefined;
  /** {@linkcode AtlasClientCommonOptions.maxResponseBytes}. */
  readonly maxResponseBytes: number | undefined;
  /** {@linkcode AtlasClientCommonOptions.rateLimit}. */
  readonly rateLimit: RateLimitOptions | false | undefined;
}

/**
 * Creates a typed Atlas client, authenticated with a service account (`clientId`,
 * `clientSecret`: OAuth 2.0 client credentials, see {@linkcode serviceAccountAuth}) or with an
 * API key (`publicKey`, `privateKey`: HTTP Digest), or with an `auth` value from
 * {@linkcode apiKey} or {@linkcode serviceAccount}, speaking API version v1.0 (default) or
 * `2023-01-01` (v2). It bundles the code of both ways to authenticate; where bundle size counts
 * (Cloudflare Workers), use {@linkcode atlasClient} with `auth`, which bundles only the one given.
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
  if (typeof options !== "object" || options === null) invalid("options", "must be an object");
  const fields: object = options;
  const given = (field: string): boolean => Reflect.get(fields, field) !== undefined;
  const key = given("publicKey") || given("privateKey");
  const account = given("clientId") || given("clientSecret") || given("tokenUrl");
  if (key && account) {
    invalid(
      "options",
      "must hold either an API key (publicKey, privateKey) or a service account " +
        "(clientId, clientSecret), not both",
    );
  }
  if (given("auth")) {
    if (key || account) {
      invalid("options", "must hold either auth or the credentials it is built from, not both");
    }
    return atlasClient(options as AtlasAuthClientOptions);
  }
  const {
    publicKey,
    privateKey,
    clientId,
    clientSecret,
    tokenUrl,
    now,
    tokenTimeoutMs,
    refreshBeforeExpiryMs,
    ...common
  }: LegacyOptions = options;
  const auth = account
    ? serviceAccount({
      clientId: clientId!,
      clientSecret: clientSecret!,
      tokenUrl,
      now,
      tokenTimeoutMs,
      refreshBeforeExpiryMs,
    })
    : apiKey(publicKey!, privateKey!);
  return atlasClient({ ...common, auth });
}

/** The credential forms of {@linkcode createAtlasClient}, as one loose shape. */
type LegacyOptions =
  & AtlasClientCommonOptions
  & {
    [K in "publicKey" | "privateKey" | "clientId" | "clientSecret" | "tokenUrl"]?:
      | string
      | undefined;
  }
  & Pick<AtlasServiceAccountClientOptions, "now" | "tokenTimeoutMs" | "refreshBeforeExpiryMs">;

function invalid(field: string, rule: string): never {
  fail(ACTION, field, rule);
}

const ACTION = "Cannot create Atlas client";

/**
 * Creates a typed Atlas client authenticated with `auth`, as {@linkcode createAtlasClient} does,
 * bundling only the authentication given: {@linkcode apiKey} (HTTP Digest) or
 * {@linkcode serviceAccount} (OAuth 2.0). The form for Cloudflare Workers and other bundles
 * where size counts; `createAtlasClient({ publicKey, privateKey })` and
 * `createAtlasClient({ clientId, clientSecret })` bring the code of both along.
 *
 * @param options `auth`, and optionally the API version, base URL, a fetch, a User-Agent, retry
 * settings.
 * @returns The client.
 * @throws {AtlasValidationError} When an option is invalid (e.g. an http `baseUrl` that is not
 * loopback, an unknown `apiVersion`, an `auth` not built by `apiKey` or `serviceAccount`).
 *
 * @example An API key, as a Worker would use it
 * ```ts
 * import { apiKey, atlasClient, getPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const atlas = atlasClient({
 *   auth: apiKey("abcdefgh", "00000000-0000-0000-0000-000000000000"),
 *   fetch: async () => Response.json({ interfaceEndpointId: "vpce-0123456789abcdef0" }),
 * });
 * const endpoint = await getPrivateEndpoint(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "AWS",
 *   endpointId: "vpce-0123456789abcdef0",
 * });
 * assert.equal(endpoint.cloudProvider, "AWS");
 * ```
 */
export function atlasClient(options: AtlasAuthClientOptions): AtlasClient {
  if (typeof options !== "object" || options === null) invalid("options", "must be an object");
  const auth: unknown = options.auth;
  if (!isRecord(auth) || typeof auth.createMiddleware !== "function") {
    invalid("auth", "must be built by apiKey() or serviceAccount()");
  }
  for (const name of ["fetch", "onDeprecation", "onRateLimit"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      invalid(name, "must be a function");
    }
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
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
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
  const problem = transportProblem(url, allowInsecureHttp);
  if (problem !== undefined) invalid("baseUrl", problem);
  if (url.search !== "" || url.hash !== "") {
    invalid("baseUrl", "must not have a query or fragment");
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (path.endsWith("/api/atlas/v1.0") && apiVersion !== "v1.0") {
    invalid("baseUrl", `is the v1.0 API; use .../api/atlas/v2 with apiVersion ${apiVersion}`);
  }
  if (path.endsWith("/api/atlas/v2") && apiVersion === "v1.0") {
    invalid("baseUrl", 'is the v2 API; set apiVersion "2023-01-01" or use .../api/atlas/v1.0');
  }
  const authentication = options.auth.createMiddleware({
    baseUrl: url.href,
    allowInsecureHttp,
    userAgent,
  });
  checkRetryOptions(ACTION, "retry", options.retry);
  checkMaxResponseBytes(ACTION, options.maxResponseBytes);
  const budget = budgetOf(options.rateLimit);

  // API requests start with it (the wire middleware sees to it).
  const prefix = `${url.origin}${path}/`;
  const core = createClient<paths>({
    baseUrl,
    fetch: markingFetch(options.fetch, options.maxResponseBytes),
    // The API-key (Digest) middleware follows redirects itself: requests made not to follow them
    // go out as they are, without a copy per request.
    redirect: options.auth.kind === "apiKey" ? "manual" : "follow",
  });
  // The authentication last, so that it sees the final request and is the first to see a 401.
  core.use(
    wireMiddleware({
      apiVersion,
      onDeprecation: options.onDeprecation,
      baseUrl: url,
      prefix,
      allowInsecureHttp,
      userAgent,
    }),
    authentication,
  );
  // What a call's attempts send with, and read bodies with (see markingFetch): the user's fetch.
  const transport: Transport = { send: options.fetch, prefix, own: true };
  const client = checkedClient(
    core,
    Object.freeze({
      retry: options.retry,
      onRateLimit: options.onRateLimit,
      maxResponseBytes: options.maxResponseBytes,
      rateLimit: options.rateLimit,
    }),
    transport,
  );
  Object.defineProperty(client, TRANSPORT, { value: transport });
  if (budget !== undefined) Object.defineProperty(client, BUDGET, { value: budget });
  return client;
}

/** Checks the `rateLimit` option and builds the budget it asks for (none for `false`). */
function budgetOf(rateLimit: unknown): Budget | undefined {
  if (rateLimit === false) return undefined;
  if (rateLimit !== undefined && !isRecord(rateLimit)) {
    invalid("rateLimit", "must be false or an object");
  }
  const {
    requestsPerMinute = DEFAULT_RATE_LIMIT.requestsPerMinute,
    burst = DEFAULT_RATE_LIMIT.burst,
  } = (rateLimit ?? {}) as RateLimitOptions;
  if (
    typeof requestsPerMinute !== "number" || !(requestsPerMinute > 0) ||
    !Number.isFinite(requestsPerMinute)
  ) {
    invalid("rateLimit.requestsPerMinute", "must be a positive number");
  }
  if (!Number.isSafeInteger(burst) || burst < 1) {
    invalid("rateLimit.burst", "must be a whole number of at least 1");
  }
  return new Budget({ requestsPerMinute, burst });
}

type Operation = "create" | "get" | "delete";
/** A low-level endpoint service call: its SERVICE_ACTIONS key and "Service". */
type ServiceOperation = "createService" | "listService" | "getService" | "deleteService";

function operationOf(
  method: string,
  schemaPath: unknown,
): Operation | ServiceOperation | undefined {
  if (method === "POST" && schemaPath === ENDPOINTS_PATH) return "create";
  if (method === "POST" && schemaPath === SERVICES_PATH) return "createService";
  if (method === "GET" && schemaPath === PROVIDER_SERVICES_PATH) return "listService";
  if (schemaPath === SERVICE_PATH) {
    return method === "GET" ? "getService" : method === "DELETE" ? "deleteService" : undefined;
  }
  if (schemaPath !== ENDPOINT_PATH) return undefined;
  if (method === "GET") return "get";
  if (method === "DELETE") return "delete";
  return undefined;
}

/**
 * Checks a low-level endpoint service call (path parameters, and a create's body as the
 * high-level create checks it, but for the region: its shape only, and the body is sent as
 * written). Returns the provider the answer is of, to fill in `cloudProvider`.
 */
function checkServiceCall(
  operation: ServiceOperation,
  path: unknown,
  init: unknown,
): string | undefined {
  const action = SERVICE_ACTIONS[operation.replace("Service", "") as keyof typeof SERVICE_ACTIONS];
  if (operation === "getService" || operation === "deleteService") {
    checkServiceRef(action, path);
    return path.cloudProvider;
  }
  if (operation === "listService") {
    checkProjectRef(action, path);
    return path.cloudProvider;
  }
  const groupId = isRecord(path) ? path.groupId : undefined;
  const body = isRecord(init) ? init.body : undefined;
  if (!isRecord(body)) {
    fail(action, "body", "is required");
  }
  const { providerName, ...fields } = body;
  checkProjectRef(action, { groupId, cloudProvider: providerName });
  checkProvider(action, providerName);
  checkServiceBody(action, providerName, fields, checkRegionShape);
  return providerName;
}

/** `data` with `cloudProvider` set (when it is an object without one). */
function withProvider(data: unknown, provider: string): unknown {
  return isRecord(data) && data.cloudProvider === undefined
    ? { cloudProvider: provider, ...data }
    : data;
}

/**
 * The low-level client users call: each method checks its call (operation, path and query
 * parameters, body) once, on the way in, before anything is built or sent, and fills in
 * `cloudProvider` on the endpoint answered; the high-level functions send through `core` directly,
 * having checked their own input.
 */
function checkedClient(
  core: Core,
  defaults: AtlasClientDefaults,
  transport: Transport,
): AtlasClient {
  const maxBytes = defaults.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const send = async (method: string, schemaPath: unknown, init: unknown): Promise<unknown> => {
    const operation = operationOf(method, schemaPath);
    if (operation === undefined) {
      throw new AtlasValidationError(
        `Cannot send request: ${method} ${schemaPath} is not an operation of this client`,
        { field: "path" },
      );
    }
    const params = isRecord(init) && isRecord(init.params) ? init.params : {};
    const path: unknown = params.path;
    // The provider whose object (or list of them) the answer is, to fill in `cloudProvider`.
    let provider: string | undefined;
    if (operation !== "create" && operation !== "get" && operation !== "delete") {
      provider = checkServiceCall(operation, path, init);
      checkQuery(SERVICE_ACTIONS.get, params.query);
    } else {
      const action = ACTIONS[operation];
      checkServiceRef(action, path);
      if (operation !== "create") {
        checkEndpointId(action, path.cloudProvider, (path as { endpointId?: unknown }).endpointId);
      }
      checkQuery(action, params.query);
      if (operation === "create") {
        const body = isRecord(init) ? init.body : undefined;
        if (body === undefined) {
          fail(action, "body", "is required");
        }
        checkCreateBody(action, path.cloudProvider, body);
      }
      if (operation !== "delete") provider = path.cloudProvider;
    }
    const call = core.request as (m: string, p: unknown, i: unknown) => Promise<{
      data?: unknown;
      response: Response;
    }>;
    // A JSON answer (the default) to a call that sets no fetch of its own, with no middleware of
    // the user's in between and no envelope to unwrap, is read here, parsed once.
    const options = isRecord(init) ? init : {};
    const query = params.query;
    const own = transport.own && options.fetch === undefined &&
      (options.parseAs ?? "json") === "json" &&
      !(isRecord(query) && query.envelope === true);
    // The request as built, named if its answer is too large.
    const seen = { method, url: String(schemaPath) };
    const signal = options.signal instanceof AbortSignal ? options.signal : undefined;
    const result = own
      ? await sendReading(
        transport,
        (fetch) => call(method, schemaPath, { ...options, parseAs: "stream", fetch }),
        maxBytes,
        signal,
        seen,
      )
      : await call(method, schemaPath, init);
    const data = result.data;
    if (provider !== undefined && data !== undefined) {
      result.data = Array.isArray(data)
        ? data.map((item) => withProvider(item, provider))
        : withProvider(data, provider);
    }
    return result;
  };
  const method = (name: string) => (schemaPath: unknown, init?: unknown) =>
    send(name, schemaPath, init);
  const client = {
    ...core,
    GET: method("GET"),
    PUT: method("PUT"),
    POST: method("POST"),
    DELETE: method("DELETE"),
    OPTIONS: method("OPTIONS"),
    HEAD: method("HEAD"),
    PATCH: method("PATCH"),
    TRACE: method("TRACE"),
    request: (name: string, schemaPath: unknown, init?: unknown) =>
      send(String(name).toUpperCase(), schemaPath, init),
    // A middleware of the user's may read answers: from then on, bodies are read through it.
    use: (...middleware: Parameters<Core["use"]>) => {
      transport.own = false;
      core.use(...middleware);
    },
    defaults,
  };
  Object.defineProperty(client, UNCHECKED, { value: core });
  // The wrappers take what openapi-fetch's methods take (they check it at run time) and return
  // what the same methods of `core` return: the client keeps openapi-fetch's types.
  return client as unknown as AtlasClient;
}
