/**
 * Create, read and delete one private endpoint, typed per provider; Atlas errors are thrown as
 * {@linkcode AtlasApiError}.
 *
 * @module
 */
import type { AtlasClient } from "./client.ts";
import type { AtlasSchema } from "./schema.ts";
import { ENDPOINT_PATH, ENDPOINTS_PATH } from "./_paths.ts";
import {
  atlasCall,
  type CallContext,
  type CallRequest,
  goneAfterUnknown,
  idempotentOf,
  isAmbiguous,
  SEND_AGAIN,
} from "./_call.ts";
import { ACTIONS, checkCreateInput, checkEndpointId, checkServiceRef } from "./_validate.ts";
import { AtlasApiError } from "./atlas_api_error.ts";
import { cut } from "../digest/_text.ts";
import { privateEndpointStatus } from "./endpoint.ts";
import { type FieldChecks, fieldOf, PROVIDERS, requestedId, requestedIds } from "./_providers.ts";
import type {
  CloudProvider,
  CreatePrivateEndpointInput,
  CreatePrivateEndpointOptions,
  PrivateEndpoint,
  PrivateEndpointRef,
  RequestOptions,
} from "./types.ts";

// The create's body by name: the client's POST now also serves the service create.
type CreateBody = AtlasSchema<"CreatePrivateEndpointRequest">;

/**
 * Builds the endpoint the caller sees: what Atlas answered, with `cloudProvider` (from the path)
 * where Atlas left it out, and for an endpoint read by its id, that id in the field the provider
 * table names where Atlas left it out. A create's answer gets no id: the id Atlas keeps is not
 * always the one sent (Google Cloud port mapping, see _providers.ts).
 */
function toEndpoint(provider: CloudProvider, data: unknown, readById?: string): PrivateEndpoint {
  const endpoint: Record<string, unknown> = {
    ...(typeof data === "object" && data !== null ? data : {}),
  };
  endpoint.cloudProvider ??= provider;
  if (readById !== undefined) endpoint[PROVIDERS[provider].id] ??= readById;
  return endpoint as PrivateEndpoint;
}

/**
 * Registers a private endpoint with an Atlas private endpoint service: an AWS interface endpoint,
 * an Azure private endpoint, or a Google Cloud endpoint group. The input is checked before
 * anything is sent.
 *
 * Atlas answers at once with the endpoint in a pending state; whether the cloud provider accepts
 * it shows later, so follow with {@linkcode waitForPrivateEndpoint}.
 *
 * Safe to retry, and retried safely: 429 and 503 are sent again (honouring `Retry-After`); after a
 * failure whose outcome is unknown (connection reset, no response in time, 500, 502, 504) or a
 * 409 "already exists", the endpoint is read back and returned when it is the one requested (same
 * id and fields), so it is never created twice nor reported as a failure when it exists. Only when
 * the read-back finds nothing is the POST sent again. `retry.maxAttempts` bounds the whole call:
 * POSTs, retries and read-backs together, except that the read-back after an unknown outcome is
 * always made (once per id the endpoint may have), so that an endpoint that was created is never
 * reported lost. A 409 for an
 * endpoint with other fields, or one that failed (REJECTED, FAILED) or is being deleted, is
 * thrown, its message naming the fields that differ or the status, and its `conflict` holding the
 * endpoint Atlas has. `onExisting` tells when Atlas already had the endpoint (nothing was
 * created). Set `idempotent: false` to get every failure as is.
 *
 * For a Google Cloud service with port mapping, set `portMappingEnabled: true` in the input (it
 * is not sent): exactly one forwarding rule is then required, and the endpoint's id is that rule's
 * name, which Atlas keeps and answers in `endpointGroupName` (read it with
 * {@linkcode privateEndpointId}).
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param input The service, the provider, and the provider's fields.
 * @param options An abort signal, a timeout, retry settings, `idempotent`, `onExisting`.
 * @returns The endpoint as Atlas returned it (its id included), with `cloudProvider` set from the
 * request when Atlas leaves it out; nothing else is filled in.
 * @throws {AtlasValidationError} When the input is invalid; nothing was sent.
 * @throws {AtlasApiError} When Atlas answers with an error status (after retries).
 * @throws {AtlasNetworkError} When no usable answer came and reading back could not tell whether
 * the endpoint was created.
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
 *
 * @example A Google Cloud service with port mapping (here against the simulator)
 * ```ts
 * import { createAtlasClient, createPrivateEndpoint, privateEndpointId } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator();
 * const { groupId, endpointServiceId } = simulator.addEndpointService({
 *   cloudProvider: "GCP",
 *   portMappingEnabled: true,
 * });
 * const atlas = createAtlasClient({
 *   ...DEFAULT_SIMULATOR_API_KEY,
 *   baseUrl: `http://127.0.0.1${simulator.basePath}`,
 *   fetch: simulator.fetch,
 * });
 * const endpoint = await createPrivateEndpoint(atlas, {
 *   groupId,
 *   endpointServiceId,
 *   cloudProvider: "GCP",
 *   endpointGroupName: "atlas-psc-group", // required, but ignored by Atlas here
 *   gcpProjectId: "my-gcp-project",
 *   endpoints: [{ endpointName: "atlas-psc", ipAddress: "10.128.0.10" }], // exactly one
 *   portMappingEnabled: true, // what the service was created with; not sent
 * });
 * assert.equal(privateEndpointId(endpoint), "atlas-psc"); // the forwarding rule's name
 * ```
 */
