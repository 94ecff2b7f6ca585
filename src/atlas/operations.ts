/**
 * Create, read and delete one private endpoint, typed per provider; Atlas errors are thrown as
 * {@linkcode AtlasApiError}.
 *
 * @module
 */
import type { AtlasClient } from "./client.ts";
import { ENDPOINT_PATH, ENDPOINTS_PATH } from "./_paths.ts";
import { send } from "./_request.ts";
import { ACTIONS, checkCreateBody, checkEndpointId, checkServiceRef } from "./_validate.ts";
import type {
  CloudProvider,
  CreatePrivateEndpointInput,
  PrivateEndpoint,
  PrivateEndpointRef,
  RequestOptions,
} from "./types.ts";

type CreateBody = NonNullable<Parameters<AtlasClient["POST"]>[1]>["body"];

/** Builds the endpoint the caller sees: an object with `cloudProvider`, and its id filled in. */
function toEndpoint(
  provider: CloudProvider,
  data: unknown,
  id: string,
  extra: Record<string, unknown> = {},
): PrivateEndpoint {
  const endpoint = { ...(typeof data === "object" && data !== null ? data : {}) } as Record<
    string,
    unknown
  >;
  endpoint.cloudProvider ??= provider;
  const idField = provider === "AWS"
    ? "interfaceEndpointId"
    : provider === "AZURE"
    ? "privateEndpointResourceId"
    : "endpointGroupName";
  endpoint[idField] ??= id;
  for (const [key, value] of Object.entries(extra)) endpoint[key] ??= value;
  return endpoint as unknown as PrivateEndpoint;
}

/**
 * Registers a private endpoint with an Atlas private endpoint service: an AWS interface endpoint,
 * an Azure private endpoint, or a Google Cloud endpoint group. The input is checked before
 * anything is sent.
 *
 * Atlas answers at once with the endpoint in a pending state; whether the cloud provider accepts
 * it shows later, so follow with {@linkcode waitForPrivateEndpoint}.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param input The service, the provider, and the provider's fields.
 * @param options An abort signal and a timeout.
 * @returns The endpoint as Atlas returned it, with `cloudProvider` and its id always set.
 * @throws {AtlasValidationError} When the input is invalid; nothing was sent.
 * @throws {AtlasApiError} When Atlas answers with an error status.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out.
 *
 * @example Create an Azure private endpoint
 * ```ts
 * import { createAtlasClient, createPrivateEndpoint, privateEndpointStatus } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async (request) => {
 *     const body = await request.json();
 *     return Response.json({
 *       privateEndpointResourceId: body.id,
 *       privateEndpointIPAddress: body.privateEndpointIPAddress,
 *       status: "INITIATING",
 *     });
 *   },
 * });
 * const endpoint = await createPrivateEndpoint(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "AZURE",
 *   id: "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/app/providers/Microsoft.Network/privateEndpoints/pe1",
 *   privateEndpointIPAddress: "10.0.0.4",
 * });
 * assert.equal(endpoint.cloudProvider, "AZURE");
 * assert.equal(privateEndpointStatus(endpoint), "INITIATING");
 * ```
 */
export async function createPrivateEndpoint(
  client: AtlasClient,
  input: CreatePrivateEndpointInput,
  options?: RequestOptions,
): Promise<PrivateEndpoint> {
  const action = ACTIONS.create;
  checkServiceRef(action, input);
  const { groupId, endpointServiceId, cloudProvider, ...body } = input;
  checkCreateBody(action, cloudProvider, body);
  const { data } = await send(
    action,
    { method: "POST", url: ENDPOINTS_PATH },
    options,
    (init) =>
      client.POST(ENDPOINTS_PATH, {
        params: { path: { groupId, cloudProvider, endpointServiceId } },
        body: body as CreateBody,
        ...init,
      }),
  );
  if (input.cloudProvider === "AWS") return toEndpoint("AWS", data, input.id);
  if (input.cloudProvider === "AZURE") {
    return toEndpoint("AZURE", data, input.id, {
      privateEndpointIPAddress: input.privateEndpointIPAddress,
    });
  }
  return toEndpoint("GCP", data, input.endpointGroupName, { gcpProjectId: input.gcpProjectId });
}

function checkRef(action: string, ref: PrivateEndpointRef): void {
  checkServiceRef(action, ref);
  checkEndpointId(action, ref.cloudProvider, ref.endpointId);
}

function pathOf(ref: PrivateEndpointRef): {
  groupId: string;
  cloudProvider: CloudProvider;
  endpointServiceId: string;
  endpointId: string;
} {
  const { groupId, cloudProvider, endpointServiceId, endpointId } = ref;
  return { groupId, cloudProvider, endpointServiceId, endpointId };
}

/**
 * Reads one private endpoint: its status and, once it failed, Atlas's `errorMessage`.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param ref The service, the provider and the endpoint id (an Azure resource id as Azure prints
 * it: the client percent-encodes it).
 * @param options An abort signal and a timeout.
 * @returns The endpoint, with `cloudProvider` and its id always set.
 * @throws {AtlasValidationError} When the reference is invalid; nothing was sent.
 * @throws {AtlasApiError} When Atlas answers with an error status (404 when it does not exist).
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out.
 *
 * @example Read a Google Cloud endpoint group
 * ```ts
 * import { createAtlasClient, getPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () => Response.json({ endpointGroupName: "atlas-group", status: "VERIFIED" }),
 * });
 * const endpoint = await getPrivateEndpoint(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "GCP",
 *   endpointId: "atlas-group",
 * });
 * assert.deepEqual(endpoint, { cloudProvider: "GCP", endpointGroupName: "atlas-group", status: "VERIFIED" });
 * ```
 */
export async function getPrivateEndpoint(
  client: AtlasClient,
  ref: PrivateEndpointRef,
  options?: RequestOptions,
): Promise<PrivateEndpoint> {
  const action = ACTIONS.get;
  checkRef(action, ref);
  const { data } = await send(
    action,
    { method: "GET", url: ENDPOINT_PATH },
    options,
    (init) => client.GET(ENDPOINT_PATH, { params: { path: pathOf(ref) }, ...init }),
  );
  return toEndpoint(ref.cloudProvider, data, ref.endpointId);
}

/**
 * Asks Atlas to remove one private endpoint. Removal is asynchronous: the endpoint reports
 * `DELETING` until it is gone (then reading it gives 404). Removing the last endpoint of a
 * service also removes the service.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param ref The service, the provider and the endpoint id.
 * @param options An abort signal and a timeout.
 * @returns Nothing, once Atlas accepted the removal.
 * @throws {AtlasValidationError} When the reference is invalid; nothing was sent.
 * @throws {AtlasApiError} When Atlas answers with an error status.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out.
 *
 * @example Delete an AWS endpoint
 * ```ts
 * import { createAtlasClient, deletePrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const methods: string[] = [];
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async (request) => {
 *     methods.push(request.method);
 *     return new Response(null, { status: 204 });
 *   },
 * });
 * await deletePrivateEndpoint(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "AWS",
 *   endpointId: "vpce-0123456789abcdef0",
 * });
 * assert.deepEqual(methods, ["DELETE"]);
 * ```
 */
export async function deletePrivateEndpoint(
  client: AtlasClient,
  ref: PrivateEndpointRef,
  options?: RequestOptions,
): Promise<void> {
  const action = ACTIONS.delete;
  checkRef(action, ref);
  await send(
    action,
    { method: "DELETE", url: ENDPOINT_PATH },
    options,
    (init) => client.DELETE(ENDPOINT_PATH, { params: { path: pathOf(ref) }, ...init }),
  );
}
