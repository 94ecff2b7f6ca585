// Atlas error codes, pretty and envelope, over raw HTTP with Digest.
import assert from "node:assert/strict";
import { assertAtlasError, AWS_ID, AZURE_ID, BODIES, fixture } from "./_simulator_fixture.ts";

Deno.test("createAtlasSimulator() answers 404 GROUP_NOT_FOUND and PRIVATELINK_NOT_FOUND for unknown parents", async () => {
  const f = fixture();
  const unknownGroup = "0123456789abcdef01234567";
  await assertAtlasError(
    await f.client(f.collection("AWS").replace(f.project.groupId, unknownGroup), {
      method: "POST",
      body: JSON.stringify(BODIES.AWS),
    }),
    { status: 404, errorCode: "GROUP_NOT_FOUND", parameters: [unknownGroup] },
  );
  const unknownService = "fedcba9876543210fedcba98";
  await assertAtlasError(
    await f.client(f.item("AWS").replace(f.project.AWS, unknownService)),
    { status: 404, errorCode: "PRIVATELINK_NOT_FOUND", parameters: [unknownService] },
  );
  // A service of another provider is not found under this provider.
  await assertAtlasError(
    await f.client(f.item("AZURE").replace(f.project.AZURE, f.project.AWS)),
    { status: 404, errorCode: "PRIVATELINK_NOT_FOUND" },
  );
});

Deno.test("createAtlasSimulator() answers 404 for unknown endpoints and malformed AWS ids", async () => {
  const f = fixture();
  await assertAtlasError(await f.client(f.item("AWS")), {
    status: 404,
    errorCode: "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND",
    parameters: [AWS_ID],
  });
  await assertAtlasError(await f.client(f.item("AZURE"), { method: "DELETE" }), {
    status: 404,
    errorCode: "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND",
    parameters: [AZURE_ID],
  });
  await assertAtlasError(await f.client(f.item("AWS", "endpoint-1")), {
    status: 404,
    errorCode: "PRIVATELINK_INTERFACE_ENDPOINT_ID_MALFORMED",
  });
});

Deno.test("createAtlasSimulator() answers 409 PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS for a duplicate", async () => {
  const f = fixture();
  for (const provider of ["AWS", "AZURE", "GCP"] as const) {
    assert.equal((await f.create(provider)).status, 200);
    await assertAtlasError(await f.create(provider), {
      status: 409,
      errorCode: "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS",
    });
  }
  // Still a duplicate while DELETING; free again once gone (a second endpoint keeps the service,
  // which would otherwise go with its last endpoint).
  const other = { id: "vpce-0fedcba9876543210" };
  assert.equal((await f.create("AWS", other)).status, 200);
  await (await f.client(f.item("AWS"), { method: "DELETE" })).body?.cancel();
  assert.equal((await f.create("AWS")).status, 409);
  f.advance(3_000);
  assert.equal((await f.create("AWS")).status, 200);
});

Deno.test("createAtlasSimulator() answers 409 PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS for a service not ready", async () => {
  const f = fixture();
  const service = f.sim.addEndpointService({
    cloudProvider: "AWS",
    groupId: f.project.groupId,
    region: "EU_WEST_1",
    acceptsEndpoints: false,
  });
  const path = f.collection("AWS").replace(f.project.AWS, service.endpointServiceId);
  await assertAtlasError(
    await f.client(path, { method: "POST", body: JSON.stringify(BODIES.AWS) }),
    { status: 409, errorCode: "PRIVATELINK_CANNOT_ACCEPT_ENDPOINTS" },
  );
});

Deno.test("createAtlasSimulator() answers 400 for malformed path parameters and providers", async () => {
  const f = fixture();
  await assertAtlasError(await f.client(f.item("AWS").replace(f.project.groupId, "my-project")), {
    status: 400,
    errorCode: "PATH_PARAM_PARSE_ERROR",
    parameters: ["groupId", "my-project"],
  });
  await assertAtlasError(
    await f.client(f.item("AWS").replace(f.project.AWS, f.project.AWS.toUpperCase())),
    { status: 400, errorCode: "PATH_PARAM_PARSE_ERROR" },
  );
  for (const provider of ["aws", "ORACLE"]) {
    await assertAtlasError(
      await f.client(f.item("AWS").replace("/AWS/", `/${provider}/`)),
      { status: 400, errorCode: "INVALID_PROVIDER", parameters: [provider] },
    );
  }
  await assertAtlasError(await f.client(`${f.collection("AWS")}/vpce-%E0%A4%A`), {
    status: 400,
    errorCode: "PATH_PARAM_PARSE_ERROR",
  });
});

