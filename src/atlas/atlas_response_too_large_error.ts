/**
 * The error thrown when a response body is larger than the client reads, and that limit's
 * default.
 *
 * @module
 */

/**
 * The default `maxResponseBytes`: 8 MiB, far above any Atlas answer to these operations (a few
 * kilobytes).
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_MAX_RESPONSE_BYTES } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_MAX_RESPONSE_BYTES, 8 * 1024 * 1024);
 * ```
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 8 * 1024 * 1024;

/**
 * Options of {@linkcode AtlasResponseTooLargeError}.
 *
 * @example The limit and the request go into the message
 * ```ts
 * import {
 *   AtlasResponseTooLargeError,
 *   type AtlasResponseTooLargeErrorOptions,
 * } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const options: AtlasResponseTooLargeErrorOptions = {
 *   action: "Cannot get private endpoint",
 *   method: "GET",
 *   url: "https://cloud.mongodb.com/api/atlas/v1.0/groups/x",
 *   status: 200,
 *   limitBytes: 1024,
 * };
 * const error = new AtlasResponseTooLargeError(options);
 * assert.equal(
 *   error.message,
 *   "Cannot get private endpoint: the response body is larger than 1024 bytes (maxResponseBytes) (GET https://cloud.mongodb.com/api/atlas/v1.0/groups/x)",
 * );
 * ```
 */
export interface AtlasResponseTooLargeErrorOptions {
  /** What was attempted, in sentence case, e.g. `"Cannot get private endpoint"`. */
  action: string;
  /** The request's HTTP method. */
  method: string;
  /** The request's URL (it never carries credentials). */
  url: string;
  /** The HTTP status of the response whose body was too large. */
  status: number;
  /** The limit that was passed, in bytes. */
  limitBytes: number;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Thrown when a response body is larger than `maxResponseBytes` (a client option and a per-call
 * option; default {@linkcode DEFAULT_MAX_RESPONSE_BYTES}). The download stops at the limit (or
 * before, when `Content-Length` announces more) and the connection is released: nothing beyond
 * the limit is read or held. It is not retried, since the same server would likely answer the
 * same way. For a create, the request was sent and may have been carried out.
 *
 * @example Usage
 * ```ts
 * import {
 *   AtlasResponseTooLargeError,
 *   createAtlasClient,
 *   getPrivateEndpoint,
 * } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "not-a-real-key",
 *   maxResponseBytes: 1024,
 *   fetch: () => Response.json({ padding: "x".repeat(4096) }),
 * });
 * const ref = {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "AWS",
 *   endpointId: "vpce-0123456789abcdef0",
 * } as const;
 * const error = await getPrivateEndpoint(atlas, ref).catch((e) => e);
 * assert.ok(error instanceof AtlasResponseTooLargeError);
 * assert.equal(error.limitBytes, 1024);
 * assert.equal(error.status, 200);
 * ```
 */
export class AtlasResponseTooLargeError extends Error {
  /** Always `"AtlasResponseTooLargeError"`, also across realms. */
  override readonly name: "AtlasResponseTooLargeError" = "AtlasResponseTooLargeError" as const;
  /** The request's HTTP method. */
  readonly method: string;
  /** The request's URL. */
  readonly url: string;
  /** The HTTP status of the response whose body was too large. */
  readonly status: number;
  /** The limit that was passed, in bytes. */
  readonly limitBytes: number;

  /**
   * Creates an AtlasResponseTooLargeError; the message names the action, the limit and the
   * request.
   *
   * @param options The request, the response's status and the limit.
   */
  constructor(options: AtlasResponseTooLargeErrorOptions) {
    super(
      `${options.action}: the response body is larger than ${options.limitBytes} bytes ` +
        `(maxResponseBytes) (${options.method} ${options.url})`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.method = options.method;
    this.url = options.url;
    this.status = options.status;
    this.limitBytes = options.limitBytes;
  }
}
