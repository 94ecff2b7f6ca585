/**
 * The error thrown when a private endpoint ends up rejected or failed.
 *
 * @module
 */
import { cut } from "../digest/_text.ts";
import type { PrivateEndpoint } from "./types.ts";

/** Options of {@linkcode PrivateEndpointFailedError}. */
export interface PrivateEndpointFailedErrorOptions {
  /** What was attempted, e.g. `"Cannot wait for private endpoint"`. */
  action: string;
  /** The endpoint as Atlas last reported it. */
  endpoint: PrivateEndpoint;
  /** The status it reported, e.g. `REJECTED` or `FAILED`. */
  status: string;
  /** The id of the endpoint, for the message. */
  endpointId: string;
  /** What to do about it, appended to the message. */
  hint?: string | undefined;
}

/**
 * Thrown by {@linkcode waitForPrivateEndpoint} when the endpoint reaches `REJECTED` or `FAILED`,
 * reports an `errorMessage` at a terminal status, or is being deleted. Atlas accepts a create
 * request before the cloud provider has checked it, so this is where most real failures surface
 * (for example an AWS endpoint id that does not exist). The usual remedy is to delete the
 * endpoint and create it again.
 *
 * @example Usage
 * ```ts
 * import { PrivateEndpointFailedError } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const error = new PrivateEndpointFailedError({
 *   action: "Cannot wait for private endpoint",
 *   endpointId: "vpce-0123456789abcdef0",
 *   status: "REJECTED",
 *   endpoint: {
 *     cloudProvider: "AWS",
 *     connectionStatus: "REJECTED",
 *     errorMessage: "Interface endpoint vpce-0123456789abcdef0 was not found.",
 *   },
 * });
 * assert.equal(error.name, "PrivateEndpointFailedError");
 * assert.equal(
 *   error.message,
 *   "Cannot wait for private endpoint: vpce-0123456789abcdef0 is REJECTED: Interface endpoint vpce-0123456789abcdef0 was not found.",
 * );
 * ```
 */
export class PrivateEndpointFailedError extends Error {
  /** Always `"PrivateEndpointFailedError"`, also across realms. */
  override readonly name: "PrivateEndpointFailedError" = "PrivateEndpointFailedError" as const;
  /** The status Atlas reported, e.g. `REJECTED`. */
  readonly status: string;
  /** Atlas's explanation, if it gave one. */
  readonly errorMessage: string | undefined;
  /** The endpoint as Atlas last reported it. */
  readonly endpoint: PrivateEndpoint;

  /**
   * Creates a PrivateEndpointFailedError; the message names the endpoint, status and reason.
   *
   * @param options The endpoint and its status.
   */
  constructor(options: PrivateEndpointFailedErrorOptions) {
    const errorMessage = options.endpoint.errorMessage ?? undefined;
    // What Atlas sent is cut short in the message (the fields keep it whole).
    super(
      `${options.action}: ${options.endpointId} is ${cut(options.status, 100)}` +
        (errorMessage ? `: ${cut(errorMessage, 500)}` : "") +
        (options.hint ? ` (${options.hint})` : ""),
    );
    this.status = options.status;
    this.errorMessage = errorMessage;
    this.endpoint = options.endpoint;
  }
}
