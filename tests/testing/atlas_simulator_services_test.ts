// The simulator's endpoint services: routes (v1.0 and v2), life cycle, names, one per region,
// their rules with endpoints, and their errors, in-process with Digest on a manual clock.
import assert from "node:assert/strict";
import {
  DEFAULT_SIMULATOR_API_KEY,
  type SimulatorCloudProvider,
} from "../../src/testing/atlas_simulator.ts";
import { createTestDigestClient, type TestFetch } from "./_digest_helper.ts";
import {
  assertAtlasError,
  AWS_ID,
  AZURE_ID,
  BODIES,
  type Fixture,
  fixture,
  GCP_GROUP,
} from "./_simulator_fixture.ts";

const V2 = { accept: "application/vnd.atlas.2023-01-01+json" };
// The official spec's patterns (EndpointService variants).
const AWS_NAME = /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/;
const PLS_NAME = /^pls_[0-9a-f]{24}$/;
const ATTACHMENT =
  /^https:\/\/([a-z0-9\.]+)+\.[a-z]{2,}(\/[a-z0-9\-]+)+\/projects\/p-[a-z0-9]+\/regions\/[a-z\-0-9]+\/serviceAttachments\/[a-z0-9\-]+$/;

type Provider = SimulatorCloudProvider;

interface Services {
  f: Fixture;
  /** A project without services (besides the fixture's seeded one). */
  groupId: string;
  create(body: unknown, group?: string): Promise<Response>;
  list(provider: Provider, group?: string): Promise<Response>;
  get(provider: Provider, id: string, group?: string): Promise<Response>;
  remove(provider: Provider, id: string, group?: string): Promise<Response>;
  addEndpoint(provider: Provider, id: string, body?: unknown): Promise<Response>;
  removeEndpoint(provider: Provider, id: string, endpointId: string): Promise<Response>;
}

/** A fixture (empty project besides the seeded one) with service helpers on v1.0 or v2. */
function services(
  options: Parameters<typeof fixture>[0] = {},
  api: "v1.0" | "v2" = "v1.0",
): Services {
  const f = fixture(options);
  const groupId = f.sim.addGroup();
  const client: TestFetch = api === "v1.0" ? f.client : createTestDigestClient(
    f.sim.fetch,
    `http://127.0.0.1${f.sim.v2BasePath}`,
    DEFAULT_SIMULATOR_API_KEY.publicKey,
    DEFAULT_SIMULATOR_API_KEY.privateKey,
  );
  const headers = api === "v2" ? V2 : {};
  const root = (group = groupId) => `/groups/${group}/privateEndpoint`;
  const call = (path: string, method = "GET", body?: unknown) =>
    client(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    f,
    groupId,
    create: (body: unknown, group = groupId) =>
      call(`${root(group)}/endpointService`, "POST", body),
    list: (provider: SimulatorCloudProvider, group = groupId) =>
      call(`${root(group)}/${provider}/endpointService`),
    get: (provider: SimulatorCloudProvider, id: string, group = groupId) =>
      call(`${root(group)}/${provider}/endpointService/${id}`),
    remove: (provider: SimulatorCloudProvider, id: string, group = groupId) =>
      call(`${root(group)}/${provider}/endpointService/${id}`, "DELETE"),
    addEndpoint: (provider: SimulatorCloudProvider, id: string, body = BODIES[provider]) =>
      call(`${root()}/${provider}/endpointService/${id}/endpoint`, "POST", body),
    removeEndpoint: (provider: SimulatorCloudProvider, id: string, endpointId: string) =>
      call(
        `${root()}/${provider}/endpointService/${id}/endpoint/${encodeURIComponent(endpointId)}`,
        "DELETE",
      ),
  };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  assert.equal(response.status, 200, await response.clone().text());
  return await response.json();
}

