// A CommonJS consumer: `require()` of the ESM-only package, through Node's require(esm)
// (Node >= 20.19, 22.12) and Bun. Creates and reads a private endpoint on the simulator over
// loopback and prints one JSON line with what it loaded and observed.
// deno-lint-ignore-file no-console
"use strict";
const assert = require("node:assert/strict");
const lib = require("@atlas-edge/private-endpoint");
const testing = require("@atlas-edge/private-endpoint/testing");

(async () => {
  const simulator = testing.createAtlasSimulator({ timeScale: 0 });
  const { groupId, AWS: serviceId } = simulator.seed();
  const server = await testing.serve(simulator.fetch);
  try {
    const { publicKey, privateKey } = testing.DEFAULT_SIMULATOR_API_KEY;
    const digestFetch = lib.createDigestFetch({ username: publicKey, password: privateKey });
    const endpoints = `${server.url}${simulator.basePath}/groups/${groupId}/privateEndpoint/AWS` +
      `/endpointService/${serviceId}/endpoint`;
    const created = await digestFetch(endpoints, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "vpce-0fedcba9876543210" }),
    });
    assert.equal(created.status, 200);
    await created.body?.cancel();
    const read = await digestFetch(`${endpoints}/vpce-0fedcba9876543210`);
    assert.equal((await read.json()).interfaceEndpointId, "vpce-0fedcba9876543210");
    console.log(JSON.stringify({
      main: Object.keys(lib).sort(),
      testing: Object.keys(testing).sort(),
      readStatus: read.status,
    }));
  } finally {
    await server.close();
  }
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
