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
export type Operation = "create" | "get" | "delete" | "wait";

/** The sentence that starts every error message of an operation. */
export const ACTIONS: Readonly<Record<Operation, string>> = {
  create: "Cannot create private endpoint",
  get: "Cannot get private endpoint",
  delete: "Cannot delete private endpoint",
  wait: "Cannot wait for private endpoint",
};

const HEX24: readonly Rule[] = [[/^[0-9a-f]{24}$/, "must be 24 lowercase hexadecimal characters"]];

function fail(action: string, field: string, rule: string): never {
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
  if (!isRecord(ref)) fail(action, "input", "must be an object");
  checkString(action, "groupId", ref.groupId, HEX24);
  checkProvider(action, ref.cloudProvider);
  checkString(action, "endpointServiceId", ref.endpointServiceId, HEX24);
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