Deno.test("createAtlasSimulator() creates an AWS endpoint service: INITIATING, WAITING_FOR_USER, then AVAILABLE once an endpoint connects", async () => {
  const s = services();
  const created = await json(await s.create({ providerName: "AWS", region: "us-east-1" }));
  assert.match(String(created.id), /^[0-9a-f]{24}$/);
  assert.deepEqual(created, {
    cloudProvider: "AWS",
    id: created.id,
    regionName: "US_EAST_1",
    status: "INITIATING",
    errorMessage: null,
    endpointServiceName: null,
    interfaceEndpoints: [],
  });
  const id = String(created.id);
  await assertAtlasError(await s.addEndpoint("AWS", id), {
    status: 409,
    errorCode: "PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS",
    parameters: [id],
  });
  s.f.advance(4_999);
  assert.equal((await json(await s.get("AWS", id))).status, "INITIATING");
  s.f.advance(1);
  const ready = await json(await s.get("AWS", id));
  assert.equal(ready.status, "WAITING_FOR_USER");
  assert.match(String(ready.endpointServiceName), AWS_NAME);

  assert.equal((await json(await s.addEndpoint("AWS", id))).connectionStatus, "PENDING_ACCEPTANCE");
  const waiting = await json(await s.get("AWS", id));
  assert.deepEqual(
    [waiting.status, waiting.interfaceEndpoints, waiting.endpointServiceName],
    ["WAITING_FOR_USER", [AWS_ID], ready.endpointServiceName],
  );
  s.f.advance(5_000); // PENDING_ACCEPTANCE 2 s + PENDING 3 s
  assert.equal((await json(await s.get("AWS", id))).status, "AVAILABLE");
  assert.deepEqual(
    s.f.sim.getEndpointService({ groupId: s.groupId, cloudProvider: "AWS", endpointServiceId: id })
      ?.endpointIds,
    [AWS_ID],
  );
});

