// The simulator's endpoint services: the create body, region names (Atlas's and the cloud's), the
// names Atlas gives each provider's service, the service life cycle (computed from the clock) and
// the representation the API returns.
import type { components } from "../../gen/atlas.ts";
import { randomHex } from "../digest/_hash.ts";
import {
  atlasError,
  invalidAttribute,
  missingAttribute,
  type SimulatedError,
} from "./_simulator_errors.ts";
import {
  type EndpointRecord,
  PROVIDERS,
  type ServiceView,
  type SimulatorCloudProvider,
} from "./_simulator_model.ts";

/** What Atlas names a service on the cloud side, once it has made it. */
export interface ServiceNames {
  /** AWS: `com.amazonaws.vpce.<region>.vpce-svc-<17 hex>`. */
  endpointServiceName?: string;
  /** Azure: `pls_<24 hex>`. */
  privateLinkServiceName?: string;
  /** Azure: the Private Link service's resource id. */
  privateLinkServiceResourceId?: string;
  /** GCP: the service attachment URLs (50, or one with port mapping). */
  serviceAttachmentNames?: string[];
}

/** An endpoint service as stored. */
export interface ServiceRecord extends ServiceView, ServiceTimes {
  cloudProvider: SimulatorCloudProvider;
  names: ServiceNames;
  /** AWS: the remote regions the service also serves (kept, not returned: Atlas is not known to). */
  supportedRemoteRegions: string[];
  endpoints: Map<string, EndpointRecord>;
  /** When the latest of its endpoints was gone (its deletion complete). */
  lastGoneAt?: number;
}

/** The validated fields of a service create request. */
export interface CreateServiceInput {
  cloudProvider: SimulatorCloudProvider;
  /** The Atlas region name (`US_EAST_1`), whichever form was sent. */
  region: string;
  portMappingEnabled: boolean;
  supportedRemoteRegions: string[];
}

/** How many service attachments Atlas makes for a GCP service without port mapping. */
export const GCP_LEGACY_ATTACHMENTS = 50;

/** At most this many `supportedRemoteRegions` (AWS). */
const MAX_REMOTE_REGIONS = 35;

// Atlas region name -> cloud region, where the two are not the same words. AWS names map
// mechanically (US_EAST_1 <-> us-east-1); the others are tables (a few common regions).
const CLOUD_REGIONS: Record<SimulatorCloudProvider, Record<string, string>> = {
  AWS: {},
  AZURE: {
    US_EAST: "eastus",
    US_EAST_2: "eastus2",
    US_CENTRAL: "centralus",
    US_WEST: "westus",
    US_WEST_2: "westus2",
    EUROPE_NORTH: "northeurope",
    EUROPE_WEST: "westeurope",
    UK_SOUTH: "uksouth",
    ASIA_EAST: "eastasia",
    ASIA_SOUTH_EAST: "southeastasia",
  },
  GCP: {
    CENTRAL_US: "us-central1",
    EASTERN_US: "us-east1",
    US_EAST_4: "us-east4",
    WESTERN_US: "us-west1",
    US_WEST_2: "us-west2",
    WESTERN_EUROPE: "europe-west1",
    EUROPE_WEST_2: "europe-west2",
    EUROPE_WEST_3: "europe-west3",
    EASTERN_ASIA_PACIFIC: "asia-east1",
    SOUTHEASTERN_ASIA_PACIFIC: "asia-southeast1",
  },
};

const REGION = /^[A-Za-z][A-Za-z0-9_-]{1,49}$/;

/** The Atlas region name for what a caller sent (`US_EAST_1` or `us-east-1`), or undefined. */
export function atlasRegion(provider: SimulatorCloudProvider, region: string): string | undefined {
  if (!REGION.test(region)) return undefined;
  const table = CLOUD_REGIONS[provider];
  const named = Object.entries(table).find(([, cloud]) => cloud === region);
  if (named) return named[0];
  return region.toUpperCase().replaceAll("-", "_");
}

/** The cloud's name of an Atlas region (`us-east-1` for AWS `US_EAST_1`). */
export function cloudRegion(provider: SimulatorCloudProvider, region: string): string {
  return CLOUD_REGIONS[provider][region] ?? region.toLowerCase().replaceAll("_", "-");
}

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

function randomAlnum(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => LOWER_ALNUM[b % LOWER_ALNUM.length]).join("");
}

/** The names Atlas gives a new service of `provider` in `region` (an Atlas region name). */
export function serviceNames(
  provider: SimulatorCloudProvider,
  region: string,
  endpointServiceId: string,
  portMappingEnabled: boolean,
): ServiceNames {
  const cloud = cloudRegion(provider, region);
  switch (provider) {
    case "AWS":
      return {
        endpointServiceName: `com.amazonaws.vpce.${cloud}.vpce-svc-${randomHex(9).slice(0, 17)}`,
      };
    case "AZURE": {
      const name = `pls_${randomHex(12)}`;
      return {
        privateLinkServiceName: name,
        privateLinkServiceResourceId: `/subscriptions/${crypto.randomUUID()}/resourcegroups/` +
          `rg_${endpointServiceId}_${cloud}/providers/Microsoft.Network/privateLinkServices/${name}`,
      };
    }
    case "GCP": {
      const project = `p-${randomAlnum(24)}`;
      const count = portMappingEnabled ? 1 : GCP_LEGACY_ATTACHMENTS;
      return {
        serviceAttachmentNames: Array.from(
          { length: count },
          (_, i) =>
            `https://www.googleapis.com/compute/v1/projects/${project}/regions/${cloud}/` +
            `serviceAttachments/sa-${cloud}-${endpointServiceId}-${i}`,
        ),
      };
    }
  }
}

