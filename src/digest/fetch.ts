/**
 * HTTP Digest authentication (RFC 7616) as a plain `fetch` wrapper.
 *
 * @module
 */
import { DigestEngine } from "./_engine.ts";
import { DigestAuthError } from "./digest_auth_error.ts";
import type { DigestAuthOptions } from "./options.ts";

/**
 * Options of {@linkcode createDigestFetch}: the credentials and, optionally, the fetch to wrap.
 *
 * @example Wrap a custom fetch
 * ```ts
 * import { createDigestFetch, type DigestFetchOptions } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const options: DigestFetchOptions = {
 *   username: "public-key",
 *   password: "private-key",
 *   fetch: (request) => Promise.resolve(new Response(`saw ${new URL(request.url).pathname}`)),
 * };
 * const digestFetch = createDigestFetch(options);
 * // A server that does not ask for credentials gets none.
 * assert.equal(await (await digestFetch("https://example.com/open")).text(), "saw /open");
 * ```
 */
export interface DigestFetchOptions extends DigestAuthOptions {
  /** The fetch to send requests with; it is always given a `Request`. Default `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * Wraps `fetch` with HTTP Digest authentication (RFC 7616): the same engine as
 * {@linkcode digestAuth}, for code that does not use openapi-fetch.
 *
 * Nonces are reused per origin (N sequential calls cost N+1 round trips, M concurrent cold calls
 * M+1), a 401 is retried once with its new challenge (once more on `stale=true`, once on a lane of
 * its own after an nc rejection), the body is re-sent byte for byte, and redirects are followed
 * by the wrapper, with Authorization only towards the origin that challenged it.
 *
 * @param options Credentials and settings, checked now, plus the `fetch` to wrap.
 * @returns A function with fetch's signature.
 * @throws {TypeError} when the username or password is empty or an option is invalid.
 * @throws {DigestAuthError} (from a call) `CREDENTIALS_REJECTED` when the server still answers 401
 * after the authenticated retry (two requests in all), `NO_DIGEST_CHALLENGE`,
 * `UNSUPPORTED_CHALLENGE` or `MALFORMED_CHALLENGE` when it offers no usable challenge.
 *
 * @example Wrap a fetch (here the in-process Digest test server's handler)
 * ```ts
 * import { createDigestFetch, DigestAuthError } from "@atlas-edge/private-endpoint";
 * import { createDigestTestServer } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const server = createDigestTestServer({
 *   realm: "example",
 *   credentials: { alice: "s3cret" },
 *   algorithms: ["SHA-256"],
 * });
 * const digestFetch = createDigestFetch({ username: "alice", password: "s3cret", fetch: server.fetch });
 * const response = await digestFetch("http://127.0.0.1/things?page=2", { method: "POST", body: "hi" });
 * assert.deepEqual(await response.json(), {
 *   method: "POST",
 *   uri: "/things?page=2",
 *   body: "hi",
 *   username: "alice",
 * });
 *
 * const wrong = createDigestFetch({ username: "alice", password: "nope", fetch: server.fetch });
 * await assert.rejects(wrong("http://127.0.0.1/things"), (error: unknown) =>
 *   error instanceof DigestAuthError && error.code === "CREDENTIALS_REJECTED");
 * ```
 */
export function createDigestFetch(options: DigestFetchOptions): typeof fetch {
  const engine = new DigestEngine(options);
  const custom = options.fetch;
  if (custom !== undefined && typeof custom !== "function") {
    throw new TypeError("Cannot set up Digest authentication: fetch must be a function");
  }
  const send = (request: Request): Promise<Response> =>
    custom ? custom(request) : globalThis.fetch(request);
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // Redirects are followed by the engine: the request is made not to follow them, so that it can
    // go out as it is; a string or bytes body is kept for any later send (a string is encoded
    // only when its bytes are needed).
    const follow = (init?.redirect ?? (input instanceof Request ? input.redirect : "follow")) ===
      "follow";
    const request = new Request(input, follow ? { ...init, redirect: "manual" } : init);
    const body = init?.body;
    const known = typeof body === "string"
      ? body
      : body instanceof Uint8Array || body instanceof ArrayBuffer
      ? new Uint8Array(body.slice(0))
      : undefined;
    const outcome = await engine.run(request, send, 0, {
      follow,
      body: known,
      unsignalled: init?.signal == null && !(input instanceof Request),
    });
    if (!outcome.rejected) return outcome.response;
    await outcome.response.body?.cancel();
    throw new DigestAuthError(
      `Cannot authenticate ${request.method} ${request.url}: the server rejected the credentials`,
      {
        code: "CREDENTIALS_REJECTED",
        method: request.method,
        url: request.url,
        status: outcome.response.status,
      },
    );
  };
}
