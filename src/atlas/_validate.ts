// Input checks shared by the high-level functions and the low-level client's guard middleware.
// Every failure throws AtlasValidationError with a message that names the rule, never the value.
// What is checked per provider, and why, is in the provider table (_providers.ts); here:
// - groupId, endpointServiceId: 24 lowercase hex characters, Atlas's own pattern.
// - Bodies: exactly the provider's fields; unknown fields are rejected (Atlas answers 400), with a
//   hint for the docs' known misspellings (privateEndpointIpAddress, gcpProjectID).
import { type FieldChecks, providerOf, PROVIDERS, type Rule } from "./_providers.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";
import type { CloudProvider } from "./types.ts";
import { isRecord, transportProblem } from "../shared/_checks.ts";

/** An operation of this client, for messages. */
export type Operation = "create" | "get" | "delete" | "wait" | "ensure";

/** The sentence that starts every error message of an operation. */
export const ACTIONS: Readonly<Record<Operation, string>> = {
  create: "Cannot create private endpoint",
  get: "Cannot get private endpoint",
  delete: "Cannot delete private endpoint",
  wait: "Cannot wait for private endpoint",
  ensure: "Cannot ensure private endpoint",
};

/** An operation on endpoint services, for messages. */
export type ServiceOperation = "create" | "get" | "list" | "delete" | "wait" | "ensure";

/** The sentence that starts every error message of an endpoint service operation. */
export const SERVICE_ACTIONS: Readonly<Record<ServiceOperation, string>> = {
  create: "Cannot create private endpoint service",
  get: "Cannot get private endpoint service",
  list: "Cannot list private endpoint services",
  delete: "Cannot delete private endpoint service",
  wait: "Cannot wait for private endpoint service",
  ensure: "Cannot ensure private endpoint service",
};

const HEX24: readonly Rule[] = [[/^[0-9a-f]{24}$/, "must be 24 lowercase hexadecimal characters"]];

/** Throws the AtlasValidationError "<action>: <field> <rule>" for `field`. */
export function fail(action: string, field: string, rule: string): never {
  throw new AtlasValidationError(`${action}: ${field} ${rule}`, { field });
}

function checkString(action: string, field: string, value: unknown, rules: readonly Rule[]): void {
  if (value === undefined) fail(action, field, "is required");
  if (typeof value !== "string") fail(action, field, "must be a string");
  for (const [test, rule] of rules) {
    if (!(typeof test === "function" ? test(value) : test.test(value))) fail(action, field, rule);
  }
}

/** Checks that `provider` is one of the provider table's (AWS, AZURE, GCP). */
export function checkProvider(
  action: string,
  provider: unknown,
): asserts provider is CloudProvider {
  if (provider === undefined) fail(action, "cloudProvider", "is required");
  if (providerOf(provider) === undefined) {
    const names = Object.keys(PROVIDERS).join(", ").replace(/, (?=\w+$)/, " or ");
    fail(action, "cloudProvider", `must be ${names}`);
  }
}

/** Checks groupId, endpointServiceId and cloudProvider. */
export function checkServiceRef(
  action: string,
  ref: unknown,
): asserts ref is { groupId: string; endpointServiceId: string; cloudProvider: CloudProvider } {
  checkProjectRef(action, ref);
  checkString(
    action,
    "endpointServiceId",
    (ref as { endpointServiceId?: unknown }).endpointServiceId,
    HEX24,
  );
}

/** Checks groupId and cloudProvider: a project and one of its providers. */
export function checkProjectRef(
  action: string,
  ref: unknown,
): asserts ref is { groupId: string; cloudProvider: CloudProvider } {
  if (!isRecord(ref)) fail(action, "input", "must be an object");
  checkString(action, "groupId", ref.groupId, HEX24);
  checkProvider(action, ref.cloudProvider);
}

/**
 * Checks one region of a service create and returns what to send for it: `checkRegion` of
 * _regions.ts (Atlas's name, from either form), or {@linkcode checkRegionShape}.
 */
export type RegionCheck = (
  action: string,
  provider: CloudProvider,
  field: string,
  region: unknown,
) => string;

/**
 * Checks that a region is a region name in either form (letters, digits, "-" and "_"), and returns
 * it as given: the low-level client's check, which sends bodies as written (Atlas judges the
 * name), and needs no region tables.
 */
export function checkRegionShape(
  action: string,
  _provider: CloudProvider,
  field: string,
  region: unknown,
): string {
  checkString(action, field, region, REGION_SHAPE);
  return region as string;
}

const REGION_SHAPE: readonly Rule[] = [[
  /^[A-Za-z][A-Za-z0-9_-]{1,49}$/,
  "must be a region name: letters, digits, '-' and '_'",
]];

/** The body of a service create, as sent: the provider, Atlas's region name, the options. */
export interface ServiceBody {
  providerName: CloudProvider;
  region: string;
  portMappingEnabled?: boolean;
  supportedRemoteRegions?: string[];
}

/** At most this many `supportedRemoteRegions`, as the spec says. */
const MAX_REMOTE_REGIONS = 35;

/**
 * Checks the fields of a service create (`region` and the provider's options; `fields` without
 * the path and the provider) and returns the body to send, its regions as `checkRegion` returns
 * them.
 */
