/**
 * Create, list, read and delete private endpoint services: what Atlas runs in one region of a
 * project for one cloud provider, and what private endpoints connect to. Atlas errors are thrown
 * as {@linkcode AtlasApiError}.
 *
 * @module
 */
import type { AtlasClient } from "./client.ts";
import type { AtlasSchema } from "./schema.ts";
import { SERVICE_PATH, SERVICES_PATH } from "./_paths.ts";
import {
  atlasCall,
  type CallContext,
  goneAfterUnknown,
  idempotentOf,
  isAmbiguous,
  SEND_AGAIN,
} from "./_call.ts";
import {
  isRegionTaken,
  listing,
  readingService,
  serviceInRegion,
  servicePath,
  toService,
  toServices,
} from "./_services.ts";
import {
  checkProjectRef,
  checkServiceBody,
  checkServiceRef,
  SERVICE_ACTIONS,
} from "./_validate.ts";
import { checkRegion } from "./_regions.ts";
import { fieldOf, PROVIDERS } from "./_providers.ts";
import type {
  CreateEndpointServiceInput,
  CreateOptions,
  EndpointService,
  EndpointServicesRef,
  EndpointServiceTarget,
  PrivateEndpointServiceRef,
  RequestOptions,
} from "./types.ts";

/**
 * Asks Atlas to build a private endpoint service for one cloud provider in one region of the
 * project. The input is checked before anything is sent.
 *
 * `region` is accepted as Atlas names it (`US_EAST_1`, `US_EAST_2`, `CENTRAL_US`) or as the cloud
 * does (`us-east-1`, `eastus2`, `us-central1`); Atlas's name is what is sent, because it is the
 * form known to work (the Terraform provider sends it; that Atlas takes the cloud's name is not
 * confirmed) and the one Atlas answers with in `regionName`. Azure and Google Cloud names that are
 * not word-for-word translations come from a table of Atlas's documented regions; for a region
 * missing from it, give Atlas's name.
 *
 * Atlas answers at once with the service `INITIATING`: follow with
 * {@linkcode waitForEndpointService}, or use {@linkcode ensureEndpointService}, which also reuses
 * the project's service in that region. A project has at most one service per provider and
 * region: a second create is answered with 409 `PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION`
 * (thrown as {@linkcode AtlasApiError}).
 *
 * Retried safely, as {@linkcode createPrivateEndpoint} is: 429 and 503 are sent again; after a
 * failure whose outcome is unknown (connection reset, no response in time, 500, 502, 504) the
 * provider's services are listed, and the one in the region is returned if there is one (also
 * when a later attempt meets the 409), else the POST is sent again. `idempotent: false` throws
 * every failure as is.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param input The project, the provider, the region, and the provider's options.
 * @param options An abort signal, a timeout, retry settings, `idempotent`.
 * @returns The service as Atlas returned it, with `cloudProvider` always set.
 * @throws {AtlasValidationError} When the input is invalid; nothing was sent.
 * @throws {AtlasApiError} When Atlas answers with an error status (409 when the region has a
 * service already), after retries.
 * @throws {AtlasNetworkError} When no usable answer came and listing could not tell whether the
 * service was created.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out.
 *
 * @example Create an AWS service, named as AWS names its region
 * ```ts
 * import { createAtlasClient, createEndpointService } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const groupId = simulator.addGroup();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 *
 * const service = await createEndpointService(atlas, {
 *   groupId,
 *   cloudProvider: "AWS",
 *   region: "us-east-1", // sent as US_EAST_1
 * });
 * assert.equal(service.cloudProvider, "AWS");
 * assert.equal(service.regionName, "US_EAST_1");
 * assert.match(service.id ?? "", /^[0-9a-f]{24}$/);
 * ```
 */
