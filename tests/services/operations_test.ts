// The endpoint service operations against the in-process simulator (and one run over loopback
// HTTP): what is sent, what comes back, the typed errors, and input refused before sending.
import assert from "node:assert/strict";
import {
  AtlasApiError,
  AtlasValidationError,
  createAtlasClient,
  createEndpointService,
  createPrivateEndpoint,
  deleteEndpointService,
  EndpointServiceFailedError,
  endpointServiceTarget,
  ensureEndpointService,
  getEndpointService,
  listEndpointServices,
  waitForEndpointService,
  waitForEndpointServiceDeletion,
} from "../../mod.ts";
import { createAtlasSimulator, DEFAULT_SIMULATOR_SERVICE_ACCOUNT } from "../../src/testing/mod.ts";
import { setup, unreachable } from "./_setup.ts";

const VPCE = "vpce-0123456789abcdef0";

Deno.test("createEndpointService() sends Atlas's region name, given the cloud's or Atlas's", async () => {
  const cases = [
    ["AWS", "us-east-1", "US_EAST_1"],
    ["AWS", "ap-southeast-2", "AP_SOUTHEAST_2"],
    ["AWS", "US_WEST_2", "US_WEST_2"],
    ["AZURE", "eastus2", "US_EAST_2"],
    ["AZURE", "westeurope", "EUROPE_WEST"],
    ["AZURE", "us_central", "US_CENTRAL"],
    ["GCP", "us-central1", "CENTRAL_US"],
    ["GCP", "europe-west1", "WESTERN_EUROPE"],
    ["GCP", "EUROPE_WEST_3", "EUROPE_WEST_3"],
  ] as const;
  const s = await setup({ timeScale: 0 });
  for (const [cloudProvider, region, atlasName] of cases) {
    s.sent.length = 0;
    const service = await createEndpointService(s.atlas, {
      groupId: s.groupId,
      cloudProvider,
      region,
    });
    assert.equal(service.cloudProvider, cloudProvider);
    assert.equal(service.regionName, atlasName, `${cloudProvider} ${region}`);
    const posts = s.sent.filter((r) => r.method === "POST");
    assert.ok(posts.length > 0);
    for (const post of posts) {
      assert.deepEqual(JSON.parse(post.body), { providerName: cloudProvider, region: atlasName });
      assert.equal(
        post.path,
        `/api/atlas/v1.0/groups/${s.groupId}/privateEndpoint/endpointService`,
      );
    }
  }
});

Deno.test("createEndpointService() sends the provider's options, and supportedRemoteRegions by Atlas's names", async () => {
  const s = await setup({ timeScale: 0 });
  await createEndpointService(s.atlas, {
    groupId: s.groupId,
    cloudProvider: "AWS",
    region: "us-east-1",
    supportedRemoteRegions: ["us-west-2", "EU_WEST_1"],
  });
  const gcp = await createEndpointService(s.atlas, {
    groupId: s.groupId,
    cloudProvider: "GCP",
    region: "us-east4",
    portMappingEnabled: true,
  });
  const bodies = s.sent.filter((r) => r.method === "POST").map((r) => JSON.parse(r.body));
  assert.deepEqual(bodies.at(0), {
    providerName: "AWS",
    region: "US_EAST_1",
    supportedRemoteRegions: ["US_WEST_2", "EU_WEST_1"],
  });
  assert.deepEqual(bodies.at(-1), {
    providerName: "GCP",
    region: "US_EAST_4",
    portMappingEnabled: true,
  });
  assert.equal(gcp.cloudProvider === "GCP" && gcp.portMappingEnabled, true);
});

