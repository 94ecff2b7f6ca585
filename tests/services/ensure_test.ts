// ensureEndpointService() and ensurePrivateEndpoint() against the simulator: created or reused,
// concurrent callers, failed services, failed endpoints replaced, input refused before sending.
import assert from "node:assert/strict";
import {
  AtlasApiError,
  AtlasValidationError,
  createAtlasClient,
  createPrivateEndpoint,
  deleteEndpointService,
  EndpointServiceFailedError,
  ensureEndpointService,
  ensurePrivateEndpoint,
  PrivateEndpointFailedError,
  privateEndpointStatus,
} from "../../mod.ts";
import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY, serve } from "../../src/testing/mod.ts";
import { setup, unreachable } from "./_setup.ts";

const VPCE = "vpce-0123456789abcdef0";
const VPCE_2 = "vpce-0123456789abcdef1";
const AZURE_ID =
  "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/app-rg/providers/Microsoft.Network/privateEndpoints/atlas-pe";

Deno.test("ensureEndpointService() creates the region's service, then reuses it, and returns what to connect to", async () => {
  const s = await setup({ serviceInitiatingMs: 60_000 });
  const groupId = s.groupId;
  const wait = { clock: s.clock, pollIntervalMs: 5_000 };
  const aws = await ensureEndpointService(s.atlas, {
    groupId,
    cloudProvider: "AWS",
    region: "us-east-1",
  }, wait);
  assert.equal(aws.outcome, "created");
  assert.equal(aws.service.status, "WAITING_FOR_USER");
  assert.equal(aws.endpointServiceId, aws.service.id);
  assert.match(aws.target.endpointServiceName, /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/);
  const again = await ensureEndpointService(s.atlas, {
    groupId,
    cloudProvider: "AWS",
    region: "US_EAST_1",
  }, wait);
  assert.equal(again.outcome, "reused");
  assert.equal(again.endpointServiceId, aws.endpointServiceId);
  assert.equal(again.target.endpointServiceName, aws.target.endpointServiceName);

  const azure = await ensureEndpointService(s.atlas, {
    groupId,
    cloudProvider: "AZURE",
    region: "eastus2",
  }, wait);
  assert.equal(azure.outcome, "created");
  assert.match(azure.target.privateLinkServiceName, /^pls_[0-9a-f]{24}$/);
  assert.ok(
    azure.target.privateLinkServiceResourceId.endsWith(azure.target.privateLinkServiceName),
  );

  const gcp = await ensureEndpointService(s.atlas, {
    groupId,
    cloudProvider: "GCP",
    region: "us-central1",
    portMappingEnabled: true,
  }, wait);
  assert.equal(gcp.service.status, "AVAILABLE");
  assert.equal(gcp.target.portMappingEnabled, true);
  assert.equal(gcp.target.serviceAttachmentNames.length, 1);
  // One service per provider and region, no more.
  assert.equal(s.simulator.listEndpointServices().length, 3);
});

Deno.test("ensureEndpointService() from two clients at once for one region ends with one service and no error", async () => {
  let now = 0;
  const simulator = createAtlasSimulator({ now: () => now, serviceInitiatingMs: 30_000 });
  const groupId = simulator.addGroup();
  // B lists before A creates, and creates after: the race Atlas's 409 settles.
  let aCreated!: () => void;
  const created = new Promise<void>((resolve) => aCreated = resolve);
  let held = false;
  const a = createAtlasClient({
    ...DEFAULT_SIMULATOR_API_KEY,
    fetch: async (request) => {
      const response = await simulator.fetch(request);
      if (request.method === "POST" && response.status === 200) aCreated();
      return response;
    },
  });
  const b = createAtlasClient({
    ...DEFAULT_SIMULATOR_API_KEY,
    fetch: async (request) => {
      const response = await simulator.fetch(request);
      if (request.method === "GET" && response.status === 200 && !held) {
        held = true;
        await created;
      }
      return response;
    },
  });
  const clock = { now: () => now, sleep: (ms: number) => Promise.resolve(void (now += ms)) };
  const input = { groupId, cloudProvider: "AWS", region: "eu-west-1" } as const;
  const [first, second] = await Promise.all([
    ensureEndpointService(a, input, { clock, pollIntervalMs: 5_000 }),
    ensureEndpointService(b, input, { clock, pollIntervalMs: 5_000 }),
  ]);
  assert.equal(simulator.listEndpointServices().length, 1);
  assert.equal(first.endpointServiceId, second.endpointServiceId);
  assert.deepEqual([first.outcome, second.outcome], ["created", "reused"]);
  // B did meet the 409 (the race happened), and did not report it.
  const conflicts = simulator.requestLog.filter((e) => e.method === "POST" && e.status === 409);
  assert.equal(conflicts.length, 1);
});

