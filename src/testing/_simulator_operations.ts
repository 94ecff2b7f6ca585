// The endpoint operations of the simulator (create, get, delete) on a routed request: path
// parameters, project and service lookup, the create body, duplicates, and deletion requests, with
// the errors Atlas answers for each.
import { atlasError, endpointNotFound, type SimulatedError } from "./_simulator_errors.ts";
import {
  endpointIdOf,
  isHex24,
  isVpceId,
  PROVIDERS,
  type ServiceRecord,
  type SimulatorCloudProvider,
  validateCreateBody,
} from "./_simulator_model.ts";
import type { Route } from "./_simulator_routing.ts";
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

/** The operations on `store`; `now` stamps deletion requests. */
export function createOperations(store: EndpointStore, now: () => number): PerformOperation {
  const create = (
    service: ServiceRecord,
    request: Request,
    bytes: Uint8Array,
  ): Success | SimulatedError => {
    const type = request.headers.get("content-type");
    if (type !== null && !JSON_TYPE.test(type)) {
      return atlasError(415, "UNSUPPORTED_MEDIA_TYPE", `Content type ${type} is not supported.`, [
        type,
      ]);
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch {
      return atlasError(400, "MALFORMED_JSON", "Received JSON is malformed.");
    }
    const input = validateCreateBody(service.cloudProvider, json, service);
    if ("status" in input) return input;
    if (!service.acceptsEndpoints) {
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
    return { ok: true, status: 200, body: store.snapshot(service, record).body };
  };

  return (route: Route, request: Request, body: Uint8Array): Success | SimulatedError => {
    if (route.operation === undefined) {
      return atlasError(
        405,
        "METHOD_NOT_ALLOWED",
        `Method ${request.method} is not allowed on this resource.`,
        [request.method],
        { allow: route.endpointId === undefined ? "POST" : "GET, DELETE" },
      );
    }
    if (!PROVIDERS.includes(route.provider as SimulatorCloudProvider)) {
      return atlasError(400, "INVALID_PROVIDER", `Invalid provider ${route.provider} specified.`, [
        route.provider,
      ]);
    }
    const provider = route.provider as SimulatorCloudProvider;
    if (!isHex24(route.groupId)) return pathParamError("groupId", route.groupId);
    if (!isHex24(route.endpointServiceId)) {
      return pathParamError("endpointServiceId", route.endpointServiceId);
    }
    const services = store.group(route.groupId);
    if (!services) {
      return atlasError(404, "GROUP_NOT_FOUND", `No group with ID ${route.groupId} exists.`, [
        route.groupId,
      ]);
    }
    const service = services.get(route.endpointServiceId);
    if (!service || service.cloudProvider !== provider) {
      return atlasError(
        404,
        "PRIVATELINK_NOT_FOUND",
        `A PrivateLink with id ${route.endpointServiceId} does not exist.`,
        [route.endpointServiceId],
      );
    }
    if (route.operation === "create") return create(service, request, body);
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
    if (route.operation === "get") {
      return { ok: true, status: 200, body: store.snapshot(service, record).body };
    }
    record.deleteRequestedAt ??= now();
    return { ok: true, status: 200, body: {} };
  };
}