export async function createEndpointService(
  client: AtlasClient,
  input: CreateEndpointServiceInput,
  options?: CreateOptions,
): Promise<EndpointService> {
  const action = SERVICE_ACTIONS.create;
  checkProjectRef(action, input);
  const { groupId, cloudProvider, ...fields } = input;
  const body = checkServiceBody(action, cloudProvider, fields, checkRegion);
  const idempotent = idempotentOf(action, options);
  const ref: EndpointServicesRef = { groupId, cloudProvider };
  return await atlasCall(client, {
    action,
    request: {
      method: "POST",
      groupId,
      path: SERVICES_PATH,
      send: (api, init) =>
        api.POST(SERVICES_PATH, {
          params: { path: { groupId } },
          body: body as AtlasSchema<"CreateEndpointServiceRequest">,
          ...init,
        }),
    },
    done: ({ data }) => toService(cloudProvider, data),
    // The outcome is unknown (or a retry after one meets the region's 409): look before sending
    // again. The region's service is the one asked for; none there: the POST did not take effect.
    async recover(
      failure,
      call,
    ): Promise<{ value: EndpointService } | typeof SEND_AGAIN | undefined> {
      const taken = isRegionTaken(failure) && call.ambiguousFailures > 0;
      if (!idempotent || (!taken && !isAmbiguous(failure))) return undefined;
      const existing = serviceInRegion(await listBack(call, ref, failure), body.region);
      if (existing !== undefined) return { value: existing };
      return taken ? undefined : SEND_AGAIN;
    },
  }, options);
}

/** Lists the services after a create failed; when the list fails too, the create's error. */
async function listBack(
  call: CallContext,
  ref: EndpointServicesRef,
  failure: unknown,
): Promise<EndpointService[]> {
  try {
    const { data } = await call.request(listing(ref));
    return toServices(ref.cloudProvider, data);
  } catch {
    throw failure;
  }
}

/**
 * Lists the project's private endpoint services of one provider, in every region, with their
 * statuses, names and endpoints' ids.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param ref The project and the provider.
 * @param options An abort signal, a timeout, retry settings.
 * @returns The services (empty when there is none), each with `cloudProvider` set.
 * @throws {AtlasValidationError} When the reference is invalid; nothing was sent.
 * @throws {AtlasApiError} When Atlas answers with an error status, after retrying 429, 500, 502,
 * 503 and 504.
 * @throws {AtlasNetworkError} When no usable answer came, after retries.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out.
 *
 * @example List a project's Azure services
 * ```ts
 * import { createAtlasClient, listEndpointServices } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AZURE: endpointServiceId } = simulator.seed();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 *
 * const services = await listEndpointServices(atlas, { groupId, cloudProvider: "AZURE" });
 * assert.deepEqual(services.map((s) => s.id), [endpointServiceId]);
 * assert.equal(services[0]?.cloudProvider, "AZURE");
 * ```
 */
export async function listEndpointServices(
  client: AtlasClient,
  ref: EndpointServicesRef,
  options?: RequestOptions,
): Promise<EndpointService[]> {
  const action = SERVICE_ACTIONS.list;
  checkProjectRef(action, ref);
  return await atlasCall(client, {
    action,
    request: listing(ref),
    done: ({ data }) => toServices(ref.cloudProvider, data),
  }, options);
}

/**
 * Reads one private endpoint service: its status, what to connect to on the cloud side once
 * Atlas has made it ({@linkcode endpointServiceTarget}), and its endpoints' ids.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param ref The project, the provider and the service id.
 * @param options An abort signal, a timeout, retry settings.
 * @returns The service, with `cloudProvider` always set.
 * @throws {AtlasValidationError} When the reference is invalid; nothing was sent.
 * @throws {AtlasApiError} When Atlas answers with an error status (404 when it does not exist),
 * after retrying 429, 500, 502, 503 and 504.
 * @throws {AtlasNetworkError} When no usable answer came, after retries.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out.
 *
 * @example Read a Google Cloud service
 * ```ts
 * import { createAtlasClient, getEndpointService } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, GCP: endpointServiceId } = simulator.seed();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 *
 * const service = await getEndpointService(atlas, { groupId, cloudProvider: "GCP", endpointServiceId });
 * assert.equal(service.cloudProvider, "GCP");
 * assert.equal(service.status, "AVAILABLE");
 * ```
 */
