import assert from "node:assert/strict";
import type { PrivateEndpoint, PrivateEndpointRef } from "../../mod.ts";
import { describe, formatFields } from "../../src/cli/_format.ts";

const SERVICE = {
  groupId: "32b6e34b3d91647abb20e7b8",
  endpointServiceId: "5f4fc14da2b47835a58c63a2",
};
const AZURE_ID =
  "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe-atlas";

/** The rows of a block as [label, value] pairs. */
function rows(text: string): [string, string][] {
  return text.trimEnd().split("\n").map((line) => {
    const match = /^ {2}(.*?) {2,}(.*)$/.exec(line);
    assert.ok(match, line);
    return [match[1]!, match[2]!];
  });
}

Deno.test("describe() names the endpoint by its provider, an Azure id by its last segment", () => {
  assert.equal(describe("AWS", "vpce-0a1b"), "AWS private endpoint vpce-0a1b");
  assert.equal(describe("AZURE", AZURE_ID), "Azure private endpoint pe-atlas");
  assert.equal(describe("GCP", "psc"), "GCP endpoint group psc");
});

Deno.test("formatFields() shows the status, the id field, the provider's fields, then the common ones", () => {
  const ref: PrivateEndpointRef = { ...SERVICE, cloudProvider: "AZURE", endpointId: AZURE_ID };
  const endpoint: PrivateEndpoint = {
    cloudProvider: "AZURE",
    status: "AVAILABLE",
    privateEndpointIPAddress: "10.0.0.4",
    privateEndpointConnectionName: "conn",
    deleteRequested: false,
  };
  assert.deepEqual(rows(formatFields(endpoint, ref, false)), [
    ["Status", "AVAILABLE"],
    ["Resource id", AZURE_ID], // not reported: the ref's id
    ["IP address", "10.0.0.4"],
    ["Connection name", "conn"],
    ["Project (group)", SERVICE.groupId],
    ["Endpoint service", SERVICE.endpointServiceId],
    ["Error message", "-"],
    ["Delete requested", "no"],
  ]);
});

Deno.test("formatFields() shows a field it has no label for, and GCP rules by their create fields", () => {
  const ref: PrivateEndpointRef = { ...SERVICE, cloudProvider: "GCP", endpointId: "psc" };
  const endpoint = {
    cloudProvider: "GCP",
    endpointGroupName: "psc",
    status: "VERIFIED",
    endpoints: [
      {
        endpointName: "psc-0",
        ipAddress: "10.0.0.10",
        serviceAttachmentName: "sa-0",
        status: "AVAILABLE",
      },
      { endpointName: "psc-10", ipAddress: "10.0.0.9", status: "INITIATING" },
    ],
    regionName: "us-central1", // a field a later spec may add
  } as PrivateEndpoint;
  const table = rows(formatFields(endpoint, ref, false));
  assert.deepEqual(table.slice(0, 5), [
    ["Status", "VERIFIED"],
    ["Endpoint group", "psc"],
    ["Endpoints", "psc-0   10.0.0.10  AVAILABLE"],
    ["", "psc-10  10.0.0.9   INITIATING"],
    ["Region name", "us-central1"],
  ]);
});
