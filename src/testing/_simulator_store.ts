// The simulator's state: projects, their endpoint services and endpoints, what tests seed and
// inspect, and the failures they plan. Statuses are computed from the clock when read (no timers).
import { randomHex } from "../digest/_hash.ts";
import { atlasError, type SimulatedError } from "./_simulator_errors.ts";
import {
  type CreateInput,
  endpointIdOf,
  type EndpointRecord,
  isHex24,
  type LifeCycle,
  PROVIDERS,
  representation,
  type SimulatedEndpointService,
  type SimulatorCloudProvider,
  statusAt,
  unconnectable,
} from "./_simulator_model.ts";
import {
  atlasRegion,
  type CreateServiceInput,
  serviceNames,
  type ServiceRecord,
  serviceRepresentation,
  type ServiceStatus,
  serviceStatusAt,
} from "./_simulator_services.ts";

/** The address of an endpoint in the simulator. */
export interface SimulatorEndpointRef {
  /** The project id. */
  groupId: string;
  /** The provider. */
  cloudProvider: SimulatorCloudProvider;
  /** The endpoint service id. */
  endpointServiceId: string;
  /**
   * AWS vpce id, Azure resource id (raw, not percent-encoded) or GCP endpoint group name (with
   * port mapping, its one forwarding rule's name).
   */
  endpointId: string;
}

/** An endpoint as the simulator currently sees it. */
export interface SimulatedEndpoint extends SimulatorEndpointRef {
  /** AWS `connectionStatus`, else `status`. */
  status: string;
  /** The asynchronous error, if any. */
  errorMessage: string | null;
  /** True once a DELETE was accepted. */
  deleteRequested: boolean;
  /** The JSON body a v1.0 GET returns now (v2 differs for GCP: see the simulator docs). */
  body: Record<string, unknown>;
}

/** The address of an endpoint service in the simulator. */
export interface SimulatorServiceRef {
  /** The project id. */
  groupId: string;
  /** The provider. */
  cloudProvider: SimulatorCloudProvider;
  /** The endpoint service id. */
  endpointServiceId: string;
}

/** An endpoint service as the simulator currently sees it. */
export interface SimulatedEndpointServiceState extends SimulatedEndpointService {
  /** INITIATING, WAITING_FOR_USER, AVAILABLE, FAILED or DELETING. */
  status: string;
  /** The asynchronous error, if any. */
  errorMessage: string | null;
  /** True once its removal started (a DELETE, or its last endpoint gone). */
  deleteRequested: boolean;
  /** The ids of its endpoints (AWS vpce ids, Azure resource ids, GCP endpoint group names). */
  endpointIds: string[];
  /** The JSON body a GET returns now. */
  body: Record<string, unknown>;
}

/** Options of {@linkcode AtlasSimulator.addEndpointService}. */
export interface AddEndpointServiceOptions {
  /** The provider of the service. */
  cloudProvider: SimulatorCloudProvider;
  /** The project; created when unknown. Default: a new random project. */
  groupId?: string;
  /** The service id (24 hex digits). Default: random. */
  endpointServiceId?: string;
  /**
   * The Atlas region name (or the cloud's, e.g. `us-east-1`); one service per provider and region
   * in a project. Default `US_EAST_1` (AWS), `US_EAST_2` (Azure), `CENTRAL_US` (GCP).
   */
  region?: string;
  /** GCP only: one forwarding rule serves every node; creates then need exactly one endpoint. */
  portMappingEnabled?: boolean;
  /**
   * True (the default): the service is ready at once (WAITING_FOR_USER, or AVAILABLE for GCP).
   * False: it stays INITIATING, and creates fail with 409 `PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS`.
   */
  acceptsEndpoints?: boolean;
}

/** A project seeded by {@linkcode AtlasSimulator.seed}: its id and one service id per provider. */
export interface SeededProject {
  /** The project id. */
  groupId: string;
  /** The AWS endpoint service id. */
  AWS: string;
  /** The Azure endpoint service id. */
  AZURE: string;
  /** The GCP endpoint service id. */
  GCP: string;
}

/** Endpoints that end REJECTED/FAILED: endpoint id -> errorMessage, or a function of the ref. */
export type FailEndpoints =
  | Record<string, string>
  | ((endpoint: SimulatorEndpointRef) => string | undefined);