export async function createPrivateEndpoint(
  client: AtlasClient,
  input: CreatePrivateEndpointInput,
  options?: CreatePrivateEndpointOptions,
): Promise<PrivateEndpoint> {
  const action = ACTIONS.create;
  const { service, body } = checkCreateInput(action, input);
  const { cloudProvider } = service;
  const idempotent = idempotentOf(action, options);
  return await atlasCall(client, {
    action,
    request: {
      method: "POST",
      groupId: service.groupId,
      path: ENDPOINTS_PATH,
      send: (api, init) =>
        api.POST(ENDPOINTS_PATH, { params: { path: service }, body: body as CreateBody, ...init }),
    },
    done: ({ data }) => toEndpoint(cloudProvider, data),
    // The outcome is unknown, or Atlas says the endpoint exists: look before anything else. Not
    // there (or not ours): the POST did not take effect, so sending it again is safe.
    async recover(
      failure,
      call,
    ): Promise<{ value: PrivateEndpoint } | typeof SEND_AGAIN | undefined> {
      const conflict = isAlreadyExists(failure);
      if (!idempotent || (!conflict && !isAmbiguous(failure))) return undefined;
      // Every id it may have, the likeliest first (a port-mapped GCP endpoint whose input does
      // not say so is under its rule's name): found, it is not sent again.
      const refs = requestedIds(input).map((endpointId) => ({ ...service, endpointId }));
      const existing = await readBack(call, refs, failure);
      if (existing !== undefined && isRequested(input, existing)) {
        if (conflict && call.ambiguousFailures === 0) options?.onExisting?.(existing);
        return { value: existing };
      }
      if (conflict && existing !== undefined) throw conflictError(failure, input, existing);
      return conflict ? undefined : SEND_AGAIN;
    },
  }, options);
}

/**
 * Atlas's 409, explained from the endpoint read back: the fields it holds differently, or that it
 * failed or is being deleted (then, as Atlas advises, delete it and create it again).
 */
function conflictError(
  failure: AtlasApiError,
  input: CreatePrivateEndpointInput,
  existing: PrivateEndpoint,
): AtlasApiError {
  const provider = PROVIDERS[input.cloudProvider];
  const subject = `${provider.title} ${requestedId(input)}`;
  const fields = differingFields(input, existing);
  const status = privateEndpointStatus(existing);
  let explanation: string;
  if (existing.deleteRequested === true || status === "DELETING") {
    explanation = `${subject} already exists and is being deleted: wait until it is gone, ` +
      "then create it again";
  } else if (provider.ended.includes(status)) {
    explanation = `${subject} already exists and is ${status}: delete it, then create it again`;
  } else if (fields.length === 0) {
    return failure;
  } else {
    const values = fields.flatMap((field) => {
      const had = fieldOf(existing, provider.echo[field]);
      const wanted = fieldOf(input, field);
      return typeof had === "string" && typeof wanted === "string"
        ? [`${field} ${cut(had, 80)}, not ${cut(wanted, 80)}`]
        : [];
    });
    explanation = `${subject} already exists with a different ${fields.join(" and ")}` +
      `${
        values.length === 0 ? "" : ` (it has ${values.join("; ")})`
      }: delete it first to change it`;
  }
  // The same error with the explanation: every field of Atlas's answer and the request is kept.
  return new AtlasApiError({
    ...failure,
    action: ACTIONS.create,
    explanation,
    conflict: { fields, existing },
  });
}

/** Atlas's 409 for an endpoint id that a service already has. */
function isAlreadyExists(error: unknown): error is AtlasApiError {
  return error instanceof AtlasApiError && error.status === 409 &&
    /ALREADY_EXISTS/.test(error.errorCode ?? "") && !/SERVICE/.test(error.errorCode ?? "");
}

/**
 * Reads the endpoint after a create failed, at each of `refs` in turn (more than one only for a
 * Google Cloud group that may be port-mapped); undefined when none exists (404). When a read fails
 * otherwise, the create's own error is thrown (the outcome stays unknown), unless the call stopped.
 */
