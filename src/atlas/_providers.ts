// The one table of what differs between cloud providers. Per provider it says which endpoint field
// holds the id and which the status, which create fields exist and how each is checked, which
// endpoint field echoes each create field, and which statuses are final; and of its endpoint
// service, which field lists its endpoints, which fields say what to connect to on the cloud side,
// which create options only it takes (region names, a bigger table that only creating a service
// needs, are in _regions.ts, so that bundles without it leave them out). Validation, operations,
// privateEndpointId/privateEndpointStatus, waiting and the CLI read it: a provider or a field is
// one edit here plus the spec. The `satisfies` below ties the table to gen/: a create field the
// spec has and the table lacks (or the other way round), a field name the spec does not know, or
// a final status outside the spec's known statuses fails `deno task check`.
//
// How strict the checks are, and why (ATLAS_API_FACTS.md):
// - AWS ids: "vpce-" then letters and digits, as Atlas's v1 error table says, to read or delete
//   one. To create one, what AWS issues: 17 lowercase hex digits (the v2 pattern), or 8 for ids
//   made before AWS's longer ones; Atlas accepts other ids and the endpoint ends REJECTED later.
// - Google Cloud names to create (endpoint group, forwarding rule): RFC 1035 labels, lowercase.
// - Azure ids: the resource id as Azure prints it (/subscriptions/{guid}/resourceGroups/{group}/
//   providers/Microsoft.Network/privateEndpoints/{name}, case-insensitive keywords); to create
//   one, names as Atlas's own pattern has them (letters, digits, "-", "_", ".", "(", ")").
// - Google Cloud names (endpoint group, forwarding rule): a letter or digit, then letters, digits,
//   "-", "_" or "."; gcpProjectId: any non-blank string without spaces (its v2 pattern is suspect).
// - IP addresses: a dotted-quad IPv4 address, or any IPv6 address the URL parser accepts.
//
// Google Cloud services with port mapping (`portMappingEnabled` on the service): one forwarding
// rule serves every node. The official spec says the create's `endpointGroupName` is "still
// required but ignored" for them and that `endpoints` then takes exactly one rule; its endpoint
// answers carry "the private endpoint name" in `endpointGroupName`, and the Terraform provider sends
// the forwarding rule's name in both `endpointGroupName` and `endpoints[0].endpointName`, then reads
// and deletes the endpoint by that name. So the id Atlas keeps is `endpoints[0].endpointName`, not
// the group name sent. Whether Atlas refuses a group name that differs from it, and what it answers
// for more than one rule, is UNCONFIRMED: the client only insists on exactly one rule.
// The client learns that a service is port-mapped from the caller (`portMappingEnabled: true` in
// a GCP create input, not sent), not by reading the service: the caller made the service so and
// knows, and a read would add a request (and a token of the project's rate limit) to every GCP
// create; Terraform, too, goes by what its user writes. Not told, a create still works (the id is
// read from Atlas's answer), and after a 409 the read-back also tries the one rule's name.
//
// How the id goes into the path: as given. openapi-fetch percent-encodes every path parameter
// once (encodeURIComponent), so the Azure resource id, the one id with "/", travels as a single
// segment with each "/" as %2F. Its rules refuse an id that is already percent-encoded (it would
// be encoded twice), and no id that passes holds "?", "#" or "%" or is "." or "..", nor (Azure's
// names) a control character or a lone surrogate, which percent-encoding cannot represent.
import type { components } from "../../gen/atlas.ts";

type Schemas = components["schemas"];

/**
 * A test a string must pass, and the rule an error message states when it does not. A rule marked
 * `"create"` is checked on create bodies only, not on the id that reads, waits for or deletes an
 * endpoint: it catches a typo Atlas accepts (the endpoint then ends REJECTED or FAILED), and such
 * an endpoint must stay readable and deletable.
 */