Deno.test("createAtlasSimulator() rejects body fields that are wrong for the provider", async () => {
  const f = fixture();
  const cases: [string, "AWS" | "AZURE" | "GCP", unknown, string, string][] = [
    ["missing id", "AWS", {}, "MISSING_ATTRIBUTE", "id"],
    [
      "Azure field on AWS",
      "AWS",
      { ...BODIES.AWS, privateEndpointIPAddress: "10.0.0.4" },
      "INVALID_ATTRIBUTE",
      "privateEndpointIPAddress",
    ],
    ["unknown field", "AWS", { ...BODIES.AWS, region: "us-east-1" }, "INVALID_ATTRIBUTE", "region"],
    ["not a vpce id", "AWS", { id: "eni-0123" }, "INVALID_ATTRIBUTE", "id"],
    ["number id", "AWS", { id: 42 }, "INVALID_ATTRIBUTE", "id"],
    ["missing IP", "AZURE", { id: AZURE_ID }, "MISSING_ATTRIBUTE", "privateEndpointIPAddress"],
    [
      "bad IP",
      "AZURE",
      { ...BODIES.AZURE, privateEndpointIPAddress: "10.0.0.256" },
      "INVALID_ATTRIBUTE",
      "privateEndpointIPAddress",
    ],
    ["not a resource id", "AZURE", { ...BODIES.AZURE, id: "atlas-pe" }, "INVALID_ATTRIBUTE", "id"],
    [
      "lower-case Ip spelling",
      "AZURE",
      { id: AZURE_ID, privateEndpointIpAddress: "10.0.0.4" },
      "INVALID_ATTRIBUTE",
      "privateEndpointIpAddress",
    ],
    ["missing project", "GCP", { endpointGroupName: "g" }, "MISSING_ATTRIBUTE", "gcpProjectId"],
    ["AWS field on GCP", "GCP", { ...BODIES.GCP, id: AWS_ID }, "INVALID_ATTRIBUTE", "id"],
    [
      "endpoints not an array",
      "GCP",
      { ...BODIES.GCP, endpoints: {} },
      "INVALID_ATTRIBUTE",
      "endpoints",
    ],
    [
      "bad rule IP",
      "GCP",
      { ...BODIES.GCP, endpoints: [{ endpointName: "a", ipAddress: "x" }] },
      "INVALID_ATTRIBUTE",
      "endpoints[0].ipAddress",
    ],
    [
      "unknown rule field",
      "GCP",
      { ...BODIES.GCP, endpoints: [{ endpointName: "a", ipAddress: "10.1.1.1", zone: "b" }] },
      "INVALID_ATTRIBUTE",
      "endpoints[0].zone",
    ],
    [
      "missing rule name",
      "GCP",
      { ...BODIES.GCP, endpoints: [{ ipAddress: "10.1.1.1" }] },
      "MISSING_ATTRIBUTE",
      "endpoints[0].endpointName",
    ],
  ];
  for (const [name, provider, body, errorCode, field] of cases) {
    const response = await f.create(provider, body);
    assert.equal(response.status, 400, name);
    const json = await response.json();
    assert.equal(json.errorCode, errorCode, name);
    assert.deepEqual(json.parameters, [field], name);
  }
  assert.equal(f.sim.listEndpoints().length, 0, "nothing was created");
  // The v2 schema's optional cloudProvider is tolerated when it matches the path.
  assert.equal((await f.create("AWS", { ...BODIES.AWS, cloudProvider: "AWS" })).status, 200);
  assert.equal((await f.create("AZURE", { ...BODIES.AZURE, cloudProvider: "AWS" })).status, 400);
});

Deno.test("createAtlasSimulator() enforces one forwarding rule for GCP services with port mapping", async () => {
  const f = fixture();
  const service = f.sim.addEndpointService({
    cloudProvider: "GCP",
    groupId: f.project.groupId,
    region: "WESTERN_EUROPE",
    portMappingEnabled: true,
  });
  const path = f.collection("GCP").replace(f.project.GCP, service.endpointServiceId);
  const post = (body: unknown) => f.client(path, { method: "POST", body: JSON.stringify(body) });
  await assertAtlasError(await post(BODIES.GCP), { status: 400, errorCode: "INVALID_ATTRIBUTE" });
  const { endpoints: _, ...withoutRules } = BODIES.GCP;
  await assertAtlasError(await post(withoutRules), { status: 400, errorCode: "MISSING_ATTRIBUTE" });
  const one = { ...BODIES.GCP, endpoints: [{ endpointName: "fr-0", ipAddress: "10.0.0.9" }] };
  const created = await (await post(one)).json();
  // The group name sent is ignored: the id is the forwarding rule's name (v1.0 answers carry no
  // portMappingEnabled; v2's do, see the services tests).
  assert.equal(created.endpointGroupName, "fr-0");
  assert.equal(created.portMappingEnabled, undefined);
  assert.equal(created.endpoints.length, 1);
  assert.deepEqual(f.sim.getEndpointService({ ...service })?.endpointIds, ["fr-0"]);
  assert.equal((await (await f.client(`${path}/fr-0`)).json()).endpointGroupName, "fr-0");
  await assertAtlasError(await f.client(`${path}/${BODIES.GCP.endpointGroupName}`), {
    status: 404,
    errorCode: "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND",
  });
  // Another group name for the same rule is the same endpoint.
  await assertAtlasError(await post({ ...one, endpointGroupName: "other-group" }), {
    status: 409,
    errorCode: "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS",
  });
});