Deno.test("createEndpointService() refuses bad input before sending anything", async () => {
  const { atlas, calls } = unreachable();
  const groupId = "32b6e34b3d91647abb20e7b8";
  const bad: [string, unknown][] = [
    ["groupId", { groupId: "not-hex", cloudProvider: "AWS", region: "US_EAST_1" }],
    ["cloudProvider", { groupId, cloudProvider: "aws", region: "US_EAST_1" }],
    ["region", { groupId, cloudProvider: "AWS" }],
    ["region", { groupId, cloudProvider: "AWS", region: 1 }],
    ["region", { groupId, cloudProvider: "AZURE", region: "atlantis9" }], // no such Azure name
    ["region", { groupId, cloudProvider: "GCP", region: "mars-north1" }],
    ["region", { groupId, cloudProvider: "AWS", region: "us east 1" }],
    ["portMappingEnabled", {
      groupId,
      cloudProvider: "AWS",
      region: "US_EAST_1",
      portMappingEnabled: true,
    }],
    ["portMappingEnabled", {
      groupId,
      cloudProvider: "GCP",
      region: "CENTRAL_US",
      portMappingEnabled: "yes",
    }],
    ["supportedRemoteRegions", {
      groupId,
      cloudProvider: "GCP",
      region: "CENTRAL_US",
      supportedRemoteRegions: [],
    }],
    ["supportedRemoteRegions", {
      groupId,
      cloudProvider: "AWS",
      region: "US_EAST_1",
      supportedRemoteRegions: "US_WEST_2",
    }],
    ["supportedRemoteRegions", {
      groupId,
      cloudProvider: "AWS",
      region: "US_EAST_1",
      supportedRemoteRegions: Array(36).fill("US_WEST_2"),
    }],
    ["supportedRemoteRegions[1]", {
      groupId,
      cloudProvider: "AWS",
      region: "US_EAST_1",
      supportedRemoteRegions: ["US_WEST_2", "?"],
    }],
    ["providerName", { groupId, cloudProvider: "AWS", region: "US_EAST_1", providerName: "AWS" }],
  ];
  for (const [field, input] of bad) {
    await assert.rejects(
      createEndpointService(atlas, input as Parameters<typeof createEndpointService>[1]),
      (e: unknown) => {
        assert.ok(e instanceof AtlasValidationError, String(e));
        assert.equal(e.field, field, e.message);
        assert.match(e.message, /^Cannot create private endpoint service: /);
        return true;
      },
    );
  }
  // The message says which forms a region takes.
  await assert.rejects(
    createEndpointService(atlas, { groupId, cloudProvider: "AZURE", region: "atlantis9" }),
    /as Atlas names it \(e\.g\. US_EAST_2\) or as Azure does \(e\.g\. eastus2\)/,
  );
  assert.equal(calls(), 0);
});

Deno.test("createEndpointService() throws Atlas's 409 for a region that has a service already", async () => {
  const s = await setup({ timeScale: 0 });
  const input = { groupId: s.groupId, cloudProvider: "AWS", region: "us-east-1" } as const;
  await createEndpointService(s.atlas, input);
  await assert.rejects(createEndpointService(s.atlas, { ...input, region: "US_EAST_1" }), (e) => {
    assert.ok(e instanceof AtlasApiError);
    assert.equal(e.status, 409);
    assert.equal(e.errorCode, "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION");
    assert.match(e.message, /^Cannot create private endpoint service: /);
    return true;
  });
  assert.equal(s.simulator.listEndpointServices().length, 1);
});

Deno.test("createEndpointService() returns the service a lost response created, and creates no second one", async () => {
  const s = await setup({ timeScale: 0 });
  s.simulator.injectFault({ kind: "drop-response", operation: "createService" });
  const service = await createEndpointService(s.atlas, {
    groupId: s.groupId,
    cloudProvider: "AZURE",
    region: "eastus",
  }, { retry: { baseDelayMs: 0, clock: s.clock } });
  const stored = s.simulator.listEndpointServices();
  assert.equal(stored.length, 1);
  assert.equal(service.id, stored[0]?.endpointServiceId);
  assert.equal(service.regionName, "US_EAST");
  // The same, with idempotent: false: the lost response is an error.
  s.simulator.injectFault({ kind: "drop-response", operation: "createService" });
  await assert.rejects(
    createEndpointService(
      s.atlas,
      { groupId: s.groupId, cloudProvider: "AZURE", region: "westus" },
      {
        idempotent: false,
        retry: { baseDelayMs: 0, clock: s.clock },
      },
    ),
    { name: "AtlasNetworkError" },
  );
});

