// End to end over real loopback HTTP: the client (with the real Digest middleware) against the
// Atlas simulator served by serve() on port 0, on the simulator's clock.
import assert from "node:assert/strict";
import {
  AtlasApiError,
  createAtlasClient,
  createPrivateEndpoint,
  type CreatePrivateEndpointInput,
  deletePrivateEndpoint,
  getPrivateEndpoint,
  PrivateEndpointFailedError,
  privateEndpointId,
  privateEndpointStatus,
  type WaitClock,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import {
  type AtlasSimulator,
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  type RunningServer,
  serve,
} from "../../src/testing/mod.ts";
import { AZURE_ID, VPCE } from "./_fake_atlas.ts";

interface Setup {
  simulator: AtlasSimulator;
  server: RunningServer;
  baseUrl: string;
  clock: WaitClock;
  services: { groupId: string; AWS: string; AZURE: string; GCP: string };
}

async function setup(options: Parameters<typeof createAtlasSimulator>[0] = {}): Promise<Setup> {
  let now = 0;
  const simulator = createAtlasSimulator({ now: () => now, ...options });
  const services = simulator.seed();
  const server = await serve(simulator.fetch);
  const clock: WaitClock = {
    now: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
  };
  return { simulator, server, baseUrl: `${server.url}${simulator.basePath}`, clock, services };
}

function inputFor(s: Setup, provider: "AWS" | "AZURE" | "GCP"): CreatePrivateEndpointInput {
  const service = { groupId: s.services.groupId, endpointServiceId: s.services[provider] };
  if (provider === "AWS") return { ...service, cloudProvider: "AWS", id: VPCE };
  if (provider === "AZURE") {
    return {
      ...service,
      cloudProvider: "AZURE",
      id: AZURE_ID,
      privateEndpointIPAddress: "10.0.0.4",
    };
  }
  return {
    ...service,
    cloudProvider: "GCP",
    endpointGroupName: "atlas-group-1",
    gcpProjectId: "customer-project-123",
    endpoints: [{ endpointName: "atlas-rule-0", ipAddress: "10.142.0.5" }],
  };
}

const FINAL_PENDING: Record<string, string> = {
  AWS: "PENDING",
  AZURE: "INITIATING",
  GCP: "VERIFIED",
};

for (const provider of ["AWS", "AZURE", "GCP"] as const) {
  Deno.test(`createPrivateEndpoint(), getPrivateEndpoint(), waitForPrivateEndpoint() and deletePrivateEndpoint() work for ${provider} over loopback`, async () => {
    const s = await setup();
    try {
      const client = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, baseUrl: s.baseUrl });
      const input = inputFor(s, provider);
      const created = await createPrivateEndpoint(client, input);
      assert.equal(created.cloudProvider, provider);
      const ref = {
        groupId: input.groupId,
        endpointServiceId: input.endpointServiceId,
        cloudProvider: provider,
        endpointId: privateEndpointId(created),
      };
      const expectedId = provider === "AWS"
        ? VPCE
        : provider === "AZURE"
        ? AZURE_ID
        : "atlas-group-1";
      assert.equal(ref.endpointId, expectedId);

      const read = await getPrivateEndpoint(client, ref);
      assert.equal(read.cloudProvider, provider);
      assert.equal(privateEndpointStatus(read), privateEndpointStatus(created));

      const seen: string[] = [];
      const ready = await waitForPrivateEndpoint(client, ref, {
        clock: s.clock,
        pollIntervalMs: 500,
        onStatus: (change) => seen.push(change.status),
      });
      assert.equal(privateEndpointStatus(ready), "AVAILABLE");
      assert.equal(seen.at(-1), "AVAILABLE");
      assert.ok(
        seen.includes(FINAL_PENDING[provider]!),
        `${provider} went through ${seen.join(", ")}`,
      );
      assert.equal(s.simulator.getEndpoint(ref)?.status, "AVAILABLE");

      await deletePrivateEndpoint(client, ref);
      assert.equal(s.simulator.getEndpoint(ref)?.deleteRequested, true);
      s.simulator.clock.advance(60_000);
      await assert.rejects(
        getPrivateEndpoint(client, ref),
        (e: unknown) => e instanceof AtlasApiError && e.status === 404,
      );

      // The exact paths that reached the server (Azure's resource id as one encoded segment).
      const sent = provider === "AZURE" ? encodeURIComponent(AZURE_ID) : expectedId;
      const base =
        `${s.simulator.basePath}/groups/${input.groupId}/privateEndpoint/${provider}/endpointService/` +
        `${input.endpointServiceId}/endpoint`;
      const paths = new Set(
        s.simulator.requestLog.filter((e) => e.status !== 401).map((e) => `${e.method} ${e.path}`),
      );
      assert.deepEqual(
        [...paths].sort(),
        [`DELETE ${base}/${sent}`, `GET ${base}/${sent}`, `POST ${base}`].sort(),
      );
      assert.ok(s.simulator.stats.authenticated >= 4);
    } finally {
      await s.server.close();
    }
  });
}

