/**
 * The types of the Atlas private endpoint API, derived from the OpenAPI fragment in `spec/` (which
 * openapi-typescript generates into `gen/`): inputs per provider, and the endpoint Atlas returns,
 * as unions discriminated by `cloudProvider`. The fields and their documentation come from the
 * spec; this module only names the shapes and mends what the generator loses:
 *
 * - `cloudProvider`: added to the inputs, whose request bodies carry no provider (it goes into the
 *   path);
 * - statuses stay open unions whose known values autocomplete ({@linkcode OpenUnion}), where the
 *   generator's `("A" | "B") | string` collapses to `string`;
 * - inputs accept readonly arrays, and `undefined` for optional fields.
 *
 * @module
 */
import type { RateLimitEvent } from "./rate_limit.ts";
import type { RetryOptions } from "./retry.ts";
import type { AtlasPathParameters, AtlasSchema, OpenUnion } from "./schema.ts";

/** A cloud provider that Atlas private endpoints support: `"AWS"`, `"AZURE"` or `"GCP"`. */
export type CloudProvider = AtlasSchema<"CloudProvider">;

/**
 * The Atlas private endpoint service that an endpoint belongs to: the path parameters of a create,
 * without the provider.
 */
export type EndpointServiceRef = Omit<
  AtlasPathParameters<"createPrivateEndpoint">,
  "cloudProvider"
>;

/** Identifies one private endpoint, to read, delete or wait for it: the path parameters of a read. */
export type PrivateEndpointRef = AtlasPathParameters<"getPrivateEndpoint">;

/** One Google Cloud forwarding rule of an endpoint group to create. */
export type GcpForwardingRuleInput = AtlasSchema<"CreateGcpForwardingRule">;

/** Input of {@linkcode createPrivateEndpoint} for an AWS interface endpoint. */
export type CreateAwsPrivateEndpointInput =
  & AtlasPathParameters<"createPrivateEndpoint">
  & { cloudProvider: "AWS" }
  & AtlasSchema<"CreateAwsPrivateEndpointRequest">;

/** Input of {@linkcode createPrivateEndpoint} for an Azure private endpoint. */
export type CreateAzurePrivateEndpointInput =
  & AtlasPathParameters<"createPrivateEndpoint">
  & { cloudProvider: "AZURE" }
  & AtlasSchema<"CreateAzurePrivateEndpointRequest">;

/**
 * Input of {@linkcode createPrivateEndpoint} for a Google Cloud endpoint group.
 *
 * `portMappingEnabled` says what the service was created with; it is not sent. Set it for a
 * service with port mapping: the input must then carry exactly one forwarding rule in `endpoints`
 * (checked before sending), and the endpoint's id is that rule's name (Atlas ignores
 * `endpointGroupName` there, though it still requires it: send the rule's name, as the Terraform
 * provider does), which the read-back after an unclear outcome then looks for. The client does not
 * read the service to find out, so that a create stays one request.
 */
export type CreateGcpPrivateEndpointInput =
  & AtlasPathParameters<"createPrivateEndpoint">
  & { cloudProvider: "GCP" }
  & AtlasSchema<
    "CreateGcpPrivateEndpointRequest",
    { endpoints: readonly GcpForwardingRuleInput[] | undefined }
  >
  & Pick<
    AtlasSchema<"CreateEndpointServiceRequest", { portMappingEnabled: boolean | undefined }>,
    "portMappingEnabled"
  >;

/** Input of {@linkcode createPrivateEndpoint}: the service, the provider, and its body fields. */
export type CreatePrivateEndpointInput =
  | CreateAwsPrivateEndpointInput
  | CreateAzurePrivateEndpointInput
  | CreateGcpPrivateEndpointInput;

/**
 * The state of an AWS PrivateLink connection: the spec's known values, open to later ones (each
 * explained on `connectionStatus` of {@linkcode AwsPrivateEndpoint}).
 */
export type AwsConnectionStatus = OpenUnion<AtlasSchema<"KnownAwsConnectionStatus">>;

/**
 * The state of an Azure private endpoint: the spec's known values, open to later ones (each
 * explained on `status` of {@linkcode AzurePrivateEndpoint}).
 */
export type AzureEndpointStatus = OpenUnion<AtlasSchema<"KnownAzureEndpointStatus">>;

/**
 * The state of a Google Cloud endpoint group: the spec's known values, open to later ones (each
 * explained on `status` of {@linkcode GcpPrivateEndpoint}).
 */
export type GcpEndpointGroupStatus = OpenUnion<AtlasSchema<"KnownGcpEndpointGroupStatus">>;

/** The state of one Google Cloud forwarding rule: the spec's known values, open to later ones. */
export type GcpForwardingRuleStatus = OpenUnion<AtlasSchema<"KnownGcpForwardingRuleStatus">>;

/** An AWS interface endpoint as Atlas reports it. */
export type AwsPrivateEndpoint = AtlasSchema<
  "AwsPrivateEndpoint",
  { connectionStatus: AwsConnectionStatus }
>;

/** An Azure private endpoint as Atlas reports it. */
export type AzurePrivateEndpoint = AtlasSchema<
  "AzurePrivateEndpoint",
  { status: AzureEndpointStatus }
