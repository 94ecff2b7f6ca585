// The simulator's state: projects, their endpoint services and endpoints, what tests seed and
// inspect, and the failures they plan. Statuses are computed from the clock when read (no timers).
import { randomHex } from "../digest/_hash.ts";
import {
  type CreateInput,
  endpointIdOf,
  type EndpointRecord,
  isHex24,
  type LifeCycle,
  PROVIDERS,
  representation,
  type ServiceRecord,
  type SimulatedEndpointService,
  type SimulatorCloudProvider,
  statusAt,
} from "./_simulator_model.ts";

/** The address of an endpoint in the simulator. */
export interface SimulatorEndpointRef {
  /** The project id. */
  groupId: string;
  /** The provider. */
  cloudProvider: SimulatorCloudProvider;
  /** The endpoint service id. */
  endpointServiceId: string;
  /** AWS vpce id, Azure resource id (raw, not percent-encoded) or GCP endpoint group name. */
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
  /** The Atlas region name. Default `US_EAST_1` (AWS), `US_EAST_2` (Azure), `CENTRAL_US` (GCP). */
  region?: string;
  /** GCP only: one forwarding rule serves every node; creates then need exactly one endpoint. */
  portMappingEnabled?: boolean;
  /** False makes creates fail with 409 `PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS`. Default true. */
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
  /** The services of a project, or undefined when the project is unknown. */
  group(groupId: string): ReadonlyMap<string, ServiceRecord> | undefined;
  /** The endpoint record, dropping it when its deletion has completed. */
  liveEndpoint(service: ServiceRecord, endpointId: string): EndpointRecord | undefined;
  /** Stores a new endpoint, created now, for a validated create body. */
  addEndpoint(service: ServiceRecord, input: CreateInput): EndpointRecord;
  snapshot(service: ServiceRecord, record: EndpointRecord): SimulatedEndpoint;
  getEndpoint(ref: SimulatorEndpointRef): SimulatedEndpoint | undefined;
  listEndpoints(): SimulatedEndpoint[];
  setEndpointStatus(
    ref: SimulatorEndpointRef,
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

/** Creates an empty store whose statuses follow `now` and `life`. */
export function createEndpointStore(config: {
  now: () => number;
  life: LifeCycle;
  failEndpoints: FailEndpoints | undefined;
}): EndpointStore {
  const { now, life } = config;
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

  const addEndpointService = (o: AddEndpointServiceOptions): SimulatedEndpointService => {
    if (!PROVIDERS.includes(o.cloudProvider)) {
      throw new RangeError(`Cannot add endpoint service: unknown provider ${o.cloudProvider}`);
    }
    const groupId = addGroup(o.groupId);
    const endpointServiceId = o.endpointServiceId ?? randomHex(12);
    if (!isHex24(endpointServiceId)) {
      throw new RangeError(
        "Cannot add endpoint service: endpointServiceId must be 24 lowercase hexadecimal characters",
      );
    }
    const services = groups.get(groupId)!;
    if (services.has(endpointServiceId)) {
      throw new RangeError(`Cannot add endpoint service: ${endpointServiceId} already exists`);
    }
    const record: ServiceRecord = {
      groupId,
      endpointServiceId,
      cloudProvider: o.cloudProvider,
      region: o.region ?? DEFAULT_REGIONS[o.cloudProvider],
      portMappingEnabled: o.cloudProvider === "GCP" && (o.portMappingEnabled ?? false),
      acceptsEndpoints: o.acceptsEndpoints ?? true,
      endpoints: new Map(),
    };
    services.set(endpointServiceId, record);
    return {
      groupId,
      endpointServiceId,
      cloudProvider: record.cloudProvider,
      region: record.region,
      portMappingEnabled: record.portMappingEnabled,
    };
  };

  const liveEndpoint = (service: ServiceRecord, endpointId: string): EndpointRecord | undefined => {
    const record = service.endpoints.get(endpointId);
    if (!record) return undefined;
    if (statusAt(record, now(), life).gone) {
      service.endpoints.delete(endpointId);
      return undefined;
    }
    return record;
  };

  const snapshot = (service: ServiceRecord, record: EndpointRecord): SimulatedEndpoint => {
    const state = statusAt(record, now(), life);
    return {
      groupId: service.groupId,
      cloudProvider: service.cloudProvider,
      endpointServiceId: service.endpointServiceId,
      endpointId: record.endpointId,
      status: state.status,
      errorMessage: state.errorMessage,
      deleteRequested: record.deleteRequestedAt !== undefined,
      body: representation(record, state, service),
    };
  };

  /** The live endpoint a ref names, with its service. */
  const find = (
    ref: SimulatorEndpointRef,
  ): { service: ServiceRecord; endpoint: EndpointRecord } | undefined => {
    const service = groups.get(ref.groupId)?.get(ref.endpointServiceId);
    if (service?.cloudProvider !== ref.cloudProvider) return undefined;
    const endpoint = liveEndpoint(service, ref.endpointId);
    return endpoint && { service, endpoint };
  };

  return {
    addGroup,
    addEndpointService,
    seed(o: { groupId?: string } = {}): SeededProject {
      const groupId = addGroup(o.groupId);
      const id = (cloudProvider: SimulatorCloudProvider) =>
        addEndpointService({ cloudProvider, groupId }).endpointServiceId;
      return { groupId, AWS: id("AWS"), AZURE: id("AZURE"), GCP: id("GCP") };
    },
    group: (groupId: string): ReadonlyMap<string, ServiceRecord> | undefined => groups.get(groupId),
    liveEndpoint,
    addEndpoint(service: ServiceRecord, input: CreateInput): EndpointRecord {
      const endpointId = endpointIdOf(input);
      const ref: SimulatorEndpointRef = {
        groupId: service.groupId,
        cloudProvider: service.cloudProvider,
        endpointServiceId: service.endpointServiceId,
        endpointId,
      };
      const failMessage = failures.get(endpointId) ?? failPredicate?.(ref);
      const record: EndpointRecord = {
        cloudProvider: service.cloudProvider,
        endpointId,
        createdAt: now(),
        ...(failMessage === undefined ? {} : { failMessage }),
      };
      if (input.cloudProvider === "AZURE") {
        record.privateEndpointIPAddress = input.privateEndpointIPAddress;
        const name = endpointId.slice(endpointId.lastIndexOf("/") + 1);
        record.connectionName = `${crypto.randomUUID()}/${service.endpointServiceId}/${name}`;
      } else if (input.cloudProvider === "GCP") {
        record.gcpProjectId = input.gcpProjectId;
        record.endpoints = input.endpoints;
      }
      service.endpoints.set(endpointId, record);
      return record;
    },
    snapshot,
    getEndpoint(ref: SimulatorEndpointRef): SimulatedEndpoint | undefined {
      const found = find(ref);
      return found && snapshot(found.service, found.endpoint);
    },
    listEndpoints(): SimulatedEndpoint[] {
      const out: SimulatedEndpoint[] = [];
      for (const services of groups.values()) {
        for (const service of services.values()) {
          for (const id of [...service.endpoints.keys()]) {
            const endpoint = liveEndpoint(service, id);
            if (endpoint) out.push(snapshot(service, endpoint));
          }
        }
      }
      return out;
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
    failEndpoint(endpointId: string, errorMessage: string): void {
      failures.set(endpointId, errorMessage);
      for (const services of groups.values()) {
        for (const service of services.values()) {
          const endpoint = service.endpoints.get(endpointId);
          if (endpoint) endpoint.failMessage = errorMessage;
        }
      }
    },
  };
}
