/**
 * The types of the high-level Atlas private endpoint API: inputs per provider, and the endpoint
 * Atlas returns, as unions discriminated by `cloudProvider`.
 *
 * Statuses are open string unions: the known values autocomplete, and a status Atlas adds in the
 * future is still accepted (`string & Record<never, never>` keeps the literals from collapsing
 * into `string`).
 *
 * @module
 */
import type { RateLimitEvent } from "./rate_limit.ts";
import type { RetryOptions } from "./retry.ts";

/** A cloud provider that Atlas private endpoints support. */
export type CloudProvider = "AWS" | "AZURE" | "GCP";

/** The Atlas private endpoint service that an endpoint belongs to. */
export interface EndpointServiceRef {
  /** The Atlas project id: 24 lowercase hexadecimal characters. */
  groupId: string;
  /** The private endpoint service id: 24 lowercase hexadecimal characters. */
  endpointServiceId: string;
}

/** Input of {@linkcode createPrivateEndpoint} for an AWS interface endpoint. */
export interface CreateAwsPrivateEndpointInput extends EndpointServiceRef {
  /** Always `"AWS"`. */
  cloudProvider: "AWS";
  /** The interface endpoint id in your VPC, e.g. `vpce-0123456789abcdef0`. */
  id: string;
}

/** Input of {@linkcode createPrivateEndpoint} for an Azure private endpoint. */
export interface CreateAzurePrivateEndpointInput extends EndpointServiceRef {
  /** Always `"AZURE"`. */
  cloudProvider: "AZURE";
  /**
   * The Azure resource id of the private endpoint, as Azure prints it (not percent-encoded):
   * `/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/privateEndpoints/{name}`.
   */
  id: string;
  /** The private IP address of the endpoint in your VNet, e.g. `10.0.0.4`. */
  privateEndpointIPAddress: string;
}

/** One Google Cloud forwarding rule of an endpoint group to create. */
export interface GcpForwardingRuleInput {
  /** The forwarding rule's name in your Google Cloud project. */
  endpointName: string;
  /** The private IP address the forwarding rule resolves to. */
  ipAddress: string;
}

/** Input of {@linkcode createPrivateEndpoint} for a Google Cloud endpoint group. */
export interface CreateGcpPrivateEndpointInput extends EndpointServiceRef {
  /** Always `"GCP"`. */
  cloudProvider: "GCP";
  /** The endpoint group's name; it is the `endpointId` to read or delete the group later. */
  endpointGroupName: string;
  /** Your Google Cloud project id (not checked against any pattern). */
  gcpProjectId: string;
  /**
   * The forwarding rules: one per Atlas service attachment for legacy services, exactly one for
   * services with port mapping. When given, it must not be empty.
   */
  endpoints?: readonly GcpForwardingRuleInput[] | undefined;
}

/**
 * Input of {@linkcode createPrivateEndpoint}: the service, the provider, and its body fields.
 *
 * @example One input per provider
 * ```ts
 * import type { CreatePrivateEndpointInput } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const service = { groupId: "32b6e34b3d91647abb20e7b8", endpointServiceId: "5f4fc14da2b47835a58c63a2" };
 * const inputs: CreatePrivateEndpointInput[] = [
 *   { ...service, cloudProvider: "AWS", id: "vpce-0123456789abcdef0" },
 *   {
 *     ...service,
 *     cloudProvider: "AZURE",
 *     id: "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe",
 *     privateEndpointIPAddress: "10.0.0.4",
 *   },
 *   {
 *     ...service,
 *     cloudProvider: "GCP",
 *     endpointGroupName: "atlas-group",
 *     gcpProjectId: "my-project",
 *     endpoints: [{ endpointName: "atlas-rule-0", ipAddress: "10.142.0.5" }],
 *   },
 * ];
 * assert.deepEqual(inputs.map((input) => input.cloudProvider), ["AWS", "AZURE", "GCP"]);
 * ```
 */
export type CreatePrivateEndpointInput =
  | CreateAwsPrivateEndpointInput
  | CreateAzurePrivateEndpointInput
  | CreateGcpPrivateEndpointInput;

/** Identifies one private endpoint, to read, delete or wait for it. */
export interface PrivateEndpointRef extends EndpointServiceRef {
  /** The provider of the endpoint service. */
  cloudProvider: CloudProvider;
  /**
   * The endpoint: for AWS the `vpce-…` id; for Azure the resource id as Azure prints it (the client
   * percent-encodes it); for Google Cloud the endpoint group name. {@linkcode privateEndpointId}
   * returns it for an endpoint Atlas returned.
   */
  endpointId: string;
}

/**
 * The state of an AWS PrivateLink connection: `NONE` (Atlas is ready, AWS has not created the
 * endpoint yet), `PENDING_ACCEPTANCE`, `PENDING`, `AVAILABLE`, `REJECTED`, `DELETING`, or a status
 * added later.
 */
export type AwsConnectionStatus =
  | "NONE"
  | "PENDING_ACCEPTANCE"
  | "PENDING"
  | "AVAILABLE"
  | "REJECTED"
  | "DELETING"
  | (string & Record<never, never>);

/** The state of an Azure private endpoint: `INITIATING`, `AVAILABLE`, `FAILED`, `DELETING`, or later ones. */
export type AzureEndpointStatus =
  | "INITIATING"
  | "AVAILABLE"
  | "FAILED"
  | "DELETING"
  | (string & Record<never, never>);

/**
 * The state of a Google Cloud endpoint group: `INITIATING`, `VERIFIED` (rules mapped to service
 * attachments), `AVAILABLE`, `FAILED`, `DELETING`, or later ones.
 */
