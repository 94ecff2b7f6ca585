/**
 * Read the status and the id of a private endpoint, whatever its provider.
 *
 * @module
 */
import { AtlasValidationError } from "./atlas_validation_error.ts";
import type { PrivateEndpoint } from "./types.ts";
import { fieldOf, providerOf } from "./_providers.ts";

/**
 * The status of an endpoint: `connectionStatus` for AWS, `status` for Azure and Google Cloud, or
 * `"UNKNOWN"` when Atlas reported none.
 *
 * @param endpoint An endpoint as returned by this package.
 * @returns Its status, e.g. `"PENDING_ACCEPTANCE"` or `"AVAILABLE"`.
 *
 * @example Usage
 * ```ts
 * import { privateEndpointStatus } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(privateEndpointStatus({ cloudProvider: "AWS", connectionStatus: "PENDING" }), "PENDING");
 * assert.equal(privateEndpointStatus({ cloudProvider: "GCP", status: "VERIFIED" }), "VERIFIED");
 * assert.equal(privateEndpointStatus({ cloudProvider: "AZURE" }), "UNKNOWN");
 * ```
 */
export function privateEndpointStatus(endpoint: PrivateEndpoint): string {
  const status = fieldOf(endpoint, providerOf(endpoint.cloudProvider)?.status);
  return typeof status === "string" && status !== "" ? status : "UNKNOWN";
}

/**
 * The `endpointId` that reads or deletes an endpoint, from what Atlas reported: the `vpce-…` id
 * for AWS, the resource id (not encoded) for Azure, the endpoint group name for Google Cloud (on a
 * service with port mapping, the one forwarding rule's name, which Atlas reports there).
 *
 * @param endpoint An endpoint as returned by this package.
 * @returns Its id.
 * @throws {AtlasValidationError} When the endpoint lacks the field that holds its id.
 *
 * @example Usage
 * ```ts
 * import { privateEndpointId } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   privateEndpointId({ cloudProvider: "AWS", interfaceEndpointId: "vpce-0123456789abcdef0" }),
 *   "vpce-0123456789abcdef0",
 * );
 * assert.equal(privateEndpointId({ cloudProvider: "GCP", endpointGroupName: "atlas-group" }), "atlas-group");
 * ```
 */
export function privateEndpointId(endpoint: PrivateEndpoint): string {
  const idField = providerOf(endpoint.cloudProvider)?.id;
  const id = fieldOf(endpoint, idField);
  if (typeof id !== "string" || id === "") {
    const field = idField ?? "cloudProvider";
    const problem = idField ? "is missing" : "is not a known cloud provider";
    throw new AtlasValidationError(`Cannot identify private endpoint: ${field} ${problem}`, {
      field,
    });
  }
  return id;
}
