// The simulator's create/get/delete life cycles per provider, over raw HTTP with Digest.
import assert from "node:assert/strict";
import { AWS_ID, AZURE_ID, fixture, GCP_GROUP } from "./_simulator_fixture.ts";

async function statusOf(response: Response): Promise<[number, Record<string, unknown>]> {
  return [response.status, await response.json()];
}

Deno.test("createAtlasSimulator() runs the AWS life cycle: create, PENDING_ACCEPTANCE, PENDING, AVAILABLE, delete", async () => {
  const f = fixture();
  const created = await f.create("AWS");
  assert.equal(created.status, 200);
  assert.equal(created.headers.get("content-type"), "application/json");
  assert.equal(created.headers.get("ratelimit-limit"), "100");
  assert.match(created.headers.get("ratelimit-remaining")!, /^\d+$/);
  assert.deepEqual(await created.json(), {
    cloudProvider: "AWS",
    interfaceEndpointId: AWS_ID,
    connectionStatus: "PENDING_ACCEPTANCE",
    deleteRequested: false,
    errorMessage: null,
  });
  f.advance(1_999);
  assert.equal(
    (await (await f.client(f.item("AWS"))).json()).connectionStatus,
    "PENDING_ACCEPTANCE",
  );
  f.advance(1);
  assert.equal((await (await f.client(f.item("AWS"))).json()).connectionStatus, "PENDING");
  f.advance(3_000);
  const [status, available] = await statusOf(await f.client(f.item("AWS")));
  assert.equal(status, 200);
  assert.equal(available.connectionStatus, "AVAILABLE");

  const deleted = await f.client(f.item("AWS"), { method: "DELETE" });
  assert.equal(deleted.status, 200);
  assert.deepEqual(await deleted.json(), {});
  const deleting = await (await f.client(f.item("AWS"))).json();
  assert.equal(deleting.connectionStatus, "DELETING");
  assert.equal(deleting.deleteRequested, true);
  f.advance(3_000);
  const [goneStatus, gone] = await statusOf(await f.client(f.item("AWS")));
  assert.equal(goneStatus, 404);
  assert.equal(gone.errorCode, "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND");
  assert.deepEqual(gone.parameters, [AWS_ID]);
  assert.equal(f.sim.listEndpoints().length, 0);
});

Deno.test("createAtlasSimulator() runs the Azure life cycle with the resource id percent-encoded in the path", async () => {
  const f = fixture();
  const created = await (await f.create("AZURE")).json();
  assert.equal(created.cloudProvider, "AZURE");
  assert.equal(created.privateEndpointResourceId, AZURE_ID);
  assert.equal(created.privateEndpointIPAddress, "10.0.0.4");
  assert.equal(typeof created.privateEndpointConnectionName, "string");
  assert.equal(created.status, "INITIATING");
  assert.ok(f.item("AZURE").includes("%2Fsubscriptions%2F"));
  f.advance(4_000);
  assert.equal((await (await f.client(f.item("AZURE"))).json()).status, "AVAILABLE");
  // Unencoded slashes are other path segments: no such resource.
  const raw = await f.client(`${f.collection("AZURE")}${AZURE_ID}`);
  assert.equal(raw.status, 404);
  assert.equal((await raw.json()).errorCode, "RESOURCE_NOT_FOUND");
  // Encoded twice: decoded exactly once, so the id does not match.
  const twice = await f.client(f.item("AZURE", encodeURIComponent(AZURE_ID)));
  assert.equal(twice.status, 404);
  assert.equal((await twice.json()).errorCode, "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND");
  assert.equal((await f.client(f.item("AZURE"), { method: "DELETE" })).status, 200);
  assert.equal((await (await f.client(f.item("AZURE"))).json()).status, "DELETING");
});

