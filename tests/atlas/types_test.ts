// Type tests: `deno task check` (and `deno test`) type-check this file, so every
// `@ts-expect-error` below must mark a real type error or the check fails.
import assert from "node:assert/strict";
import type { components } from "../../gen/atlas.ts";
import {
  type AtlasClient,
  AtlasValidationError,
  type AwsPrivateEndpoint,
  type AzurePrivateEndpoint,
  createPrivateEndpoint,
  type CreatePrivateEndpointInput,
  type GcpPrivateEndpoint,
  type PrivateEndpoint,
} from "../../mod.ts";
import { fakeAtlas, SERVICE, VPCE } from "./_fake_atlas.ts";

type Schemas = components["schemas"];

/** Compiles only when A and B are assignable to each other. */
function mutual<A, B>(_check: [A] extends [B] ? ([B] extends [A] ? true : false) : false): void {}

// The hand-written endpoint types and the generated ones describe the same JSON.
mutual<AwsPrivateEndpoint, Schemas["AwsPrivateEndpoint"]>(true);
mutual<AzurePrivateEndpoint, Schemas["AzurePrivateEndpoint"]>(true);
mutual<GcpPrivateEndpoint, Schemas["GcpPrivateEndpoint"]>(true);
mutual<PrivateEndpoint, Schemas["PrivateEndpoint"]>(true);

/** Never called: only type-checked (kept unformatted so each error stays on its marked line). */
// deno-fmt-ignore
function wrongBodies(client: AtlasClient): void {
  const sv = { groupId: "32b6e34b3d91647abb20e7b8", endpointServiceId: "5f4fc14da2b47835a58c63a2" };
  // @ts-expect-error AWS takes no IP address.
  createPrivateEndpoint(client, { ...sv, cloudProvider: "AWS", id: VPCE, privateEndpointIPAddress: "10.0.0.4" });
  // @ts-expect-error Azure needs privateEndpointIPAddress.
  createPrivateEndpoint(client, { ...sv, cloudProvider: "AZURE", id: "/subscriptions/x" });
  // @ts-expect-error GCP has no id: it needs endpointGroupName and gcpProjectId.
  createPrivateEndpoint(client, { ...sv, cloudProvider: "GCP", id: VPCE });
  // @ts-expect-error GCP forwarding rules need an ipAddress.
  createPrivateEndpoint(client, { ...sv, cloudProvider: "GCP", endpointGroupName: "g", gcpProjectId: "p", endpoints: [{ endpointName: "r" }] });
  // @ts-expect-error The misspelling from the v1 docs is caught.
  createPrivateEndpoint(client, { ...sv, cloudProvider: "GCP", endpointGroupName: "g", gcpProjectID: "p" });
  // @ts-expect-error Providers are upper case.
  createPrivateEndpoint(client, { ...sv, cloudProvider: "aws", id: VPCE });
  // @ts-expect-error The service ids are required.
  createPrivateEndpoint(client, { cloudProvider: "AWS", id: VPCE });

  const path = { ...sv, cloudProvider: "AWS" as const };
  const create = "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint";
  // @ts-expect-error The low-level body must be one provider's body.
  client.POST(create, { params: { path }, body: { vpc: VPCE } });
  // @ts-expect-error The low-level path needs endpointServiceId.
  client.POST(create, { params: { path: { groupId: sv.groupId, cloudProvider: "AWS" } }, body: { id: VPCE } });
  // @ts-expect-error `pretty` is a boolean.
  client.POST(create, { params: { path, query: { pretty: "yes" } }, body: { id: VPCE } });
  // @ts-expect-error GET needs endpointId.
  client.GET(`${create}/{endpointId}`, { params: { path } });

  // Statuses are open: known ones and future ones both type-check, and narrowing still works.
  const endpoint = {} as PrivateEndpoint;
  if (endpoint.cloudProvider === "AWS") {
    const status: AwsPrivateEndpoint["connectionStatus"] = "SOMETHING_NEW";
    void status;
    void endpoint.interfaceEndpointId;
    // @ts-expect-error AWS endpoints have connectionStatus, not status.
    void endpoint.status;
  }
}
void wrongBodies;

Deno.test("createPrivateEndpoint() rejects at run time the wrong bodies the types reject", async () => {
  const atlas = fakeAtlas();
  const wrong = [
    { ...SERVICE, cloudProvider: "AWS", id: VPCE, privateEndpointIPAddress: "10.0.0.4" },
    { ...SERVICE, cloudProvider: "AZURE", id: "/subscriptions/x" },
    { ...SERVICE, cloudProvider: "GCP", id: VPCE },
    {
      ...SERVICE,
      cloudProvider: "GCP",
      endpointGroupName: "g",
      gcpProjectId: "p",
      endpoints: [{ endpointName: "r" }],
    },
  ];
  for (const input of wrong) {
    await assert.rejects(
      createPrivateEndpoint(atlas.client, input as unknown as CreatePrivateEndpointInput),
      AtlasValidationError,
    );
  }
  assert.equal(atlas.calls.length, 0);
});
