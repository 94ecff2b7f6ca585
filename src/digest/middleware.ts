/**
 * HTTP Digest authentication (RFC 7616) as an openapi-fetch middleware.
 *
 * @module
 */
import type { Middleware } from "openapi-fetch";
import { Attempt, DigestEngine, type Outcome } from "./_engine.ts";
import type { Lease } from "./_session.ts";
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
  const engine = new DigestEngine(options);
  // Per-call state, keyed by openapi-fetch's per-call options object (the same object in every hook
  // of a call, even when a later middleware replaced the request). Weak, so nothing outlives the call.
  const attempts = new WeakMap<object, Attempt>();
  // If a later middleware short-circuits, neither onResponse nor onError runs: release the call's
  // hold on its nonce once its request is garbage. (Registering last avoids the case.)
  const leaked = new FinalizationRegistry<Lease>((lease) => lease.finish("failed", false));
  const take = (key: object): Attempt | undefined => {
    const attempt = attempts.get(key);
    if (attempt) {
      attempts.delete(key);
      leaked.unregister(attempt);
    }
    return attempt;
  };
  /** Keeps the call's state for its onResponse or onError; the request to send. */
  const started = (attempt: Attempt, key: object): Request | undefined => {
    if (attempt.passthrough) return undefined;
    attempts.set(key, attempt);
    // Only a hold that others wait on (the challenge, a lane, a check of the credentials).
    const lease = attempt.lease!;
    if (lease.pilot || lease.seat || !lease.session.verified) {
      leaked.register(attempt.request, lease, attempt);
    }
    return attempt.request;
  };
  const final = (outcome: Outcome, response: Response): Response | undefined =>
    outcome.response === response ? undefined : outcome.response;
  // The hooks return a promise only when the call has to wait (openapi-fetch awaits either).
  return {
    onRequest(
      { request, options: callOptions },
    ): Request | undefined | Promise<Request | undefined> {
      const attempt = engine.begin(request);
      return attempt instanceof Attempt
        ? started(attempt, callOptions)
        : attempt.then((attempt) => started(attempt, callOptions));
    },
    onResponse(
      { response, options: callOptions },
    ): Response | undefined | Promise<Response | undefined> {
      const attempt = take(callOptions);
      if (!attempt) return undefined;
      // Called unbound (a plain function value), as openapi-fetch calls it: Workers reject a fetch
      // whose `this` is not the global object ("Illegal invocation").
      const outcome = engine.complete(attempt, response, callOptions.fetch);
      return outcome instanceof Promise
        ? outcome.then((outcome) => final(outcome, response))
        : final(outcome, response);
    },
    onError({ options: callOptions }): undefined {
      const attempt = take(callOptions);
      if (attempt) engine.abandon(attempt);
      return undefined;
    },
  };
}
