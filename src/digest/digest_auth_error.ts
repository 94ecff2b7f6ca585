/**
 * The error thrown when HTTP Digest authentication cannot be completed.
 *
 * @module
 */

import { cut } from "./_text.ts";

/** The longest message a DigestAuthError carries; a longer one is cut short. */
const MAX_MESSAGE_LENGTH = 1000;

/**
 * Why Digest authentication failed.
 *
 * @example A wrong password gives `CREDENTIALS_REJECTED`
 * ```ts
 * import { createDigestFetch, type DigestAuthErrorCode } from "@atlas-edge/private-endpoint";
 * import { createDigestTestServer } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const server = createDigestTestServer({ realm: "api", credentials: { alice: "right" } });
 * const digestFetch = createDigestFetch({ username: "alice", password: "wrong", fetch: server.fetch });
 * const code: DigestAuthErrorCode = await digestFetch("http://127.0.0.1/x").then(
 *   () => assert.fail("a wrong password must not get through"),
 *   (error) => error.code,
 * );
 * assert.equal(code, "CREDENTIALS_REJECTED");
 * assert.equal(server.requests, 2);
 * ```
 */
export type DigestAuthErrorCode =
  /** The `WWW-Authenticate` header could not be parsed. */
  | "MALFORMED_CHALLENGE"
  /** The server answered 401 without any Digest challenge (for example only Basic, or none). */
  | "NO_DIGEST_CHALLENGE"
  /** Every Digest challenge asked for an algorithm or qop this client does not support. */
  | "UNSUPPORTED_CHALLENGE"
  /** The server still answered 401 after an authenticated retry: the credentials are wrong. */
  | "CREDENTIALS_REJECTED"
  /**
   * A redirect the client does not follow: to a URL that is not http or https (`file:`, `data:`,
   * ...), from https down to http, or to a Location that is not a URL.
   */
  | "REDIRECT_REFUSED";

/**
 * Options of {@linkcode DigestAuthError}.
 *
 * @example Name the request in the error, never its credentials
 * ```ts
 * import { DigestAuthError, type DigestAuthErrorOptions } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const options: DigestAuthErrorOptions = {
 *   code: "UNSUPPORTED_CHALLENGE",
 *   method: "POST",
 *   url: "https://api.example.com/things",
 *   status: 401,
 * };
 * const error = new DigestAuthError("Cannot authenticate POST https://api.example.com/things: unsupported algorithm", options);
 * assert.equal(error.method, "POST");
 * assert.equal(error.status, 401);
 * ```
 */
export interface DigestAuthErrorOptions {
  /** Why authentication failed. */
  code: DigestAuthErrorCode;
  /** The HTTP method of the request that failed, if known. */
  method?: string;
  /** The URL of the request that failed, if known (never carries credentials). */
  url?: string;
  /** The HTTP status of the last response, if any. */
  status?: number;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Thrown when HTTP Digest authentication cannot be completed: no Digest challenge offered, an
 * unsupported algorithm or qop, a malformed challenge, credentials the server rejects, or a
 * redirect the client will not follow.
 *
 * The message names the action and the URL; it never contains the password or the
 * `Authorization` header, and is at most 1000 characters (what the
 * server sent is quoted shorter still).
 *
 * @example Usage
 * ```ts
 * import { DigestAuthError } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const error = new DigestAuthError("Cannot authenticate GET https://example.com/: no Digest challenge offered", {
 *   code: "NO_DIGEST_CHALLENGE",
 *   method: "GET",
 *   url: "https://example.com/",
 *   status: 401,
 * });
 * assert.equal(error.name, "DigestAuthError");
 * assert.equal(error.code, "NO_DIGEST_CHALLENGE");
 * ```
 */
export class DigestAuthError extends Error {
  /** Always `"DigestAuthError"`, also across realms. */
  override readonly name: "DigestAuthError" = "DigestAuthError" as const;
  /** Why authentication failed. */
  declare readonly code: DigestAuthErrorCode;
  /** The HTTP method of the request that failed, if known. */
  declare readonly method: string | undefined;
  /** The URL of the request that failed, if known. */
  declare readonly url: string | undefined;
  /** The HTTP status of the last response, if any. */
  declare readonly status: number | undefined;

  /**
   * Creates a DigestAuthError.
   *
   * @param message A sentence-case message that names the action and the URL; cut to 1000
   * characters.
   * @param options The code and the request it concerns.
   */
  constructor(message: string, options: DigestAuthErrorOptions) {
    super(
      cut(message, MAX_MESSAGE_LENGTH),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = options.code;
    this.method = options.method;
    this.url = options.url;
    this.status = options.status;
  }
}