Deno.test("ensureEndpointService() from two clients at once over loopback ends with one service", async () => {
  let now = 0;
  const simulator = createAtlasSimulator({ now: () => now, serviceInitiatingMs: 30_000 });
  const groupId = simulator.addGroup();
  const server = await serve(simulator.fetch);
  try {
    const baseUrl = `${server.url}${simulator.basePath}`;
    const clock = { now: () => now, sleep: (ms: number) => Promise.resolve(void (now += ms)) };
    const input = { groupId, cloudProvider: "GCP", region: "europe-west3" } as const;
    const results = await Promise.all(
      [1, 2].map(() =>
        ensureEndpointService(
          createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, baseUrl }),
          input,
          { clock, pollIntervalMs: 5_000 },
        )
      ),
    );
    assert.equal(simulator.listEndpointServices().length, 1);
    assert.equal(results[0]?.endpointServiceId, results[1]?.endpointServiceId);
    assert.ok(results.some((r) => r.outcome === "created"));
    assert.equal(results[0]?.service.regionName, "EUROPE_WEST_3");
  } finally {
    await server.close();
  }
});

Deno.test("ensureEndpointService() fails with EndpointServiceFailedError when the region's service FAILED", async () => {
  const s = await setup({ timeScale: 0 });
  const existing = s.simulator.addEndpointService({
    groupId: s.groupId,
    cloudProvider: "AZURE",
    region: "US_EAST_2",
  });
  s.simulator.setEndpointServiceStatus(existing, "FAILED", "Subnet has no free addresses.");
  await assert.rejects(
    ensureEndpointService(s.atlas, {
      groupId: s.groupId,
      cloudProvider: "AZURE",
      region: "eastus2",
    }),
    (e: unknown) => {
      assert.ok(e instanceof EndpointServiceFailedError);
      assert.equal(e.status, "FAILED");
      assert.equal(e.errorMessage, "Subnet has no free addresses.");
      assert.equal(e.service.id, existing.endpointServiceId);
      return true;
    },
  );
  // It did not try to create a second one.
  assert.equal(s.simulator.requestLog.filter((e) => e.method === "POST").length, 0);
});

Deno.test("ensureEndpointService() waits out the region's service being deleted, then creates a new one", async () => {
  const s = await setup({ serviceInitiatingMs: 0, deleteDurationMs: 120_000 });
  const old = s.simulator.addEndpointService({
    groupId: s.groupId,
    cloudProvider: "GCP",
    region: "CENTRAL_US",
  });
  await deleteEndpointService(s.atlas, old);
  const ensured = await ensureEndpointService(
    s.atlas,
    { groupId: s.groupId, cloudProvider: "GCP", region: "us-central1" },
    { clock: s.clock, pollIntervalMs: 10_000 },
  );
  assert.equal(ensured.outcome, "created");
  assert.notEqual(ensured.endpointServiceId, old.endpointServiceId);
  assert.ok(s.clock.now() >= 120_000, "it waited until the old service was gone");
  assert.deepEqual(
    s.simulator.listEndpointServices().map((x) => x.endpointServiceId),
    [ensured.endpointServiceId],
  );
});

Deno.test("ensureEndpointService() and ensurePrivateEndpoint() refuse bad input before sending anything", async () => {
  const { atlas, calls } = unreachable();
  const groupId = "32b6e34b3d91647abb20e7b8";
  const refused = async (field: string, call: Promise<unknown>): Promise<void> => {
    await assert.rejects(call, (e: unknown) => {
      assert.ok(e instanceof AtlasValidationError, String(e));
      assert.equal(e.field, field);
      return true;
    });
  };
  await refused(
    "region",
    ensureEndpointService(atlas, { groupId, cloudProvider: "GCP", region: "nowhere1" }),
  );
  await refused(
    "groupId",
    ensureEndpointService(atlas, { groupId: "", cloudProvider: "AWS", region: "us-east-1" }),
  );
  await refused(
    "timeoutMs",
    ensureEndpointService(atlas, { groupId, cloudProvider: "AWS", region: "us-east-1" }, {
      timeoutMs: 0,
    }),
  );
  const service = { groupId, endpointServiceId: "5f4fc14da2b47835a58c63a2" } as const;
  await refused(
    "id",
    ensurePrivateEndpoint(atlas, { ...service, cloudProvider: "AWS", id: "VPCE-1" }),
  );
  await refused(
    "pollIntervalMs",
    ensurePrivateEndpoint(atlas, { ...service, cloudProvider: "AWS", id: VPCE }, {
      pollIntervalMs: -5,
    }),
  );
  assert.equal(calls(), 0);
});

Deno.test("ensurePrivateEndpoint() creates the endpoint and waits, then reuses the same one", async () => {
  const s = await setup({ serviceInitiatingMs: 0 });
  const { AZURE: endpointServiceId } = s.simulator.seed({ groupId: s.groupId });
  const input = {
    groupId: s.groupId,
    endpointServiceId,
    cloudProvider: "AZURE",
    id: AZURE_ID,
    privateEndpointIPAddress: "10.0.0.4",
  } as const;
  const wait = { clock: s.clock, pollIntervalMs: 5_000 };
  const first = await ensurePrivateEndpoint(s.atlas, input, wait);
  assert.equal(first.outcome, "created");
  assert.equal(privateEndpointStatus(first.endpoint), "AVAILABLE");
  const again = await ensurePrivateEndpoint(s.atlas, input, wait);
  assert.equal(again.outcome, "reused");
  assert.equal(s.simulator.listEndpoints().length, 1);
  // The same id with another IP address is Atlas's 409, as createPrivateEndpoint throws it.
  await assert.rejects(
    ensurePrivateEndpoint(s.atlas, { ...input, privateEndpointIPAddress: "10.0.0.5" }, wait),
    (e: unknown) => e instanceof AtlasApiError && e.status === 409,
  );
});