export type GcpEndpointGroupStatus =
  | "INITIATING"
  | "VERIFIED"
  | "AVAILABLE"
  | "FAILED"
  | "DELETING"
  | (string & Record<never, never>);

/** The state of one Google Cloud forwarding rule: `INITIATING`, `AVAILABLE`, `FAILED`, `DELETING`, or later ones. */
export type GcpForwardingRuleStatus =
  | "INITIATING"
  | "AVAILABLE"
  | "FAILED"
  | "DELETING"
  | (string & Record<never, never>);

/** An AWS interface endpoint as Atlas reports it. */
export interface AwsPrivateEndpoint {
  /** Always `"AWS"` (filled in from the request when Atlas leaves it out). */
  cloudProvider: "AWS";
  /** The interface endpoint id in your VPC (`vpce-…`). */
  interfaceEndpointId?: string;
  /** How far the connection has come. */
  connectionStatus?: AwsConnectionStatus;
  /** True once someone asked Atlas to remove the endpoint. */
  deleteRequested?: boolean;
  /** Why the connection failed, when it did; null or absent otherwise. */
  errorMessage?: string | null;
}

/** An Azure private endpoint as Atlas reports it. */
export interface AzurePrivateEndpoint {
  /** Always `"AZURE"` (filled in from the request when Atlas leaves it out). */
  cloudProvider: "AZURE";
  /** The Azure resource id of the private endpoint, not percent-encoded. */
  privateEndpointResourceId?: string;
  /** The private IP address of the endpoint in your VNet. */
  privateEndpointIPAddress?: string;
  /** The name Atlas gave the Private Link connection (opaque). */
  privateEndpointConnectionName?: string;
  /** How far the connection has come. */
  status?: AzureEndpointStatus;
  /** True once someone asked Atlas to remove the endpoint. */
  deleteRequested?: boolean;
  /** Why the connection failed, when it did; null or absent otherwise. */
  errorMessage?: string | null;
}

/** One forwarding rule of a Google Cloud endpoint group, as Atlas reports it. */
export interface GcpForwardingRule {
  /** The forwarding rule's name in your project. */
  endpointName?: string;
  /** The private IP address the rule resolves to. */
  ipAddress?: string;
  /** The Atlas service attachment the rule points at. */
  serviceAttachmentName?: string;
  /** The rule's own state. */
  status?: GcpForwardingRuleStatus;
}

/** A Google Cloud endpoint group as Atlas reports it. */
export interface GcpPrivateEndpoint {
  /** Always `"GCP"` (filled in from the request when Atlas leaves it out). */
  cloudProvider: "GCP";
  /** An identifier that version 1.0 of the API may report for the group. */
  id?: string;
  /** The group's name; the `endpointId` to read or delete it. */
  endpointGroupName?: string;
  /** The Google Cloud project holding the forwarding rules. */
  gcpProjectId?: string;
  /** True when the endpoint service uses port mapping. */
  portMappingEnabled?: boolean;
  /** The forwarding rules, each with its own status. */
  endpoints?: GcpForwardingRule[];
  /** How far the group has come. */
  status?: GcpEndpointGroupStatus;
  /** True once someone asked Atlas to remove the group. */
  deleteRequested?: boolean;
  /** Why the connection failed, when it did; null or absent otherwise. */
  errorMessage?: string | null;
}

/**
 * A private endpoint as Atlas reports it, discriminated by `cloudProvider` (always set).
 *
 * @example Narrow by provider
 * ```ts
 * import type { PrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * function describe(endpoint: PrivateEndpoint): string {
 *   switch (endpoint.cloudProvider) {
 *     case "AWS":
 *       return `${endpoint.interfaceEndpointId} ${endpoint.connectionStatus}`;
 *     case "AZURE":
 *       return `${endpoint.privateEndpointIPAddress} ${endpoint.status}`;
 *     case "GCP":
 *       return `${endpoint.endpointGroupName} ${endpoint.status}`;
 *   }
 * }
 * assert.equal(describe({ cloudProvider: "GCP", endpointGroupName: "g", status: "VERIFIED" }), "g VERIFIED");
 * ```
 */
export type PrivateEndpoint = AwsPrivateEndpoint | AzurePrivateEndpoint | GcpPrivateEndpoint;

/** Options of one call (create, get, delete). */
export interface RequestOptions {
  /**
   * Aborts the call, a request in flight or a pause between retries included; its `reason` is
   * thrown as is (a `DOMException` "AbortError" by default).
   */
  signal?: AbortSignal | undefined;
  /**
   * Gives up after this many milliseconds in all, retries and their pauses included, with an
   * {@linkcode AtlasTimeoutError}. No limit by default (each attempt is still bounded by
   * `retry.attemptTimeoutMs`).
   */
  timeoutMs?: number | undefined;
  /**
   * How to retry, over the client's own `retry` option; `false` sends each request once. See
   * {@linkcode RetryOptions}.
   */
  retry?: RetryOptions | false | undefined;
  /**
   * Called with the `RateLimit-*` headers of every response that carries them, and for every 429,
   * e.g. to slow down before Atlas says no. Overrides the client's own `onRateLimit`.
   */
  onRateLimit?: ((event: RateLimitEvent) => void) | undefined;
}

/** Options of {@linkcode createPrivateEndpoint}. */
export interface CreateOptions extends RequestOptions {
  /**
   * When true (the default), a create that fails without a clear outcome (connection reset, no
   * response in time, 500, 502, 504), or that meets Atlas's 409 "already exists", reads the
   * endpoint back and returns it when it is the one requested (same id and fields, neither failed
   * nor being deleted), instead of failing or creating it twice. False: every failure is thrown as
   * is.
   */
  idempotent?: boolean | undefined;
}