Deno.test("listEndpointServices() and getEndpointService() read what the project has, with cloudProvider set", async () => {
  const s = await setup({ timeScale: 0 });
  const groupId = s.groupId;
  assert.deepEqual(await listEndpointServices(s.atlas, { groupId, cloudProvider: "GCP" }), []);
  const a = await createEndpointService(s.atlas, {
    groupId,
    cloudProvider: "GCP",
    region: "us-central1",
  });
  const b = await createEndpointService(s.atlas, {
    groupId,
    cloudProvider: "GCP",
    region: "europe-west1",
  });
  await createEndpointService(s.atlas, { groupId, cloudProvider: "AWS", region: "us-east-1" });
  const listed = await listEndpointServices(s.atlas, { groupId, cloudProvider: "GCP" });
  assert.deepEqual(listed.map((x) => x.id).sort(), [a.id, b.id].sort());
  assert.ok(listed.every((x) => x.cloudProvider === "GCP"));
  const one = await getEndpointService(s.atlas, {
    groupId,
    cloudProvider: "GCP",
    endpointServiceId: b.id!,
  });
  assert.equal(one.regionName, "WESTERN_EUROPE");
  assert.equal(one.cloudProvider, "GCP");
  await assert.rejects(
    getEndpointService(s.atlas, {
      groupId,
      cloudProvider: "GCP",
      endpointServiceId: "0123456789abcdef01234567",
    }),
    (e) => e instanceof AtlasApiError && e.status === 404,
  );
});

Deno.test("deleteEndpointService() removes a service; one with endpoints is refused with Atlas's 409", async () => {
  const s = await setup({ serviceInitiatingMs: 0 });
  const groupId = s.groupId;
  const service = await createEndpointService(s.atlas, {
    groupId,
    cloudProvider: "AWS",
    region: "us-east-2",
  });
  const ref = { groupId, cloudProvider: "AWS", endpointServiceId: service.id! } as const;
  await createPrivateEndpoint(s.atlas, {
    groupId,
    cloudProvider: "AWS",
    endpointServiceId: service.id!,
    id: VPCE,
  });
  await assert.rejects(deleteEndpointService(s.atlas, ref), (e) => {
    assert.ok(e instanceof AtlasApiError);
    assert.equal(e.errorCode, "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS");
    assert.match(e.message, /^Cannot delete private endpoint service: /);
    return true;
  });
  const other = await createEndpointService(s.atlas, {
    groupId,
    cloudProvider: "AWS",
    region: "us-west-1",
  });
  const otherRef = { ...ref, endpointServiceId: other.id! };
  await deleteEndpointService(s.atlas, otherRef);
  assert.equal((await getEndpointService(s.atlas, otherRef)).status, "DELETING");
  await s.clock.sleep(10 * 60_000);
  await assert.rejects(getEndpointService(s.atlas, otherRef), {
    name: "AtlasApiError",
    status: 404,
  });
});

Deno.test("deleteEndpointService() takes a 404 after an attempt whose outcome was unknown as done", async () => {
  const s = await setup({ timeScale: 0 });
  const service = await createEndpointService(s.atlas, {
    groupId: s.groupId,
    cloudProvider: "GCP",
    region: "us-west1",
  });
  const ref = { groupId: s.groupId, cloudProvider: "GCP", endpointServiceId: service.id! } as const;
  // The first DELETE is carried out but its answer lost; the service is gone by the retry.
  s.simulator.injectFault({ kind: "drop-response", operation: "deleteService" });
  const retry = {
    baseDelayMs: 0,
    clock: { now: s.clock.now, sleep: () => s.clock.sleep(10 * 60_000) },
  };
  await deleteEndpointService(s.atlas, ref, { retry });
  assert.equal(s.simulator.getEndpointService(ref), undefined);
  // Without an unknown outcome, a 404 is an error.
  await assert.rejects(deleteEndpointService(s.atlas, ref), { name: "AtlasApiError", status: 404 });
});