export async function getEndpointService(
  client: AtlasClient,
  ref: PrivateEndpointServiceRef,
  options?: RequestOptions,
): Promise<EndpointService> {
  const action = SERVICE_ACTIONS.get;
  checkServiceRef(action, ref);
  return await atlasCall(client, {
    action,
    request: readingService(ref),
    done: ({ data }) => toService(ref.cloudProvider, data),
  }, options);
}

/**
 * Asks Atlas to remove one private endpoint service. A service that still has endpoints is
 * refused with 409 `CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS` (thrown as
 * {@linkcode AtlasApiError}): delete them first (deleting the last one removes the service too).
 * Removal is asynchronous: the service reports `DELETING` until it is gone (then reading it gives
 * 404).
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param ref The project, the provider and the service id.
 * @param options An abort signal, a timeout, retry settings.
 * @returns Nothing, once Atlas accepted the removal (or, after an attempt whose outcome was
 * unknown, once a retry finds the service gone).
 * @throws {AtlasValidationError} When the reference is invalid; nothing was sent.
 * @throws {AtlasApiError} When Atlas answers with an error status, after retrying 429, 500, 502,
 * 503 and 504.
 * @throws {AtlasNetworkError} When no usable answer came, after retries.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out.
 *
 * @example Delete a service that has no endpoints
 * ```ts
 * import { createAtlasClient, deleteEndpointService, getEndpointService } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const ref = { groupId, cloudProvider: "AWS", endpointServiceId } as const;
 *
 * await deleteEndpointService(atlas, ref);
 * await assert.rejects(getEndpointService(atlas, ref), { name: "AtlasApiError", status: 404 });
 * ```
 */
export async function deleteEndpointService(
  client: AtlasClient,
  ref: PrivateEndpointServiceRef,
  options?: RequestOptions,
): Promise<void> {
  const action = SERVICE_ACTIONS.delete;
  checkServiceRef(action, ref);
  await atlasCall(client, {
    action,
    request: {
      method: "DELETE",
      groupId: ref.groupId,
      path: SERVICE_PATH,
      send: (api, init) =>
        api.DELETE(SERVICE_PATH, { params: { path: servicePath(ref) }, ...init }),
    },
    done: (): undefined => undefined,
    // An earlier attempt may have been carried out: the service is gone, as asked.
    recover: goneAfterUnknown,
  }, options);
}

/**
 * What to create on the cloud side against a ready service: the AWS VPC endpoint service name,
 * the Azure Private Link service (resource id and name), or the Google Cloud service attachments
 * (one when port-mapped). Undefined while Atlas has not made them yet (the service is
 * `INITIATING`); {@linkcode waitForEndpointService} waits until they are there.
 *
 * @param service A service as returned by this package.
 * @returns The provider's target, or undefined when the service does not name it yet.
 *
 * @example Usage
 * ```ts
 * import { endpointServiceTarget } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(
 *   endpointServiceTarget({
 *     cloudProvider: "AWS",
 *     status: "WAITING_FOR_USER",
 *     endpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f67890",
 *   }),
 *   {
 *     cloudProvider: "AWS",
 *     endpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f67890",
 *   },
 * );
 * assert.equal(endpointServiceTarget({ cloudProvider: "AWS", endpointServiceName: null }), undefined);
 * ```
 */
export function endpointServiceTarget(
  service: EndpointService,
): EndpointServiceTarget | undefined {
  const provider = PROVIDERS[service.cloudProvider];
  if (provider === undefined) return undefined;
  const target: Record<string, unknown> = { cloudProvider: service.cloudProvider };
  for (const field of provider.service.target) {
    const value = fieldOf(service, field);
    const empty = value === undefined || value === null || value === "" ||
      (Array.isArray(value) && value.length === 0);
    if (empty) return undefined;
    target[field] = value;
  }
  if (service.cloudProvider === "GCP") {
    target.portMappingEnabled = service.portMappingEnabled === true;
  }
  return target as EndpointServiceTarget;
}