>;

/** One forwarding rule of a Google Cloud endpoint group, as Atlas reports it. */
export type GcpForwardingRule = AtlasSchema<
  "GcpForwardingRule",
  { status: GcpForwardingRuleStatus }
>;

/** A Google Cloud endpoint group as Atlas reports it. */
export type GcpPrivateEndpoint = AtlasSchema<
  "GcpPrivateEndpoint",
  { status: GcpEndpointGroupStatus; endpoints: GcpForwardingRule[] }
>;

/**
 * A private endpoint as Atlas reports it, discriminated by `cloudProvider` (always set: the client
 * fills it in from the request when Atlas leaves it out).
 */
export type PrivateEndpoint = AwsPrivateEndpoint | AzurePrivateEndpoint | GcpPrivateEndpoint;

/**
 * Input of a private endpoint service create: the project, the provider (sent as the body's
 * `providerName`), the region as Atlas names it (`US_EAST_1`), and the provider's options
 * (`portMappingEnabled` for Google Cloud, `supportedRemoteRegions` for AWS).
 */
export type CreateEndpointServiceInput =
  & AtlasPathParameters<"createPrivateEndpointService">
  & { cloudProvider: CloudProvider }
  & Omit<
    AtlasSchema<
      "CreateEndpointServiceRequest",
      { supportedRemoteRegions: readonly string[] | undefined }
    >,
    "providerName"
  >;

/**
 * Identifies one private endpoint service, to read, delete or wait for it: the path parameters of
 * a service read (the provider among them).
 */
export type PrivateEndpointServiceRef = AtlasPathParameters<"getPrivateEndpointService">;

/**
 * The state of a private endpoint service: the spec's known values, open to later ones (each
 * explained on the spec's `EndpointServiceStatus`): INITIATING, WAITING_FOR_USER (AWS, Azure:
 * create the endpoint on the cloud side), AVAILABLE, FAILED, DELETING.
 */
export type EndpointServiceStatus = OpenUnion<AtlasSchema<"KnownEndpointServiceStatus">>;

/** An AWS PrivateLink endpoint service as Atlas reports it (`endpointServiceName` to connect to). */
export type AwsEndpointService = AtlasSchema<
  "AwsEndpointService",
  { status: EndpointServiceStatus }
>;

/** An Azure Private Link service as Atlas reports it (`privateLinkServiceResourceId` to connect to). */
export type AzureEndpointService = AtlasSchema<
  "AzureEndpointService",
  { status: EndpointServiceStatus }
>;

/** Google Cloud service attachments as Atlas reports them (`serviceAttachmentNames` to connect to). */
export type GcpEndpointService = AtlasSchema<
  "GcpEndpointService",
  { status: EndpointServiceStatus }
>;

/** A private endpoint service as Atlas reports it, discriminated by `cloudProvider`. */
export type EndpointService = AwsEndpointService | AzureEndpointService | GcpEndpointService;

/** The endpoint services of one provider in a project, to list them: `groupId`, `cloudProvider`. */
export type EndpointServicesRef = AtlasPathParameters<"listPrivateEndpointServices">;

/** What to create an AWS interface endpoint against: the VPC endpoint service's name. */
export type AwsEndpointServiceTarget =
  & Pick<AwsEndpointService, "cloudProvider">
  & { [K in "endpointServiceName"]-?: NonNullable<AwsEndpointService[K]> };

/** What to create an Azure private endpoint against: the Private Link service. */
export type AzureEndpointServiceTarget =
  & Pick<AzureEndpointService, "cloudProvider">
  & Required<Pick<AzureEndpointService, "privateLinkServiceResourceId" | "privateLinkServiceName">>;

/** What to point Google Cloud forwarding rules at: the service attachments (one when port-mapped). */
export type GcpEndpointServiceTarget =
  & Pick<GcpEndpointService, "cloudProvider">
  & Required<Pick<GcpEndpointService, "serviceAttachmentNames" | "portMappingEnabled">>;

/**
 * What a user needs from a ready service to create the endpoint on the cloud side, per provider
 * (see {@linkcode endpointServiceTarget}).
 */
export type EndpointServiceTarget =
  | AwsEndpointServiceTarget
  | AzureEndpointServiceTarget
  | GcpEndpointServiceTarget;

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
  /**
   * The most bytes of a response body read, over the client's own `maxResponseBytes`; a larger
   * answer fails with {@linkcode AtlasResponseTooLargeError}.
   *
   * @default {8388608}
   */
  maxResponseBytes?: number | undefined;
}

/** Options of a create ({@linkcode createPrivateEndpoint}, `createEndpointService`). */
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

/** Options of {@linkcode createPrivateEndpoint}: those of a create, and `onExisting`. */
export interface CreatePrivateEndpointOptions extends CreateOptions {
  /**
   * Called when Atlas answered 409 "already exists" and the endpoint it has is the one requested
   * (same id and fields, neither failed nor being deleted): nothing was created, and the call
   * returns that endpoint. Not called after an attempt whose outcome was unknown (that attempt may
   * have created it).
   */
  onExisting?: ((endpoint: PrivateEndpoint) => void) | undefined;
}
