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

Deno.test("createAtlasSimulator() serves curl --digest a whole setup on v2: service, endpoint, both deleted", async () => {
  let now = 0;
  const simulator = createAtlasSimulator({ now: () => now });
  const groupId = simulator.addGroup();
  const server = await serve(simulator.fetch);
  const v2 = ["-H", "accept: application/vnd.atlas.2023-01-01+json"];
  const send = async (path: string, args: string[] = []) => {
    const [result] = await curl(KEYS, [`${server.url}${simulator.v2BasePath}${path}`], [
      ...v2,
      ...args,
    ]);
    return {
      status: result!.status,
      json: result!.body === "" ? undefined : JSON.parse(result!.body),
    };
  };
  const post = (path: string, body: unknown) =>
    send(path, ["-H", "content-type: application/json", "--data-binary", JSON.stringify(body)]);
  try {
    const root = `/groups/${groupId}/privateEndpoint`;
    const created = await post(`${root}/endpointService`, {
      providerName: "AWS",
      region: "us-east-1",
    });
    assert.equal(created.status, 200);
    assert.equal(created.json.status, "INITIATING");
    const service = `${root}/AWS/endpointService/${created.json.id}`;
    now += 5_000;
    const ready = await send(service);
    assert.equal(ready.json.status, "WAITING_FOR_USER");
    assert.match(
      ready.json.endpointServiceName,
      /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/,
    );

    const endpoint = await post(`${service}/endpoint`, BODIES.AWS);
    assert.equal(endpoint.status, 200);
    now += 5_000;
    const available = await send(`${service}/endpoint/${BODIES.AWS.id}`);
    assert.equal(available.json.connectionStatus, "AVAILABLE");
    assert.equal((await send(service)).json.status, "AVAILABLE");

    const conflict = await send(service, ["-X", "DELETE"]);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json.errorCode, "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS");
    assert.equal(
      (await send(`${service}/endpoint/${BODIES.AWS.id}`, ["-X", "DELETE"])).status,
      204,
    );
    now += 3_000; // the endpoint is gone; the service, its last endpoint gone, is DELETING
    assert.equal((await send(service)).json.status, "DELETING");
    now += 3_000;
    assert.equal((await send(service)).status, 404);
    assert.deepEqual((await send(`${root}/AWS/endpointService`)).json, []);
  } finally {
    await server.close();
  }
});

Deno.test("createAtlasSimulator() accepts a vpce id AWS never issues, as Atlas does, and ends it REJECTED", async () => {
  let now = 0;
  const simulator = createAtlasSimulator({ now: () => now });
  const { groupId, AWS } = simulator.seed();
  const server = await serve(simulator.fetch);
  try {
    const base = `${server.url}${simulator.basePath}/groups/${groupId}/privateEndpoint/AWS` +
      `/endpointService/${AWS}/endpoint`;
    const ids = ["vpce-0123456789ABCDEF0", "vpce-0123456789abcdef", "vpce-0123456789abcdef0"];
    for (const id of ids) {
      const [created] = await curl(KEYS, [base], [
        "-H",
        "content-type: application/json",
        "--data-binary",
        JSON.stringify({ id }),
      ]);
      assert.equal(created!.status, 200, id);
    }
    now += 60_000;
    const [upper, short, good] = await curl(KEYS, ids.map((id) => `${base}/${id}`));
    for (const result of [upper!, short!]) {
      const endpoint = JSON.parse(result.body);
      assert.equal(endpoint.connectionStatus, "REJECTED");
      assert.match(endpoint.errorMessage, /InvalidVpcEndpointId\.NotFound/);
    }
    assert.equal(JSON.parse(good!.body).connectionStatus, "AVAILABLE");
  } finally {
    await server.close();
  }
});
