// The real client (createAtlasClient and the operations) against the simulator, in-process, on
// the simulator's clock: the simulator is what the client and the CLI are tested against, so the
// two must agree on shapes, statuses, encodings and errors.
import assert from "node:assert/strict";
import {
  type AtlasClient,
  createAtlasClient,
  createPrivateEndpoint,
  deletePrivateEndpoint,
  getPrivateEndpoint,
  privateEndpointId,
  privateEndpointStatus,
  type WaitClock,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  type SeededProject,
} from "../../src/testing/atlas_simulator.ts";
import { AWS_ID, AZURE_ID, BODIES, GCP_GROUP } from "./_simulator_fixture.ts";

interface Setup {
  simulator: AtlasSimulator;
  project: SeededProject;
  client: AtlasClient;
  clock: WaitClock;
}

function setup(options: AtlasSimulatorOptions = {}): Setup {
  let now = 1_000_000;
  const simulator = createAtlasSimulator({ now: () => now, ...options });
  const project = simulator.seed();
  const client = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
  const clock = { now: () => now, sleep: (ms: number) => Promise.resolve(void (now += ms)) };
  return { simulator, project, client, clock };
}

const INPUTS = {
  AWS: { cloudProvider: "AWS", id: AWS_ID },
  AZURE: { cloudProvider: "AZURE", id: AZURE_ID, privateEndpointIPAddress: "10.0.0.4" },
  GCP: { cloudProvider: "GCP", ...BODIES.GCP },
} as const;

const EXPECTED = {
  AWS: ["PENDING_ACCEPTANCE", "PENDING", "AVAILABLE"],
  AZURE: ["INITIATING", "AVAILABLE"],
  GCP: ["INITIATING", "VERIFIED", "AVAILABLE"],
};

for (const provider of ["AWS", "AZURE", "GCP"] as const) {
  Deno.test(`createAtlasSimulator() serves the client: ${provider} create, wait, get, delete`, async () => {
    const { simulator, project, client, clock } = setup();
    const service = { groupId: project.groupId, endpointServiceId: project[provider] };
    const created = await createPrivateEndpoint(
      client,
      {
        ...service,
        ...INPUTS[provider],
      } as Parameters<typeof createPrivateEndpoint>[1],
    );
    assert.equal(created.cloudProvider, provider);
    const endpointId = privateEndpointId(created);
    assert.equal(endpointId, { AWS: AWS_ID, AZURE: AZURE_ID, GCP: GCP_GROUP }[provider]);
    const ref = { ...service, cloudProvider: provider, endpointId };
    const seen: string[] = [];
    const ready = await waitForPrivateEndpoint(client, ref, {
      pollIntervalMs: 500,
      maxPollIntervalMs: 500,
      clock,
      onStatus: (change) => seen.push(change.status),
    });
    assert.equal(privateEndpointStatus(ready), "AVAILABLE");
    assert.deepEqual(seen, EXPECTED[provider]);
    assert.equal(privateEndpointStatus(await getPrivateEndpoint(client, ref)), "AVAILABLE");
    await deletePrivateEndpoint(client, ref);
    assert.equal(privateEndpointStatus(await getPrivateEndpoint(client, ref)), "DELETING");
    simulator.clock.advance(3_000);
    await assert.rejects(getPrivateEndpoint(client, ref), {
      name: "AtlasApiError",
      status: 404,
      errorCode: "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND",
    });
  });
}

Deno.test("createAtlasSimulator() failures reach the client as PrivateEndpointFailedError and AtlasApiError", async () => {
  const { project, client, clock } = setup({
    failEndpoints: { [AWS_ID]: `Interface endpoint ${AWS_ID} was not found` },
  });
  const service = { groupId: project.groupId, endpointServiceId: project.AWS };
  await createPrivateEndpoint(client, { ...service, cloudProvider: "AWS", id: AWS_ID });
  await assert.rejects(
    waitForPrivateEndpoint(client, { ...service, cloudProvider: "AWS", endpointId: AWS_ID }, {
      pollIntervalMs: 1_000,
      clock,
    }),
    {
      name: "PrivateEndpointFailedError",
      status: "REJECTED",
      errorMessage: `Interface endpoint ${AWS_ID} was not found`,
    },
  );
  await assert.rejects(
    createPrivateEndpoint(client, { ...service, cloudProvider: "AWS", id: AWS_ID }),
    {
      name: "AtlasApiError",
      status: 409,
      errorCode: "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS",
    },
  );
  const unknownGroup = { ...service, groupId: "0123456789abcdef01234567" };
  await assert.rejects(
    getPrivateEndpoint(client, { ...unknownGroup, cloudProvider: "AWS", endpointId: AWS_ID }),
    { name: "AtlasApiError", status: 404, errorCode: "GROUP_NOT_FOUND" },
  );
  const wrongKey = createAtlasClient({
    publicKey: DEFAULT_SIMULATOR_API_KEY.publicKey,
    privateKey: "wrong",
    fetch: setup().simulator.fetch,
  });
  await assert.rejects(
    getPrivateEndpoint(wrongKey, { ...service, cloudProvider: "AWS", endpointId: AWS_ID }),
    (error: Error) => !error.message.includes("wrong"),
  );
});