Deno.test("waitForPrivateEndpoint() reports a REJECTED AWS endpoint over loopback", async () => {
  const s = await setup({
    failEndpoints: { [VPCE]: "Interface endpoint vpce-0123456789abcdef0 was not found." },
  });
  try {
    const client = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, baseUrl: s.baseUrl });
    const input = inputFor(s, "AWS");
    await createPrivateEndpoint(client, input);
    const ref = {
      groupId: input.groupId,
      endpointServiceId: input.endpointServiceId,
      cloudProvider: "AWS",
      endpointId: VPCE,
    } as const;
    await assert.rejects(
      waitForPrivateEndpoint(client, ref, { clock: s.clock, pollIntervalMs: 500 }),
      (e: unknown) => {
        assert.ok(e instanceof PrivateEndpointFailedError);
        assert.equal(e.status, "REJECTED");
        assert.equal(e.errorMessage, "Interface endpoint vpce-0123456789abcdef0 was not found.");
        return true;
      },
    );
  } finally {
    await s.server.close();
  }
});

Deno.test("createPrivateEndpoint() maps Atlas's 409 for a duplicate, and a wrong key's 401, over loopback", async () => {
  const s = await setup();
  try {
    const client = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, baseUrl: s.baseUrl });
    const input = inputFor(s, "AWS");
    await createPrivateEndpoint(client, input);
    // idempotent: false, to see Atlas's 409 (by default the existing endpoint is returned).
    await assert.rejects(
      createPrivateEndpoint(client, input, { idempotent: false }),
      (e: unknown) => {
        assert.ok(e instanceof AtlasApiError);
        assert.equal(e.status, 409);
        assert.equal(e.method, "POST");
        assert.match(e.message, /^Cannot create private endpoint: 409 [A-Z_]+/);
        return true;
      },
    );
    const wrong = createAtlasClient({
      publicKey: DEFAULT_SIMULATOR_API_KEY.publicKey,
      privateKey: "not-the-key-x9",
      baseUrl: s.baseUrl,
    });
    await assert.rejects(createPrivateEndpoint(wrong, inputFor(s, "GCP")), (e: unknown) => {
      assert.ok(e instanceof AtlasApiError);
      assert.equal(e.status, 401);
      assert.ok(!e.message.includes("not-the-key-x9"));
      assert.ok(!JSON.stringify(e).includes("not-the-key-x9"));
      return true;
    });
  } finally {
    await s.server.close();
  }
});

Deno.test("the low-level client unwraps envelope=true over loopback", async () => {
  const s = await setup();
  try {
    const client = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, baseUrl: s.baseUrl });
    const path = {
      groupId: s.services.groupId,
      cloudProvider: "AWS",
      endpointServiceId: s.services.AWS,
    } as const;
    const created = await client.POST(
      "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint",
      { params: { path, query: { envelope: true, pretty: true } }, body: { id: VPCE } },
    );
    assert.equal(created.error, undefined);
    assert.equal(created.data?.cloudProvider, "AWS");
    assert.equal((created.data as { interfaceEndpointId?: string }).interfaceEndpointId, VPCE);
    const missing = await client.GET(
      "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}",
      {
        params: {
          path: { ...path, endpointId: "vpce-00000000000000000" },
          query: { envelope: true },
        },
      },
    );
    assert.equal(missing.response.status, 404);
    assert.equal(missing.error?.error, 404);
    assert.match(missing.error?.errorCode ?? "", /NOT_FOUND/);
  } finally {
    await s.server.close();
  }
});