export function checkServiceBody(
  action: string,
  provider: CloudProvider,
  fields: Record<string, unknown>,
  checkRegion: RegionCheck,
): ServiceBody {
  const { options } = PROVIDERS[provider].service;
  for (const key of Object.keys(fields)) {
    if (key === "region" || fields[key] === undefined || options.includes(key)) continue;
    const owner = Object.entries(PROVIDERS).find(([, p]) => p.service.options.includes(key));
    fail(
      action,
      key,
      owner
        ? `applies to ${owner[0]} services only`
        : `is not a field of a private endpoint service request`,
    );
  }
  const body: ServiceBody = {
    providerName: provider,
    region: checkRegion(action, provider, "region", fields.region),
  };
  const mapping = fields.portMappingEnabled;
  if (mapping !== undefined) {
    if (typeof mapping !== "boolean") fail(action, "portMappingEnabled", "must be a boolean");
    body.portMappingEnabled = mapping;
  }
  const remote = fields.supportedRemoteRegions;
  if (remote !== undefined) {
    if (!Array.isArray(remote)) fail(action, "supportedRemoteRegions", "must be an array");
    if (remote.length > MAX_REMOTE_REGIONS) {
      fail(action, "supportedRemoteRegions", `must hold at most ${MAX_REMOTE_REGIONS} regions`);
    }
    body.supportedRemoteRegions = remote.map((item: unknown, i) =>
      checkRegion(action, provider, `supportedRemoteRegions[${i}]`, item)
    );
  }
  return body;
}

/**
 * Checks an endpointId (path parameter of GET and DELETE) by the rules of its create field, but
 * for those that only a create needs (an endpoint Atlas accepted must stay readable).
 */
export function checkEndpointId(
  action: string,
  provider: CloudProvider,
  endpointId: unknown,
): void {
  const { create, createId } = PROVIDERS[provider];
  const rules = (create[createId] as readonly Rule[]).filter(([, , only]) => only !== "create");
  checkString(action, "endpointId", endpointId, rules);
}

function checkFields(
  action: string,
  prefix: string,
  value: Record<string, unknown>,
  fields: FieldChecks,
  what: string,
): void {
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(fields, key) || value[key] === undefined) continue;
    const near = Object.keys(fields).find((known) => known.toLowerCase() === key.toLowerCase());
    fail(
      action,
      prefix + key,
      `is not a field of ${what}` + (near ? ` (did you mean ${near}?)` : ""),
    );
  }
  for (const [key, check] of Object.entries(fields)) {
    const field = prefix + key;
    const given = value[key];
    if (given === undefined && "optional" in check) continue;
    if (!("items" in check)) {
      checkString(action, field, given, "rules" in check ? check.rules : check);
      continue;
    }
    if (!Array.isArray(given)) fail(action, field, "must be an array");
    if (given.length === 0) fail(action, field, "must not be empty when given");
    given.forEach((item: unknown, i) => {
      if (!isRecord(item)) fail(action, `${field}[${i}]`, "must be an object");
      checkFields(action, `${field}[${i}].`, item, check.items, `an item of ${key}`);
    });
  }
}

/** Checks a create request body (without the path fields) against its provider's fields. */
export function checkCreateBody(action: string, provider: CloudProvider, body: unknown): void {
  if (!isRecord(body)) fail(action, "body", "must be a JSON object");
  checkFields(
    action,
    "",
    body,
    PROVIDERS[provider].create,
    `an ${provider} private endpoint request`,
  );
}

/**
 * Checks a create input (the service it names, its provider's body fields) and splits it into the
 * path parameters and the body to send. A Google Cloud input's `portMappingEnabled` says what its
 * service was created with and is never sent: a boolean, and when true the body must carry exactly
 * one forwarding rule, as such a service takes (see _providers.ts on port mapping). In another
 * provider's input it stays in the body, where it is refused as a field that is not theirs.
 */
export function checkCreateInput(action: string, input: unknown): {
  service: { groupId: string; endpointServiceId: string; cloudProvider: CloudProvider };
  body: Record<string, unknown>;
} {
  checkServiceRef(action, input);
  const { groupId, endpointServiceId, cloudProvider, ...body } = input as
    & Record<string, unknown>
    & { groupId: string; endpointServiceId: string; cloudProvider: CloudProvider };
  const portMappingEnabled = cloudProvider === "GCP" ? body.portMappingEnabled : undefined;
  if (portMappingEnabled !== undefined) delete body.portMappingEnabled;
  checkCreateBody(action, cloudProvider, body);
  if (portMappingEnabled !== undefined && typeof portMappingEnabled !== "boolean") {
    fail(action, "portMappingEnabled", "must be a boolean");
  }
  if (portMappingEnabled && (!Array.isArray(body.endpoints) || body.endpoints.length !== 1)) {
    fail(
      action,
      "endpoints",
      "must hold exactly one forwarding rule for a service with port mapping (portMappingEnabled)",
    );
  }
  return { service: { groupId, endpointServiceId, cloudProvider }, body };
}

/** Checks the query parameters of the low-level client: only `pretty` and `envelope`, booleans. */
export function checkQuery(action: string, query: unknown): void {
  if (query === undefined) return;
  if (!isRecord(query)) fail(action, "query", "must be an object");
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (key !== "pretty" && key !== "envelope") {
      fail(action, key, "is not a supported query parameter");
    }
    if (typeof value !== "boolean") fail(action, key, "must be a boolean");
  }
}

/**
 * Checks that `url` is safe to send API keys to: https, or http to a loopback host, or http
 * anywhere when explicitly allowed; and no credentials in the URL.
 */
export function checkTransport(
  action: string,
  field: string,
  url: URL,
  allowInsecureHttp: boolean,
): void {
  const problem = transportProblem(url, allowInsecureHttp);
  if (problem !== undefined) fail(action, field, problem);
}
