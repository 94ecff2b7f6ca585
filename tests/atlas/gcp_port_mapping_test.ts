// Google Cloud services with port mapping: Atlas ignores the endpoint group name sent and keeps the
// one forwarding rule's name as the endpoint's id. The client requires exactly one rule when told
// the service is port-mapped, takes the id from Atlas's answer, and reads the endpoint back by the
// rule's name after an unknown outcome; the simulator behaves the same.
import assert from "node:assert/strict";
import {
  AtlasApiError,
  type AtlasApiVersion,
  type AtlasClient,
  AtlasValidationError,
  createAtlasClient,
  createPrivateEndpoint,
  type CreatePrivateEndpointInput,
  deletePrivateEndpoint,
  ensurePrivateEndpoint,
  getPrivateEndpoint,
  privateEndpointId,
  type PrivateEndpointRef,
  privateEndpointStatus,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import {
  type AtlasSimulator,
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
} from "../../src/testing/mod.ts";
import { atlasError, fakeAtlas, pathFor, SERVICE } from "./_fake_atlas.ts";

const GROUP = "ignored-group";
const RULE = "psc-rule";
const RULES = [{ endpointName: RULE, ipAddress: "10.142.0.5" }];

function gcpInput(
  service: { groupId: string; endpointServiceId: string },
  fields: Partial<Extract<CreatePrivateEndpointInput, { cloudProvider: "GCP" }>> = {},
): CreatePrivateEndpointInput {
  return {
    ...service,
    cloudProvider: "GCP",
    endpointGroupName: GROUP,
    gcpProjectId: "customer-project-123",
    endpoints: RULES,
    portMappingEnabled: true,
    ...fields,
  };
}

/** Atlas's answer for a port-mapped create: the rule's name in endpointGroupName. */
function portMappedAnswer(body: unknown): Response {
  const { endpoints } = body as { endpoints: { endpointName: string; ipAddress: string }[] };
  return Response.json({
    endpointGroupName: endpoints[0]!.endpointName,
    endpoints: endpoints.map((rule) => ({ ...rule, status: "INITIATING" })),
    portMappingEnabled: true,
    status: "INITIATING",
  });
}

Deno.test("createPrivateEndpoint() refuses a port-mapped GCP input without exactly one forwarding rule, before sending", async () => {
  const atlas = fakeAtlas();
  const two = [...RULES, { endpointName: "psc-rule-2", ipAddress: "10.142.0.6" }];
  const cases: [CreatePrivateEndpointInput, string, RegExp][] = [
    [gcpInput(SERVICE, { endpoints: two }), "endpoints", /exactly one forwarding rule/],
    [gcpInput(SERVICE, { endpoints: undefined }), "endpoints", /exactly one forwarding rule/],
    [
      gcpInput(SERVICE, { portMappingEnabled: "yes" as never }),
      "portMappingEnabled",
      /must be a boolean/,
    ],
    [
      { ...SERVICE, cloudProvider: "AWS", id: "vpce-0123456789abcdef0", portMappingEnabled: true },
      "portMappingEnabled",
      /is not a field of an AWS private endpoint request/,
    ] as never,
  ];
  for (const [input, field, message] of cases) {
    const error = await createPrivateEndpoint(atlas.client, input).catch((e) => e);
    assert.ok(error instanceof AtlasValidationError, String(error));
    assert.equal(error.field, field);
    assert.match(error.message, /^Cannot create private endpoint: /);
    assert.match(error.message, message);
  }
  assert.equal(atlas.calls.length, 0, "nothing was sent");
  // Without the flag (or with false) several rules are a legacy endpoint group, as before.
  const legacy = fakeAtlas((request) => Response.json({ ...request.body as object }));
  await createPrivateEndpoint(
    legacy.client,
    gcpInput(SERVICE, { portMappingEnabled: false, endpoints: two }),
  );
  await createPrivateEndpoint(
    legacy.client,
    gcpInput(SERVICE, { portMappingEnabled: undefined, endpoints: two }),
  );
  assert.equal(legacy.calls.length, 2);
});

Deno.test("createPrivateEndpoint() keeps portMappingEnabled out of the body and takes the id from Atlas's answer", async () => {
  const atlas = fakeAtlas((request) => portMappedAnswer(request.body));
  const endpoint = await createPrivateEndpoint(atlas.client, gcpInput(SERVICE));
  assert.deepEqual(atlas.calls.map((c) => [c.method, c.path]), [["POST", pathFor("GCP")]]);
  assert.deepEqual(atlas.calls[0]!.body, {
    endpointGroupName: GROUP,
    gcpProjectId: "customer-project-123",
    endpoints: RULES,
  });
  assert.equal(privateEndpointId(endpoint), RULE);
  assert.equal(endpoint.cloudProvider === "GCP" && endpoint.portMappingEnabled, true);
});

Deno.test("createPrivateEndpoint() reads a port-mapped endpoint back by its forwarding rule's name after an unknown outcome", async () => {
  for (const portMappingEnabled of [true, undefined]) {
    let created: unknown;
    const atlas = fakeAtlas((request) => {
      if (request.method === "POST") {
        // The first POST creates it but its answer is lost; a second meets Atlas's 409.
        if (created !== undefined) {
          return atlasError(409, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS", "Exists.");
        }
        created = request.body;
        return atlasError(504, "GATEWAY_TIMEOUT", "Gateway timeout.");
      }
      return created !== undefined && request.path === pathFor("GCP", RULE)
        ? portMappedAnswer(created)
        : atlasError(404, "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND", "Not found.");
    });
    const endpoint = await createPrivateEndpoint(
      atlas.client,
      gcpInput(SERVICE, { portMappingEnabled }),
      { retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 } },
    );
    assert.equal(privateEndpointId(endpoint), RULE);
    // Told it is port-mapped: straight to the rule's name. Not told: the group name (a miss),
    // then the rule's, where it is found: the POST is not sent again.
    assert.deepEqual(
      atlas.calls.map((c) => `${c.method} ${c.path.slice(c.path.lastIndexOf("/") + 1)}`),
      portMappingEnabled
        ? ["POST endpoint", `GET ${RULE}`]
        : ["POST endpoint", `GET ${GROUP}`, `GET ${RULE}`],
    );
  }
});

interface Simulated {
  sim: AtlasSimulator;
  client: AtlasClient;
  service: { groupId: string; endpointServiceId: string };
  ref: PrivateEndpointRef;
}

function simulated(apiVersion: AtlasApiVersion = "v1.0"): Simulated {
  const sim = createAtlasSimulator({ timeScale: 0 });
  const { groupId } = sim.seed();
  const { endpointServiceId } = sim.addEndpointService({
    cloudProvider: "GCP",
    groupId,
    region: "WESTERN_EUROPE",
    portMappingEnabled: true,
  });
  const client = createAtlasClient({
    ...DEFAULT_SIMULATOR_API_KEY,
    apiVersion,
    baseUrl: `http://127.0.0.1${apiVersion === "v1.0" ? sim.basePath : sim.v2BasePath}`,
    fetch: sim.fetch,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
  });
  const service = { groupId, endpointServiceId };
  return { sim, client, service, ref: { ...service, cloudProvider: "GCP", endpointId: RULE } };
}

/** The simulator's answers to authenticated requests, as "METHOD last-segment status" (0: lost). */
function log(sim: AtlasSimulator): string[] {
  return sim.requestLog.filter((e) => e.authorization).map((e) =>
    `${e.method} ${decodeURIComponent(e.path.slice(e.path.lastIndexOf("/") + 1))} ${e.status}`
  );
}

for (const apiVersion of ["v1.0", "2023-01-01"] as const) {
  Deno.test(`createPrivateEndpoint() on a simulated port-mapped GCP service returns the id Atlas keeps (API ${apiVersion})`, async () => {
    const { sim, client, service, ref } = simulated(apiVersion);
    const created = await createPrivateEndpoint(client, gcpInput(service));
    assert.equal(privateEndpointId(created), RULE);
    assert.equal(created.cloudProvider, "GCP");
    if (created.cloudProvider !== "GCP") return;
    // gcpProjectId and portMappingEnabled come back on v2 only: nothing is filled in on v1.0.
    const v2 = apiVersion !== "v1.0";
    assert.equal(created.portMappingEnabled, v2 ? true : undefined);
    assert.equal(created.gcpProjectId, v2 ? "customer-project-123" : undefined);
    assert.deepEqual(created.endpoints?.map((rule) => rule.endpointName), [RULE]);
    assert.deepEqual(sim.listEndpoints().map((e) => e.endpointId), [RULE]);

    const read = await getPrivateEndpoint(client, ref);
    assert.equal(privateEndpointId(read), RULE);
    await assert.rejects(getPrivateEndpoint(client, { ...ref, endpointId: GROUP }), (error) => {
      assert.ok(error instanceof AtlasApiError && error.status === 404, String(error));
      return true;
    });
    const ready = await waitForPrivateEndpoint(client, ref, { pollIntervalMs: 1 });
    assert.equal(privateEndpointStatus(ready), "AVAILABLE");
    await deletePrivateEndpoint(client, ref);
    assert.match(log(sim).at(-1)!, new RegExp(`^DELETE ${RULE} 20[04]$`));
    assert.equal(sim.getEndpoint(ref), undefined, "gone (timeScale 0)");
  });
}

Deno.test("createPrivateEndpoint() finds a simulated port-mapped endpoint after a lost answer, never creating it twice", async () => {
  for (const portMappingEnabled of [true, undefined]) {
    const { sim, client, service } = simulated();
    sim.injectFault({ kind: "drop-response", operation: "create" });
    const endpoint = await createPrivateEndpoint(client, gcpInput(service, { portMappingEnabled }));
    assert.equal(privateEndpointId(endpoint), RULE);
    assert.deepEqual(
      log(sim),
      portMappingEnabled
        ? ["POST endpoint 0", `GET ${RULE} 200`]
        : ["POST endpoint 0", `GET ${GROUP} 404`, `GET ${RULE} 200`],
    );
    assert.equal(sim.listEndpoints().length, 1);
  }
});

Deno.test("createPrivateEndpoint() returns the simulated port-mapped endpoint on a 409 for the same rule, whatever the group name", async () => {
  const { sim, client, service } = simulated();
  const first = await createPrivateEndpoint(client, gcpInput(service));
  const again = await createPrivateEndpoint(client, gcpInput(service, { endpointGroupName: RULE }));
  assert.equal(privateEndpointId(again), privateEndpointId(first));
  assert.deepEqual(log(sim).slice(1), ["POST endpoint 409", `GET ${RULE} 200`]);
  // The same rule's name with another address is another endpoint: Atlas's 409 stands.
  const other = gcpInput(service, { endpoints: [{ endpointName: RULE, ipAddress: "10.142.0.9" }] });
  const error = await createPrivateEndpoint(client, other).catch((e) => e);
  assert.ok(error instanceof AtlasApiError && error.status === 409, String(error));
  // The field that differs is the rule, not the group name Atlas ignored.
  assert.deepEqual(error.conflict?.fields, ["endpoints"]);
  assert.match(error.message, new RegExp(`GCP endpoint group ${RULE} already exists`));
  assert.equal(sim.listEndpoints().length, 1);
});

Deno.test("ensurePrivateEndpoint() on a simulated port-mapped GCP service waits for, and reuses, the endpoint under the rule's name", async () => {
  for (const portMappingEnabled of [true, undefined]) {
    const { sim, client, service } = simulated();
    const first = await ensurePrivateEndpoint(client, gcpInput(service, { portMappingEnabled }), {
      pollIntervalMs: 1,
    });
    assert.equal(first.outcome, "created");
    assert.equal(privateEndpointId(first.endpoint), RULE);
    assert.equal(privateEndpointStatus(first.endpoint), "AVAILABLE");
    assert.deepEqual(sim.listEndpoints().map((e) => e.endpointId), [RULE]);
    // Not told it is port-mapped, the first read misses it (under the group name): Atlas's 409
    // for the same rule still makes it "reused", not "created".
    const again = await ensurePrivateEndpoint(client, gcpInput(service, { portMappingEnabled }), {
      pollIntervalMs: 1,
    });
    assert.equal(again.outcome, "reused");
    assert.equal(privateEndpointId(again.endpoint), RULE);
    assert.equal(sim.listEndpoints().length, 1);
  }
  const { client, service } = simulated();
  await assert.rejects(
    ensurePrivateEndpoint(client, gcpInput(service, { endpoints: [...RULES, ...RULES] })),
    {
      name: "AtlasValidationError",
      message: /^Cannot ensure private endpoint: endpoints must hold/,
    },
  );
});
