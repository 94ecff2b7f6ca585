// The low-level client (openapi-fetch) on the endpoint service paths: sent after the same checks
// as the high-level functions, answered with `cloudProvider` filled in.
import assert from "node:assert/strict";
import { AtlasValidationError } from "../../mod.ts";
import { setup, unreachable } from "./_setup.ts";

const CREATE = "/groups/{groupId}/privateEndpoint/endpointService";
const LIST = "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService";
const ONE = "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}";

Deno.test("createAtlasClient() sends the endpoint service operations of the low-level client", async () => {
  const s = await setup({ timeScale: 0 });
  const groupId = s.groupId;
  const created = await s.atlas.POST(CREATE, {
    params: { path: { groupId } },
    body: { providerName: "GCP", region: "CENTRAL_US", portMappingEnabled: true },
  });
  assert.equal(created.error, undefined);
  const id = created.data?.id;
  assert.ok(id);
  const listed = await s.atlas.GET(LIST, { params: { path: { groupId, cloudProvider: "GCP" } } });
  assert.deepEqual(listed.data?.map((x) => [x.id, x.cloudProvider]), [[id, "GCP"]]);
  const path = { groupId, cloudProvider: "GCP", endpointServiceId: id } as const;
  const one = await s.atlas.GET(ONE, { params: { path } });
  assert.equal(one.data?.cloudProvider, "GCP");
  assert.equal(one.data?.regionName, "CENTRAL_US");
  const deleted = await s.atlas.DELETE(ONE, { params: { path } });
  assert.equal(deleted.response.ok, true);
  assert.equal(s.simulator.listEndpointServices().length, 0);
});

Deno.test("createAtlasClient() checks a low-level endpoint service call before sending it", async () => {
  const { atlas, calls } = unreachable();
  const groupId = "32b6e34b3d91647abb20e7b8";
  const refused = async (field: string, call: () => Promise<unknown>): Promise<void> => {
    await assert.rejects(call(), (e: unknown) => {
      assert.ok(e instanceof AtlasValidationError, String(e));
      assert.equal(e.field, field);
      return true;
    });
  };
  await refused("portMappingEnabled", () =>
    atlas.POST(CREATE, {
      params: { path: { groupId } },
      body: { providerName: "AWS", region: "US_EAST_1", portMappingEnabled: true },
    }));
  await refused("region", () =>
    atlas.POST(CREATE, {
      params: { path: { groupId } },
      body: { providerName: "AZURE", region: "east us 2" },
    }));
  await refused("groupId", () =>
    atlas.POST(CREATE, {
      params: { path: { groupId: "x" } },
      body: { providerName: "AWS", region: "US_EAST_1" },
    }));
  await refused(
    "cloudProvider",
    () => atlas.GET(LIST, { params: { path: { groupId, cloudProvider: "IBM" as "AWS" } } }),
  );
  await refused("endpointServiceId", () =>
    atlas.DELETE(ONE, {
      params: { path: { groupId, cloudProvider: "AWS", endpointServiceId: "../x" } },
    }));
  assert.equal(calls(), 0);
});