Deno.test("waitForEndpointService() waits until the service is ready and names what to connect to", async () => {
  const s = await setup({ serviceInitiatingMs: 120_000 });
  const groupId = s.groupId;
  for (
    const [cloudProvider, region, ready] of [
      ["AWS", "us-east-1", "WAITING_FOR_USER"],
      ["AZURE", "eastus2", "WAITING_FOR_USER"],
      ["GCP", "us-central1", "AVAILABLE"],
    ] as const
  ) {
    const created = await createEndpointService(s.atlas, { groupId, cloudProvider, region });
    assert.equal(created.status, "INITIATING");
    assert.equal(endpointServiceTarget(created), undefined);
    const seen: string[] = [];
    const service = await waitForEndpointService(s.atlas, {
      groupId,
      cloudProvider,
      endpointServiceId: created.id!,
    }, { clock: s.clock, pollIntervalMs: 10_000, onStatus: ({ status }) => seen.push(status) });
    assert.equal(service.status, ready);
    assert.deepEqual(seen, ["INITIATING", ready]);
    const target = endpointServiceTarget(service);
    assert.equal(target?.cloudProvider, cloudProvider);
    if (target?.cloudProvider === "AWS") {
      assert.match(
        target.endpointServiceName,
        /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/,
      );
    } else if (target?.cloudProvider === "AZURE") {
      assert.match(target.privateLinkServiceName, /^pls_[0-9a-f]{24}$/);
      assert.match(target.privateLinkServiceResourceId, /privateLinkServices\/pls_/);
    } else {
      assert.equal(target?.serviceAttachmentNames.length, 50);
      assert.equal(target?.portMappingEnabled, false);
    }
  }
});

Deno.test("waitForEndpointService() fails with EndpointServiceFailedError and Atlas's errorMessage on FAILED", async () => {
  const s = await setup({ serviceInitiatingMs: 60_000 });
  const created = await createEndpointService(s.atlas, {
    groupId: s.groupId,
    cloudProvider: "AWS",
    region: "eu-west-1",
  });
  const ref = { groupId: s.groupId, cloudProvider: "AWS", endpointServiceId: created.id! } as const;
  let reads = 0;
  await assert.rejects(
    waitForEndpointService(s.atlas, ref, {
      clock: s.clock,
      pollIntervalMs: 5_000,
      onStatus: () => {
        // Fails while it is being made, after the first read.
        if (++reads === 1) {
          s.simulator.setEndpointServiceStatus(
            ref,
            "FAILED",
            "Insufficient capacity in the region.",
          );
        }
      },
    }),
    (e: unknown) => {
      assert.ok(e instanceof EndpointServiceFailedError);
      assert.equal(e.status, "FAILED");
      assert.equal(e.errorMessage, "Insufficient capacity in the region.");
      assert.equal(e.service.id, created.id);
      assert.match(
        e.message,
        /^Cannot wait for private endpoint service: [0-9a-f]{24} is FAILED: Insufficient/,
      );
      return true;
    },
  );
  // A service being deleted will never be ready either.
  s.simulator.setEndpointServiceStatus(ref, null);
  await deleteEndpointService(s.atlas, ref);
  await assert.rejects(
    waitForEndpointService(s.atlas, ref, { clock: s.clock }),
    { name: "EndpointServiceFailedError", status: "DELETING" },
  );
});

