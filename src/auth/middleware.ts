/**
 * Service account authentication (OAuth 2.0 client credentials) as an openapi-fetch middleware.
 *
 * @module
 */
import type { Middleware } from "openapi-fetch";
import { MAX_TIMER_MS, transportProblem } from "../shared/_checks.ts";
import { createTokenCache, type TokenCache } from "./_token_cache.ts";
import { requestToken } from "./_token_request.ts";
import type { ServiceAccountAuthOptions } from "./options.ts";

/**
 * openapi-fetch's `Middleware` type, as {@linkcode serviceAccountAuth} returns it.
 *
 * (Tagged internal only so that `deno doc --lint` does not descend into openapi-fetch's own,
 * partly undocumented declarations; it is public and stable.)
 *
 * @internal
 *
 * @example Sends a bearer token it obtained once
 * ```ts
 * import createClient from "openapi-fetch";
 * import { serviceAccountAuth, type ServiceAccountMiddleware } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const authorizations: (string | null)[] = [];
 * const middleware: ServiceAccountMiddleware = serviceAccountAuth({
 *   clientId: "mdb_sa_id_0123456789abcdef01234567",
 *   clientSecret: "mdb_sa_sk_not-a-real-secret",
 *   fetch: async () => Response.json({ access_token: "t0k3n", token_type: "Bearer", expires_in: 3600 }),
 * });
 * const client = createClient<Record<string, never>>({
 *   baseUrl: "https://cloud.mongodb.com/api/atlas/v2",
 *   fetch: async (request: Request) => {
 *     authorizations.push(request.headers.get("Authorization"));
 *     return Response.json({});
 *   },
 * });
 * client.use(middleware);
 * await client.request("get", "/groups" as never);
 * await client.request("get", "/groups" as never);
 * assert.deepEqual(authorizations, ["Bearer t0k3n", "Bearer t0k3n"]);
 * ```
 */
export type ServiceAccountMiddleware = Middleware;

/**
 * A 401 for a token younger than this (without `WWW-Authenticate: Bearer error="invalid_token"`)
 * is returned as it is, not retried with a new token.
 */
const FRESH_TOKEN_MS = 5_000;

/** The token path on an Atlas origin. */
const TOKEN_PATH = "/api/oauth/token";

function checkTokenUrl(url: URL, allowInsecureHttp: boolean): void {
  const problem = transportProblem(url, allowInsecureHttp);
  if (problem !== undefined) {
    throw new TypeError(`Cannot obtain service account token: the token URL ${problem}`);
  }
}

function checkPositive(name: string, value: unknown, orZero = false): void {
  if (value === undefined) return;
  if (
    typeof value !== "number" || !Number.isFinite(value) || value < 0 ||
    (!orZero && value === 0) || value > MAX_TIMER_MS
  ) {
    throw new TypeError(
      `Cannot create service account authentication: ${name} must be a ${
        orZero ? "non-negative" : "positive"
      } number of milliseconds, at most ${MAX_TIMER_MS}`,
    );
  }
}

/** One call's state: the token it was sent with, and what is needed to send it again. */
interface Attempt {
  token: string;
  body: ArrayBuffer | null;
}

/**
 * An openapi-fetch middleware that authenticates every request with a MongoDB Atlas service
 * account: it obtains an access token with the OAuth 2.0 client-credentials grant (HTTP Basic of
 * the raw client id and secret, `grant_type=client_credentials`) and sends
 * `Authorization: Bearer <token>`.
 *
 * The token is cached until shortly before `expires_in` runs out (see
 * {@linkcode ServiceAccountAuthOptions.refreshBeforeExpiryMs}); when many requests need a new one
 * at the same time, exactly one token request is made and all of them wait for it. A request
 * answered 401 is sent once more with a new token (the body is re-sent byte for byte) when the
 * answer says `Bearer error="invalid_token"` or the token is more than 5 seconds old; a 401 for a
 * brand-new token (e.g. a service account without access to the project) and a second 401 are
 * returned as they are. When the token endpoint refuses (wrong or revoked credentials) the
 * call rejects with a {@linkcode ServiceAccountTokenError} and the API is not called. The secret
 * and the tokens never appear in errors, and live only in closures (nothing to inspect).
 *
 * Register it **last** (`client.use(other, serviceAccountAuth(...))`): it must see the final
 * request, and it re-sends through the client's fetch, which bypasses the other middleware.
 *
 * @param options The client id and secret, and optionally the token URL, fetch and clock.
 * @returns The middleware, for `client.use()`.
 * @throws {TypeError} When an option is invalid (checked now).
 * @throws {ServiceAccountTokenError} (from a call) When no token can be obtained.
 *
 * @example Use it with openapi-fetch against the simulator
 * ```ts
 * import createClient from "openapi-fetch";
 * import { serviceAccountAuth } from "@atlas-edge/private-endpoint";
 * import {
 *   createAtlasSimulator,
 *   DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
 * } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator();
 * const { groupId, AWS } = simulator.seed();
 * const client = createClient<Record<string, never>>({
 *   baseUrl: `http://127.0.0.1${simulator.basePath}`,
 *   fetch: simulator.fetch,
 * });
 * client.use(serviceAccountAuth(DEFAULT_SIMULATOR_SERVICE_ACCOUNT));
 *
 * const path = `/groups/${groupId}/privateEndpoint/AWS/endpointService/${AWS}/endpoint/vpce-0123456789abcdef0`;
 * const first = await client.request("get", path as never);
 * const second = await client.request("get", path as never);
 * assert.equal(first.response.status, 404); // authenticated; the endpoint does not exist
 * assert.equal(second.response.status, 404);
 * assert.equal(simulator.stats.tokensIssued, 1); // one token for both calls
 * ```
 */
