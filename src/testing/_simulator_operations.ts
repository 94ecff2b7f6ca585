// The operations of the simulator on a routed request: endpoint services (create, list, get,
// delete) and endpoints (create, get, delete): path parameters, project and service lookup, the
// create bodies, duplicates, and deletion requests, with the errors Atlas answers for each.
import { atlasError, endpointNotFound, type SimulatedError } from "./_simulator_errors.ts";
import {
  endpointIdOf,
  isHex24,
  isVpceId,
  PROVIDERS,
  type SimulatorCloudProvider,
  validateCreateBody,
} from "./_simulator_model.ts";
import type { Route } from "./_simulator_routing.ts";
import {
  acceptsEndpoints,
  type ServiceRecord,
  validateServiceBody,
} from "./_simulator_services.ts";
import type { EndpointStore } from "./_simulator_store.ts";

/** A successful operation: status and JSON body. */
export interface Success {
  ok: true;
  status: number;
  body: unknown;
}

/** Runs the operation of a route against the store. */
export type PerformOperation = (
  route: Route,
  request: Request,
  body: Uint8Array,
) => Success | SimulatedError;

const JSON_TYPE = /^application\/(?:json|vnd\.atlas\.[0-9-]+\+json)\s*(?:;|$)/i;

function pathParamError(name: string, value: string): SimulatedError {
  return atlasError(
    400,
    "PATH_PARAM_PARSE_ERROR",
    `Path parameter ${name} with value ${value} is not a valid 24-hexadecimal-digit id.`,
    [name, value],
  );
}

/** The JSON of a create body, or Atlas's 415 or 400 for it. */
function readJson(request: Request, bytes: Uint8Array): { json: unknown } | SimulatedError {
  const type = request.headers.get("content-type");
  if (type !== null && !JSON_TYPE.test(type)) {
    return atlasError(415, "UNSUPPORTED_MEDIA_TYPE", `Content type ${type} is not supported.`, [
      type,
    ]);
  }
  try {
    return { json: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) };
  } catch {
    return atlasError(400, "MALFORMED_JSON", "Received JSON is malformed.");
  }
}

function privateLinkNotFound(endpointServiceId: string): SimulatedError {
  return atlasError(
    404,
    "PRIVATELINK_NOT_FOUND",
    `A PrivateLink with id ${endpointServiceId} does not exist.`,
    [endpointServiceId],
  );
}

/** Success with a JSON body (a v1.0 removal answers `{}`; the handler makes v2's a 204). */
function ok(body: unknown): Success {
  return { ok: true, status: 200, body };
}

/** The operations on `store`; `now` stamps deletion requests. */
export function createOperations(store: EndpointStore, now: () => number): PerformOperation {
  const create = (
    service: ServiceRecord,
    request: Request,
    bytes: Uint8Array,
    api: "v1.0" | "v2",
  ): Success | SimulatedError => {
    const read = readJson(request, bytes);
    if (!("json" in read)) return read;
    const input = validateCreateBody(service.cloudProvider, read.json, service);
    if ("status" in input) return input;
    if (!acceptsEndpoints(store.serviceState(service).status)) {
      return atlasError(
        409,
        "PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS",
        `The PrivateLink with the specified id ${service.endpointServiceId} is not ready to accept endpoint connection requests.`,
        [service.endpointServiceId],
      );
    }
    const endpointId = endpointIdOf(input);
    if (store.liveEndpoint(service, endpointId)) {
      return atlasError(
        409,
        "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS",
        `The PrivateLink already contains an interface endpoint with the specified id ${endpointId}.`,
        [endpointId],
      );
    }
    const record = store.addEndpoint(service, input);
    return ok(store.snapshot(service, record, api).body);
  };

  const createService = (
    groupId: string,
    request: Request,
    bytes: Uint8Array,
  ): Success | SimulatedError => {
    const read = readJson(request, bytes);
    if (!("json" in read)) return read;
    const input = validateServiceBody(read.json);
    if ("status" in input) return input;
    const service = store.createService(groupId, input);
    return "status" in service ? service : ok(store.serviceSnapshot(service).body);
  };

  const deleteService = (service: ServiceRecord): Success | SimulatedError => {
    if (service.endpoints.size > 0) {
      return atlasError(
        409,
        "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS",
        `Cannot delete a PrivateLink with id ${service.endpointServiceId} while it has endpoints.`,
        [service.endpointServiceId],
      );
    }
    service.deleteRequestedAt ??= now();
    return ok({});
  };

  return (route: Route, request: Request, body: Uint8Array): Success | SimulatedError => {
    if (route.operation === undefined) {
      return atlasError(
        405,
        "METHOD_NOT_ALLOWED",
        `Method ${request.method} is not allowed on this resource.`,
        [request.method],
        { allow: route.allow },
      );
    }
    if (
      route.provider !== undefined &&
      !PROVIDERS.includes(route.provider as SimulatorCloudProvider)
    ) {
      return atlasError(400, "INVALID_PROVIDER", `Invalid provider ${route.provider} specified.`, [
        route.provider,
      ]);
    }
    if (!isHex24(route.groupId)) return pathParamError("groupId", route.groupId);
    const serviceId = route.endpointServiceId;
    if (serviceId !== undefined && !isHex24(serviceId)) {
      return pathParamError("endpointServiceId", serviceId);
    }
    if (!store.hasGroup(route.groupId)) {
      return atlasError(404, "GROUP_NOT_FOUND", `No group with ID ${route.groupId} exists.`, [
        route.groupId,
      ]);
    }
    if (route.operation === "createService") return createService(route.groupId, request, body);
    const provider = route.provider as SimulatorCloudProvider;
    if (route.operation === "listServices") {
      return ok(store.services(route.groupId, provider).map((s) => store.serviceSnapshot(s).body));
    }
    const service = store.service(route.groupId, serviceId!);
    if (!service || service.cloudProvider !== provider) return privateLinkNotFound(serviceId!);
    if (route.operation === "getService") return ok(store.serviceSnapshot(service).body);
    if (route.operation === "deleteService") return deleteService(service);
    if (route.operation === "create") return create(service, request, body, route.api);
    const endpointId = route.endpointId!;
    if (provider === "AWS" && !isVpceId(endpointId)) {
      return atlasError(
        404,
        "PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED",
        "AWS interface endpoint ids must begin with 'vpce-' followed by a series of alphanumeric characters.",
        [endpointId],
      );
    }
    const record = store.liveEndpoint(service, endpointId);
    if (!record) return endpointNotFound(endpointId);
    if (route.operation === "get") return ok(store.snapshot(service, record, route.api).body);
    record.deleteRequestedAt ??= now();
    return ok({});
  };
}
