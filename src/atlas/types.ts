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
import type { components, operations } from "../../gen/atlas.ts";
import type { RateLimitEvent } from "./rate_limit.ts";
import type { RetryOptions } from "./retry.ts";

type Schemas = components["schemas"];
type None = Record<never, never>;

/**
 * A schema of the OpenAPI fragment in `spec/` as openapi-typescript generates it into `gen/`, with
 * the fields named in `Fields` retyped as given there: how this module restores what the generator
 * loses (open unions, readonly inputs) without writing a shape again.
 *
 * (Tagged internal only so that `deno doc --lint` does not descend into the generated module,
 * whose top-level declarations carry no documentation; it is public and stable.)
 *
 * @internal
 */
export type AtlasSchema<
  Name extends keyof Schemas,
  Fields extends { [K in keyof Fields]: K extends keyof Schemas[Name] ? unknown : never } = None,
> = None extends Fields ? Schemas[Name]
  : { [K in keyof Schemas[Name]]: K extends keyof Fields ? Fields[K] : Schemas[Name][K] };

/**
 * The path parameters of an operation of the OpenAPI fragment in `spec/`, as openapi-typescript
 * generates them into `gen/`.
 *
 * (Tagged internal for the same reason as {@linkcode AtlasSchema}; it is public and stable.)
 *
 * @internal
 */
export type AtlasPathParameters<Operation extends keyof operations> =
  operations[Operation]["parameters"]["path"];

/**
 * The known values of a string union that stays open to others (a status Atlas adds later still
 * type-checks), and that editors keep completing: `"A" | (string & {})`, where a plain
 * `"A" | string` would collapse to `string`.
 */
export type OpenUnion<Known extends string> = Known | (string & Record<never, never>);

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
  & EndpointServiceRef
  & { cloudProvider: "AWS" }
  & AtlasSchema<"CreateAwsPrivateEndpointRequest">;

/** Input of {@linkcode createPrivateEndpoint} for an Azure private endpoint. */
export type CreateAzurePrivateEndpointInput =
  & EndpointServiceRef
  & { cloudProvider: "AZURE" }
  & AtlasSchema<"CreateAzurePrivateEndpointRequest">;

/** Input of {@linkcode createPrivateEndpoint} for a Google Cloud endpoint group. */
export type CreateGcpPrivateEndpointInput =
  & EndpointServiceRef
  & { cloudProvider: "GCP" }
  & AtlasSchema<
    "CreateGcpPrivateEndpointRequest",
    { endpoints: readonly GcpForwardingRuleInput[] | undefined }
  >;

/** Input of {@linkcode createPrivateEndpoint}: the service, the provider, and its body fields. */
export type CreatePrivateEndpointInput =
  | CreateAwsPrivateEndpointInput
  | CreateAzurePrivateEndpointInput
  | CreateGcpPrivateEndpointInput;

/** How far an AWS PrivateLink connection has come (see the spec's `AwsConnectionStatus`). */
export type AwsConnectionStatus = OpenUnion<AtlasSchema<"KnownAwsConnectionStatus">>;

/** How far an Azure private endpoint has come (see the spec's `AzureEndpointStatus`). */
export type AzureEndpointStatus = OpenUnion<AtlasSchema<"KnownAzureEndpointStatus">>;

/** How far a Google Cloud endpoint group has come (see the spec's `GcpEndpointGroupStatus`). */
export type GcpEndpointGroupStatus = OpenUnion<AtlasSchema<"KnownGcpEndpointGroupStatus">>;

/** The state of one Google Cloud forwarding rule (see the spec's `GcpForwardingRuleStatus`). */
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
 * Options of one call (create, get, delete).
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
}

/**
 * Options of {@linkcode createPrivateEndpoint}.
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
