// The deletion waits report each status on the way out, DELETED last (once Atlas answers 404).
import assert from "node:assert/strict";
import {
  createAtlasClient,
  createPrivateEndpoint,
  deleteEndpointService,
  deletePrivateEndpoint,
  waitForEndpointService,
  waitForEndpointServiceDeletion,
  waitForPrivateEndpointDeletion,
} from "../../mod.ts";
import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "../../src/testing/mod.ts";

Deno.test("waitForPrivateEndpointDeletion() and waitForEndpointServiceDeletion() report DELETING, then DELETED", async () => {
  let now = 0;
  const clock = { now: () => now, sleep: (ms: number) => Promise.resolve(void (now += ms)) };
  const simulator = createAtlasSimulator({ now: () => now, removeEmptyServices: false });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
  const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
  const ref = { ...service, endpointId: "vpce-0123456789abcdef0" };
  await createPrivateEndpoint(atlas, { ...service, id: ref.endpointId });
  await deletePrivateEndpoint(atlas, ref);
  const seen: (string | undefined)[][] = [];
  await waitForPrivateEndpointDeletion(atlas, ref, {
    clock,
    onStatus: ({ status, previousStatus }) => seen.push([previousStatus, status]),
  });
  assert.deepEqual(seen, [[undefined, "DELETING"], ["DELETING", "DELETED"]]);

  await deleteEndpointService(atlas, service);
  const statuses: string[] = [];
  await waitForEndpointServiceDeletion(atlas, service, {
    clock,
    onStatus: ({ status }) => statuses.push(status),
  });
  assert.deepEqual(statuses, ["DELETING", "DELETED"]);
  assert.equal(simulator.getEndpointService(service), undefined);
});

Deno.test("waitForEndpointService(), waitForPrivateEndpointDeletion() and waitForEndpointServiceDeletion() reject with what onStatus throws", async () => {
  const clock = { now: () => 0, sleep: () => Promise.resolve() };
  const simulator = createAtlasSimulator({ timeScale: 0, removeEmptyServices: false });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
  const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
  const ref = { ...service, endpointId: "vpce-0123456789abcdef0" };
  const bug = new TypeError("the caller's bug");
  const onStatus = (): never => {
    throw bug;
  };
  const isBug = (error: unknown): boolean => error === bug;
  await assert.rejects(waitForEndpointService(atlas, service, { clock, onStatus }), isBug);
  await createPrivateEndpoint(atlas, { ...service, id: ref.endpointId });
  await deletePrivateEndpoint(atlas, ref);
  await assert.rejects(waitForPrivateEndpointDeletion(atlas, ref, { clock, onStatus }), isBug);
  await deleteEndpointService(atlas, service);
  await assert.rejects(waitForEndpointServiceDeletion(atlas, service, { clock, onStatus }), isBug);
});