Deno.test("createAtlasSimulator() names Azure and GCP services as Atlas does and lists their endpoints", async () => {
  const s = services({ timeScale: 0 });
  const azure = await json(await s.create({ providerName: "AZURE", region: "eastus2" }));
  assert.equal(azure.regionName, "US_EAST_2");
  assert.equal(azure.status, "WAITING_FOR_USER");
  assert.match(String(azure.privateLinkServiceName), PLS_NAME);
  assert.match(
    String(azure.privateLinkServiceResourceId),
    new RegExp(
      `^/subscriptions/[0-9a-f-]{36}/resourcegroups/[^/]+/providers/Microsoft\\.Network/privateLinkServices/${azure.privateLinkServiceName}$`,
    ),
  );
  await json(await s.addEndpoint("AZURE", String(azure.id)));
  const azureRead = await json(await s.get("AZURE", String(azure.id)));
  assert.deepEqual(azureRead.privateEndpoints, [AZURE_ID]);
  assert.equal(azureRead.status, "AVAILABLE");

  const gcp = await json(await s.create({ providerName: "GCP", region: "CENTRAL_US" }));
  assert.equal(gcp.status, "AVAILABLE", "GCP services need no user step before AVAILABLE");
  assert.equal(gcp.portMappingEnabled, false);
  const attachments = gcp.serviceAttachmentNames as string[];
  assert.equal(attachments.length, 50);
  for (const name of attachments) assert.match(name, ATTACHMENT);
  assert.match(attachments[0]!, /\/regions\/us-central1\//);
  assert.equal(new Set(attachments).size, 50);
  const endpoint = await json(await s.addEndpoint("GCP", String(gcp.id)));
  const rules = endpoint.endpoints as { serviceAttachmentName: string }[];
  assert.ok(
    attachments[1]!.endsWith(rules[1]!.serviceAttachmentName),
    "rule i maps to attachment i",
  );
  assert.deepEqual((await json(await s.get("GCP", String(gcp.id)))).endpointGroupNames, [
    GCP_GROUP,
  ]);

  const mapped = await json(
    await s.create({ providerName: "GCP", region: "europe-west1", portMappingEnabled: true }),
  );
  assert.equal(mapped.regionName, "WESTERN_EUROPE");
  assert.equal(mapped.portMappingEnabled, true);
  assert.equal((mapped.serviceAttachmentNames as string[]).length, 1);
});

Deno.test("createAtlasSimulator() keeps a port-mapped GCP endpoint under its one rule's name, answering v2's fields on v2", async () => {
  const s = services({ timeScale: 0 }, "v2");
  const mapped = await json(
    await s.create({ providerName: "GCP", region: "CENTRAL_US", portMappingEnabled: true }),
  );
  const id = String(mapped.id);
  const two = {
    ...BODIES.GCP,
    endpoints: [
      { endpointName: "psc-rule", ipAddress: "10.142.0.5" },
      { endpointName: "psc-rule-2", ipAddress: "10.142.0.6" },
    ],
  };
  await assertAtlasError(await s.addEndpoint("GCP", id, two), {
    status: 400,
    errorCode: "INVALID_ATTRIBUTE",
  });
  const one = { ...two, endpointGroupName: "ignored-group", endpoints: two.endpoints.slice(0, 1) };
  const created = await json(await s.addEndpoint("GCP", id, one));
  assert.equal(created.endpointGroupName, "psc-rule");
  assert.equal(created.portMappingEnabled, true);
  assert.equal(created.gcpProjectId, BODIES.GCP.gcpProjectId);
  const rules = created.endpoints as Record<string, unknown>[];
  assert.deepEqual(rules.map((rule) => Object.keys(rule).sort()), [
    ["endpointName", "ipAddress", "status"],
  ]);
  assert.deepEqual((await json(await s.get("GCP", id))).endpointGroupNames, ["psc-rule"]);
  assert.equal((await s.removeEndpoint("GCP", id, "ignored-group")).status, 404);
  assert.equal((await s.removeEndpoint("GCP", id, "psc-rule")).status, 204);
});

Deno.test("createAtlasSimulator() keeps one service per provider and region: 409 PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION", async () => {
  const s = services();
  await json(await s.create({ providerName: "AWS", region: "US_EAST_1" }));
  for (const region of ["US_EAST_1", "us-east-1"]) {
    await assertAtlasError(await s.create({ providerName: "AWS", region }), {
      status: 409,
      errorCode: "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION",
      parameters: ["AWS", "US_EAST_1"],
    });
  }
  await json(await s.create({ providerName: "AWS", region: "EU_WEST_1" }));
  await json(await s.create({ providerName: "AZURE", region: "US_EAST_1" }));
  // The seeded project's services are real: its AWS region is taken too.
  await assertAtlasError(
    await s.create({ providerName: "AWS", region: "us-east-1" }, s.f.project.groupId),
    { status: 409, errorCode: "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION" },
  );
  assert.throws(
    () => s.f.sim.addEndpointService({ cloudProvider: "AWS", groupId: s.groupId }),
    /has a AWS service in US_EAST_1 already/,
  );
  const listed = await (await s.list("AWS")).json();
  assert.deepEqual(listed.map((x: { regionName: string }) => x.regionName), [
    "US_EAST_1",
    "EU_WEST_1",
  ]);
});

Deno.test("createAtlasSimulator() lists a provider's services as a plain array, seeded ones included", async () => {
  const s = services();
  const { groupId, AWS, AZURE, GCP } = s.f.project;
  for (const [provider, id] of [["AWS", AWS], ["AZURE", AZURE], ["GCP", GCP]] as const) {
    const list = await (await s.list(provider, groupId)).json();
    assert.ok(Array.isArray(list), provider);
    assert.deepEqual(list.map((x: { id: string }) => x.id), [id], provider);
    assert.equal(list[0].cloudProvider, provider);
    assert.deepEqual(await json(await s.get(provider, id, groupId)), list[0]);
  }
  assert.deepEqual(await json(await s.list("GCP")), []);
  await assertAtlasError(await s.list("AWS", "0123456789abcdef01234567"), {
    status: 404,
    errorCode: "GROUP_NOT_FOUND",
  });
  await assertAtlasError(await s.list("IBM" as SimulatorCloudProvider), {
    status: 400,
    errorCode: "INVALID_PROVIDER",
  });
  assert.equal(s.f.sim.listEndpointServices().length, 3);
});

Deno.test("createAtlasSimulator() answers 404 PRIVATELINK_NOT_FOUND for an unknown service, and 400 for a malformed id", async () => {
  const s = services();
  const unknown = "fedcba9876543210fedcba98";
  for (
    const response of [
      await s.get("AWS", unknown),
      await s.remove("AWS", unknown),
      await s.addEndpoint("AWS", unknown),
      await s.get("AZURE", s.f.project.AWS, s.f.project.groupId),
    ]
  ) {
    await assertAtlasError(response, { status: 404, errorCode: "PRIVATELINK_NOT_FOUND" });
  }
  await assertAtlasError(await s.get("AWS", "not-hex"), {
    status: 400,
    errorCode: "PATH_PARAM_PARSE_ERROR",
  });
  const put = await s.f.client(`/groups/${s.groupId}/privateEndpoint/endpointService`, {
    method: "PUT",
  });
  assert.equal(put.headers.get("allow"), "POST");
  await assertAtlasError(put, { status: 405, errorCode: "METHOD_NOT_ALLOWED" });
});

Deno.test("createAtlasSimulator() refuses service bodies Atlas refuses", async () => {
  const s = services();
  const cases: [unknown, string, string?][] = [
    [{ region: "US_EAST_1" }, "MISSING_ATTRIBUTE", "providerName"],
    [{ providerName: "AWS" }, "MISSING_ATTRIBUTE", "region"],
    [{ providerName: "AWS", region: "US_EAST_1", name: "x" }, "INVALID_ATTRIBUTE", "name"],
    [{ providerName: "IBM", region: "US_EAST_1" }, "INVALID_ENUM_VALUE", "IBM"],
    [{ providerName: "AWS", region: "us east" }, "INVALID_REGION", "us east"],
    [{ providerName: "AWS", region: 1 }, "INVALID_ATTRIBUTE", "region"],
    [
      { providerName: "AWS", region: "US_EAST_1", portMappingEnabled: true },
      "INVALID_ATTRIBUTE",
      "portMappingEnabled",
    ],
    [
      { providerName: "GCP", region: "CENTRAL_US", portMappingEnabled: "yes" },
      "INVALID_ATTRIBUTE",
      "portMappingEnabled",
    ],
    [
      { providerName: "GCP", region: "CENTRAL_US", supportedRemoteRegions: ["US_WEST_2"] },
      "INVALID_ATTRIBUTE",
      "supportedRemoteRegions",
    ],
    [
      {
        providerName: "AWS",
        region: "US_EAST_1",
        supportedRemoteRegions: Array.from({ length: 36 }, (_, i) => `REGION_${i}`),
      },
      "INVALID_ATTRIBUTE",
      "supportedRemoteRegions",
    ],
    [["AWS"], "INVALID_JSON"],
  ];
  for (const [body, errorCode, parameter] of cases) {
    await assertAtlasError(await s.create(body), {
      status: 400,
      errorCode,
      ...(parameter === undefined
        ? {}
        : { parameters: [parameter, ...(errorCode === "INVALID_REGION" ? ["AWS"] : [])] }),
    });
  }
  assert.equal(s.f.sim.listEndpointServices().length, 3, "nothing created but the seeded three");
  const ok = await json(
    await s.create({
      providerName: "AWS",
      region: "US_EAST_1",
      portMappingEnabled: false,
      supportedRemoteRegions: ["us-west-2"],
    }),
  );
  assert.equal(ok.regionName, "US_EAST_1");
  assert.equal("supportedRemoteRegions" in ok, false, "not echoed: Atlas is not known to");
});

Deno.test("createAtlasSimulator() deletes a service: 409 CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS while it has endpoints, else DELETING then 404", async () => {
  const s = services({ timeScale: 0.5, removeEmptyServices: false });
  const id = String((await json(await s.create({ providerName: "AWS", region: "US_EAST_1" }))).id);
  s.f.advance(2_500);
  await json(await s.addEndpoint("AWS", id));
  await assertAtlasError(await s.remove("AWS", id), {
    status: 409,
    errorCode: "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS",
    parameters: [id],
  });
  await json(await s.removeEndpoint("AWS", id, AWS_ID));
  await assertAtlasError(await s.remove("AWS", id), {
    status: 409,
    errorCode: "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS",
  });
  s.f.advance(1_500); // the endpoint's DELETING 3 s, at half scale
  const kept = await json(await s.get("AWS", id));
  assert.deepEqual([kept.status, kept.interfaceEndpoints], ["WAITING_FOR_USER", []]);
  assert.deepEqual(await json(await s.remove("AWS", id)), {}, "v1.0 answers a removal with {}");
  assert.equal((await json(await s.get("AWS", id))).status, "DELETING");
  await assertAtlasError(await s.addEndpoint("AWS", id), {
    status: 409,
    errorCode: "PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS",
  });
  s.f.advance(1_499);
  assert.equal((await json(await s.get("AWS", id))).status, "DELETING");
  s.f.advance(1);
  await assertAtlasError(await s.get("AWS", id), {
    status: 404,
    errorCode: "PRIVATELINK_NOT_FOUND",
  });
  assert.deepEqual(await json(await s.list("AWS")), []);
  // The region is free again.
  await json(await s.create({ providerName: "AWS", region: "US_EAST_1" }));
});

Deno.test("createAtlasSimulator() removes a service with its last endpoint, as the official DELETE says", async () => {
  const s = services({ timeScale: 0 });
  const id = String(
    (await json(await s.create({ providerName: "AZURE", region: "US_EAST_2" }))).id,
  );
  await json(await s.addEndpoint("AZURE", id));
  const second = { ...BODIES.AZURE, id: AZURE_ID.replace("atlas-pe", "atlas-pe-2") };
  await json(await s.addEndpoint("AZURE", id, second));
  await json(await s.removeEndpoint("AZURE", id, AZURE_ID));
  assert.deepEqual((await json(await s.get("AZURE", id))).privateEndpoints, [second.id]);
  await json(await s.removeEndpoint("AZURE", id, second.id));
  await assertAtlasError(await s.get("AZURE", id), {
    status: 404,
    errorCode: "PRIVATELINK_NOT_FOUND",
  });
  const ref = { groupId: s.groupId, cloudProvider: "AZURE" as const, endpointServiceId: id };
  assert.equal(s.f.sim.getEndpointService(ref), undefined);
});

Deno.test("createAtlasSimulator() removes an emptied service over time: DELETING after the endpoint is gone, then gone", async () => {
  const s = services();
  const { groupId, AWS } = s.f.project;
  const ref = { groupId, cloudProvider: "AWS" as const, endpointServiceId: AWS };
  await json(await s.f.create("AWS"));
  await json(await s.f.client(s.f.item("AWS"), { method: "DELETE" }));
  s.f.advance(2_999);
  assert.equal(s.f.sim.getEndpointService(ref)?.status, "WAITING_FOR_USER");
  s.f.advance(1);
  assert.deepEqual(
    [s.f.sim.getEndpointService(ref)?.status, s.f.sim.getEndpointService(ref)?.deleteRequested],
    ["DELETING", true],
  );
  s.f.advance(3_000);
  assert.equal(s.f.sim.getEndpointService(ref), undefined);
  await assertAtlasError(await s.f.create("AWS"), {
    status: 404,
    errorCode: "PRIVATELINK_NOT_FOUND",
  });
});

Deno.test("createAtlasSimulator() serves services on v2: versioned media type, 204 on removal, RATE_LIMITED_TOKEN_BUCKET", async () => {
  const s = services({ timeScale: 0, rateLimit: { limit: 5 } }, "v2");
  const response = await s.create({ providerName: "GCP", region: "CENTRAL_US" });
  assert.equal(response.headers.get("content-type"), "application/vnd.atlas.2023-01-01+json");
  const id = String((await json(response)).id);
  assert.equal((await json(await s.get("GCP", id))).cloudProvider, "GCP");
  const listed = await (await s.list("GCP")).json();
  assert.deepEqual(listed.map((x: { id: string }) => x.id), [id]);
  const removed = await s.remove("GCP", id);
  assert.equal(removed.status, 204);
  assert.equal(await removed.text(), "");
  await (await s.get("GCP", id)).body?.cancel(); // the fifth token of the bucket
  const limited = await s.get("GCP", id);
  assert.equal(limited.status, 429);
  assert.match(limited.headers.get("retry-after")!, /^\d+$/);
  const body = await limited.json();
  assert.equal(body.errorCode, "RATE_LIMITED_TOKEN_BUCKET");
  assert.match(
    body.detail,
    /^Rate limit exceeded for api\/atlas\/v2\/groups\/.*\. Please retry after \d+ seconds\. Request capacity: 5\. Refill rate: 5 per 60 seconds\.$/,
  );
  assert.equal(body.parameters.length, 5);
});

Deno.test("AtlasSimulator.setEndpointServiceStatus() pins a status such as FAILED with its errorMessage", async () => {
  const s = services();
  const ref = {
    groupId: s.f.project.groupId,
    cloudProvider: "AWS" as const,
    endpointServiceId: s.f.project.AWS,
  };
  s.f.sim.setEndpointServiceStatus(ref, "FAILED", "Load balancer could not be created.");
  const failed = await json(await s.get("AWS", ref.endpointServiceId, ref.groupId));
  assert.deepEqual([failed.status, failed.errorMessage], [
    "FAILED",
    "Load balancer could not be created.",
  ]);
  await assertAtlasError(await s.f.create("AWS"), {
    status: 409,
    errorCode: "PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS",
  });
  s.f.sim.setEndpointServiceStatus(ref, null);
  assert.equal(s.f.sim.getEndpointService(ref)?.status, "WAITING_FOR_USER");
  assert.throws(
    () => s.f.sim.setEndpointServiceStatus({ ...ref, cloudProvider: "GCP" }, "FAILED"),
    RangeError,
  );
});

Deno.test("createAtlasSimulator() answers GCP forwarding rules per version: serviceAttachmentName on v1.0 only", async () => {
  for (const api of ["v1.0", "v2"] as const) {
    const s = services({ timeScale: 0 }, api);
    const id = String(
      (await json(await s.create({ providerName: "GCP", region: "CENTRAL_US" }))).id,
    );
    const created = await json(await s.addEndpoint("GCP", id));
    const rules = created.endpoints as Record<string, unknown>[];
    assert.equal(rules.length, 2, api);
    for (const rule of rules) {
      assert.deepEqual(
        Object.keys(rule).sort(),
        api === "v1.0"
          ? ["endpointName", "ipAddress", "serviceAttachmentName", "status"]
          : ["endpointName", "ipAddress", "status"],
        api,
      );
    }
  }
});

Deno.test("AtlasSimulator.seed() twice in one project throws: its regions are taken", () => {
  const f = fixture();
  assert.throws(() => f.sim.seed({ groupId: f.project.groupId }), RangeError);
  assert.equal(f.sim.listEndpointServices().length, 3);
  assert.equal(f.sim.seed({ groupId: f.sim.addGroup() }).AWS.length, 24);
});