export function serviceAccountAuth(options: ServiceAccountAuthOptions): ServiceAccountMiddleware {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Cannot create service account authentication: options must be an object");
  }
  for (const name of ["clientId", "clientSecret"] as const) {
    const value: unknown = options[name];
    if (typeof value !== "string" || value === "" || /[\r\n]/.test(value)) {
      throw new TypeError(
        `Cannot create service account authentication: ${name} must be a non-empty single-line string`,
      );
    }
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new TypeError("Cannot create service account authentication: fetch must be a function");
  }
  if (options.now !== undefined && typeof options.now !== "function") {
    throw new TypeError("Cannot create service account authentication: now must be a function");
  }
  checkPositive("refreshBeforeExpiryMs", options.refreshBeforeExpiryMs, true);
  checkPositive("tokenTimeoutMs", options.tokenTimeoutMs);
  const allowInsecureHttp = options.allowInsecureHttp === true;
  let fixedUrl: string | undefined;
  if (options.tokenUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.tokenUrl);
    } catch {
      throw new TypeError(
        "Cannot create service account authentication: tokenUrl must be an absolute URL",
      );
    }
    checkTokenUrl(url, allowInsecureHttp);
    fixedUrl = url.href;
  }
  const { clientId, clientSecret } = options;
  const customFetch = options.fetch;
  const now = options.now ?? Date.now;
  const refreshBeforeExpiryMs = options.refreshBeforeExpiryMs ?? 60_000;
  const timeoutMs = options.tokenTimeoutMs ?? 30_000;
  const userAgent = options.userAgent;

  // One token URL and one cache. Without a tokenUrl, the first request's origin fixes the token
  // URL; requests to any other origin are refused before anything is sent, so neither the secret
  // nor a token ever reaches a second origin.
  let tokenUrl = fixedUrl;
  let pinnedOrigin: string | undefined;
  let cache: TokenCache | undefined;
  const cacheFor = (
    requestUrl: string,
    clientFetch: (request: Request) => Promise<Response>,
  ): TokenCache => {
    if (fixedUrl === undefined) {
      const origin = new URL(requestUrl).origin;
      if (pinnedOrigin === undefined) {
        const url = new URL(TOKEN_PATH, requestUrl);
        checkTokenUrl(url, allowInsecureHttp);
        pinnedOrigin = origin;
        tokenUrl = url.href;
      } else if (origin !== pinnedOrigin) {
        throw new TypeError(
          `Cannot authenticate request: its origin ${origin} is not ${pinnedOrigin}, the origin ` +
            "the token URL was derived from (set tokenUrl to use several origins)",
        );
      }
    }
    if (cache === undefined) {
      const send = customFetch ?? clientFetch;
      const url = tokenUrl!;
      cache = createTokenCache({
        // Called unbound: Workers reject a fetch whose `this` is not the global object.
        issue: (signal) =>
          requestToken({
            signal,
            tokenUrl: url,
            clientId,
            clientSecret,
            fetch: (request) => send(request),
            timeoutMs,
            userAgent,
          }),
        now,
        refreshBeforeExpiryMs,
      });
    }
    return cache;
  };

  const attempts = new WeakMap<object, Attempt>();
  const take = (request: Request, key: object): Attempt | undefined => {
    const attempt = attempts.get(request) ?? attempts.get(key);
    attempts.delete(request);
    attempts.delete(key);
    return attempt;
  };

  return {
    async onRequest({ request, options: callOptions }): Promise<Request> {
      const cache = cacheFor(request.url, callOptions.fetch);
      const token = await cache.get(request.signal);
      const body = request.body === null ? null : await request.clone().arrayBuffer();
      request.headers.set("Authorization", `Bearer ${token}`);
      const attempt: Attempt = { token, body };
      attempts.set(request, attempt);
      attempts.set(callOptions, attempt);
      return request;
    },
    async onResponse({ request, response, options: callOptions }): Promise<Response | undefined> {
      const attempt = take(request, callOptions);
      if (attempt === undefined || response.status !== 401) return undefined;
      const cache = cacheFor(request.url, callOptions.fetch);
      const invalidToken = /\binvalid_token\b/i.test(
        response.headers.get("www-authenticate") ?? "",
      );
      const age = cache.ageOf(attempt.token);
      // A token received moments ago is not stale: the 401 is about the account's access (e.g. no
      // access to the project), and a new token would only hammer the token endpoint.
      if (!invalidToken && age !== undefined && age < FRESH_TOKEN_MS) return undefined;
      await response.body?.cancel();
      cache.invalidate(attempt.token);
      const token = await cache.get(request.signal);
      const headers = new Headers(request.headers);
      headers.set("Authorization", `Bearer ${token}`);
      const retry = new Request(request.url, {
        method: request.method,
        headers,
        body: attempt.body,
        signal: request.signal,
        redirect: request.redirect,
      });
      const send = callOptions.fetch;
      return await send(retry);
    },
    onError({ request, options: callOptions }): undefined {
      take(request, callOptions);
      return undefined;
    },
  };
}
