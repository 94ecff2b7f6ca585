// Input checks shared by the high-level functions and the low-level client's guard middleware.
// Every failure throws AtlasValidationError with a message that names the rule, never the value.
//
// How strict, and why (ATLAS_API_FACTS.md):
// - groupId, endpointServiceId: 24 lowercase hex characters, Atlas's own pattern.
// - AWS ids: "vpce-" then letters and digits. Atlas's v1 error table says exactly that; the v2
//   pattern's 17 hex digits is not enforced, so older 8-digit ids still pass.
// - Azure ids: the resource id as Azure prints it (/subscriptions/{guid}/resourceGroups/{group}/
//   providers/Microsoft.Network/privateEndpoints/{name}, case-insensitive keywords). A
//   percent-encoded id is rejected with a hint: the client encodes it, twice would break it.
// - Google Cloud names (endpoint group, forwarding rule): a letter or digit, then letters, digits,
//   "-", "_" or "."; gcpProjectId: any non-blank string without spaces (its v2 pattern is suspect).
// - IP addresses: a dotted-quad IPv4 address, or any IPv6 address the URL parser accepts.
// - Bodies: exactly the provider's fields; unknown fields are rejected (Atlas answers 400), with a
//   hint for the docs' known misspellings (privateEndpointIpAddress, gcpProjectID).
// Whatever passes cannot change the route: ids contain no "/", "?", "#" or "%", are never "." or
// "..", and the Azure id, the one value with "/", is percent-encoded into one segment (its names
// hold no control character and no lone surrogate, which percent-encoding cannot represent).
import { AtlasValidationError } from "./atlas_validation_error.ts";
import type { CloudProvider } from "./types.ts";
import { isRecord, transportProblem } from "../shared/_checks.ts";

/** An operation of this client, for messages. */
export type Operation = "create" | "get" | "delete" | "wait";

/** The sentence that starts every error message of an operation. */
export const ACTIONS: Readonly<Record<Operation, string>> = {
  create: "Cannot create private endpoint",
  get: "Cannot get private endpoint",
  delete: "Cannot delete private endpoint",
  wait: "Cannot wait for private endpoint",
};

