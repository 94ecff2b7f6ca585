// Type tests of the endpoint service types: `deno task check` (and `deno test`) type-check this
// file, so every `@ts-expect-error` below must mark a real type error or the check fails.
import assert from "node:assert/strict";
import type { components } from "../../gen/atlas.ts";
import { mutual } from "./_mutual.ts";
import type {
  AtlasClient,
  AwsEndpointService,
  AzureEndpointService,
  CreateEndpointServiceInput,
  EndpointService,
  EndpointServiceStatus,
  GcpEndpointService,
  PrivateEndpointServiceRef,
} from "../../mod.ts";
import {
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
} from "../../src/testing/atlas_simulator.ts";

type Schemas = components["schemas"];

// The public service types and the generated ones describe the same JSON, with the same fields.
mutual<AwsEndpointService, Schemas["AwsEndpointService"]>(true);
mutual<AzureEndpointService, Schemas["AzureEndpointService"]>(true);
mutual<GcpEndpointService, Schemas["GcpEndpointService"]>(true);
mutual<EndpointService, Schemas["EndpointService"]>(true);
mutual<keyof AwsEndpointService, keyof Schemas["AwsEndpointService"]>(true);
mutual<keyof AzureEndpointService, keyof Schemas["AzureEndpointService"]>(true);
mutual<keyof GcpEndpointService, keyof Schemas["GcpEndpointService"]>(true);

// The status keeps the spec's known values (the generated type has collapsed to string).
mutual<
  Extract<EndpointServiceStatus, Schemas["KnownEndpointServiceStatus"]>,
  Schemas["KnownEndpointServiceStatus"]
>(true);
mutual<NonNullable<AwsEndpointService["status"]>, EndpointServiceStatus>(true);
mutual<Extract<Schemas["EndpointServiceStatus"], Schemas["KnownEndpointServiceStatus"]>, never>(
  true,
);

// The create input: the body's fields, the provider as cloudProvider, and the project.
mutual<
  keyof CreateEndpointServiceInput,
  | Exclude<keyof Schemas["CreateEndpointServiceRequest"], "providerName">
  | "cloudProvider"
  | "groupId"
>(true);
mutual<keyof PrivateEndpointServiceRef, "groupId" | "cloudProvider" | "endpointServiceId">(true);
const remote: readonly string[] = ["US_WEST_2"];
const input: CreateEndpointServiceInput = {
  groupId: "32b6e34b3d91647abb20e7b8",
  cloudProvider: "AWS",
  region: "US_EAST_1",
  supportedRemoteRegions: remote,
};
void input;

/** Never called: only type-checked (kept unformatted so each error stays on its marked line). */
// deno-fmt-ignore
function wrongUses(client: AtlasClient, service: EndpointService): void {
  const groupId = "32b6e34b3d91647abb20e7b8";
  // @ts-expect-error The region is required.
  const noRegion: CreateEndpointServiceInput = { groupId, cloudProvider: "AWS" };
  // @ts-expect-error At most the spec's fields: no providerName beside cloudProvider.
  const both: CreateEndpointServiceInput = { groupId, cloudProvider: "AWS", region: "US_EAST_1", providerName: "AWS" };
  void noRegion, both;
  const create = "/groups/{groupId}/privateEndpoint/endpointService";
  client.POST(create, { params: { path: { groupId } }, body: { providerName: "GCP", region: "CENTRAL_US", portMappingEnabled: true } });
  // @ts-expect-error The low-level body needs providerName.
  client.POST(create, { params: { path: { groupId } }, body: { region: "CENTRAL_US" } });
  // @ts-expect-error Unknown body fields are refused, as Atlas refuses them.
  client.POST(create, { params: { path: { groupId } }, body: { providerName: "AWS", region: "US_EAST_1", name: "x" } });
  // @ts-expect-error Reading a service needs its id.
  client.GET("/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}", { params: { path: { groupId, cloudProvider: "AWS" } } });

  // Narrowing on cloudProvider reaches each provider's fields; statuses stay open.
  if (service.cloudProvider === "AWS") {
    const status: AwsEndpointService["status"] = "SOMETHING_NEW";
    void status, service.endpointServiceName, service.interfaceEndpoints;
    // @ts-expect-error AWS services have no Azure fields.
    void service.privateLinkServiceName;
  } else if (service.cloudProvider === "GCP") {
    void service.serviceAttachmentNames, service.portMappingEnabled;
  }
}
void wrongUses;

Deno.test("EndpointService describes what the simulator answers for every provider", () => {
  const simulator = createAtlasSimulator({ now: () => 0 });
  const project = simulator.seed();
  const keys: Record<EndpointService["cloudProvider"], string[]> = {
    AWS: ["endpointServiceName", "interfaceEndpoints"],
    AZURE: ["privateEndpoints", "privateLinkServiceName", "privateLinkServiceResourceId"],
    GCP: ["endpointGroupNames", "portMappingEnabled", "serviceAttachmentNames"],
  };
  for (const provider of ["AWS", "AZURE", "GCP"] as const) {
    const state = simulator.getEndpointService({
      groupId: project.groupId,
      cloudProvider: provider,
      endpointServiceId: project[provider],
    })!;
    const body = state.body as EndpointService;
    assert.equal(body.cloudProvider, provider);
    assert.deepEqual(
      Object.keys(body).sort(),
      ["cloudProvider", "errorMessage", "id", "regionName", "status", ...keys[provider]].sort(),
    );
  }
  assert.ok(DEFAULT_SIMULATOR_API_KEY.publicKey);
});
