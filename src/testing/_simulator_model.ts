// The simulator's data model: endpoint services and endpoints, create-body validation per
// provider, and the status life cycles, computed from the clock (no timers), so the simulator
// works the same in-process, under serve() and in a Worker.
import type { components } from "../../gen/atlas.ts";
import {
  atlasError,
  invalidAttribute,
  missingAttribute,
  type SimulatedError,
} from "./_simulator_errors.ts";

/** A cloud provider of the simulator. */
export type SimulatorCloudProvider = "AWS" | "AZURE" | "GCP";

/** The providers, in the order the simulator seeds them. */
export const PROVIDERS: readonly SimulatorCloudProvider[] = ["AWS", "AZURE", "GCP"];

/** One phase of a status life cycle: a status held for a duration (before time scaling). */
export interface SimulatorPhase {
  /** The status reported during the phase, e.g. `"PENDING_ACCEPTANCE"`. */
  status: string;
  /** How long the phase lasts, in milliseconds of simulated time (before `timeScale`). */
  durationMs: number;
}

/** The default life cycles: each phase in turn, then AVAILABLE (or REJECTED/FAILED). */
export const DEFAULT_PHASES: Record<SimulatorCloudProvider, SimulatorPhase[]> = {
  AWS: [
    { status: "PENDING_ACCEPTANCE", durationMs: 2_000 },
    { status: "PENDING", durationMs: 3_000 },
  ],
  AZURE: [{ status: "INITIATING", durationMs: 4_000 }],
  GCP: [
    { status: "INITIATING", durationMs: 2_500 },
    { status: "VERIFIED", durationMs: 2_000 },
  ],
};

/** An endpoint service seeded into the simulator. */
export interface SimulatedEndpointService {
  /** The project id. */
  groupId: string;
  /** The service id. */
  endpointServiceId: string;
  /** The provider. */
  cloudProvider: SimulatorCloudProvider;
  /** The Atlas region name. */
  region: string;
  /** GCP port mapping. */
  portMappingEnabled: boolean;
}

/** What endpoints see of their service: its fields and its GCP service attachments. */
export interface ServiceView extends SimulatedEndpointService {
  /** GCP: the service attachment URLs, one per forwarding rule in turn. */
  names?: { serviceAttachmentNames?: string[] };
}

/** A GCP forwarding rule as sent. */
export interface GcpRule {
  endpointName: string;
  ipAddress: string;
}

/** An endpoint as stored. */
export interface EndpointRecord {
  cloudProvider: SimulatorCloudProvider;
  /**
   * The endpoint id: AWS vpce id, Azure resource id, GCP endpoint group name (for a service with
   * port mapping, its one forwarding rule's name).
   */
  endpointId: string;
  createdAt: number;
  deleteRequestedAt?: number;
  /** Set when the endpoint is to end REJECTED/FAILED. */
  failMessage?: string;
  /** A status forced by the test, overriding the life cycle. */
  forced?: { status: string; errorMessage: string | null };
  privateEndpointIPAddress?: string;
  connectionName?: string;
  gcpProjectId?: string;
  endpoints?: GcpRule[];
}

const HEX24 = /^[0-9a-f]{24}$/;
const VPCE = /^vpce-[0-9a-zA-Z]+$/;
const AZURE_ID =
  /^\/subscriptions\/[^/]+\/resource[gG]roups\/[^/]+\/providers\/Microsoft\.Network\/privateEndpoints\/[^/]+$/;
