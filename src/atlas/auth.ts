/**
 * How an Atlas client authenticates: the value that {@linkcode apiKey} and
 * {@linkcode serviceAccount} build, for `createAtlasClient({ auth })` and `atlasClient({ auth })`.
 *
 * @module
 */
import type { Middleware } from "openapi-fetch";

/**
 * openapi-fetch's `Middleware` type, as an {@linkcode AtlasAuth} creates it.
 *
 * (Tagged internal only so that `deno doc --lint` does not descend into openapi-fetch's own,
 * partly undocumented declarations; it is public and stable.)
 *
 * @internal
 *
 * @example An API key's middleware, on a hand-built openapi-fetch client
 * ```ts
 * import createClient from "openapi-fetch";
 * import { apiKey, type AtlasAuthMiddleware } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const middleware: AtlasAuthMiddleware = apiKey("abcdefgh", "not-a-real-key").createMiddleware({
 *   baseUrl: "https://cloud.mongodb.com/api/atlas/v2",
 *   allowInsecureHttp: false,
 *   userAgent: "my-tool/1.0",
 * });
 * const client = createClient<Record<string, never>>({ baseUrl: "https://cloud.mongodb.com" });
 * client.use(middleware);
 * assert.equal(typeof middleware.onRequest, "function");
 * ```
 */
export type AtlasAuthMiddleware = Middleware;

/**
 * What an {@linkcode AtlasAuth} learns about the client it authenticates.
 *
 * @example Create the middleware for a client by hand
 * ```ts
 * import { type AtlasAuthContext, serviceAccount } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const context: AtlasAuthContext = {
 *   baseUrl: "https://cloud.mongodb.com/api/atlas/v2",
 *   allowInsecureHttp: false,
 *   userAgent: "my-tool/1.0",
 * };
 * const auth = serviceAccount({ clientId: "mdb_sa_id_0123", clientSecret: "not-a-real-secret" });
 * assert.equal(typeof auth.createMiddleware(context).onRequest, "function");
 * ```
 */
export interface AtlasAuthContext {
  /** The client's base URL, already checked. */
  readonly baseUrl: string;
  /** Whether plain http is allowed off loopback. */
  readonly allowInsecureHttp: boolean;
  /** The client's `User-Agent`. */
  readonly userAgent: string;
}

/**
 * How a client authenticates: an API key (HTTP Digest) from {@linkcode apiKey}, or a service
 * account (OAuth 2.0) from {@linkcode serviceAccount}. Passing one as `auth` bundles only the
 * code of that kind of authentication (e.g. in a Cloudflare Worker, with {@linkcode atlasClient}).
 * The credentials live in closures: nothing to inspect, log or serialize.
 *
 * @example Choose the authentication from the environment
 * ```ts
 * import { apiKey, type AtlasAuth, serviceAccount } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const env: Record<string, string> = { ATLAS_CLIENT_ID: "mdb_sa_id_0123", ATLAS_CLIENT_SECRET: "s3cret" };
 * const auth: AtlasAuth = env.ATLAS_CLIENT_ID
 *   ? serviceAccount({ clientId: env.ATLAS_CLIENT_ID, clientSecret: env.ATLAS_CLIENT_SECRET! })
 *   : apiKey(env.ATLAS_PUBLIC_KEY!, env.ATLAS_PRIVATE_KEY!);
 * assert.equal(auth.kind, "serviceAccount");
 * assert.equal(JSON.stringify(auth).includes("s3cret"), false);
 * ```
 */
export interface AtlasAuth {
  /** `"apiKey"` (HTTP Digest) or `"serviceAccount"` (OAuth 2.0 client credentials). */
  readonly kind: "apiKey" | "serviceAccount";
  /**
   * Creates the openapi-fetch middleware that authenticates one client's requests (the clients
   * of this package call it once, and register it last).
   *
   * @throws {AtlasValidationError} When the credentials do not fit the client (e.g. a token URL
   * that is plain http off loopback).
   */
  createMiddleware(context: AtlasAuthContext): AtlasAuthMiddleware;
}
