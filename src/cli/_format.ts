// How endpoints look on stdout: a short block of fields for people, JSON for machines.

import {
  type CloudProvider,
  type PrivateEndpoint,
  type PrivateEndpointRef,
  privateEndpointStatus,
} from "../../mod.ts";
import { type FieldCheck, PROVIDERS } from "../atlas/_providers.ts";
import { paintStatus } from "./_progress.ts";

/** Labels of endpoint fields; any other field shows under its own name, in words. */
const LABELS: Readonly<Record<string, string>> = {
  interfaceEndpointId: "Interface endpoint",
  privateEndpointResourceId: "Resource id",
  privateEndpointIPAddress: "IP address",
  privateEndpointConnectionName: "Connection name",
  endpointGroupName: "Endpoint group",
  gcpProjectId: "GCP project",
  portMappingEnabled: "Port mapping",
  endpoints: "Endpoints",
};

/** Fields that every endpoint has, shown in their own places. */
const COMMON = new Set(["cloudProvider", "errorMessage", "deleteRequested"]);

/**
 * A field's label: from `labels`, else its camelCase name in words ("errorMessage" → "Error
 * message").
 *
 * @param field The field's name.
 * @param labels The labels of fields that have their own.
 * @returns The label.
 */
export function fieldLabel(field: string, labels: Readonly<Record<string, string>>): string {
  const words = field.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return labels[field] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

function label(field: string): string {
  return fieldLabel(field, LABELS);
}

/**
 * "AWS private endpoint vpce-0a1b…", "Azure private endpoint pe-atlas", "GCP endpoint group psc".
 * An id that is a path (Azure's resource id) is shortened to its last segment, the endpoint's name.
 *
 * @param cloudProvider The provider.
 * @param endpointId The id used in the API path.
 * @returns The phrase.
 */
export function describe(cloudProvider: CloudProvider, endpointId: string): string {
  return `${PROVIDERS[cloudProvider].title} ${endpointId.split("/").filter(Boolean).pop() ?? ""}`;
}

/**
 * A value as a cell: "-" for none, "yes"/"no" for a boolean, else as a string.
 *
 * @param value The value.
 * @returns The text.
 */
export function text(value: unknown): string {
  if (value === undefined || value === null || value === "") return "-";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/**
 * Label-value pairs as lines, labels aligned, each indented by two spaces.
 *
 * @param list The pairs.
 * @returns Lines, each ending with a newline.
 */
export function alignedRows(list: readonly (readonly [string, string])[]): string {
  const width = Math.max(...list.map(([left]) => left.length));
  return list.map(([left, right]) => `  ${left.padEnd(width)}  ${right}\n`).join("");
}

/**
 * The rows of a list of objects (GCP forwarding rules): the fields a create gives each item (from
 * the provider table; all fields for other lists), in aligned columns, then the status.
 */
function listRows(
  title: string,
  list: readonly unknown[],
  check: FieldCheck | undefined,
  color: boolean,
): [string, string][] {
  const items = list.map((item) =>
    (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>
  );
  const columns = check !== undefined && "items" in check
    ? Object.keys(check.items)
    : [...new Set(items.flatMap(Object.keys))].filter((key) => key !== "status");
  const widths = columns.map((key) => Math.max(...items.map((item) => text(item[key]).length)));
  return items.map((item, i) => {
    const cells = columns.map((key, c) => text(item[key]).padEnd(widths[c]!));
    const status = typeof item.status === "string" ? `  ${paintStatus(color, item.status)}` : "";
    return [i === 0 ? title : "", cells.join("  ") + status];
  });
}

/**
 * The fields of an endpoint, one per line, labels aligned: the status, the id (from the provider
 * table), the provider's other fields as Atlas reported them, then the service and the common ones.
 *
 * @param endpoint The endpoint.
 * @param ref Which endpoint it is.
 * @param color Whether to paint the status.
 * @returns Lines, each ending with a newline, indented by two spaces.
 */
export function formatFields(
  endpoint: PrivateEndpoint,
  ref: PrivateEndpointRef,
  color: boolean,
): string {
  const { id, status, create } = PROVIDERS[ref.cloudProvider];
  const fields: Record<string, unknown> = endpoint;
  const rows: [string, string][] = [
    ["Status", paintStatus(color, privateEndpointStatus(endpoint))],
    [label(id), text(fields[id] ?? ref.endpointId)],
  ];
  for (const [key, value] of Object.entries(fields)) {
    if (key === id || key === status || COMMON.has(key) || value === undefined) continue;
    if (Array.isArray(value)) rows.push(...listRows(label(key), value, create[key], color));
    else rows.push([label(key), text(value)]);
  }
  rows.push(
    ["Project (group)", ref.groupId],
    ["Endpoint service", ref.endpointServiceId],
    ["Error message", text(endpoint.errorMessage)],
    ["Delete requested", text(endpoint.deleteRequested)],
  );
  return alignedRows(rows);
}

/**
 * An endpoint as a block: a title line, then its fields.
 *
 * @param endpoint The endpoint.
 * @param ref Which endpoint it is.
 * @param color Whether to paint the status.
 * @returns The block, ending with a newline.
 */
export function formatEndpoint(
  endpoint: PrivateEndpoint,
  ref: PrivateEndpointRef,
  color: boolean,
): string {
  return `${describe(ref.cloudProvider, ref.endpointId)}\n${formatFields(endpoint, ref, color)}`;
}

/**
 * JSON for stdout: pretty, one trailing newline.
 *
 * @param value Any JSON value.
 * @returns The text.
 */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