const IP = /^(?:((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4})$/;

/** True for a 24-hex-digit Atlas id. */
export function isHex24(value: string): boolean {
  return HEX24.test(value);
}

/** True for an AWS interface endpoint id as Atlas accepts it. */
export function isVpceId(value: string): boolean {
  return VPCE.test(value);
}

const AWS_ISSUED = /^vpce-(?:[0-9a-f]{17}|[0-9a-f]{8})$/;

/**
 * Why AWS cannot connect an endpoint id Atlas accepted, or undefined: Atlas takes any vpce- id
 * with letters and digits, but AWS issues only 17 (formerly 8) lowercase hex digits, so any other
 * id names no interface endpoint and ends REJECTED once Atlas asks AWS.
 */
export function unconnectable(input: CreateInput): string | undefined {
  if (input.cloudProvider !== "AWS" || AWS_ISSUED.test(input.id)) return undefined;
  return "Failed to accept interface endpoint due to an error with " +
    `code={InvalidVpcEndpointId.NotFound} from AWS API: The Vpc Endpoint Id '${input.id}' does not exist`;
}

/** The validated fields of a create request. */
export type CreateInput =
  | { cloudProvider: "AWS"; id: string }
  | { cloudProvider: "AZURE"; id: string; privateEndpointIPAddress: string }
  | {
    cloudProvider: "GCP";
    endpointGroupName: string;
    gcpProjectId: string;
    endpoints: GcpRule[];
    /** The service has port mapping: one rule, whose name Atlas keeps as the id. */
    portMapped: boolean;
  };

const FIELDS: Record<SimulatorCloudProvider, { required: string[]; optional: string[] }> = {
  AWS: { required: ["id"], optional: [] },
  AZURE: { required: ["id", "privateEndpointIPAddress"], optional: [] },
  GCP: { required: ["endpointGroupName", "gcpProjectId"], optional: ["endpoints"] },
};

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/**
 * Validates a create body for a provider, as Atlas does: unknown fields (including another
 * provider's) are rejected, required ones must be there, values must be well-formed. A
 * `cloudProvider` field equal to the path's provider is tolerated (the v2 schema allows it).
 */
export function validateCreateBody(
  provider: SimulatorCloudProvider,
  body: unknown,
  service: ServiceView,
): CreateInput | SimulatedError {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return atlasError(400, "INVALID_JSON", "Received JSON does not match expected format.");
  }
  const record = body as Record<string, unknown>;
  const { required, optional } = FIELDS[provider];
  for (const key of Object.keys(record)) {
    if (key === "cloudProvider" && record[key] === provider) continue;
    if (!required.includes(key) && !optional.includes(key)) return invalidAttribute(key);
  }
  for (const key of required) {
    if (record[key] === undefined || record[key] === null) return missingAttribute(key);
    if (!nonEmptyString(record[key])) return invalidAttribute(key);
  }
  switch (provider) {
    case "AWS": {
      const id = record.id as string;
      if (!isVpceId(id)) return invalidAttribute("id");
      return { cloudProvider: "AWS", id };
    }
    case "AZURE": {
      const id = record.id as string;
      const ip = record.privateEndpointIPAddress as string;
      if (!AZURE_ID.test(id)) return invalidAttribute("id");
      if (!IP.test(ip)) return invalidAttribute("privateEndpointIPAddress");
      return { cloudProvider: "AZURE", id, privateEndpointIPAddress: ip };
    }
    case "GCP": {
      const endpoints: GcpRule[] = [];
      const raw = record.endpoints;
      if (raw !== undefined) {
        if (!Array.isArray(raw)) return invalidAttribute("endpoints");
        for (const [i, item] of raw.entries()) {
          if (typeof item !== "object" || item === null || Array.isArray(item)) {
            return invalidAttribute(`endpoints[${i}]`);
          }
          const rule = item as Record<string, unknown>;
          for (const key of Object.keys(rule)) {
            if (key !== "endpointName" && key !== "ipAddress") {
              return invalidAttribute(`endpoints[${i}].${key}`);
            }
          }
          if (rule.endpointName === undefined) {
            return missingAttribute(`endpoints[${i}].endpointName`);
          }
          if (rule.ipAddress === undefined) return missingAttribute(`endpoints[${i}].ipAddress`);
          if (!nonEmptyString(rule.endpointName)) {
            return invalidAttribute(`endpoints[${i}].endpointName`);
          }
          if (typeof rule.ipAddress !== "string" || !IP.test(rule.ipAddress)) {
            return invalidAttribute(`endpoints[${i}].ipAddress`);
          }
          endpoints.push({ endpointName: rule.endpointName, ipAddress: rule.ipAddress });
        }
      }
      // Port mapping: exactly one rule, and endpointGroupName "still required but ignored".
      if (service.portMappingEnabled) {
        if (raw === undefined) return missingAttribute("endpoints");
        if (endpoints.length !== 1) return invalidAttribute("endpoints");
      }
      return {
        cloudProvider: "GCP",
        endpointGroupName: record.endpointGroupName as string,
        gcpProjectId: record.gcpProjectId as string,
        endpoints,
        portMapped: service.portMappingEnabled,
      };
    }
  }
}

/**
 * The id under which a created endpoint is stored and addressed: for GCP the endpoint group name,
 * or with port mapping the one forwarding rule's name (Atlas ignores the group name sent then, and
 * answers the rule's name in `endpointGroupName`, the official spec says; the Terraform provider
 * reads and deletes such an endpoint by the rule's name).
 */
