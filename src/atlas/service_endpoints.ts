/**
 * List the private endpoints of one endpoint service, with their statuses, in one call.
 *
 * @module
 */
import type { AtlasClient } from "./client.ts";
import { systemClock } from "./clock.ts";
import { checkRequestOptions } from "./_call.ts";
import { checkServiceRef } from "./_validate.ts";
import { fieldOf, PROVIDERS } from "./_providers.ts";
import { AtlasApiError } from "./atlas_api_error.ts";
import { AtlasTimeoutError } from "./atlas_timeout_error.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";
import { getPrivateEndpoint } from "./operations.ts";
import { getEndpointService } from "./services.ts";
import type { PrivateEndpoint, PrivateEndpointServiceRef, RequestOptions } from "./types.ts";

const ACTION = "Cannot list private endpoints";

/** Options of {@linkcode listPrivateEndpoints}. */
export interface ListPrivateEndpointsOptions extends RequestOptions {
  /**
   * How many endpoints are read at once (each read is one request; Atlas limits requests per
   * project).
   *
   * @default {4}
   */
  concurrency?: number | undefined;
}

/**
 * Lists the private endpoints of one endpoint service, each as Atlas reports it (status and, once
 * failed, `errorMessage`): reads the service, then each endpoint it lists, a few at a time. An
 * endpoint that is gone by the time it is read (404) is left out. `timeoutMs` and `signal` bound
 * the whole call.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param ref The project, the provider and the service id.
 * @param options An abort signal, a timeout for the whole call, retry settings, `concurrency`.
 * @returns The endpoints, in the order the service lists them, each with `cloudProvider` set
 * ({@linkcode privateEndpointStatus} gives the status, {@linkcode privateEndpointId} the id).
 * @throws {AtlasValidationError} When the reference or an option is invalid; nothing was sent.
 * @throws {AtlasApiError} When Atlas answers with an error status (404: no such service), after
 * retries.
 * @throws {AtlasNetworkError} When no usable answer came, after retries.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out.
 *
 * @example The endpoints of an AWS service and their statuses
 * ```ts
 * import {
 *   createAtlasClient,
 *   createPrivateEndpoint,
 *   listPrivateEndpoints,
 *   privateEndpointId,
 *   privateEndpointStatus,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
 * await createPrivateEndpoint(atlas, { ...service, id: "vpce-0123456789abcdef0" });
 * await createPrivateEndpoint(atlas, { ...service, id: "vpce-0123456789abcdef1" });
 *
 * const endpoints = await listPrivateEndpoints(atlas, service);
 * assert.deepEqual(
 *   endpoints.map((e) => [privateEndpointId(e), privateEndpointStatus(e)]),
 *   [["vpce-0123456789abcdef0", "AVAILABLE"], ["vpce-0123456789abcdef1", "AVAILABLE"]],
 * );
 * ```
 */
export async function listPrivateEndpoints(
  client: AtlasClient,
  ref: PrivateEndpointServiceRef,
  options: ListPrivateEndpointsOptions = {},
): Promise<PrivateEndpoint[]> {
  checkServiceRef(ACTION, ref);
  checkRequestOptions(ACTION, options);
  const { concurrency = 4, ...request } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new AtlasValidationError(`${ACTION}: concurrency must be a whole number from 1 to 64`, {
      field: "concurrency",
    });
  }
  options.signal?.throwIfAborted();
  const clock = options.retry ? options.retry.clock ?? systemClock : systemClock;
  const started = clock.now();
  const left = (): number | undefined => {
    if (options.timeoutMs === undefined) return undefined;
    const ms = started + options.timeoutMs - clock.now();
    if (ms <= 0) throw new AtlasTimeoutError({ action: ACTION, elapsedMs: clock.now() - started });
    return ms;
  };
  const step = (): RequestOptions => ({ ...request, timeoutMs: left() });

  const service = await getEndpointService(client, ref, step());
  const listed = fieldOf(service, PROVIDERS[ref.cloudProvider].service.endpoints);
  const ids = Array.isArray(listed) ? listed.filter((id) => typeof id === "string") : [];
  const found: (PrivateEndpoint | undefined)[] = new Array(ids.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < ids.length) {
      const i = next++;
      try {
        found[i] = await getPrivateEndpoint(client, { ...ref, endpointId: ids[i]! }, step());
      } catch (error) {
        if (error instanceof AtlasApiError && error.status === 404) continue;
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return found.filter((endpoint) => endpoint !== undefined);
}
