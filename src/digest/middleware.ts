/**
 * HTTP Digest authentication (RFC 7616) as an openapi-fetch middleware.
 *
 * @module
 */
import type { Middleware } from "openapi-fetch";
import { createDigestMiddleware } from "./_middleware.ts";
import type { DigestAuthOptions } from "./options.ts";

/**
 * openapi-fetch's `Middleware` type, as {@linkcode digestAuth} returns it: an object with
 * `onRequest`, `onResponse` and `onError` hooks for `client.use()`.
 *
 * (Tagged internal only so that `deno doc --lint` does not descend into openapi-fetch's own,
 * partly undocumented declarations; it is public and stable.)
 *
 * @example Install it last on an openapi-fetch client
 * ```ts
 * import createClient from "openapi-fetch";
 * import { digestAuth, type DigestMiddleware } from "@atlas-edge/private-endpoint";
 * import { createDigestTestServer } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const server = createDigestTestServer({ realm: "api", credentials: { alice: "secret" } });
 * const middleware: DigestMiddleware = digestAuth({ username: "alice", password: "secret" });
 * // deno-lint-ignore no-explicit-any
 * const client = createClient<any>({ baseUrl: "http://127.0.0.1", fetch: server.fetch });
 * client.use(middleware);
 * const { response } = await client.GET("/things", {});
 * assert.equal(response.status, 200);
 * assert.equal(server.requests, 2); // the challenge, then the authenticated request
 * ```
 *
 * @internal
 */
export type DigestMiddleware = Middleware;

/**
 * An openapi-fetch middleware that authenticates every request with HTTP Digest (RFC 7616):
 * MD5, SHA-256 and (with the `sha512_256` option) SHA-512-256, their `-sess` variants, qop `auth`,
 * `auth-int` or none, and `userhash`.
 *
 * Once an origin has sent a challenge, requests carry Authorization up front with the next nonce
 * count, so N sequential calls cost N+1 round trips and M concurrent cold calls M+1 (one takes the
 * challenge, the others wait for it). A 401 is retried once with its new challenge, once more when
 * it says `stale=true`, and once on a lane of its own when a server that checks `nc` strictly in
 * order rejected it (such an origin then gets a pool of lanes, one request each at a time: the
 * burst that shows it costs at most two round trips per request, every later request one). Wrong
 * credentials cost two requests and come back as openapi-fetch's `error`/`response` with status 401.
 * The body is re-sent byte for byte. Credentials go only to the origin that challenged them:
 * redirects are followed by the middleware, without Authorization to any other origin.
 *
 * To follow redirects itself, the middleware sends a copy of each request made not to follow
 * them. A client made with `createClient({ ..., redirect: "manual" })` (or `"error"`) skips that
 * copy: its requests go out as they are, and redirects are then the caller's (a 3xx comes back
 * as the response, and nothing is sent to its `Location`).
 *
 * Register it **last** (`client.use(other, digestAuth(...))`): it must see the final request, and
 * it re-sends through `options.fetch`, which bypasses the other middleware.
 *
 * @param options Credentials and settings, checked now.
 * @returns The middleware, for `client.use()`.
 * @throws {TypeError} when the username or password is empty or an option is invalid.
 * @throws {DigestAuthError} (from a call) when the server offers no usable Digest challenge.
 *
 * @example Use it with openapi-fetch (here against the in-process Digest test server)
 * ```ts
 * import createClient from "openapi-fetch";
 * import { digestAuth } from "@atlas-edge/private-endpoint";
 * import { createDigestTestServer } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * interface paths {
 *   "/hello": { get: { responses: { 200: { content: { "application/json": { username: string } } } } } };
 * }
 * const server = createDigestTestServer({ realm: "example", credentials: { alice: "s3cret" } });
 * const client = createClient<paths>({ baseUrl: "http://127.0.0.1", fetch: server.fetch });
 * client.use(digestAuth({ username: "alice", password: "s3cret" }));
 *
 * const first = await client.GET("/hello");
 * assert.equal(first.data?.username, "alice");
 * const second = await client.GET("/hello");
 * assert.equal(second.response.status, 200);
 * assert.equal(server.requests, 3); // one challenge, then one round trip per call
 * ```
 */
export function digestAuth(options: DigestAuthOptions): DigestMiddleware {
  return createDigestMiddleware(options, false);
}