/** The simulator's projects, services and endpoints. */
export interface EndpointStore {
  addGroup(groupId?: string): string;
  addEndpointService(options: AddEndpointServiceOptions): SimulatedEndpointService;
  seed(options?: { groupId?: string }): SeededProject;
  /** True when the project exists. */
  hasGroup(groupId: string): boolean;
  /** A live service of a project, whatever its provider. */
  service(groupId: string, endpointServiceId: string): ServiceRecord | undefined;
  /** The live services of a project for one provider, oldest first. */
  services(groupId: string, provider: SimulatorCloudProvider): ServiceRecord[];
  /** Creates a service for a validated create body; 409 when its region has one already. */
  createService(groupId: string, input: CreateServiceInput): ServiceRecord | SimulatedError;
  /** The service's status now. */
  serviceState(service: ServiceRecord): ServiceStatus;
  /** The service as the API and the tests see it now. */
  serviceSnapshot(service: ServiceRecord): SimulatedEndpointServiceState;
  /** The endpoint record, dropping it when its deletion has completed. */
  liveEndpoint(service: ServiceRecord, endpointId: string): EndpointRecord | undefined;
  /** Stores a new endpoint, created now, for a validated create body. */
  addEndpoint(service: ServiceRecord, input: CreateInput): EndpointRecord;
  /** The endpoint now, its body as `api` (default v1.0) returns it. */
  snapshot(service: ServiceRecord, record: EndpointRecord, api?: "v1.0" | "v2"): SimulatedEndpoint;
  getEndpoint(ref: SimulatorEndpointRef): SimulatedEndpoint | undefined;
  listEndpoints(): SimulatedEndpoint[];
  getEndpointService(ref: SimulatorServiceRef): SimulatedEndpointServiceState | undefined;
  listEndpointServices(): SimulatedEndpointServiceState[];
  setEndpointStatus(
    ref: SimulatorEndpointRef,
    status: string | null,
    errorMessage?: string | null,
  ): void;
  setEndpointServiceStatus(
    ref: SimulatorServiceRef,
    status: string | null,
    errorMessage?: string | null,
  ): void;
  failEndpoint(endpointId: string, errorMessage: string): void;
}

const DEFAULT_REGIONS: Record<SimulatorCloudProvider, string> = {
  AWS: "US_EAST_1",
  AZURE: "US_EAST_2",
  GCP: "CENTRAL_US",
};

/** Atlas's 409 for a second service in a region. */
function regionTaken(provider: SimulatorCloudProvider, region: string): SimulatedError {
  return atlasError(
    409,
    "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION",
    `A private endpoint service already exists for ${provider} region ${region}.`,
    [provider, region],
  );
}

/**
 * Creates an empty store whose statuses follow `now` and `life`. A service made through the API
 * is INITIATING for `serviceReadyMs` (already scaled); when `removeEmptyServices`, a service whose
 * last endpoint is gone goes too (DELETING, then gone), as Atlas's endpoint DELETE describes.
 */
