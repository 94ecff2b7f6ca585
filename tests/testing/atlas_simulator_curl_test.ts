// The simulator against curl, an independent Digest client, over real loopback HTTP.
import assert from "node:assert/strict";
import {
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
} from "../../src/testing/atlas_simulator.ts";
import { serve } from "../../src/testing/serve.ts";
import { curl } from "./_curl.ts";
import { AZURE_ID, BODIES, UNAUTHORIZED_BODY } from "./_simulator_fixture.ts";

const KEYS = `${DEFAULT_SIMULATOR_API_KEY.publicKey}:${DEFAULT_SIMULATOR_API_KEY.privateKey}`;

Deno.test("createAtlasSimulator() serves curl --digest: create then get, AWS and Azure", async () => {
  const simulator = createAtlasSimulator({ timeScale: 0 });
  const { groupId, AWS, AZURE } = simulator.seed();
  const server = await serve(simulator.fetch);
  try {
    const base = `${server.url}${simulator.basePath}/groups/${groupId}/privateEndpoint`;
    const json = ["-H", "content-type: application/json", "--data-binary"];
    const [created] = await curl(KEYS, [`${base}/AWS/endpointService/${AWS}/endpoint`], [
      ...json,
      JSON.stringify(BODIES.AWS),
    ]);
    assert.equal(created!.status, 200);
    assert.equal(JSON.parse(created!.body).interfaceEndpointId, BODIES.AWS.id);
    const [read] = await curl(KEYS, [
      `${base}/AWS/endpointService/${AWS}/endpoint/${BODIES.AWS.id}?pretty=true`,
    ]);
    assert.equal(read!.status, 200);
    assert.match(read!.body, /"connectionStatus" : "AVAILABLE"/);

    const [azure] = await curl(KEYS, [`${base}/AZURE/endpointService/${AZURE}/endpoint`], [
      ...json,
      JSON.stringify(BODIES.AZURE),
    ]);
    assert.equal(azure!.status, 200);
    const encoded = encodeURIComponent(AZURE_ID);
    const [azureRead] = await curl(KEYS, [
      `${base}/AZURE/endpointService/${AZURE}/endpoint/${encoded}`,
    ]);
    assert.equal(azureRead!.status, 200);
    assert.equal(JSON.parse(azureRead!.body).privateEndpointResourceId, AZURE_ID);

    const [wrong] = await curl(`${DEFAULT_SIMULATOR_API_KEY.publicKey}:nope`, [
      `${base}/AWS/endpointService/${AWS}/endpoint/${BODIES.AWS.id}`,
    ]);
    assert.equal(wrong!.status, 401);
    assert.deepEqual(JSON.parse(wrong!.body), UNAUTHORIZED_BODY);
    assert.equal(simulator.stats.digest.rejected.credentials, 1);
  } finally {
    await server.close();
  }
});