Deno.test("createAtlasSimulator() answers MALFORMED_JSON, INVALID_JSON and 415 for bad bodies", async () => {
  const f = fixture();
  const post = (body: string, headers: Record<string, string> = {}) =>
    f.client(f.collection("AWS"), { method: "POST", body, headers });
  for (const body of ['{"id": "vpce-1"', "", "\xff"]) {
    await assertAtlasError(await post(body), { status: 400, errorCode: "MALFORMED_JSON" });
  }
  for (const body of ["[]", "null", '"vpce-1"']) {
    await assertAtlasError(await post(body), { status: 400, errorCode: "INVALID_JSON" });
  }
  await assertAtlasError(await post(JSON.stringify(BODIES.AWS), { "content-type": "text/plain" }), {
    status: 415,
    errorCode: "UNSUPPORTED_MEDIA_TYPE",
  });
  const versioned = await post(JSON.stringify(BODIES.AWS), {
    "content-type": "application/vnd.atlas.2023-01-01+json",
  });
  assert.equal(versioned.status, 200);
  await versioned.body?.cancel();
});

Deno.test("createAtlasSimulator() answers 404 RESOURCE_NOT_FOUND for other paths and 405 for other methods", async () => {
  const f = fixture();
  await assertAtlasError(await f.client(`/groups/${f.project.groupId}/clusters`), {
    status: 404,
    errorCode: "RESOURCE_NOT_FOUND",
  });
  await assertAtlasError(await f.client(f.collection("AWS")), {
    status: 405,
    errorCode: "METHOD_NOT_ALLOWED",
  });
  const put = await f.client(f.item("AWS"), { method: "PUT", body: "{}" });
  assert.equal(put.headers.get("allow"), "GET, DELETE");
  await assertAtlasError(put, { status: 405, errorCode: "METHOD_NOT_ALLOWED" });
  // Outside the base path (e.g. the v2 prefix, not served by default).
  const v2 = f.client(`/../v2/groups/${f.project.groupId}`);
  await assertAtlasError(await v2, { status: 404, errorCode: "RESOURCE_NOT_FOUND" });
});

Deno.test("createAtlasSimulator() serves extra base paths", async () => {
  const f = fixture({ basePaths: ["/api/atlas/v1.0", "/api/atlas/v2"] });
  const v2 = f.collection("AWS");
  const response = await f.client(`/../v2${v2}`, {
    method: "POST",
    body: JSON.stringify(BODIES.AWS),
  });
  assert.equal(response.status, 200);
  assert.equal(f.sim.requestLog.at(-1)!.target.startsWith("/api/atlas/v2/groups/"), true);
  await response.body?.cancel();
});

Deno.test("createAtlasSimulator() pretty-prints JSON like Atlas with pretty=true", async () => {
  const f = fixture();
  const created = await f.client(`${f.collection("AWS")}?pretty=true`, {
    method: "POST",
    body: JSON.stringify(BODIES.AWS),
  });
  assert.equal(
    await created.text(),
    `{\n  "cloudProvider" : "AWS",\n  "interfaceEndpointId" : "${AWS_ID}",\n` +
      `  "connectionStatus" : "PENDING_ACCEPTANCE",\n  "deleteRequested" : false,\n` +
      `  "errorMessage" : null\n}`,
  );
  const gcp = await f.client(`${f.collection("GCP")}?pretty=TRUE`, {
    method: "POST",
    body: JSON.stringify(BODIES.GCP),
  });
  const text = await gcp.text();
  assert.match(text, /\n {2}"endpoints" : \[ \{\n {4}"endpointName" : "atlas-endpoint-0",/);
  assert.deepEqual(JSON.parse(text).endpoints.length, 2);
  const error = await f.client(`${f.item("AZURE")}?pretty=true`);
  assert.match(await error.text(), /^\{\n {2}"detail" : ".+",\n {2}"error" : 404,/);
  const plain = await f.client(`${f.item("AWS")}?pretty=false`);
  assert.doesNotMatch(await plain.text(), /\n/);
});

Deno.test("createAtlasSimulator() wraps answers in {status, content} with envelope=true", async () => {
  const f = fixture();
  const created = await f.client(`${f.collection("AWS")}?envelope=true`, {
    method: "POST",
    body: JSON.stringify(BODIES.AWS),
  });
  assert.equal(created.status, 200);
  const body = await created.json();
  assert.equal(body.status, 200);
  assert.equal(body.content.interfaceEndpointId, AWS_ID);
  const missing = await f.client(`${f.item("AZURE")}?envelope=true&pretty=true`);
  assert.equal(missing.status, 200);
  const text = await missing.text();
  assert.match(text, /^\{\n {2}"status" : 404,\n {2}"content" : \{\n/);
  assert.equal(JSON.parse(text).content.errorCode, "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND");
  const deleted = await f.client(`${f.item("AWS")}?envelope=true`, { method: "DELETE" });
  assert.deepEqual(await deleted.json(), { status: 200, content: {} });
});
