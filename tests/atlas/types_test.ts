// Type tests: `deno task check` (and `deno test`) type-check this file, so every
// `@ts-expect-error` below must mark a real type error or the check fails.
import assert from "node:assert/strict";
import type { components } from "../../gen/atlas.ts";
import { mutual } from "./_mutual.ts";
import {
  type AtlasClient,
  type AtlasSchema,
  AtlasValidationError,
  type AwsConnectionStatus,
  type AwsPrivateEndpoint,
  type AzureEndpointStatus,
  type AzurePrivateEndpoint,
  type CloudProvider,
  type CreateAwsPrivateEndpointInput,
  type CreateAzurePrivateEndpointInput,
  type CreateGcpPrivateEndpointInput,
  createPrivateEndpoint,
  type CreatePrivateEndpointInput,
  type GcpEndpointGroupStatus,
  type GcpForwardingRule,
  type GcpForwardingRuleInput,
  type GcpForwardingRuleStatus,
  type GcpPrivateEndpoint,
  type PrivateEndpoint,
  type PrivateEndpointRef,
} from "../../mod.ts";
import { fakeAtlas, SERVICE, VPCE } from "./_fake_atlas.ts";

type Schemas = components["schemas"];

// The public endpoint types and the generated ones describe the same JSON...
mutual<AwsPrivateEndpoint, Schemas["AwsPrivateEndpoint"]>(true);
mutual<AzurePrivateEndpoint, Schemas["AzurePrivateEndpoint"]>(true);
mutual<GcpPrivateEndpoint, Schemas["GcpPrivateEndpoint"]>(true);
mutual<GcpForwardingRule, Schemas["GcpForwardingRule"]>(true);
mutual<PrivateEndpoint, Schemas["PrivateEndpoint"]>(true);
mutual<CloudProvider, Schemas["CloudProvider"]>(true);

// ...with exactly the spec's fields: a field added to spec/ reaches them.
mutual<keyof AwsPrivateEndpoint, keyof Schemas["AwsPrivateEndpoint"]>(true);
mutual<keyof AzurePrivateEndpoint, keyof Schemas["AzurePrivateEndpoint"]>(true);
mutual<keyof GcpPrivateEndpoint, keyof Schemas["GcpPrivateEndpoint"]>(true);
mutual<keyof GcpForwardingRule, keyof Schemas["GcpForwardingRule"]>(true);

// The inputs are the request bodies plus the path parameters (the provider among them).
type Path = keyof PrivateEndpointRef;
mutual<Path, "groupId" | "endpointServiceId" | "cloudProvider" | "endpointId">(true);
type InputKeys<Body> = keyof Body | Exclude<Path, "endpointId">;
mutual<keyof CreateAwsPrivateEndpointInput, InputKeys<Schemas["CreateAwsPrivateEndpointRequest"]>>(
  true,
);
mutual<
  keyof CreateAzurePrivateEndpointInput,
  InputKeys<Schemas["CreateAzurePrivateEndpointRequest"]>
>(true);
// The Google Cloud input adds what its service was created with (`portMappingEnabled`, not sent),
// typed as the service create's field.
mutual<
  keyof CreateGcpPrivateEndpointInput,
  InputKeys<Schemas["CreateGcpPrivateEndpointRequest"]> | "portMappingEnabled"
>(true);
mutual<
  NonNullable<CreateGcpPrivateEndpointInput["portMappingEnabled"]>,
  NonNullable<Schemas["CreateEndpointServiceRequest"]["portMappingEnabled"]>
>(true);
mutual<GcpForwardingRuleInput, Schemas["CreateGcpForwardingRule"]>(true);
// A body of the generated type is a valid input once the path fields are added.
const gcpBody: Schemas["CreateGcpPrivateEndpointRequest"] = {
  endpointGroupName: "g",
  gcpProjectId: "p",
};
const gcpInput: CreateGcpPrivateEndpointInput = {
  groupId: "32b6e34b3d91647abb20e7b8",
  endpointServiceId: "5f4fc14da2b47835a58c63a2",
  cloudProvider: "GCP",
  ...gcpBody,
};
void gcpInput;

// Statuses keep the spec's known values (the generator's `("A" | "B") | string` is `string`, from
// which Extract finds none), on the aliases and on the endpoint fields alike.
mutual<Extract<AwsConnectionStatus, string>, AwsConnectionStatus>(true);
mutual<
  Extract<AwsConnectionStatus, Schemas["KnownAwsConnectionStatus"]>,
  Schemas["KnownAwsConnectionStatus"]
>(
  true,
);
mutual<
  Extract<AzureEndpointStatus, Schemas["KnownAzureEndpointStatus"]>,
  Schemas["KnownAzureEndpointStatus"]
>(
  true,
);
mutual<
  Extract<GcpEndpointGroupStatus, Schemas["KnownGcpEndpointGroupStatus"]>,
  Schemas["KnownGcpEndpointGroupStatus"]
>(true);
mutual<
  Extract<GcpForwardingRuleStatus, Schemas["KnownGcpForwardingRuleStatus"]>,
  Schemas["KnownGcpForwardingRuleStatus"]
>(true);
mutual<NonNullable<AwsPrivateEndpoint["connectionStatus"]>, AwsConnectionStatus>(true);
mutual<NonNullable<AzurePrivateEndpoint["status"]>, AzureEndpointStatus>(true);
mutual<NonNullable<GcpPrivateEndpoint["status"]>, GcpEndpointGroupStatus>(true);
mutual<NonNullable<GcpForwardingRule["status"]>, GcpForwardingRuleStatus>(true);
mutual<NonNullable<GcpPrivateEndpoint["endpoints"]>[number], GcpForwardingRule>(true);
// The generator's own type has lost them: this is what the open unions mend.
mutual<Extract<Schemas["AwsConnectionStatus"], Schemas["KnownAwsConnectionStatus"]>, never>(true);

// AtlasSchema retypes only fields the schema has.
// @ts-expect-error AwsPrivateEndpoint has no field `status`.
type WrongField = AtlasSchema<"AwsPrivateEndpoint", { status: string }>;

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