Deno.test("waitForEndpointService() refuses a bad reference or option before sending", async () => {
  const { atlas, calls } = unreachable();
  const ref = {
    groupId: "32b6e34b3d91647abb20e7b8",
    cloudProvider: "AWS",
    endpointServiceId: "5f4fc14da2b47835a58c63a2",
  } as const;
  await assert.rejects(
    waitForEndpointService(atlas, { ...ref, endpointServiceId: "svc" }),
    { name: "AtlasValidationError", field: "endpointServiceId" },
  );
  await assert.rejects(
    waitForEndpointService(atlas, ref, { pollIntervalMs: -1 }),
    { name: "AtlasValidationError", field: "pollIntervalMs" },
  );
  await assert.rejects(
    listEndpointServices(atlas, { groupId: ref.groupId, cloudProvider: "IBM" as "AWS" }),
    { name: "AtlasValidationError", field: "cloudProvider" },
  );
  await assert.rejects(
    deleteEndpointService(atlas, { ...ref, groupId: "" }),
    { name: "AtlasValidationError", field: "groupId" },
  );
  assert.equal(calls(), 0);
});

Deno.test("createEndpointService(), waitForEndpointService(), listEndpointServices() and deleteEndpointService() work over loopback HTTP", async () => {
  const s = await setup({ loopback: true, serviceInitiatingMs: 30_000 });
  try {
    const groupId = s.groupId;
    const created = await createEndpointService(s.atlas, {
      groupId,
      cloudProvider: "AZURE",
      region: "northeurope",
    });
    const ref = { groupId, cloudProvider: "AZURE", endpointServiceId: created.id! } as const;
    const ready = await waitForEndpointService(s.atlas, ref, {
      clock: s.clock,
      pollIntervalMs: 10_000,
    });
    assert.equal(ready.status, "WAITING_FOR_USER");
    assert.equal(ready.regionName, "EUROPE_NORTH");
    const listed = await listEndpointServices(s.atlas, { groupId, cloudProvider: "AZURE" });
    assert.deepEqual(listed.map((x) => x.id), [created.id]);
    await deleteEndpointService(s.atlas, ref);
    await s.clock.sleep(10 * 60_000);
    assert.deepEqual(await listEndpointServices(s.atlas, { groupId, cloudProvider: "AZURE" }), []);
  } finally {
    await s.close();
  }
});

Deno.test("waitForEndpointServiceDeletion() returns once the service is gone, and times out while it is not", async () => {
  const s = await setup({ serviceInitiatingMs: 0 });
  const created = await createEndpointService(s.atlas, {
    groupId: s.groupId,
    cloudProvider: "AWS",
    region: "ca-central-1",
  });
  const ref = { groupId: s.groupId, cloudProvider: "AWS", endpointServiceId: created.id! } as const;
  await assert.rejects(
    waitForEndpointServiceDeletion(s.atlas, ref, { clock: s.clock, timeoutMs: 60_000 }),
    { name: "AtlasTimeoutError", lastStatus: "WAITING_FOR_USER" },
  );
  await deleteEndpointService(s.atlas, ref);
  const started = s.clock.now();
  await waitForEndpointServiceDeletion(s.atlas, ref, { clock: s.clock, pollIntervalMs: 10_000 });
  assert.ok(s.clock.now() > started, "it waited while the service was DELETING");
  assert.equal(s.simulator.getEndpointService(ref), undefined);
});

Deno.test("ensureEndpointService() and listEndpointServices() work on the v2 API", async () => {
  const simulator = createAtlasSimulator({ timeScale: 0 });
  const groupId = simulator.addGroup();
  const atlas = createAtlasClient({
    ...DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
    apiVersion: "2023-01-01",
    baseUrl: `http://127.0.0.1${simulator.v2BasePath}`,
    fetch: simulator.fetch,
  });
  const ensured = await ensureEndpointService(atlas, {
    groupId,
    cloudProvider: "AZURE",
    region: "uksouth",
  }, { pollIntervalMs: 1 });
  assert.equal(ensured.outcome, "created");
  assert.equal(ensured.service.regionName, "UK_SOUTH");
  const listed = await listEndpointServices(atlas, { groupId, cloudProvider: "AZURE" });
  assert.deepEqual(listed.map((x) => x.id), [ensured.endpointServiceId]);
  const v2 = simulator.requestLog.filter((e) => e.path.startsWith("/api/atlas/v2/"));
  assert.ok(v2.length >= 3);
});