export type Rule = readonly [
  test: RegExp | ((value: string) => boolean),
  rule: string,
  only?: "create",
];

/**
 * How one create field is checked: a required string by its rules; an optional one (`optional`)
 * by its `rules` when given; a list of objects (never empty when given) item by item.
 */
export type FieldCheck =
  | readonly Rule[]
  | { readonly optional: true; readonly rules: readonly Rule[] }
  | { readonly optional?: true; readonly items: FieldChecks };

/** The checks of every field of a create body. */
export type FieldChecks = Readonly<Record<string, FieldCheck>>;

/** What the code needs to know about one provider (see the file comment). */
export interface Provider {
  /** How messages name one endpoint, e.g. "AWS private endpoint". */
  readonly title: string;
  /** The endpoint field that holds its id: the `endpointId` that reads or deletes it. */
  readonly id: string;
  /** The endpoint field that holds its status. */
  readonly status: string;
  /** The create fields and their checks; no other field is accepted. */
  readonly create: FieldChecks;
  /** The create field that becomes the id (so its rules are the rules of `endpointId`). */
  readonly createId: string;
  /** The endpoint field that reports each create field back. */
  readonly echo: Readonly<Record<string, string>>;
  /** The status of an endpoint that is ready to use. */
  readonly ready: string;
  /** The statuses after which it never becomes ready: failed, or on its way out. */
  readonly ended: readonly string[];
  /** The provider's private endpoint service. */
  readonly service: ServiceEntry;
}

/** What the code needs to know about one provider's private endpoint service. */
export interface ServiceEntry {
  /** The service field that lists the ids of its endpoints. */
  readonly endpoints: string;
  /**
   * The service fields that a user needs to create an endpoint on the cloud side (the AWS
   * service name, the Azure Private Link service, the Google Cloud service attachments).
   */
  readonly target: readonly string[];
  /** The create fields that only this provider takes, besides `region`. */
  readonly options: readonly string[];
}

/** The statuses of a service that is ready for endpoints: made, waiting for them or connected. */
export const SERVICE_READY: readonly KnownServiceStatus[] = ["WAITING_FOR_USER", "AVAILABLE"];
/** The statuses after which a service never becomes ready. */
export const SERVICE_ENDED: readonly KnownServiceStatus[] = ["FAILED", "DELETING"];
type KnownServiceStatus = Schemas["KnownEndpointServiceStatus"];

// The typed view of an entry, which ties it to gen/ (see the file comment).
type Checks<T> = {
  readonly [K in keyof T]-?: Check<T[K], Record<never, never> extends Pick<T, K> ? true : false>;
};
type Check<V, Optional extends boolean> = NonNullable<V> extends readonly (infer Item)[] ?
    & { readonly items: Checks<Item> }
    & (Optional extends true ? { readonly optional: true } : unknown)
  : Optional extends true ? { readonly optional: true; readonly rules: readonly Rule[] }
  : readonly Rule[];
interface TypedService<Service> extends ServiceEntry {
  readonly endpoints: keyof Service & string;
  readonly target: readonly (keyof Service & string)[];
  readonly options: readonly Exclude<
    keyof Schemas["CreateEndpointServiceRequest"],
    "providerName" | "region"
  >[];
}
interface Typed<Endpoint, Body, Status extends string, Service> extends Provider {
  readonly id: keyof Endpoint & string;
  readonly status: keyof Endpoint & string;
  readonly create: Checks<Body>;
  readonly createId: keyof Body & string;
  readonly echo: { readonly [K in keyof Body]-?: keyof Endpoint & string };
  readonly ready: Status;
  readonly ended: readonly Status[];
  readonly service: TypedService<Service>;
}

