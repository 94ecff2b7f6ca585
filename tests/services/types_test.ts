// Type tests of the endpoint service functions: `deno task check` (and `deno test`) type-check
// this file, so every `@ts-expect-error` below must mark a real type error or the check fails.
import assert from "node:assert/strict";
import type {
  AtlasClient,
  CloudProvider,
  EndpointServiceTarget,
  EnsuredEndpointService,
} from "../../mod.ts";
import { ensureEndpointService } from "../../mod.ts";
import { mutual } from "../atlas/_mutual.ts";

// The target of a provider's service is that provider's.
mutual<
  EnsuredEndpointService<"AWS">["target"],
  Extract<EndpointServiceTarget, { cloudProvider: "AWS" }>
>(true);
mutual<EnsuredEndpointService["target"], EndpointServiceTarget>(true);
mutual<EnsuredEndpointService<"GCP">["service"]["cloudProvider"], "GCP">(true);

/** Never called: only type-checked (kept unformatted so each error stays on its marked line). */
// deno-fmt-ignore
async function uses(atlas: AtlasClient, provider: CloudProvider): Promise<void> {
  const groupId = "32b6e34b3d91647abb20e7b8";
  const aws = await ensureEndpointService(atlas, { groupId, cloudProvider: "AWS", region: "us-east-1" });
  const name: string = aws.target.endpointServiceName; // no narrowing needed
  // @ts-expect-error An AWS service has no Azure Private Link service.
  void aws.target.privateLinkServiceName;
  const azure = await ensureEndpointService(atlas, { groupId, cloudProvider: "AZURE", region: "eastus2" });
  const id: string = azure.target.privateLinkServiceResourceId;
  // @ts-expect-error Fields the spec does not have are refused.
  await ensureEndpointService(atlas, { groupId, cloudProvider: "AWS", region: "us-east-1", bogus: 1 });
  const any = await ensureEndpointService(atlas, { groupId, cloudProvider: provider, region: "US_EAST_1" });
  // @ts-expect-error A provider only known at run time: narrow on target.cloudProvider first.
  void any.target.endpointServiceName;
  if (any.target.cloudProvider === "GCP") void any.target.serviceAttachmentNames;
  void name, id;
}

Deno.test("ensureEndpointService() types its target by the provider asked for", () => {
  assert.equal(typeof uses, "function");
});
