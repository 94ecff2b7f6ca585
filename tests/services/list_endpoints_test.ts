// listPrivateEndpoints(): one call for a service's endpoints and their statuses.
import assert from "node:assert/strict";
import {
  createAtlasClient,
  createPrivateEndpoint,
  deletePrivateEndpoint,
  listPrivateEndpoints,
  privateEndpointId,
  privateEndpointStatus,
} from "../../mod.ts";
import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "../../src/testing/mod.ts";
import { setup, unreachable } from "./_setup.ts";

const ids = Array.from({ length: 7 }, (_, i) => `vpce-0123456789abcdef${i}`);

Deno.test("listPrivateEndpoints() returns each endpoint of the service with its status", async () => {
  const s = await setup({
    serviceInitiatingMs: 0,
    loopback: true,
    failEndpoints: { [ids[1]!]: "Interface endpoint was not found." },
  });
  try {
    const { AWS: endpointServiceId } = s.simulator.seed({ groupId: s.groupId });
    const service = { groupId: s.groupId, endpointServiceId, cloudProvider: "AWS" } as const;
    for (const id of ids.slice(0, 3)) await createPrivateEndpoint(s.atlas, { ...service, id });
    await s.clock.sleep(30 * 60_000);
    await deletePrivateEndpoint(s.atlas, { ...service, endpointId: ids[2]! });
    const endpoints = await listPrivateEndpoints(s.atlas, service);
    assert.deepEqual(
      endpoints.map((e) => [privateEndpointId(e), privateEndpointStatus(e)]),
      [[ids[0], "AVAILABLE"], [ids[1], "REJECTED"], [ids[2], "DELETING"]],
    );
    assert.equal(endpoints[1]?.errorMessage, "Interface endpoint was not found.");
    // Once gone, an endpoint is no longer listed.
    await s.clock.sleep(30 * 60_000);
    const after = await listPrivateEndpoints(s.atlas, service);
    assert.deepEqual(after.map(privateEndpointId), [ids[0], ids[1]]);
  } finally {
    await s.close();
  }
});

Deno.test("listPrivateEndpoints() reads at most `concurrency` endpoints at once", async () => {
  const simulator = createAtlasSimulator({ timeScale: 0 });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  let inFlight = 0;
  let most = 0;
  const atlas = createAtlasClient({
    ...DEFAULT_SIMULATOR_API_KEY,
    fetch: async (request) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      try {
        return await simulator.fetch(request);
      } finally {
        inFlight--;
      }
    },
  });
  const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
  for (const id of ids) await createPrivateEndpoint(atlas, { ...service, id });
  most = 0;
  const endpoints = await listPrivateEndpoints(atlas, service, { concurrency: 3 });
  assert.equal(endpoints.length, ids.length);
  assert.equal(most, 3);
  most = 0;
  await listPrivateEndpoints(atlas, service, { concurrency: 1 });
  assert.equal(most, 1);
});

Deno.test("listPrivateEndpoints() refuses a bad reference or option before sending", async () => {
  const { atlas, calls } = unreachable();
  const ref = {
    groupId: "32b6e34b3d91647abb20e7b8",
    cloudProvider: "AZURE",
    endpointServiceId: "5f4fc14da2b47835a58c63a2",
  } as const;
  await assert.rejects(listPrivateEndpoints(atlas, ref, { concurrency: 0 }), {
    name: "AtlasValidationError",
    field: "concurrency",
  });
  await assert.rejects(listPrivateEndpoints(atlas, { ...ref, endpointServiceId: "x" }), {
    name: "AtlasValidationError",
    field: "endpointServiceId",
  });
  assert.equal(calls(), 0);
});
