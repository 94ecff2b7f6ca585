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

/**
 * A cloud provider that Atlas private endpoints support.
 *
 * @example Only the three providers are accepted
 * ```ts
 * import { type CloudProvider, createAtlasClient, getPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: () => assert.fail("nothing is sent"),
 * });
 * const provider = "IBM" as CloudProvider; // e.g. read from an untyped config file
 * await assert.rejects(
 *   getPrivateEndpoint(atlas, {
 *     groupId: "32b6e34b3d91647abb20e7b8",
 *     endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *     cloudProvider: provider,
 *     endpointId: "vpce-0123456789abcdef0",
 *   }),
 *   { name: "AtlasValidationError", field: "cloudProvider" },
 * );
 * ```
 */
export type CloudProvider = "AWS" | "AZURE" | "GCP";

/**
 * The Atlas private endpoint service that an endpoint belongs to.
 *
 * @example Ids are checked before anything is sent
 * ```ts
 * import { createAtlasClient, createPrivateEndpoint, type EndpointServiceRef } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: () => assert.fail("nothing is sent"),
 * });
 * const service: EndpointServiceRef = {
 *   groupId: "My Project", // a name, not the 24-character id
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 * };
 * await assert.rejects(
 *   createPrivateEndpoint(atlas, { ...service, cloudProvider: "AWS", id: "vpce-0123456789abcdef0" }),
 *   { name: "AtlasValidationError", field: "groupId" },
 * );
 * ```
 */
export interface EndpointServiceRef {
  /** The Atlas project id: 24 lowercase hexadecimal characters. */
  groupId: string;
  /** The private endpoint service id: 24 lowercase hexadecimal characters. */
  endpointServiceId: string;
}

/**
 * Input of {@linkcode createPrivateEndpoint} for an AWS interface endpoint.
 *
 * @example Against the simulator
 * ```ts
 * import {
 *   type CreateAwsPrivateEndpointInput,
 *   createAtlasClient,
 *   createPrivateEndpoint,
 *   privateEndpointId,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 *
 * const input: CreateAwsPrivateEndpointInput = {
 *   groupId,
 *   endpointServiceId,
 *   cloudProvider: "AWS",
 *   id: "vpce-0123456789abcdef0",
 * };
 * const endpoint = await createPrivateEndpoint(atlas, input);
 * assert.equal(privateEndpointId(endpoint), input.id);
 * ```
 */
export interface CreateAwsPrivateEndpointInput extends EndpointServiceRef {
  /** Always `"AWS"`. */
  cloudProvider: "AWS";
  /** The interface endpoint id in your VPC, e.g. `vpce-0123456789abcdef0`. */
  id: string;
}

/**
 * Input of {@linkcode createPrivateEndpoint} for an Azure private endpoint.
 *
 * @example Against the simulator
 * ```ts
 * import {
 *   type CreateAzurePrivateEndpointInput,
 *   createAtlasClient,
 *   createPrivateEndpoint,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const { groupId, AZURE: endpointServiceId } = simulator.seed();
 *
 * const input: CreateAzurePrivateEndpointInput = {
 *   groupId,
 *   endpointServiceId,
 *   cloudProvider: "AZURE",
 *   id: "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/app/providers/Microsoft.Network/privateEndpoints/pe1",
 *   privateEndpointIPAddress: "10.0.0.4",
 * };
 * const endpoint = await createPrivateEndpoint(atlas, input);
 * assert.equal(endpoint.cloudProvider === "AZURE" && endpoint.privateEndpointIPAddress, "10.0.0.4");
 * ```
 */
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