export function createEndpointStore(config: {
  now: () => number;
  life: LifeCycle;
  serviceReadyMs: number;
  removeEmptyServices: boolean;
  failEndpoints: FailEndpoints | undefined;
}): EndpointStore {
  const { now, life } = config;
  const deleteMs = life.deleteMs * life.scale;
  const failures = new Map<string, string>(
    typeof config.failEndpoints === "object" ? Object.entries(config.failEndpoints) : [],
  );
  const failPredicate = typeof config.failEndpoints === "function"
    ? config.failEndpoints
    : undefined;
  const groups = new Map<string, Map<string, ServiceRecord>>();

  const addGroup = (groupId: string = randomHex(12)): string => {
    if (!isHex24(groupId)) {
      throw new RangeError("Cannot add group: groupId must be 24 lowercase hexadecimal characters");
    }
    if (!groups.has(groupId)) groups.set(groupId, new Map());
    return groupId;
  };

  /** Drops the endpoints whose deletion completed, then the service if it is gone; false then. */
  const settle = (service: ServiceRecord): boolean => {
    const t = now();
    for (const [id, record] of service.endpoints) {
      if (!statusAt(record, t, life).gone) continue;
      service.endpoints.delete(id);
      const goneAt = record.deleteRequestedAt! + deleteMs;
      service.lastGoneAt = Math.max(service.lastGoneAt ?? goneAt, goneAt);
    }
    if (
      config.removeEmptyServices && service.endpoints.size === 0 &&
      service.lastGoneAt !== undefined
    ) {
      service.deleteRequestedAt ??= service.lastGoneAt;
    }
    if (service.deleteRequestedAt !== undefined && t - service.deleteRequestedAt >= deleteMs) {
      groups.get(service.groupId)?.delete(service.endpointServiceId);
      return false;
    }
    return true;
  };

  const liveServices = (groupId: string): ServiceRecord[] =>
    [...groups.get(groupId)?.values() ?? []].filter(settle);

  /** True when one of the service's endpoints has connected (AVAILABLE, even if now deleting). */
  const connected = (service: ServiceRecord, t: number): boolean =>
    [...service.endpoints.values()].some(({ deleteRequestedAt, ...record }) =>
      statusAt(record, Math.min(t, deleteRequestedAt ?? t), life).status === "AVAILABLE"
    );

  const serviceState = (service: ServiceRecord): ServiceStatus => {
    const t = now();
    return serviceStatusAt(service, t, deleteMs, connected(service, t));
  };

  const serviceSnapshot = (service: ServiceRecord): SimulatedEndpointServiceState => {
    settle(service);
    const state = serviceState(service);
    const endpointIds = [...service.endpoints.keys()];
    return {
      groupId: service.groupId,
      endpointServiceId: service.endpointServiceId,
      cloudProvider: service.cloudProvider,
      region: service.region,
      portMappingEnabled: service.portMappingEnabled,
      status: state.status,
      errorMessage: state.errorMessage,
      deleteRequested: service.deleteRequestedAt !== undefined,
      endpointIds,
      body: serviceRepresentation(service, state, endpointIds),
    };
  };

  const insertService = (
    groupId: string,
    endpointServiceId: string,
    input: CreateServiceInput,
    readyAt: number,
  ): ServiceRecord => {
    const record: ServiceRecord = {
      groupId,
      endpointServiceId,
      ...input,
      names: serviceNames(
        input.cloudProvider,
        input.region,
        endpointServiceId,
        input.portMappingEnabled,
      ),
      readyAt,
      endpoints: new Map(),
    };
    groups.get(groupId)!.set(endpointServiceId, record);
    return record;
  };

  const inRegion = (groupId: string, provider: SimulatorCloudProvider, region: string) =>
    liveServices(groupId).some((s) => s.cloudProvider === provider && s.region === region);

  const addEndpointService = (o: AddEndpointServiceOptions): SimulatedEndpointService => {
    const fail = (message: string): never => {
      throw new RangeError(`Cannot add endpoint service: ${message}`);
    };
    if (!PROVIDERS.includes(o.cloudProvider)) fail(`unknown provider ${o.cloudProvider}`);
    const groupId = addGroup(o.groupId);
    const endpointServiceId = o.endpointServiceId ?? randomHex(12);
    if (!isHex24(endpointServiceId)) {
      fail("endpointServiceId must be 24 lowercase hexadecimal characters");
    }
    if (groups.get(groupId)!.has(endpointServiceId)) fail(`${endpointServiceId} already exists`);
    const region = atlasRegion(o.cloudProvider, o.region ?? DEFAULT_REGIONS[o.cloudProvider]) ??
      fail(`region ${o.region} is not a region name`);
    if (inRegion(groupId, o.cloudProvider, region)) {
      fail(`project ${groupId} has a ${o.cloudProvider} service in ${region} already`);
    }
    const record = insertService(groupId, endpointServiceId, {
      cloudProvider: o.cloudProvider,
      region,
      portMappingEnabled: o.cloudProvider === "GCP" && (o.portMappingEnabled ?? false),
      supportedRemoteRegions: [],
    }, o.acceptsEndpoints === false ? Infinity : now());
    return {
      groupId,
      endpointServiceId,
      cloudProvider: record.cloudProvider,
      region: record.region,
      portMappingEnabled: record.portMappingEnabled,
    };
  };

  const service = (groupId: string, endpointServiceId: string): ServiceRecord | undefined => {
    const record = groups.get(groupId)?.get(endpointServiceId);
    return record && settle(record) ? record : undefined;
  };

  const liveEndpoint = (record: ServiceRecord, endpointId: string): EndpointRecord | undefined => {
    settle(record);
    return record.endpoints.get(endpointId);
  };

  const snapshot = (
    record: ServiceRecord,
    endpoint: EndpointRecord,
    api: "v1.0" | "v2" = "v1.0",
  ): SimulatedEndpoint => {
    const state = statusAt(endpoint, now(), life);
    return {
      groupId: record.groupId,
      cloudProvider: record.cloudProvider,
      endpointServiceId: record.endpointServiceId,
      endpointId: endpoint.endpointId,
      status: state.status,
      errorMessage: state.errorMessage,
      deleteRequested: endpoint.deleteRequestedAt !== undefined,
      body: representation(endpoint, state, record, api),
    };
  };

  /** The live service a ref names, when its provider matches. */
  const findService = (ref: SimulatorServiceRef): ServiceRecord | undefined => {
    const record = service(ref.groupId, ref.endpointServiceId);
    return record?.cloudProvider === ref.cloudProvider ? record : undefined;
  };

  /** The live endpoint a ref names, with its service. */
  const find = (
    ref: SimulatorEndpointRef,
  ): { service: ServiceRecord; endpoint: EndpointRecord } | undefined => {
    const record = findService(ref);
    const endpoint = record && liveEndpoint(record, ref.endpointId);
    return endpoint && { service: record!, endpoint };
  };

  const allServices = (): ServiceRecord[] => [...groups.keys()].flatMap(liveServices);

  return {
    addGroup,
    addEndpointService,
    seed(o: { groupId?: string } = {}): SeededProject {
      const groupId = addGroup(o.groupId);
      const id = (cloudProvider: SimulatorCloudProvider) =>
        addEndpointService({ cloudProvider, groupId }).endpointServiceId;
      return { groupId, AWS: id("AWS"), AZURE: id("AZURE"), GCP: id("GCP") };
    },
    hasGroup: (groupId: string): boolean => groups.has(groupId),
    service,
    services: (groupId: string, provider: SimulatorCloudProvider): ServiceRecord[] =>
      liveServices(groupId).filter((s) => s.cloudProvider === provider),
    createService(groupId: string, input: CreateServiceInput): ServiceRecord | SimulatedError {
      if (inRegion(groupId, input.cloudProvider, input.region)) {
        return regionTaken(input.cloudProvider, input.region);
      }
      return insertService(groupId, randomHex(12), input, now() + config.serviceReadyMs);
    },
    serviceState,
    serviceSnapshot,
    liveEndpoint,
    addEndpoint(record: ServiceRecord, input: CreateInput): EndpointRecord {
      const endpointId = endpointIdOf(input);
      const ref: SimulatorEndpointRef = {
        groupId: record.groupId,
        cloudProvider: record.cloudProvider,
        endpointServiceId: record.endpointServiceId,
        endpointId,
      };
      const failMessage = failures.get(endpointId) ?? failPredicate?.(ref) ?? unconnectable(input);
      const endpoint: EndpointRecord = {
        cloudProvider: record.cloudProvider,
        endpointId,
        createdAt: now(),
        ...(failMessage === undefined ? {} : { failMessage }),
      };
      if (input.cloudProvider === "AZURE") {
        endpoint.privateEndpointIPAddress = input.privateEndpointIPAddress;
        const name = endpointId.slice(endpointId.lastIndexOf("/") + 1);
        endpoint.connectionName = `${crypto.randomUUID()}/${record.endpointServiceId}/${name}`;
      } else if (input.cloudProvider === "GCP") {
        endpoint.gcpProjectId = input.gcpProjectId;
        endpoint.endpoints = input.endpoints;
      }
      record.endpoints.set(endpointId, endpoint);
      return endpoint;
    },
    snapshot,
    getEndpoint(ref: SimulatorEndpointRef): SimulatedEndpoint | undefined {
      const found = find(ref);
      return found && snapshot(found.service, found.endpoint);
    },
    listEndpoints(): SimulatedEndpoint[] {
      return allServices().flatMap((record) =>
        [...record.endpoints.values()].map((endpoint) => snapshot(record, endpoint))
      );
    },
    getEndpointService(ref: SimulatorServiceRef): SimulatedEndpointServiceState | undefined {
      const record = findService(ref);
      return record && serviceSnapshot(record);
    },
    listEndpointServices(): SimulatedEndpointServiceState[] {
      return allServices().map(serviceSnapshot);
    },
    setEndpointStatus(
      ref: SimulatorEndpointRef,
      status: string | null,
      errorMessage: string | null = null,
    ): void {
      const endpoint = find(ref)?.endpoint;
      if (!endpoint) {
        throw new RangeError(
          `Cannot set endpoint status: no ${ref.cloudProvider} endpoint ${ref.endpointId} in endpoint service ${ref.endpointServiceId}`,
        );
      }
      if (status === null) delete endpoint.forced;
      else endpoint.forced = { status, errorMessage };
    },
    setEndpointServiceStatus(
      ref: SimulatorServiceRef,
      status: string | null,
      errorMessage: string | null = null,
    ): void {
      const record = findService(ref);
      if (!record) {
        throw new RangeError(
          `Cannot set endpoint service status: no ${ref.cloudProvider} endpoint service ${ref.endpointServiceId} in project ${ref.groupId}`,
        );
      }
      if (status === null) delete record.forced;
      else record.forced = { status, errorMessage };
    },
    failEndpoint(endpointId: string, errorMessage: string): void {
      failures.set(endpointId, errorMessage);
      for (const services of groups.values()) {
        for (const record of services.values()) {
          const endpoint = record.endpoints.get(endpointId);
          if (endpoint) endpoint.failMessage = errorMessage;
        }
      }
    },
  };
}