const SERVICE_FIELDS = ["providerName", "region", "portMappingEnabled", "supportedRemoteRegions"];

/**
 * Validates a service create body as Atlas does: unknown fields rejected, `providerName` and
 * `region` required, `portMappingEnabled` only true for GCP, `supportedRemoteRegions` only for AWS
 * (at most 35). Regions are accepted as Atlas spells them and as the cloud does.
 */
export function validateServiceBody(body: unknown): CreateServiceInput | SimulatedError {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return atlasError(400, "INVALID_JSON", "Received JSON does not match expected format.");
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!SERVICE_FIELDS.includes(key)) return invalidAttribute(key);
  }
  for (const key of ["providerName", "region"]) {
    if (record[key] === undefined || record[key] === null) return missingAttribute(key);
    if (typeof record[key] !== "string") return invalidAttribute(key);
  }
  const providerName = record.providerName as string;
  if (!PROVIDERS.includes(providerName as SimulatorCloudProvider)) {
    return atlasError(
      400,
      "INVALID_ENUM_VALUE",
      `An invalid enumeration value ${providerName} was specified.`,
      [providerName],
    );
  }
  const provider = providerName as SimulatorCloudProvider;
  const region = atlasRegion(provider, record.region as string);
  if (region === undefined) {
    return atlasError(
      400,
      "INVALID_REGION",
      `No region ${record.region} exists for provider ${provider}.`,
      [record.region, provider],
    );
  }
  const mapping = record.portMappingEnabled ?? false;
  if (typeof mapping !== "boolean" || (mapping && provider !== "GCP")) {
    return invalidAttribute("portMappingEnabled");
  }
  const remote = record.supportedRemoteRegions ?? [];
  if (
    !Array.isArray(remote) || remote.length > MAX_REMOTE_REGIONS ||
    !remote.every((item) => typeof item === "string" && REGION.test(item)) ||
    (remote.length > 0 && provider !== "AWS")
  ) {
    return invalidAttribute("supportedRemoteRegions");
  }
  return {
    cloudProvider: provider,
    region,
    portMappingEnabled: mapping,
    supportedRemoteRegions: remote.map((item) => atlasRegion(provider, item)!),
  };
}

/** Where a service is in its life: its status and error, or gone after deletion. */
export interface ServiceStatus {
  status: string;
  errorMessage: string | null;
  gone: boolean;
}

/** What a service's status is computed from. */
export interface ServiceTimes {
  cloudProvider: SimulatorCloudProvider;
  /** When the load balancer and cloud service are ready (Infinity: never). */
  readyAt: number;
  deleteRequestedAt?: number;
  /** A status forced by the test, overriding the life cycle. */
  forced?: { status: string; errorMessage: string | null };
}

/**
 * A service's status at `now`: INITIATING until ready; then AWS and Azure wait for the user
 * (WAITING_FOR_USER) until an endpoint connects (AVAILABLE), GCP is AVAILABLE at once (its service
 * attachments are what the user connects to; the Atlas CLI's GCP `watch` waits for AVAILABLE, not
 * WAITING_FOR_USER, and Terraform documents an empty attachment list while Atlas creates them);
 * DELETING for `deleteMs` once deleted, then gone.
 */
export function serviceStatusAt(
  service: ServiceTimes,
  now: number,
  deleteMs: number,
  connected: boolean,
): ServiceStatus {
  if (service.deleteRequestedAt !== undefined) {
    const gone = now - service.deleteRequestedAt >= deleteMs;
    return { status: "DELETING", errorMessage: service.forced?.errorMessage ?? null, gone };
  }
  if (service.forced) return { ...service.forced, gone: false };
  if (now < service.readyAt) return { status: "INITIATING", errorMessage: null, gone: false };
  const status = service.cloudProvider === "GCP" || connected ? "AVAILABLE" : "WAITING_FOR_USER";
  return { status, errorMessage: null, gone: false };
}

/** True when a service in `status` takes new endpoints. */
export function acceptsEndpoints(status: string): boolean {
  return status === "WAITING_FOR_USER" || status === "AVAILABLE";
}

/**
 * The service as the API returns it: the common fields, and per provider the cloud-side names
 * (AWS `endpointServiceName` is null while INITIATING, the others absent or empty) and its
 * endpoints' ids. Typed by the spec, so a field the spec does not know fails the type check.
 */
export function serviceRepresentation(
  service: {
    endpointServiceId: string;
    cloudProvider: SimulatorCloudProvider;
    region: string;
    portMappingEnabled: boolean;
    names: ServiceNames;
  },
  state: ServiceStatus,
  endpointIds: string[],
): components["schemas"]["EndpointService"] {
  const common = {
    id: service.endpointServiceId,
    regionName: service.region,
    status: state.status,
    errorMessage: state.errorMessage,
  };
  const named = state.status !== "INITIATING";
  const { names } = service;
  switch (service.cloudProvider) {
    case "AWS":
      return {
        cloudProvider: "AWS",
        ...common,
        endpointServiceName: named ? names.endpointServiceName ?? null : null,
        interfaceEndpoints: endpointIds,
      };
    case "AZURE":
      return {
        cloudProvider: "AZURE",
        ...common,
        ...(named && names.privateLinkServiceName && names.privateLinkServiceResourceId
          ? {
            privateLinkServiceName: names.privateLinkServiceName,
            privateLinkServiceResourceId: names.privateLinkServiceResourceId,
          }
          : {}),
        privateEndpoints: endpointIds,
      };
    case "GCP":
      return {
        cloudProvider: "GCP",
        ...common,
        serviceAttachmentNames: named ? names.serviceAttachmentNames ?? [] : [],
        endpointGroupNames: endpointIds,
        portMappingEnabled: service.portMappingEnabled,
      };
  }
}