/** Whether `value` is an IPv4 or IPv6 address. */
function isIpAddress(value: string): boolean {
  if (IPV4.test(value)) return true;
  if (!/^[0-9A-Fa-f:.]+$/.test(value) || !value.includes(":")) return false;
  try {
    new URL(`http://[${value}]/`);
    return true;
  } catch {
    return false;
  }
}

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IP: readonly Rule[] = [[isIpAddress, "must be an IPv4 or IPv6 address"]];
const GCP_NAME: readonly Rule[] = [[
  /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
  "must start with a letter or digit and contain only letters, digits, '-', '_' and '.'",
]];
const AWS_HEX = /^vpce-(?:[0-9a-f]{17}|[0-9a-f]{8})$/;
const ENDS_REJECTED = "(Atlas would accept it, and the endpoint would end REJECTED)";
const AWS_ID: readonly Rule[] = [
  [
    /^vpce-[0-9A-Za-z]+$/,
    "must be an AWS interface endpoint id: vpce- followed by letters and digits",
  ],
  [
    (value) => value === value.toLowerCase() || !AWS_HEX.test(value.toLowerCase()),
    `has uppercase letters: write it in lowercase, as AWS prints it ${ENDS_REJECTED}`,
    "create",
  ],
  [
    AWS_HEX,
    `must be vpce- and 17 lowercase hex digits (8 for older endpoints) ${ENDS_REJECTED}`,
    "create",
  ],
];
// Forwarding rules (and the endpoint group, their prefix or, port-mapped, their name) are Google
// Cloud resource names: RFC 1035 labels, lowercase.
const RFC1035 = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const GCP_CREATE_NAME: readonly Rule[] = /* @__PURE__ */ GCP_NAME.concat([
  [
    (value) => value === value.toLowerCase() || !RFC1035.test(value.toLowerCase()),
    "has uppercase letters: Google Cloud names are lowercase",
    "create",
  ],
  [
    RFC1035,
    "must be an RFC 1035 name: 1 to 63 lowercase letters, digits and '-', starting with a " +
    "letter, not ending with '-'",
    "create",
  ],
]);
const AZURE_ID: readonly Rule[] = [
  [
    /^(?!%2f)/i,
    "must be the Azure resource id as Azure prints it, not percent-encoded (the client encodes it)",
  ],
  [
    /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourcegroups\/[^/?#%\s\p{Cc}\p{Cs}]+\/providers\/microsoft\.network\/privateendpoints\/[^/?#%\s\p{Cc}\p{Cs}]+$/iu,
    "must be an Azure private endpoint resource id: " +
    "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/privateEndpoints/{name}",
  ],
  [
    /^\/subscriptions\/[^/]+\/resourcegroups\/[-\w.()]+\/providers\/microsoft\.network\/privateendpoints\/[-\w.()]+$/i,
    "must name its resource group and endpoint with letters, digits and - _ . ( ) only " +
    "(Atlas would accept it, and the endpoint would end FAILED)",
    "create",
  ],
];

const TABLE = {
  AWS: {
    title: "AWS private endpoint",
    id: "interfaceEndpointId",
    status: "connectionStatus",
    create: { id: AWS_ID },
    createId: "id",
    echo: { id: "interfaceEndpointId" },
    ready: "AVAILABLE",
    ended: ["REJECTED", "DELETING"],
    service: {
      endpoints: "interfaceEndpoints",
      target: ["endpointServiceName"],
      options: ["supportedRemoteRegions"],
    },
  },
  AZURE: {
    title: "Azure private endpoint",
    id: "privateEndpointResourceId",
    status: "status",
    create: { id: AZURE_ID, privateEndpointIPAddress: IP },
    createId: "id",
    echo: { id: "privateEndpointResourceId", privateEndpointIPAddress: "privateEndpointIPAddress" },
    ready: "AVAILABLE",
    ended: ["FAILED", "DELETING"],
    service: {
      endpoints: "privateEndpoints",
      target: ["privateLinkServiceResourceId", "privateLinkServiceName"],
      options: [],
    },
  },
  GCP: {
    title: "GCP endpoint group",
    id: "endpointGroupName",
    status: "status",
    create: {
      endpointGroupName: GCP_CREATE_NAME,
      gcpProjectId: [[/^\S+$/, "must be a Google Cloud project id without spaces"]],
      endpoints: { optional: true, items: { endpointName: GCP_CREATE_NAME, ipAddress: IP } },
    },
    createId: "endpointGroupName",
    echo: {
      endpointGroupName: "endpointGroupName",
      gcpProjectId: "gcpProjectId",
      endpoints: "endpoints",
    },
    ready: "AVAILABLE",
    ended: ["FAILED", "DELETING"],
    service: {
      endpoints: "endpointGroupNames",
      target: ["serviceAttachmentNames"],
      options: ["portMappingEnabled"],
    },
  },
} satisfies {
  AWS: Typed<
    Schemas["AwsPrivateEndpoint"],
    Schemas["CreateAwsPrivateEndpointRequest"],
    Schemas["KnownAwsConnectionStatus"],
    Schemas["AwsEndpointService"]
  >;
  AZURE: Typed<
    Schemas["AzurePrivateEndpoint"],
    Schemas["CreateAzurePrivateEndpointRequest"],
    Schemas["KnownAzureEndpointStatus"],
    Schemas["AzureEndpointService"]
  >;
  GCP: Typed<
    Schemas["GcpPrivateEndpoint"],
    Schemas["CreateGcpPrivateEndpointRequest"],
    Schemas["KnownGcpEndpointGroupStatus"],
    Schemas["GcpEndpointService"]
  >;
};

/** The provider table, one entry per cloud provider of the spec (see the file comment). */
export const PROVIDERS: Readonly<Record<Schemas["CloudProvider"], Provider>> = TABLE;

/** The entry of `provider`, or undefined when it is not a provider of the table. */
export function providerOf(provider: unknown): Provider | undefined {
  return typeof provider === "string" && Object.hasOwn(PROVIDERS, provider)
    ? PROVIDERS[provider as Schemas["CloudProvider"]]
    : undefined;
}

/** The value of the field the table names (undefined when it names none). */
export function fieldOf(value: object, field: string | undefined): unknown {
  return field === undefined ? undefined : (value as Record<string, unknown>)[field];
}

/**
 * The ids an endpoint created from `input` may have, the likeliest first: its `createId` field
 * (the `vpce-…` id, the Azure resource id, the endpoint group name), or, for a Google Cloud
 * service with port mapping (`portMappingEnabled: true` in the input), the one forwarding rule's
 * name (see the file comment). When the input does not say, and its one forwarding rule is named
 * otherwise than the group, both: the group name, then the rule's name.
 */
export function requestedIds(input: { cloudProvider: Schemas["CloudProvider"] }): string[] {
  const id = String(fieldOf(input, PROVIDERS[input.cloudProvider].createId));
  if (input.cloudProvider !== "GCP") return [id];
  const { portMappingEnabled, endpoints } = input as {
    portMappingEnabled?: unknown;
    endpoints?: readonly { endpointName?: unknown }[];
  };
  const rule = endpoints?.length === 1 ? endpoints[0]?.endpointName : undefined;
  if (typeof rule !== "string" || portMappingEnabled === false) return [id];
  if (portMappingEnabled === true) return [rule];
  return rule.toLowerCase() === id.toLowerCase() ? [id] : [id, rule];
}

/**
 * The id an endpoint reports, in the field the provider table names; undefined when it reports
 * none (a create's answer is not completed from the input: see `requestedIds` for what to expect).
 */
export function reportedId(
  endpoint: { cloudProvider?: unknown },
): string | undefined {
  const id = fieldOf(endpoint, providerOf(endpoint.cloudProvider)?.id);
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** The id an endpoint created from `input` most likely has (the first of `requestedIds`). */
export function requestedId(input: { cloudProvider: Schemas["CloudProvider"] }): string {
  return requestedIds(input)[0]!;
}