async function readBack(
  call: CallContext,
  refs: readonly PrivateEndpointRef[],
  failure: unknown,
): Promise<PrivateEndpoint | undefined> {
  for (const ref of refs) {
    try {
      const { data } = await call.request(reading(ref));
      return toEndpoint(ref.cloudProvider, data, ref.endpointId);
    } catch (error) {
      if (!(error instanceof AtlasApiError && error.status === 404)) throw failure;
    }
  }
  return undefined;
}

/** The GET of one endpoint. */
function reading(ref: PrivateEndpointRef): CallRequest<unknown> {
  return {
    method: "GET",
    groupId: ref.groupId,
    path: ENDPOINT_PATH,
    send: (api, init) => api.GET(ENDPOINT_PATH, { params: { path: pathOf(ref) }, ...init }),
  };
}

const same = (a: unknown, b: string): boolean =>
  typeof a === "string" && a.toLowerCase() === b.toLowerCase();

/** Lists of objects as sets of their items, by the fields a create gives each item. */
function sameItems(a: unknown, b: unknown, fields: FieldChecks): boolean {
  const items = (list: unknown): string | undefined =>
    Array.isArray(list)
      ? list.map((item) => Object.keys(fields).map((key) => fieldOf(item ?? {}, key)).join(" "))
        .sort().join("\n").toLowerCase()
      : undefined;
  return items(a) !== undefined && items(a) === items(b);
}

/**
 * Whether an existing endpoint is the one `input` asks for: the same id and the same create
 * fields, as the provider table says its endpoint reports them back (a field Atlas did not report,
 * or one the input leaves out, is not held against it), and neither failed nor on its way out
 * (then Atlas's 409 stands: delete it and create it again).
 */
function isRequested(input: CreatePrivateEndpointInput, existing: PrivateEndpoint): boolean {
  const provider = PROVIDERS[input.cloudProvider];
  if (existing.cloudProvider !== input.cloudProvider || existing.deleteRequested === true) {
    return false;
  }
  if (provider.ended.includes(privateEndpointStatus(existing))) return false;
  return differingFields(input, existing).length === 0;
}

/**
 * The create fields of `input` that `existing` reports with another value (a field Atlas did not
 * report, or one the input leaves out, is not held against it). The id is held against none the
 * input may have (see `requestedIds`): on a port-mapped GCP service Atlas keeps the rule's name,
 * not the group's.
 */
function differingFields(input: CreatePrivateEndpointInput, existing: PrivateEndpoint): string[] {
  const provider = PROVIDERS[input.cloudProvider];
  return Object.entries(provider.echo).filter(([from, to]) => {
    const wanted = fieldOf(input, from);
    const reported = fieldOf(existing, to);
    if (wanted === undefined) return false;
    if (reported === undefined || reported === null) return from === provider.createId;
    if (from === provider.createId) return !requestedIds(input).some((id) => same(reported, id));
    const check = provider.create[from]!;
    return "items" in check
      ? !sameItems(reported, wanted, check.items)
      : !same(reported, String(wanted));
  }).map(([from]) => from);
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
 * @param options An abort signal, a timeout, retry settings.
 * @returns The endpoint, with `cloudProvider` and its id always set.
 * @throws {AtlasValidationError} When the reference is invalid; nothing was sent.
 * @throws {AtlasApiError} When Atlas answers with an error status (404 when it does not exist),
 * after retrying 429, 500, 502, 503 and 504.
 * @throws {AtlasNetworkError} When no usable answer came, after retries.
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
  return await atlasCall(client, {
    action,
    request: reading(ref),
    done: ({ data }) => toEndpoint(ref.cloudProvider, data, ref.endpointId),
  }, options);
}

/**
 * Asks Atlas to remove one private endpoint. Removal is asynchronous: the endpoint reports
 * `DELETING` until it is gone (then reading it gives 404). Removing the last endpoint of a
 * service also removes the service.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param ref The service, the provider and the endpoint id.
 * @param options An abort signal, a timeout, retry settings.
 * @returns Nothing, once Atlas accepted the removal (or, after an attempt whose outcome was
 * unknown, once a retry finds the endpoint gone).
 * @throws {AtlasValidationError} When the reference is invalid; nothing was sent.
 * @throws {AtlasApiError} When Atlas answers with an error status, after retrying 429, 500, 502,
 * 503 and 504.
 * @throws {AtlasNetworkError} When no usable answer came, after retries.
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
  await atlasCall(client, {
    action,
    request: {
      method: "DELETE",
      groupId: ref.groupId,
      path: ENDPOINT_PATH,
      send: (api, init) => api.DELETE(ENDPOINT_PATH, { params: { path: pathOf(ref) }, ...init }),
    },
    done: (): undefined => undefined,
    // An earlier attempt may have been carried out: the endpoint is gone, as asked.
    recover: goneAfterUnknown,
  }, options);
}