/**
 * One Google Cloud forwarding rule of an endpoint group to create.
 *
 * @example Each rule is checked before anything is sent
 * ```ts
 * import { createAtlasClient, createPrivateEndpoint, type GcpForwardingRuleInput } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: () => assert.fail("nothing is sent"),
 * });
 * const rules: GcpForwardingRuleInput[] = [
 *   { endpointName: "atlas-rule-0", ipAddress: "10.142.0.5" },
 *   { endpointName: "atlas-rule-1", ipAddress: "10.142.0.300" }, // not an IPv4 address
 * ];
 * await assert.rejects(
 *   createPrivateEndpoint(atlas, {
 *     groupId: "32b6e34b3d91647abb20e7b8",
 *     endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *     cloudProvider: "GCP",
 *     endpointGroupName: "atlas-group",
 *     gcpProjectId: "customer-project",
 *     endpoints: rules,
 *   }),
 *   { name: "AtlasValidationError", field: "endpoints[1].ipAddress" },
 * );
 * ```
 */
export interface GcpForwardingRuleInput {
  /** The forwarding rule's name in your Google Cloud project. */
  endpointName: string;
  /** The private IP address the forwarding rule resolves to. */
  ipAddress: string;
}

/**
 * Input of {@linkcode createPrivateEndpoint} for a Google Cloud endpoint group.
 *
 * @example Against the simulator
 * ```ts
 * import {
 *   type CreateGcpPrivateEndpointInput,
 *   createAtlasClient,
 *   createPrivateEndpoint,
 *   privateEndpointId,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const { groupId, GCP: endpointServiceId } = simulator.seed();
 *
 * const input: CreateGcpPrivateEndpointInput = {
 *   groupId,
 *   endpointServiceId,
 *   cloudProvider: "GCP",
 *   endpointGroupName: "atlas-group",
 *   gcpProjectId: "customer-project",
 *   endpoints: [{ endpointName: "atlas-rule-0", ipAddress: "10.142.0.5" }],
 * };
 * const endpoint = await createPrivateEndpoint(atlas, input);
 * assert.equal(privateEndpointId(endpoint), "atlas-group"); // the group name is its id
 * ```
 */
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

/**
 * Identifies one private endpoint, to read, delete or wait for it.
 *
 * @example Read back an endpoint that was created
 * ```ts
 * import {
 *   createAtlasClient,
 *   createPrivateEndpoint,
 *   getPrivateEndpoint,
 *   privateEndpointId,
 *   type PrivateEndpointRef,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 *
 * const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
 * const created = await createPrivateEndpoint(atlas, { ...service, id: "vpce-0123456789abcdef0" });
 * const ref: PrivateEndpointRef = { ...service, endpointId: privateEndpointId(created) };
 * const endpoint = await getPrivateEndpoint(atlas, ref);
 * assert.equal(privateEndpointId(endpoint), "vpce-0123456789abcdef0");
 * ```
 */
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
 *
 * @example Known values autocomplete, new ones still type-check
 * ```ts
 * import type { AwsConnectionStatus } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * function waiting(status: AwsConnectionStatus): boolean {
 *   return status === "NONE" || status === "PENDING_ACCEPTANCE" || status === "PENDING";
 * }
 * assert.equal(waiting("PENDING_ACCEPTANCE"), true);
 * assert.equal(waiting("AVAILABLE"), false);
 * assert.equal(waiting("A_STATUS_ADDED_LATER"), false);
 * ```
 */
export type AwsConnectionStatus =
  | "NONE"
  | "PENDING_ACCEPTANCE"
  | "PENDING"
  | "AVAILABLE"
  | "REJECTED"
  | "DELETING"
  | (string & Record<never, never>);

/**
 * The state of an Azure private endpoint: `INITIATING`, `AVAILABLE`, `FAILED`, `DELETING`, or later ones.
 *
 * @example `FAILED` ends a wait
 * ```ts
 * import { type AzureEndpointStatus, createAtlasClient, waitForPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const reported: AzureEndpointStatus = "FAILED";
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () => Response.json({ status: reported, errorMessage: "Private endpoint not found." }),
 * });
 * await assert.rejects(
 *   waitForPrivateEndpoint(atlas, {
 *     groupId: "32b6e34b3d91647abb20e7b8",
 *     endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *     cloudProvider: "AZURE",
 *     endpointId:
 *       "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/app/providers/Microsoft.Network/privateEndpoints/pe1",
 *   }),
 *   { name: "PrivateEndpointFailedError", status: "FAILED" },
 * );
 * ```
 */