Deno.test("ensurePrivateEndpoint() says reused when another caller creates the endpoint between its read and its create", async () => {
  const simulator = createAtlasSimulator({ timeScale: 0 });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const input = { groupId, endpointServiceId, cloudProvider: "AWS", id: VPCE } as const;
  const other = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
  let raced = false;
  const atlas = createAtlasClient({
    ...DEFAULT_SIMULATOR_API_KEY,
    fetch: async (request) => {
      const response = await simulator.fetch(request);
      // Just after the first read finds nothing, the other caller creates the same endpoint.
      if (!raced && request.method === "GET" && response.status === 404) {
        raced = true;
        await createPrivateEndpoint(other, input);
      }
      return response;
    },
  });
  const result = await ensurePrivateEndpoint(atlas, input, { pollIntervalMs: 1 });
  assert.ok(raced);
  assert.equal(result.outcome, "reused", "Atlas's 409 for the same endpoint: nothing was created");
  assert.equal(privateEndpointStatus(result.endpoint), "AVAILABLE");
  assert.equal(simulator.listEndpoints().length, 1);
});

Deno.test("ensurePrivateEndpoint() replaces a REJECTED endpoint: deletes it, waits until it is gone, creates it again", async () => {
  const s = await setup({ serviceInitiatingMs: 0, loopback: true });
  try {
    const { AWS: endpointServiceId } = s.simulator.seed({ groupId: s.groupId });
    const service = { groupId: s.groupId, endpointServiceId, cloudProvider: "AWS" } as const;
    // Another endpoint on the service, so that deleting the failed one keeps the service.
    await createPrivateEndpoint(s.atlas, { ...service, id: VPCE_2 });
    await createPrivateEndpoint(s.atlas, { ...service, id: VPCE });
    const ref = { ...service, endpointId: VPCE };
    s.simulator.setEndpointStatus(ref, "REJECTED", "Interface endpoint was not found.");
    const seen: string[] = [];
    const result = await ensurePrivateEndpoint(s.atlas, { ...service, id: VPCE }, {
      clock: s.clock,
      pollIntervalMs: 5_000,
      onStatus: ({ status }) => seen.push(status),
    });
    assert.equal(result.outcome, "replaced");
    assert.equal(privateEndpointStatus(result.endpoint), "AVAILABLE");
    assert.equal(seen.at(-1), "AVAILABLE");
    // Deleted, waited out (404), created again: in that order.
    const calls = s.simulator.requestLog
      .filter((e) =>
        e.status !== 401 && e.path.endsWith(`/endpoint/${VPCE}`) || e.method === "POST"
      )
      .map((e) => `${e.method} ${e.status}`);
    const deleted = calls.indexOf("DELETE 204") >= 0
      ? calls.indexOf("DELETE 204")
      : calls.indexOf("DELETE 200");
    assert.ok(deleted > 0, calls.join(", "));
    const gone = calls.indexOf("GET 404", deleted);
    assert.ok(gone > deleted, calls.join(", "));
    assert.ok(calls.lastIndexOf("POST 200") > gone, calls.join(", "));
    assert.equal(s.simulator.listEndpoints().length, 2);
  } finally {
    await s.close();
  }
});

Deno.test("ensurePrivateEndpoint() does not replace a failed endpoint that is its service's only one", async () => {
  const s = await setup({ serviceInitiatingMs: 0 });
  const { GCP: endpointServiceId } = s.simulator.seed({ groupId: s.groupId });
  const input = {
    groupId: s.groupId,
    endpointServiceId,
    cloudProvider: "GCP",
    endpointGroupName: "atlas-psc",
    gcpProjectId: "my-project",
    endpoints: [{ endpointName: "atlas-psc-0", ipAddress: "10.128.0.10" }],
  } as const;
  await createPrivateEndpoint(s.atlas, input);
  const ref = {
    groupId: s.groupId,
    endpointServiceId,
    cloudProvider: "GCP",
    endpointId: "atlas-psc",
  } as const;
  s.simulator.setEndpointStatus(ref, "FAILED", "Forwarding rule not found.");
  await assert.rejects(
    ensurePrivateEndpoint(s.atlas, input, { clock: s.clock }),
    (e: unknown) => {
      assert.ok(e instanceof PrivateEndpointFailedError);
      assert.equal(e.status, "FAILED");
      assert.match(
        e.message,
        /^Cannot ensure private endpoint: atlas-psc is FAILED: Forwarding rule not found\. \(it is its service's only endpoint/,
      );
      return true;
    },
  );
  // Nothing was deleted: the endpoint and its service are still there.
  assert.equal(s.simulator.getEndpoint(ref)?.status, "FAILED");
  assert.equal(s.simulator.requestLog.filter((e) => e.method === "DELETE").length, 0);
});
