// What the endpoint service operations share with each other and with ensuring a service: the
// requests (list, read), turning answers into services, and finding the project's service in a
// region.
import type { CallRequest } from "./_call.ts";
import { PROVIDER_SERVICES_PATH, SERVICE_PATH } from "./_paths.ts";
import { isRecord } from "../shared/_checks.ts";
import { AtlasApiError } from "./atlas_api_error.ts";
import type {
  CloudProvider,
  EndpointService,
  EndpointServicesRef,
  PrivateEndpointServiceRef,
} from "./types.ts";

/** A service as the caller sees it: an object with `cloudProvider` always set. */
export function toService(provider: CloudProvider, data: unknown): EndpointService {
  const service: Record<string, unknown> = { ...(isRecord(data) ? data : {}) };
  service.cloudProvider ??= provider;
  return service as EndpointService;
}

/** The GET of one provider's services. */
export function listing(ref: EndpointServicesRef): CallRequest<unknown> {
  const path = { groupId: ref.groupId, cloudProvider: ref.cloudProvider };
  return {
    method: "GET",
    groupId: ref.groupId,
    path: PROVIDER_SERVICES_PATH,
    send: (api, init) => api.GET(PROVIDER_SERVICES_PATH, { params: { path }, ...init }),
  };
}

/** The services of a list answer: a plain array (or, leniently, a paginated `results`). */
export function toServices(provider: CloudProvider, data: unknown): EndpointService[] {
  const list = Array.isArray(data)
    ? data
    : isRecord(data) && Array.isArray(data.results)
    ? data.results
    : [];
  return list.map((item: unknown) => toService(provider, item));
}

/** Atlas's 409 for a region that has a service of this provider already. */
export function isRegionTaken(error: unknown): boolean {
  return error instanceof AtlasApiError && error.status === 409 &&
    /SERVICE_ALREADY_EXISTS_FOR_REGION/.test(error.errorCode ?? "");
}

/** Whether a service is in `region` (Atlas's name). */
export function inRegion(service: EndpointService, region: string): boolean {
  return typeof service.regionName === "string" && service.regionName.toUpperCase() === region;
}

/** The project's service of the provider in `region` (Atlas's name), unless it is on its way out. */
export function serviceInRegion(
  services: readonly EndpointService[],
  region: string,
): EndpointService | undefined {
  return services.find((service) => inRegion(service, region) && service.status !== "DELETING");
}

/** The path parameters of one service, and nothing else. */
export function servicePath(ref: PrivateEndpointServiceRef): PrivateEndpointServiceRef {
  const { groupId, cloudProvider, endpointServiceId } = ref;
  return { groupId, cloudProvider, endpointServiceId };
}

/** The GET of one service. */
export function readingService(ref: PrivateEndpointServiceRef): CallRequest<unknown> {
  return {
    method: "GET",
    groupId: ref.groupId,
    path: SERVICE_PATH,
    send: (api, init) => api.GET(SERVICE_PATH, { params: { path: servicePath(ref) }, ...init }),
  };
}