export function endpointIdOf(input: CreateInput): string {
  if (input.cloudProvider !== "GCP") return input.id;
  return input.portMapped ? input.endpoints[0]!.endpointName : input.endpointGroupName;
}

/** Timing of the life cycles, already scaled. */
export interface LifeCycle {
  phases: Record<SimulatorCloudProvider, SimulatorPhase[]>;
  deleteMs: number;
  scale: number;
}

/** Where an endpoint is in its life: its status and error, or gone after deletion. */
export interface EndpointStatus {
  status: string;
  errorMessage: string | null;
  gone: boolean;
}

/** The terminal failure status of a provider. */
export function failedStatus(provider: SimulatorCloudProvider): string {
  return provider === "AWS" ? "REJECTED" : "FAILED";
}

/** Computes an endpoint's status at time `now`. */
export function statusAt(record: EndpointRecord, now: number, life: LifeCycle): EndpointStatus {
  if (record.deleteRequestedAt !== undefined) {
    const gone = now - record.deleteRequestedAt >= life.deleteMs * life.scale;
    return { status: "DELETING", errorMessage: record.forced?.errorMessage ?? null, gone };
  }
  if (record.forced) return { ...record.forced, gone: false };
  let elapsed = now - record.createdAt;
  for (const phase of life.phases[record.cloudProvider]) {
    elapsed -= phase.durationMs * life.scale;
    if (elapsed < 0) return { status: phase.status, errorMessage: null, gone: false };
  }
  if (record.failMessage !== undefined) {
    return {
      status: failedStatus(record.cloudProvider),
      errorMessage: record.failMessage,
      gone: false,
    };
  }
  return { status: "AVAILABLE", errorMessage: null, gone: false };
}

function gcpRuleStatus(groupStatus: string): string {
  switch (groupStatus) {
    case "VERIFIED":
    case "AVAILABLE":
      return "AVAILABLE";
    case "FAILED":
    case "DELETING":
    case "INITIATING":
      return groupStatus;
    default:
      return "INITIATING";
  }
}

/** The service attachment a GCP forwarding rule maps to, as the project-relative path. */
function attachmentOf(service: ServiceView, i: number): string {
  const names = service.names?.serviceAttachmentNames ?? [];
  const url = names[i % Math.max(1, names.length)] ??
    `projects/p-${service.endpointServiceId}/regions/${service.region.toLowerCase()}/serviceAttachments/sa-${i}`;
  return url.slice(url.indexOf("projects/"));
}

/** `fields` without those that are undefined (JSON leaves them out; the spec's types do too). */
function defined<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * The endpoint as the API returns it, to a create and to a read alike, always with `cloudProvider`
 * (which v1.0 may omit: UNCONFIRMED, so kept). GCP forwarding rules carry `serviceAttachmentName`
 * on v1.0 only (v2's schema has none); the group's `gcpProjectId` and `portMappingEnabled` are v2
 * additions that v1.0 does not send (its docs' response table lists neither). With port mapping,
 * `endpointGroupName` is the forwarding rule's name (the endpoint id). Typed by the spec, so a
 * field the spec does not know fails the type check.
 */
export function representation(
  record: EndpointRecord,
  state: EndpointStatus,
  service: ServiceView,
  api: "v1.0" | "v2",
): components["schemas"]["PrivateEndpoint"] {
  const common = {
    deleteRequested: record.deleteRequestedAt !== undefined,
    errorMessage: state.errorMessage,
  };
  switch (record.cloudProvider) {
    case "AWS":
      return {
        cloudProvider: "AWS",
        interfaceEndpointId: record.endpointId,
        connectionStatus: state.status,
        ...common,
      };
    case "AZURE":
      return {
        cloudProvider: "AZURE",
        privateEndpointResourceId: record.endpointId,
        ...defined({
          privateEndpointIPAddress: record.privateEndpointIPAddress,
          privateEndpointConnectionName: record.connectionName,
        }),
        status: state.status,
        ...common,
      };
    case "GCP":
      return {
        cloudProvider: "GCP",
        endpointGroupName: record.endpointId,
        ...(api === "v2"
          ? {
            ...defined({ gcpProjectId: record.gcpProjectId }),
            portMappingEnabled: service.portMappingEnabled,
          }
          : {}),
        endpoints: (record.endpoints ?? []).map((rule, i) => ({
          endpointName: rule.endpointName,
          ipAddress: rule.ipAddress,
          ...(api === "v1.0" ? { serviceAttachmentName: attachmentOf(service, i) } : {}),
          status: gcpRuleStatus(state.status),
        })),
        status: state.status,
        ...common,
      };
  }
}