export type AzureEndpointStatus =
  | "INITIATING"
  | "AVAILABLE"
  | "FAILED"
  | "DELETING"
  | (string & Record<never, never>);

/**
 * The state of a Google Cloud endpoint group: `INITIATING`, `VERIFIED` (rules mapped to service
 * attachments), `AVAILABLE`, `FAILED`, `DELETING`, or later ones.
 *
 * @example `VERIFIED` is not yet `AVAILABLE`
 * ```ts
 * import { type GcpEndpointGroupStatus, privateEndpointStatus } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const status: GcpEndpointGroupStatus = "VERIFIED";
 * assert.equal(privateEndpointStatus({ cloudProvider: "GCP", status }), "VERIFIED");
 * assert.notEqual(privateEndpointStatus({ cloudProvider: "GCP", status }), "AVAILABLE");
 * ```
 */
export type GcpEndpointGroupStatus =
  | "INITIATING"
  | "VERIFIED"
  | "AVAILABLE"
  | "FAILED"
  | "DELETING"
  | (string & Record<never, never>);

/**
 * The state of one Google Cloud forwarding rule: `INITIATING`, `AVAILABLE`, `FAILED`, `DELETING`, or later ones.
 *
 * @example Find the rules of a group that are not ready
 * ```ts
 * import {
 *   createAtlasClient,
 *   getPrivateEndpoint,
 *   type GcpForwardingRuleStatus,
 * } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () =>
 *     Response.json({
 *       endpointGroupName: "atlas-group",
 *       status: "INITIATING",
 *       endpoints: [
 *         { endpointName: "atlas-rule-0", status: "AVAILABLE" },
 *         { endpointName: "atlas-rule-1", status: "INITIATING" },
 *       ],
 *     }),
 * });
 * const group = await getPrivateEndpoint(atlas, {
 *   groupId: "32b6e34b3d91647abb20e7b8",
 *   endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *   cloudProvider: "GCP",
 *   endpointId: "atlas-group",
 * });
 * const ready: GcpForwardingRuleStatus = "AVAILABLE";
 * const rules = group.cloudProvider === "GCP" ? group.endpoints ?? [] : [];
 * assert.deepEqual(rules.filter((r) => r.status !== ready).map((r) => r.endpointName), ["atlas-rule-1"]);
 * ```
 */
export type GcpForwardingRuleStatus =
  | "INITIATING"
  | "AVAILABLE"
  | "FAILED"
  | "DELETING"
  | (string & Record<never, never>);

/**
 * An AWS interface endpoint as Atlas reports it.
 *
 * @example Read its id and status
 * ```ts
 * import { type AwsPrivateEndpoint, privateEndpointId, privateEndpointStatus } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const endpoint: AwsPrivateEndpoint = {
 *   cloudProvider: "AWS",
 *   interfaceEndpointId: "vpce-0123456789abcdef0",
 *   connectionStatus: "PENDING_ACCEPTANCE",
 *   deleteRequested: false,
 *   errorMessage: null,
 * };
 * assert.equal(privateEndpointId(endpoint), "vpce-0123456789abcdef0");
 * assert.equal(privateEndpointStatus(endpoint), "PENDING_ACCEPTANCE");
 * ```
 */
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

