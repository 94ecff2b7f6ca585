// How endpoints look on stdout: a short block of fields for people, JSON for machines.

import {
  type CloudProvider,
  type PrivateEndpoint,
  type PrivateEndpointRef,
  privateEndpointStatus,
} from "../../mod.ts";
import { paintStatus } from "./_progress.ts";

const NAMES: Readonly<Record<CloudProvider, string>> = {
  AWS: "AWS private endpoint",
  AZURE: "Azure private endpoint",
  GCP: "GCP endpoint group",
};

/**
 * "AWS private endpoint vpce-0a1b…", "Azure private endpoint pe-atlas", "GCP endpoint group psc".
 * Azure resource ids are shortened to their last segment, the endpoint's name.
 *
 * @param cloudProvider The provider.
 * @param endpointId The id used in the API path.
 * @returns The phrase.
 */
export function describe(cloudProvider: CloudProvider, endpointId: string): string {
  const id = cloudProvider === "AZURE"
    ? endpointId.split("/").filter(Boolean).pop() ?? ""
    : endpointId;
  return `${NAMES[cloudProvider]} ${id}`;
}

function text(value: unknown): string {
  if (value === undefined || value === null || value === "") return "-";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/**
 * The fields of an endpoint, one per line, labels aligned.
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
  const rows: [string, string][] = [
    ["Status", paintStatus(color, privateEndpointStatus(endpoint))],
  ];
  if (endpoint.cloudProvider === "AWS") {
    rows.push(["Interface endpoint", text(endpoint.interfaceEndpointId ?? ref.endpointId)]);
  } else if (endpoint.cloudProvider === "AZURE") {
    rows.push(
      ["Resource id", text(endpoint.privateEndpointResourceId ?? ref.endpointId)],
      ["IP address", text(endpoint.privateEndpointIPAddress)],
      ["Connection name", text(endpoint.privateEndpointConnectionName)],
    );
  } else {
    rows.push(["Endpoint group", text(endpoint.endpointGroupName ?? ref.endpointId)]);
    if (endpoint.gcpProjectId !== undefined) {
      rows.push(["GCP project", text(endpoint.gcpProjectId)]);
    }
    if (endpoint.portMappingEnabled !== undefined) {
      rows.push(["Port mapping", text(endpoint.portMappingEnabled)]);
    }
    const list = Array.isArray(endpoint.endpoints) ? endpoint.endpoints : [];
    const nameWidth = Math.max(0, ...list.map((e) => text(e.endpointName).length));
    const ipWidth = Math.max(0, ...list.map((e) => text(e.ipAddress).length));
    list.forEach((e, i) => {
      const status = typeof e.status === "string" ? `  ${paintStatus(color, e.status)}` : "";
      rows.push([
        i === 0 ? "Endpoints" : "",
        `${text(e.endpointName).padEnd(nameWidth)}  ${text(e.ipAddress).padEnd(ipWidth)}${status}`,
      ]);
    });
  }
  rows.push(
    ["Project (group)", ref.groupId],
    ["Endpoint service", ref.endpointServiceId],
    ["Error message", text(endpoint.errorMessage)],
    ["Delete requested", text(endpoint.deleteRequested)],
  );
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}\n`).join("");
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
