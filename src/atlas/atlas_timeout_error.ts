/**
 * The error thrown when a request or a wait takes longer than allowed.
 *
 * @module
 */

/** Options of {@linkcode AtlasTimeoutError}. */
export interface AtlasTimeoutErrorOptions {
  /** What was attempted, e.g. `"Cannot wait for private endpoint"`. */
  action: string;
  /** How long it ran before giving up, in milliseconds. */
  elapsedMs: number;
  /** The last status seen while waiting, if any. */
  lastStatus?: string | undefined;
  /** The HTTP method of the request in flight, if any. */
  method?: string | undefined;
  /** The URL of the request in flight, if any. */
  url?: string | undefined;
}

/**
 * Thrown when `timeoutMs` runs out: for one request, or for {@linkcode waitForPrivateEndpoint} as
 * a whole. A request in flight is aborted.
 *
 * @example Usage
 * ```ts
 * import { AtlasTimeoutError } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const error = new AtlasTimeoutError({
 *   action: "Cannot wait for private endpoint",
 *   elapsedMs: 600000,
 *   lastStatus: "PENDING",
 * });
 * assert.equal(error.name, "AtlasTimeoutError");
 * assert.equal(
 *   error.message,
 *   "Cannot wait for private endpoint: timed out after 600000 ms (last status PENDING)",
 * );
 * ```
 */
export class AtlasTimeoutError extends Error {
  /** Always `"AtlasTimeoutError"`, also across realms. */
  override readonly name: "AtlasTimeoutError" = "AtlasTimeoutError" as const;
  /** How long it ran before giving up, in milliseconds. */
  readonly elapsedMs: number;
  /** The last status seen while waiting, if any. */
  readonly lastStatus: string | undefined;
  /** The HTTP method of the request in flight, if any. */
  readonly method: string | undefined;
  /** The URL of the request in flight, if any. */
  readonly url: string | undefined;

  /**
   * Creates an AtlasTimeoutError; the message names the action, the time and the last status.
   *
   * @param options What timed out, and after how long.
   */
  constructor(options: AtlasTimeoutErrorOptions) {
    const status = options.lastStatus === undefined ? "" : ` (last status ${options.lastStatus})`;
    const request = options.url === undefined ? "" : ` (${options.method ?? "GET"} ${options.url})`;
    super(
      `${options.action}: timed out after ${Math.round(options.elapsedMs)} ms${status}${request}`,
    );
    this.elapsedMs = options.elapsedMs;
    this.lastStatus = options.lastStatus;
    this.method = options.method;
    this.url = options.url;
  }
}
