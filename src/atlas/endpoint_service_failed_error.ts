/**
 * The error thrown when a private endpoint service failed, or is being removed, while waiting for
 * it.
 *
 * @module
 */
import { cut } from "../digest/_text.ts";
import type { EndpointService } from "./types.ts";

/** Options of {@linkcode EndpointServiceFailedError}. */
export interface EndpointServiceFailedErrorOptions {
  /** What was attempted, e.g. `"Cannot wait for private endpoint service"`. */
  action: string;
  /** The service as Atlas last reported it. */
  service: EndpointService;
  /** The status it reported, e.g. `FAILED`. */
  status: string;
  /** The id of the service, for the message. */
  endpointServiceId: string;
}

/**
 * Thrown by {@linkcode waitForEndpointService} (and {@linkcode ensureEndpointService}) when the
 * service is `FAILED`, reports an `errorMessage` once ready, or is `DELETING` (it will never
 * become ready). Atlas's `errorMessage` says why; the remedy is to delete the service and create
 * it again.
 *
 * @example Usage
 * ```ts
 * import { EndpointServiceFailedError } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const error = new EndpointServiceFailedError({
 *   action: "Cannot wait for private endpoint service",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   status: "FAILED",
 *   service: {
 *     cloudProvider: "AWS",
 *     id: "5f4fc14da2b47835a58c63a2",
 *     status: "FAILED",
 *     errorMessage: "The network load balancer could not be created.",
 *   },
 * });
 * assert.equal(error.name, "EndpointServiceFailedError");
 * assert.equal(error.errorMessage, "The network load balancer could not be created.");
 * assert.equal(
 *   error.message,
 *   "Cannot wait for private endpoint service: 5f4fc14da2b47835a58c63a2 is FAILED: The network load balancer could not be created.",
 * );
 * ```
 */
export class EndpointServiceFailedError extends Error {
  /** Always `"EndpointServiceFailedError"`, also across realms. */
  override readonly name: "EndpointServiceFailedError" = "EndpointServiceFailedError" as const;
  /** The status Atlas reported, e.g. `FAILED`. */
  readonly status: string;
  /** Atlas's explanation, if it gave one. */
  readonly errorMessage: string | undefined;
  /** The service as Atlas last reported it. */
  readonly service: EndpointService;

  /**
   * Creates an EndpointServiceFailedError; the message names the service, status and reason.
   *
   * @param options The service and its status.
   */
  constructor(options: EndpointServiceFailedErrorOptions) {
    const errorMessage = options.service.errorMessage ?? undefined;
    // What Atlas sent is cut short in the message (the fields keep it whole).
    super(
      `${options.action}: ${options.endpointServiceId} is ${cut(options.status, 100)}` +
        (errorMessage ? `: ${cut(errorMessage, 500)}` : ""),
    );
    this.status = options.status;
    this.errorMessage = errorMessage;
    this.service = options.service;
  }
}
