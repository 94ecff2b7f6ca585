// How endpoint services look on stdout: a block of fields, one line per service or endpoint in
// lists, and what to create next on the cloud side.

import { shellWord } from "./_shell.ts";
import { PROGRAM } from "./_specs.ts";
import { paintStatus } from "./_progress.ts";
import { PROVIDERS } from "../atlas/_providers.ts";
import { alignedRows as rows, fieldLabel, text as cell } from "./_format.ts";
import {
  type CloudProvider,
  type EndpointService,
  endpointServiceTarget,
  type PrivateEndpoint,
  privateEndpointId,
  privateEndpointStatus,
} from "../../mod.ts";

const TITLES: Readonly<Record<CloudProvider, string>> = {
  AWS: "AWS endpoint service",
  AZURE: "Azure Private Link service",
  GCP: "GCP endpoint service",
};

/** Labels of service fields; any other field shows under its own name, in words. */
const LABELS: Readonly<Record<string, string>> = {
  regionName: "Region",
  endpointServiceName: "Service name",
  interfaceEndpoints: "Endpoints",
  privateLinkServiceName: "Private Link service",
  privateLinkServiceResourceId: "Resource id",
  privateEndpoints: "Endpoints",
  serviceAttachmentNames: "Service attachments",
  endpointGroupNames: "Endpoint groups",
  portMappingEnabled: "Port mapping",
};

/** Fields shown in their own places. */
const PLACED = new Set(["id", "cloudProvider", "status", "errorMessage"]);

/**
 * "AWS endpoint service 6a1b…", "Azure Private Link service …", "GCP endpoint service …".
 *
 * @param cloudProvider The provider.
 * @param id The service id, when known.
 * @returns The phrase.
 */
export function describeService(cloudProvider: CloudProvider, id?: string): string {
  return id === undefined || id === "" ? TITLES[cloudProvider] : `${TITLES[cloudProvider]} ${id}`;
}

/**
 * A service's status; `UNKNOWN` when Atlas sent none.
 *
 * @param service The service.
 * @returns The status.
 */
export function serviceStatus(service: EndpointService): string {
  return typeof service.status === "string" && service.status !== "" ? service.status : "UNKNOWN";
}

/** Past this many items a list shows its first one and the count (a GCP service has 50). */
const MAX_LISTED = 3;

function text(value: unknown): string {
  if (!Array.isArray(value)) return cell(value);
  if (value.length > MAX_LISTED) {
    return `${String(value[0])}, ... (${value.length} in all; --json lists them)`;
  }
  return value.length === 0 ? "-" : value.map(String).join(", ");
}

function label(field: string): string {
  return fieldLabel(field, LABELS);
}

/**
 * A service's fields, one per line, labels aligned: status, region, what to connect to, its
 * endpoints, then the project and the error message.
 *
 * @param service The service.
 * @param groupId The project.
 * @param color Whether to paint the status.
 * @returns Lines, each ending with a newline, indented by two spaces.
 */
export function formatServiceFields(
  service: EndpointService,
  groupId: string,
  color: boolean,
): string {
  const fields: Record<string, unknown> = service;
  const list: [string, string][] = [["Status", paintStatus(color, serviceStatus(service))]];
  for (const [key, value] of Object.entries(fields)) {
    if (PLACED.has(key) || value === undefined) continue;
    list.push([label(key), text(value)]);
  }
  list.push(["Project (group)", groupId], ["Error message", text(service.errorMessage)]);
  return rows(list);
}

/**
 * A service as a block: a title line, then its fields.
 *
 * @param service The service.
 * @param groupId The project.
 * @param color Whether to paint the status.
 * @returns The block, ending with a newline.
 */
export function formatService(service: EndpointService, groupId: string, color: boolean): string {
  return `${describeService(service.cloudProvider, service.id)}\n` +
    formatServiceFields(service, groupId, color);
}

/** Aligned columns, a header first. */
function columns(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  return [header, ...body].map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")
      .trimEnd() + "\n"
  ).join("");
}

/**
 * A project's services of one provider: one line each (id, region, status, what to connect to).
 *
 * @param services The services.
 * @param cloudProvider Their provider (for the empty list's line).
 * @returns The lines.
 */
export function formatServiceList(
  services: readonly EndpointService[],
  cloudProvider: CloudProvider,
): string {
  if (services.length === 0) return `No ${TITLES[cloudProvider]}s in this project\n`;
  return columns(
    ["ID", "REGION", "STATUS", "ENDPOINTS", "CONNECT TO"],
    services.map((service) => [
      text(service.id),
      text(service.regionName),
      serviceStatus(service),
      String(endpointsOf(service).length),
      connectTo(service),
    ]),
  );
}