Deno.test("createAtlasSimulator() runs the GCP life cycle: INITIATING, VERIFIED, AVAILABLE, per forwarding rule too", async () => {
  const f = fixture();
  const created = await (await f.create("GCP")).json();
  assert.equal(created.cloudProvider, "GCP");
  assert.equal(created.endpointGroupName, GCP_GROUP);
  // v2 additions that a v1.0 answer does not carry.
  assert.equal(created.gcpProjectId, undefined);
  assert.equal(created.portMappingEnabled, undefined);
  assert.equal(created.status, "INITIATING");
  assert.deepEqual(created.endpoints.map((e: { status: string }) => e.status), [
    "INITIATING",
    "INITIATING",
  ]);
  assert.equal(created.endpoints[0].endpointName, "atlas-endpoint-0");
  assert.equal(created.endpoints[1].ipAddress, "10.142.0.6");
  assert.match(created.endpoints[0].serviceAttachmentName, /^projects\/.+\/serviceAttachments\//);
  f.advance(2_500);
  const verified = await (await f.client(f.item("GCP"))).json();
  assert.equal(verified.status, "VERIFIED");
  assert.deepEqual(verified.endpoints.map((e: { status: string }) => e.status), [
    "AVAILABLE",
    "AVAILABLE",
  ]);
  f.advance(2_000);
  assert.equal((await (await f.client(f.item("GCP"))).json()).status, "AVAILABLE");
  await (await f.client(f.item("GCP"), { method: "DELETE" })).body?.cancel();
  const deleting = await (await f.client(f.item("GCP"))).json();
  assert.equal(deleting.status, "DELETING");
  assert.equal(deleting.endpoints[0].status, "DELETING");
});

Deno.test("createAtlasSimulator() timeScale speeds life cycles up and phases replace them", async () => {
  const fast = fixture({ timeScale: 0.01 });
  await (await fast.create("AWS")).body?.cancel();
  fast.advance(50);
  assert.equal((await (await fast.client(fast.item("AWS"))).json()).connectionStatus, "AVAILABLE");
  const custom = fixture({ phases: { AWS: [{ status: "NONE", durationMs: 1_000 }] } });
  assert.equal((await (await custom.create("AWS")).json()).connectionStatus, "NONE");
  custom.advance(1_000);
  assert.equal(
    (await (await custom.client(custom.item("AWS"))).json()).connectionStatus,
    "AVAILABLE",
  );
  const instant = fixture({ timeScale: 0 });
  assert.equal((await (await instant.create("GCP")).json()).status, "AVAILABLE");
});

Deno.test("createAtlasSimulator() ends failEndpoints REJECTED (AWS) or FAILED (Azure, GCP) with an errorMessage", async () => {
  const f = fixture({
    failEndpoints: (ref) =>
      ref.cloudProvider === "GCP" ? `Endpoint group ${ref.endpointId} failed` : undefined,
  });
  f.sim.failEndpoint(AWS_ID, `Interface endpoint ${AWS_ID} was not found`);
  f.sim.failEndpoint(AZURE_ID, "Private endpoint was rejected");
  for (const provider of ["AWS", "AZURE", "GCP"] as const) {
    await (await f.create(provider)).body?.cancel();
  }
  f.advance(10_000);
  const aws = await (await f.client(f.item("AWS"))).json();
  assert.equal(aws.connectionStatus, "REJECTED");
  assert.equal(aws.errorMessage, `Interface endpoint ${AWS_ID} was not found`);
  const azure = await (await f.client(f.item("AZURE"))).json();
  assert.deepEqual([azure.status, azure.errorMessage], ["FAILED", "Private endpoint was rejected"]);
  const gcp = await (await f.client(f.item("GCP"))).json();
  assert.deepEqual([gcp.status, gcp.errorMessage], [
    "FAILED",
    `Endpoint group ${GCP_GROUP} failed`,
  ]);
  assert.equal(gcp.endpoints[0].status, "FAILED");
  // A record option works as well, and a failed endpoint can be deleted.
  const g = fixture({ failEndpoints: { [AWS_ID]: "Rejected by AWS" }, timeScale: 0 });
  assert.equal((await (await g.create("AWS")).json()).connectionStatus, "REJECTED");
  assert.equal((await g.client(g.item("AWS"), { method: "DELETE" })).status, 200);
});

Deno.test("AtlasSimulator helpers read and pin endpoint state", async () => {
  const f = fixture();
  const ref = {
    groupId: f.project.groupId,
    cloudProvider: "AWS" as const,
    endpointServiceId: f.project.AWS,
    endpointId: AWS_ID,
  };
  assert.equal(f.sim.getEndpoint(ref), undefined);
  await (await f.create("AWS")).body?.cancel();
  const endpoint = f.sim.getEndpoint(ref)!;
  assert.equal(endpoint.status, "PENDING_ACCEPTANCE");
  assert.equal(endpoint.body.interfaceEndpointId, AWS_ID);
  assert.equal(f.sim.getEndpoint({ ...ref, cloudProvider: "AZURE" }), undefined);
  f.sim.setEndpointStatus(ref, "PENDING", null);
  f.advance(60_000);
  assert.equal((await (await f.client(f.item("AWS"))).json()).connectionStatus, "PENDING");
  f.sim.setEndpointStatus(ref, "REJECTED", "Pinned by the test");
  assert.deepEqual(
    [f.sim.getEndpoint(ref)!.status, f.sim.getEndpoint(ref)!.errorMessage],
    ["REJECTED", "Pinned by the test"],
  );
  f.sim.setEndpointStatus(ref, null);
  assert.equal(f.sim.getEndpoint(ref)!.status, "AVAILABLE");
  assert.deepEqual(f.sim.listEndpoints().map((e) => e.endpointId), [AWS_ID]);
  assert.throws(() => f.sim.setEndpointStatus({ ...ref, endpointId: "vpce-1" }, "X"), RangeError);
});

Deno.test("AtlasSimulator seeding returns ids and validates them", () => {
  const f = fixture();
  assert.match(f.project.groupId, /^[0-9a-f]{24}$/);
  assert.notEqual(f.project.AWS, f.project.AZURE);
  const groupId = f.sim.addGroup("aaaaaaaaaaaaaaaaaaaaaaaa");
  assert.equal(groupId, "aaaaaaaaaaaaaaaaaaaaaaaa");
  const service = f.sim.addEndpointService({
    cloudProvider: "GCP",
    groupId,
    endpointServiceId: "bbbbbbbbbbbbbbbbbbbbbbbb",
    portMappingEnabled: true,
  });
  assert.deepEqual(service, {
    groupId,
    endpointServiceId: "bbbbbbbbbbbbbbbbbbbbbbbb",
    cloudProvider: "GCP",
    region: "CENTRAL_US",
    portMappingEnabled: true,
  });
  assert.throws(() => f.sim.addGroup("not-hex"), RangeError);
  assert.throws(
    () => f.sim.addEndpointService({ cloudProvider: "AWS", endpointServiceId: "xyz" }),
    RangeError,
  );
  assert.throws(
    () =>
      f.sim.addEndpointService({
        cloudProvider: "AWS",
        groupId,
        endpointServiceId: "bbbbbbbbbbbbbbbbbbbbbbbb",
      }),
    RangeError,
  );
});