const PROVIDERS: readonly CloudProvider[] = ["AWS", "AZURE", "GCP"];
const HEX24 = /^[0-9a-f]{24}$/;
const AWS_ENDPOINT_ID = /^vpce-[0-9A-Za-z]+$/;
const AZURE_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourcegroups\/[^/?#%\s\p{Cc}\p{Cs}]+\/providers\/microsoft\.network\/privateendpoints\/[^/?#%\s\p{Cc}\p{Cs}]+$/iu;
const GCP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NO_SPACES = /^\S+$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const RULES = {
  hex24: "must be 24 lowercase hexadecimal characters",
  provider: "must be AWS, AZURE or GCP",
  awsId: "must be an AWS interface endpoint id: vpce- followed by letters and digits",
  azureId: "must be an Azure private endpoint resource id: " +
    "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/privateEndpoints/{name}",
  azureEncoded: "must be the Azure resource id as Azure prints it, not percent-encoded " +
    "(the client encodes it)",
  gcpName: "must start with a letter or digit and contain only letters, digits, '-', '_' and '.'",
  gcpProjectId: "must be a Google Cloud project id without spaces",
  ip: "must be an IPv4 or IPv6 address",
  string: "must be a string",
} as const;

/** The fields of a create body per provider, and whether each is required. */
const BODY_FIELDS: Readonly<Record<CloudProvider, Readonly<Record<string, boolean>>>> = {
  AWS: { id: true },
  AZURE: { id: true, privateEndpointIPAddress: true },
  GCP: { endpointGroupName: true, gcpProjectId: true, endpoints: false },
};
const RULE_FIELDS: Readonly<Record<string, boolean>> = { endpointName: true, ipAddress: true };

function fail(action: string, field: string, rule: string): never {
  throw new AtlasValidationError(`${action}: ${field} ${rule}`, { field });
}

/** Whether `value` is an IPv4 or IPv6 address. */
export function isIpAddress(value: string): boolean {
  if (IPV4.test(value)) return true;
  if (!/^[0-9A-Fa-f:.]+$/.test(value) || !value.includes(":")) return false;
  try {
    new URL(`http://[${value}]/`);
    return true;
  } catch {
    return false;
  }
}

function checkString(
  action: string,
  field: string,
  value: unknown,
  ok: (s: string) => boolean,
  rule: string,
): void {
  if (value === undefined) fail(action, field, "is required");
  if (typeof value !== "string") fail(action, field, RULES.string);
  if (!ok(value)) fail(action, field, rule);
}

/** Checks that `provider` is AWS, AZURE or GCP. */
export function checkProvider(
  action: string,
  provider: unknown,
): asserts provider is CloudProvider {
  if (provider === undefined) fail(action, "cloudProvider", "is required");
  if (!PROVIDERS.includes(provider as CloudProvider)) fail(action, "cloudProvider", RULES.provider);
}

/** Checks groupId, endpointServiceId and cloudProvider. */
export function checkServiceRef(
  action: string,
  ref: unknown,
): asserts ref is { groupId: string; endpointServiceId: string; cloudProvider: CloudProvider } {
  if (!isRecord(ref)) fail(action, "input", "must be an object");
  checkString(action, "groupId", ref.groupId, (s) => HEX24.test(s), RULES.hex24);
  checkProvider(action, ref.cloudProvider);
  checkString(
    action,
    "endpointServiceId",
    ref.endpointServiceId,
    (s) => HEX24.test(s),
    RULES.hex24,
  );
}

function checkAzureId(action: string, field: string, value: unknown): void {
  checkString(action, field, value, (s) => !/^%2f/i.test(s), RULES.azureEncoded);
  checkString(action, field, value, (s) => AZURE_RESOURCE_ID.test(s), RULES.azureId);
}

/** Checks an endpointId (path parameter of GET and DELETE) for its provider. */
export function checkEndpointId(
  action: string,
  provider: CloudProvider,
  endpointId: unknown,
): void {
  const field = "endpointId";
  if (provider === "AWS") {
    checkString(action, field, endpointId, (s) => AWS_ENDPOINT_ID.test(s), RULES.awsId);
  } else if (provider === "AZURE") checkAzureId(action, field, endpointId);
  else checkString(action, field, endpointId, (s) => GCP_NAME.test(s), RULES.gcpName);
}

function checkKeys(
  action: string,
  prefix: string,
  value: Record<string, unknown>,
  fields: Readonly<Record<string, boolean>>,
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
}

/** Checks a create request body (without the path fields) against its provider's shape. */
export function checkCreateBody(action: string, provider: CloudProvider, body: unknown): void {
  if (!isRecord(body)) fail(action, "body", "must be a JSON object");
  checkKeys(action, "", body, BODY_FIELDS[provider], `an ${provider} private endpoint request`);
  if (provider === "AWS") {
    checkString(action, "id", body.id, (s) => AWS_ENDPOINT_ID.test(s), RULES.awsId);
  } else if (provider === "AZURE") {
    checkAzureId(action, "id", body.id);
    checkString(
      action,
      "privateEndpointIPAddress",
      body.privateEndpointIPAddress,
      isIpAddress,
      RULES.ip,
    );
  } else {
    checkString(
      action,
      "endpointGroupName",
      body.endpointGroupName,
      (s) => GCP_NAME.test(s),
      RULES.gcpName,
    );
    checkString(
      action,
      "gcpProjectId",
      body.gcpProjectId,
      (s) => NO_SPACES.test(s),
      RULES.gcpProjectId,
    );
    const endpoints = body.endpoints;
    if (endpoints === undefined) return;
    if (!Array.isArray(endpoints)) fail(action, "endpoints", "must be an array");
    if (endpoints.length === 0) {
      fail(action, "endpoints", "must list at least one forwarding rule when given");
    }
    endpoints.forEach((rule: unknown, i) => {
      const prefix = `endpoints[${i}].`;
      if (!isRecord(rule)) fail(action, `endpoints[${i}]`, "must be an object");
      checkKeys(action, prefix, rule, RULE_FIELDS, "a forwarding rule");
      checkString(
        action,
        prefix + "endpointName",
        rule.endpointName,
        (s) => GCP_NAME.test(s),
        RULES.gcpName,
      );
      checkString(action, prefix + "ipAddress", rule.ipAddress, isIpAddress, RULES.ip);
    });
  }
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
