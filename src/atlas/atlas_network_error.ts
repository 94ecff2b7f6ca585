/**
 * The error thrown when a request to Atlas gets no usable answer: the connection was refused or
 * reset, the response was cut off or was not JSON, or no response came within the attempt's time
 * limit.
 *
 * @module
 */

/** Options of {@linkcode AtlasNetworkError}. */
export interface AtlasNetworkErrorOptions {
  /** What was attempted, in sentence case, e.g. `"Cannot create private endpoint"`. */
  action: string;
  /** The request's HTTP method. */
  method: string;
  /** The request's URL (it never carries credentials). */
  url: string;
  /** What went wrong, when more is known than "network error", e.g. `"no response within 60000 ms"`. */
  reason?: string | undefined;
  /** The underlying error (for example fetch's `TypeError`). */
  cause?: unknown;
}

/**
 * Thrown when a request gets no usable answer: connection refused or reset, a body cut off or not
 * JSON, no response within `retry.attemptTimeoutMs`. For a read or a delete it is thrown once the
 * retries are used up. For a create the outcome is unknown, so the client first reads the endpoint
 * back and only throws when it cannot tell. The original error is kept as `cause`; neither the
 * message nor the cause carries the API keys.
 *
 * The message reads `Cannot create private endpoint: network error (POST https://…/endpoint)`.
 *
 * @example Usage
 * ```ts
 * import { AtlasNetworkError } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const cause = new TypeError("fetch failed");
 * const error = new AtlasNetworkError({
 *   action: "Cannot create private endpoint",
 *   method: "POST",
 *   url: "https://cloud.mongodb.com/api/atlas/v1.0/groups/x/endpoint",
 *   cause,
 * });
 * assert.equal(error.name, "AtlasNetworkError");
 * assert.equal(
 *   error.message,
 *   "Cannot create private endpoint: network error (POST https://cloud.mongodb.com/api/atlas/v1.0/groups/x/endpoint)",
 * );
 * assert.equal(error.cause, cause);
 * ```
 */
export class AtlasNetworkError extends Error {
  /** Always `"AtlasNetworkError"`, also across realms. */
  override readonly name: "AtlasNetworkError" = "AtlasNetworkError" as const;
  /** The request's HTTP method. */
  readonly method: string;
  /** The request's URL. */
  readonly url: string;
  /** What went wrong, when more is known than "network error". */
  readonly reason: string | undefined;
  /**
   * An errno-style code found in the cause chain (`ECONNREFUSED`, `ECONNRESET`, ...), when the
   * runtime reported one.
   */
  readonly code: string | undefined;

  /**
   * Creates an AtlasNetworkError; the message names the action, the reason and the request.
   *
   * @param options The request and the underlying error.
   */
  constructor(options: AtlasNetworkErrorOptions) {
    const reason = options.reason === undefined ? "" : `: ${options.reason}`;
    super(
      `${options.action}: network error${reason} (${options.method} ${options.url})`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.method = options.method;
    this.url = options.url;
    this.reason = options.reason;
    this.code = codeOf(options.cause);
  }
}

function codeOf(cause: unknown): string | undefined {
  for (let e = cause, depth = 0; typeof e === "object" && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
