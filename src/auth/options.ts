/**
 * Options of the service account (OAuth 2.0 client credentials) authentication.
 *
 * @module
 */

/**
 * The token URL of MongoDB Atlas (cloud.mongodb.com). Clients made by `createAtlasClient` use
 * `/api/oauth/token` on the origin of their `baseUrl` instead, so a simulator or another Atlas
 * deployment gets its own.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_ATLAS_TOKEN_URL } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_ATLAS_TOKEN_URL, "https://cloud.mongodb.com/api/oauth/token");
 * ```
 */
export const DEFAULT_ATLAS_TOKEN_URL: string = "https://cloud.mongodb.com/api/oauth/token";

/**
 * Options of `serviceAccountAuth`, checked when the middleware is created.
 *
 * @example Options for a service account, with a test clock
 * ```ts
 * import type { ServiceAccountAuthOptions } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * let now = 0;
 * const options: ServiceAccountAuthOptions = {
 *   clientId: "mdb_sa_id_0123456789abcdef01234567",
 *   clientSecret: "mdb_sa_sk_not-a-real-secret",
 *   now: () => now,
 * };
 * assert.equal(options.now?.(), 0);
 * ```
 */
export interface ServiceAccountAuthOptions {
  /** The service account's client id (`mdb_sa_id_…`). */
  clientId: string;
  /** The service account's client secret (`mdb_sa_sk_…`). Never logged, never in errors. */
  clientSecret: string;
  /**
   * Where tokens come from. Default: `/api/oauth/token` on the origin of the first request
   * authenticated (for Atlas itself, {@linkcode DEFAULT_ATLAS_TOKEN_URL}); that origin is then
   * pinned, and a request to any other origin is refused with a TypeError before anything is sent
   * (the secret and the token never reach a second origin). Set it to use several origins. Must be https unless
   * its host is loopback or `allowInsecureHttp` is set: the secret travels in it.
   */
  tokenUrl?: string | undefined;
  /**
   * The fetch that token requests are sent with. Default: the openapi-fetch client's own fetch
   * (so a simulator passed as the client's `fetch` also issues the tokens).
   */
  fetch?: ((request: Request) => Response | Promise<Response>) | undefined;
  /** The clock, in milliseconds, that token lifetimes are measured on. Default `Date.now`. */
  now?: (() => number) | undefined;
  /**
   * How long before its expiry (`expires_in`) a token is replaced, in milliseconds. Default
   * 60_000, and never more than half the token's lifetime.
   */
  refreshBeforeExpiryMs?: number | undefined;
  /** Gives up on a token request after this many milliseconds. Default 30_000. */
  tokenTimeoutMs?: number | undefined;
  /** Allows a plain-http token URL on a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean | undefined;
  /** The `User-Agent` of token requests. Default: none set (the runtime's own). */
  userAgent?: string | undefined;
}