/**
 * An Azure private endpoint as Atlas reports it.
 *
 * @example Its id is the resource id, its status is `status`
 * ```ts
 * import { type AzurePrivateEndpoint, privateEndpointId, privateEndpointStatus } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const endpoint: AzurePrivateEndpoint = {
 *   cloudProvider: "AZURE",
 *   privateEndpointResourceId:
 *     "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/app/providers/Microsoft.Network/privateEndpoints/pe1",
 *   privateEndpointIPAddress: "10.0.0.4",
 *   status: "FAILED",
 *   errorMessage: "The private endpoint was not found.",
 * };
 * assert.match(privateEndpointId(endpoint), /\/privateEndpoints\/pe1$/);
 * assert.equal(privateEndpointStatus(endpoint), "FAILED");
 * ```
 */
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

/**
 * One forwarding rule of a Google Cloud endpoint group, as Atlas reports it.
 *
 * @example Rules as Atlas reports them, each with its own status
 * ```ts
 * import type { GcpForwardingRule } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const rules: GcpForwardingRule[] = [
 *   { endpointName: "atlas-rule-0", ipAddress: "10.142.0.5", status: "AVAILABLE" },
 *   { endpointName: "atlas-rule-1", ipAddress: "10.142.0.6", status: "FAILED" },
 * ];
 * assert.equal(rules.every((rule) => rule.status === "AVAILABLE"), false);
 * assert.deepEqual(rules.map((rule) => rule.ipAddress), ["10.142.0.5", "10.142.0.6"]);
 * ```
 */
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

/**
 * A Google Cloud endpoint group as Atlas reports it.
 *
 * @example Its id is the group name
 * ```ts
 * import { type GcpPrivateEndpoint, privateEndpointId, privateEndpointStatus } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const group: GcpPrivateEndpoint = {
 *   cloudProvider: "GCP",
 *   endpointGroupName: "atlas-group",
 *   gcpProjectId: "customer-project",
 *   endpoints: [{ endpointName: "atlas-rule-0", status: "INITIATING" }],
 *   status: "INITIATING",
 * };
 * assert.equal(privateEndpointId(group), "atlas-group");
 * assert.equal(privateEndpointStatus(group), "INITIATING");
 * ```
 */
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

/**
 * Options of one call (create, get, delete).
 *
 * @example An aborted signal stops the call before anything is sent
 * ```ts
 * import { createAtlasClient, getPrivateEndpoint, type RequestOptions } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * let sent = 0;
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async () => (sent++, Response.json({ connectionStatus: "PENDING" })),
 * });
 * const options: RequestOptions = { signal: AbortSignal.abort(), timeoutMs: 30_000, retry: false };
 * await assert.rejects(
 *   getPrivateEndpoint(atlas, {
 *     groupId: "32b6e34b3d91647abb20e7b8",
 *     endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *     cloudProvider: "AWS",
 *     endpointId: "vpce-0123456789abcdef0",
 *   }, options),
 *   { name: "AbortError" },
 * );
 * assert.equal(sent, 0);
 * ```
 */
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
  /**
   * The most bytes of a response body read, over the client's own `maxResponseBytes`; a larger
   * answer fails with {@linkcode AtlasResponseTooLargeError}.
   *
   * @default {8388608}
   */
  maxResponseBytes?: number | undefined;
}

/**
 * Options of {@linkcode createPrivateEndpoint}.
 *
 * @example Without `idempotent`, a 409 is thrown as is
 * ```ts
 * import { createAtlasClient, type CreateOptions, createPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const seen: string[] = [];
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async (request) => {
 *     seen.push(request.method);
 *     return Response.json({ errorCode: "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS" }, { status: 409 });
 *   },
 * });
 * const options: CreateOptions = { idempotent: false };
 * await assert.rejects(
 *   createPrivateEndpoint(atlas, {
 *     groupId: "32b6e34b3d91647abb20e7b8",
 *     endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *     cloudProvider: "AWS",
 *     id: "vpce-0123456789abcdef0",
 *   }, options),
 *   { name: "AtlasApiError", status: 409 },
 * );
 * assert.deepEqual(seen, ["POST"]); // no read-back
 * ```
 */
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