/** The ids of a service's endpoints, as the service lists them. */
function endpointsOf(service: EndpointService): readonly string[] {
  const list = service.cloudProvider === "AWS"
    ? service.interfaceEndpoints
    : service.cloudProvider === "AZURE"
    ? service.privateEndpoints
    : service.endpointGroupNames;
  return list ?? [];
}

/**
 * What the cloud side connects to: AWS's service name, Azure's resource id, GCP's attachment (or
 * how many: a service that is not port-mapped has 50).
 */
function connectTo(service: EndpointService): string {
  if (service.cloudProvider !== "GCP") {
    return text(
      service.cloudProvider === "AWS"
        ? service.endpointServiceName
        : service.privateLinkServiceResourceId,
    );
  }
  const attachments = service.serviceAttachmentNames ?? [];
  return attachments.length > 1 ? `${attachments.length} service attachments` : text(attachments);
}

/**
 * A service's endpoints: one line each, id and status, and Atlas's error message if any.
 *
 * @param endpoints The endpoints.
 * @param cloudProvider Their provider.
 * @returns The lines.
 */
export function formatEndpointList(
  endpoints: readonly PrivateEndpoint[],
  cloudProvider: CloudProvider,
): string {
  if (endpoints.length === 0) return "No private endpoints on this service\n";
  return columns(
    [PROVIDERS[cloudProvider].title.replace(/^\S+ /, "").toUpperCase(), "STATUS", "ERROR"],
    endpoints.map((endpoint) => [
      privateEndpointId(endpoint),
      privateEndpointStatus(endpoint),
      text(endpoint.errorMessage),
    ]),
  );
}

/**
 * What to do next on the cloud side, once the service is ready: the resource to create there
 * (with the cloud CLI's command, placeholders in angle brackets), then the command that registers
 * it with Atlas. Empty while Atlas has not named what to connect to.
 *
 * @param service The service.
 * @param groupId The project.
 * @returns Lines, ending with a newline, or "".
 */
export function cloudSideSteps(service: EndpointService, groupId: string): string {
  const id = service.id ?? "<service-id>";
  const register = (provider: string, rest: string): string =>
    `Then register it with Atlas:\n  ${PROGRAM} create ${provider} --group ${groupId} ` +
    `--service ${id} \\\n    ${rest} --wait\n`;
  const target = endpointServiceTarget(service);
  if (target === undefined) return "";
  if (target.cloudProvider === "AWS") {
    const name = target.endpointServiceName;
    return `Next, in your VPC: an interface endpoint to ${name}, e.g.\n` +
      `  aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --service-name ${name} \\\n` +
      "    --vpc-id <vpc-id> --subnet-ids <subnet-id> --security-group-ids <security-group-id>\n" +
      register("aws", "--id <vpce-id>");
  }
  if (target.cloudProvider === "AZURE") {
    const resource = target.privateLinkServiceResourceId;
    return `Next, in your VNet: a private endpoint to ${resource}, e.g.\n` +
      "  az network private-endpoint create --resource-group <resource-group> --name <name> \\\n" +
      "    --vnet-name <vnet> --subnet <subnet> --manual-request true \\\n" +
      `    --private-connection-resource-id ${shellWord(resource)} \\\n` +
      `    --connection-name ${shellWord(target.privateLinkServiceName)}\n` +
      register("azure", "--id <private-endpoint-resource-id> --ip <private-ip-address>");
  }
  const attachments = target.serviceAttachmentNames;
  if (attachments.length === 0) return "";
  const one = attachments.length === 1;
  // A port-mapped service (one attachment): its one forwarding rule names the endpoint.
  const endpoints = one
    ? "--port-mapping --gcp-project-id <gcp-project-id> \\\n" +
      "    --endpoint atlas-psc-0@<ip-address>"
    : "--endpoint-group-name atlas-psc --gcp-project-id <gcp-project-id> \\\n" +
      "    --endpoint atlas-psc-0@<ip-0>,atlas-psc-1@<ip-1>,...";
  return (one
    ? "Next, in your VPC: a forwarding rule to the service attachment, e.g.\n"
    : `Next, in your VPC: one forwarding rule per service attachment (${attachments.length}; ` +
      "--json lists them), e.g. for the first:\n") +
    "  gcloud compute addresses create atlas-psc-0 --region=<region> --subnet=<subnet>\n" +
    "  gcloud compute forwarding-rules create atlas-psc-0 --region=<region> --network=<vpc> \\\n" +
    `    --address=atlas-psc-0 --target-service-attachment=${attachments[0]}\n` +
    register("gcp", endpoints).replace("register it", one ? "register it" : "register them");
}
