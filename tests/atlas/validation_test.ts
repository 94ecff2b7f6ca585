import assert from "node:assert/strict";
import {
  AtlasValidationError,
  type CloudProvider,
  createPrivateEndpoint,
  type CreatePrivateEndpointInput,
  deletePrivateEndpoint,
  getPrivateEndpoint,
  type PrivateEndpointRef,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import { AZURE_ID, fakeAtlas, GROUP_ID, SERVICE, SERVICE_ID, VPCE } from "./_fake_atlas.ts";
import { PROVIDERS } from "../../src/atlas/_providers.ts";

/** Runs `run`, expects an AtlasValidationError on `field` that does not echo `value`, and no request. */
async function rejects(
  label: string,
  field: string,
  run: (atlas: ReturnType<typeof fakeAtlas>) => Promise<unknown>,
  value?: unknown,
): Promise<void> {
  const atlas = fakeAtlas();
  const error = await run(atlas).then(() => undefined, (e: unknown) => e);
  assert.ok(
    error instanceof AtlasValidationError,
    `${label}: expected AtlasValidationError, got ${error}`,
  );
  assert.equal(error.name, "AtlasValidationError");
  assert.equal(error.field, field, `${label}: ${error.message}`);
  assert.match(error.message, /^Cannot (create|get|delete|wait for) private endpoint: /, label);
  if (typeof value === "string" && value.length > 5) {
    assert.ok(!error.message.includes(value), `${label}: the message echoes the value`);
  }
  assert.equal(atlas.calls.length, 0, `${label}: a request was sent`);
}

const AWS_OK = { ...SERVICE, cloudProvider: "AWS", id: VPCE } as const;
const AZURE_OK = {
  ...SERVICE,
  cloudProvider: "AZURE",
  id: AZURE_ID,
  privateEndpointIPAddress: "10.0.0.4",
} as const;
const GCP_OK = {
  ...SERVICE,
  cloudProvider: "GCP",
  endpointGroupName: "group-1",
  gcpProjectId: "customer-project",
  endpoints: [{ endpointName: "rule-0", ipAddress: "10.142.0.5" }],
} as const;

const BAD_HEX = [
  "",
  "32B6E34B3D91647ABB20E7B8",
  "32b6e34b3d91647abb20e7b",
  "32b6e34b3d91647abb20e7b8a",
  "../../../orgs/32b6e34b3d9",
  "32b6e34b3d91647abb20e7b8/x",
  "32b6e34b3d91647abb20e7?8",
  undefined,
  1234,
];

/** Bad create inputs: [label, field, input (without the service ref unless it is overridden)]. */
const BAD_CREATE: [string, string, Record<string, unknown>][] = [
  ...BAD_HEX.map((
    v,
  ): [string, string, Record<string, unknown>] => [`groupId ${v}`, "groupId", {
    ...AWS_OK,
    groupId: v,
  }]),
  ...BAD_HEX.map((v): [string, string, Record<string, unknown>] => [
    `endpointServiceId ${v}`,
    "endpointServiceId",
    { ...AWS_OK, endpointServiceId: v },
  ]),
  ["provider lowercase", "cloudProvider", { ...AWS_OK, cloudProvider: "aws" }],
  ["provider unknown", "cloudProvider", { ...AWS_OK, cloudProvider: "ORACLE" }],
  ["provider missing", "cloudProvider", { ...SERVICE, id: VPCE }],
  ["AWS id not vpce", "id", { ...AWS_OK, id: "vpc-0123456789abcdef0" }],
  ["AWS id empty suffix", "id", { ...AWS_OK, id: "vpce-" }],
  ["AWS id with slash", "id", { ...AWS_OK, id: "vpce-01234/../x" }],
  ["AWS id with space", "id", { ...AWS_OK, id: "vpce-0123 456" }],
  ["AWS id missing", "id", { ...SERVICE, cloudProvider: "AWS" }],
  ["AWS id a number", "id", { ...AWS_OK, id: 42 }],
  ["AWS with Azure field", "privateEndpointIPAddress", {
    ...AWS_OK,
    privateEndpointIPAddress: "10.0.0.4",
  }],
  ["AWS with GCP body", "endpointGroupName", {
    ...SERVICE,
    cloudProvider: "AWS",
    endpointGroupName: "g",
    gcpProjectId: "p",
  }],
  ["Azure id encoded", "id", { ...AZURE_OK, id: encodeURIComponent(AZURE_ID) }],
  ["Azure id without slash", "id", { ...AZURE_OK, id: AZURE_ID.slice(1) }],
  ["Azure id bad subscription", "id", {
    ...AZURE_OK,
    id: AZURE_ID.replace("00000000-0000-4000-8000-000000000000", "sub"),
  }],
  ["Azure id not a private endpoint", "id", {
    ...AZURE_OK,
    id: AZURE_ID.replace("privateEndpoints", "networkInterfaces"),
  }],
  ["Azure id with query", "id", { ...AZURE_OK, id: AZURE_ID + "?x=1" }],
  ["Azure id a vpce", "id", { ...AZURE_OK, id: VPCE }],
  ["Azure IP missing", "privateEndpointIPAddress", {
    ...SERVICE,
    cloudProvider: "AZURE",
    id: AZURE_ID,
  }],
  ["Azure IP out of range", "privateEndpointIPAddress", {
    ...AZURE_OK,
    privateEndpointIPAddress: "10.0.0.256",
  }],
  ["Azure IP short", "privateEndpointIPAddress", {
    ...AZURE_OK,
    privateEndpointIPAddress: "10.0.0",
  }],
  ["Azure IP leading zero", "privateEndpointIPAddress", {
    ...AZURE_OK,
    privateEndpointIPAddress: "10.0.0.04",
  }],
  ["Azure IP zone", "privateEndpointIPAddress", {
    ...AZURE_OK,
    privateEndpointIPAddress: "fe80::1%eth0",
  }],
  ["Azure IP host name", "privateEndpointIPAddress", {
    ...AZURE_OK,
    privateEndpointIPAddress: "pe.internal",
  }],
  ["Azure IP misspelt", "privateEndpointIpAddress", {
    ...SERVICE,
    cloudProvider: "AZURE",
    id: AZURE_ID,
    privateEndpointIpAddress: "10.0.0.4",
  }],
  ["GCP group name empty", "endpointGroupName", { ...GCP_OK, endpointGroupName: "" }],
  ["GCP group name dots", "endpointGroupName", { ...GCP_OK, endpointGroupName: ".." }],
  ["GCP group name slash", "endpointGroupName", { ...GCP_OK, endpointGroupName: "a/b" }],
  ["GCP group name dash first", "endpointGroupName", { ...GCP_OK, endpointGroupName: "-group" }],
  ["GCP group name missing", "endpointGroupName", {
    ...SERVICE,
    cloudProvider: "GCP",
    gcpProjectId: "p",
  }],
  ["GCP project empty", "gcpProjectId", { ...GCP_OK, gcpProjectId: "" }],
  ["GCP project with space", "gcpProjectId", { ...GCP_OK, gcpProjectId: "my project" }],
  ["GCP project misspelt", "gcpProjectID", {
    ...SERVICE,
    cloudProvider: "GCP",
    endpointGroupName: "g",
    gcpProjectID: "p",
  }],
  ["GCP endpoints empty", "endpoints", { ...GCP_OK, endpoints: [] }],
  ["GCP endpoints not an array", "endpoints", { ...GCP_OK, endpoints: "rule-0@10.0.0.1" }],
  ["GCP endpoint not an object", "endpoints[0]", { ...GCP_OK, endpoints: ["rule-0"] }],
  ["GCP endpoint bad IP", "endpoints[1].ipAddress", {
    ...GCP_OK,
    endpoints: [{ endpointName: "a", ipAddress: "10.0.0.1" }, {
      endpointName: "b",
      ipAddress: "nope",
    }],
  }],
  ["GCP endpoint bad name", "endpoints[0].endpointName", {
    ...GCP_OK,
    endpoints: [{ endpointName: "a b", ipAddress: "10.0.0.1" }],
  }],
  ["GCP endpoint unknown field", "endpoints[0].ip", {
    ...GCP_OK,
    endpoints: [{ endpointName: "a", ip: "10.0.0.1" }],
  }],
  ["GCP with AWS id", "id", { ...GCP_OK, id: VPCE }],
];

Deno.test("createPrivateEndpoint() rejects bad input of every kind before sending anything", async () => {
  for (const [label, field, input] of BAD_CREATE) {
    const value = input[field];
    await rejects(
      label,
      field,
      (atlas) =>
        createPrivateEndpoint(atlas.client, input as unknown as CreatePrivateEndpointInput),
      value,
    );
  }
  await rejects(
    "input null",
    "input",
    (atlas) => createPrivateEndpoint(atlas.client, null as unknown as CreatePrivateEndpointInput),
  );
  await rejects(
    "timeoutMs 0",
    "timeoutMs",
    (atlas) => createPrivateEndpoint(atlas.client, AWS_OK, { timeoutMs: 0 }),
  );
  await rejects(
    "timeoutMs NaN",
    "timeoutMs",
    (atlas) => createPrivateEndpoint(atlas.client, AWS_OK, { timeoutMs: NaN }),
  );
});

Deno.test("createPrivateEndpoint() suggests the right spelling of misspelt fields", async () => {
  const atlas = fakeAtlas();
  await assert.rejects(
    createPrivateEndpoint(
      atlas.client,
      {
        ...AZURE_OK,
        privateEndpointIpAddress: "10.0.0.4",
      } as unknown as CreatePrivateEndpointInput,
    ),
    {
      message:
        /privateEndpointIpAddress is not a field of an AZURE private endpoint request \(did you mean privateEndpointIPAddress\?\)/,
    },
  );
});

Deno.test("createPrivateEndpoint() is lenient where Atlas is: old vpce ids, any project id, IPv6, case", async () => {
  const atlas = fakeAtlas();
  const good: CreatePrivateEndpointInput[] = [
    { ...AWS_OK, id: "vpce-1a2b3c4d" },
    {
      ...AZURE_OK,
      id: AZURE_ID.replace("resourceGroups", "resourcegroups").replace("atlas-pe", "pe_(1).x"),
    },
    { ...AZURE_OK, privateEndpointIPAddress: "fd00::4" },
    { ...AZURE_OK, privateEndpointIPAddress: "2001:db8:0:0:0:0:0:1" },
    { ...GCP_OK, gcpProjectId: "p-fdeeb3e43b8e733e5ab627b1" },
    { ...GCP_OK, gcpProjectId: "mcli-private-endpoints" },
    { ...GCP_OK, endpoints: undefined },
  ];
  for (const input of good) await createPrivateEndpoint(atlas.client, input);
  assert.equal(atlas.calls.length, good.length);
});

// Ids Atlas accepts and then fails (REJECTED, FAILED): refused before sending, with the fix.
const TYPOS: [string, string, CreatePrivateEndpointInput, RegExp][] = [
  ["AWS uppercase", "id", { ...AWS_OK, id: "vpce-0123456789ABCDEF0" }, /uppercase.*lowercase/],
  ["AWS old uppercase", "id", { ...AWS_OK, id: "vpce-1A2B3C4D" }, /uppercase.*lowercase/],
  ["AWS 16 digits", "id", { ...AWS_OK, id: "vpce-0123456789abcdef" }, /17 lowercase hex/],
  ["AWS 18 digits", "id", { ...AWS_OK, id: "vpce-0123456789abcdef01" }, /17 lowercase hex/],
  ["AWS letter O", "id", { ...AWS_OK, id: "vpce-0123456789abcdefO" }, /8 for older endpoints/],
  ["AWS not hex", "id", { ...AWS_OK, id: "vpce-0123456789abcdefg" }, /REJECTED/],
  [
    "Azure name with '!'",
    "id",
    { ...AZURE_OK, id: AZURE_ID.replace("atlas-pe", "atlas!pe") },
    /letters, digits and - _ \. \( \) only.*FAILED/,
  ],
  [
    "Azure group with a colon",
    "id",
    { ...AZURE_OK, id: AZURE_ID.replace("resourceGroups/", "resourceGroups/rg:") },
    /resource group and endpoint/,
  ],
  ["GCP group uppercase", "endpointGroupName", {
    ...GCP_OK,
    endpointGroupName: "Group-1",
  }, /uppercase.*lowercase/],
  ["GCP group underscore", "endpointGroupName", {
    ...GCP_OK,
    endpointGroupName: "group_1",
  }, /RFC 1035/],
  ["GCP group digit first", "endpointGroupName", {
    ...GCP_OK,
    endpointGroupName: "1group",
  }, /starting with a letter/],
  ["GCP group 64 characters", "endpointGroupName", {
    ...GCP_OK,
    endpointGroupName: `g${"a".repeat(63)}`,
  }, /1 to 63/],
  ["GCP rule dash last", "endpoints[0].endpointName", {
    ...GCP_OK,
    endpoints: [{ endpointName: "rule-", ipAddress: "10.142.0.5" }],
  }, /not ending with '-'/],
  ["GCP rule uppercase", "endpoints[0].endpointName", {
    ...GCP_OK,
    endpoints: [{ endpointName: "Rule-0", ipAddress: "10.142.0.5" }],
  }, /uppercase/],
];

Deno.test("createPrivateEndpoint() refuses the id typos Atlas accepts, naming the likely fix", async () => {
  for (const [label, field, input, message] of TYPOS) {
    const value = (input as unknown as Record<string, unknown>)[field];
    await rejects(label, field, (atlas) => createPrivateEndpoint(atlas.client, input), value);
    const atlas = fakeAtlas();
    await assert.rejects(createPrivateEndpoint(atlas.client, input), message, label);
  }
  // The most recent and the oldest AWS id lengths, and an RFC 1035 name of 63, still pass.
  const atlas = fakeAtlas();
  for (
    const input of [
      { ...AWS_OK, id: "vpce-0123456789abcdef0" },
      { ...AWS_OK, id: "vpce-1a2b3c4d" },
      { ...GCP_OK, endpointGroupName: `g${"a".repeat(61)}0` },
    ] satisfies CreatePrivateEndpointInput[]
  ) {
    await createPrivateEndpoint(atlas.client, input);
  }
  assert.equal(atlas.calls.length, 3);
});

Deno.test("getPrivateEndpoint() and deletePrivateEndpoint() still reach an endpoint made with a typo", async () => {
  // Atlas accepted it (from another tool): it must stay readable and deletable.
  const atlas = fakeAtlas();
  for (
    const [cloudProvider, endpointId] of [
      ["AWS", "vpce-0123456789ABCDEF0"],
      ["AWS", "vpce-0123"],
      ["GCP", "Group_1"],
      ["AZURE", AZURE_ID.replace("atlas-pe", "atlas!pe")],
    ] as const
  ) {
    const ref = { ...SERVICE, cloudProvider, endpointId };
    await getPrivateEndpoint(atlas.client, ref).catch(() => undefined);
    await deletePrivateEndpoint(atlas.client, ref).catch(() => undefined);
  }
  assert.equal(atlas.calls.length, 8, "every read and delete was sent");
});

const BAD_ENDPOINT_IDS: [string, string][] = [
  ["AWS", ""],
  ["AWS", "."],
  ["AWS", ".."],
  ["AWS", "vpce-1/../x"],
  ["AWS", "vpce-1?x=1"],
  ["AWS", "vpce-1#x"],
  ["AWS", "vpce-1%2F.."],
  ["AWS", AZURE_ID],
  ["AZURE", encodeURIComponent(AZURE_ID)],
  ["AZURE", ".."],
  ["AZURE", VPCE],
  ["AZURE", AZURE_ID + "/../../x"],
  ["GCP", ""],
  ["GCP", "."],
  ["GCP", ".."],
  ["GCP", "a/b"],
  ["GCP", "a?b"],
  ["GCP", "a#b"],
  ["GCP", "%2e%2e"],
];

Deno.test("getPrivateEndpoint(), deletePrivateEndpoint() and waitForPrivateEndpoint() reject bad references unsent", async () => {
  const ops = [
    (atlas: ReturnType<typeof fakeAtlas>, ref: PrivateEndpointRef) =>
      getPrivateEndpoint(atlas.client, ref),
    (atlas: ReturnType<typeof fakeAtlas>, ref: PrivateEndpointRef) =>
      deletePrivateEndpoint(atlas.client, ref),
    (atlas: ReturnType<typeof fakeAtlas>, ref: PrivateEndpointRef) =>
      waitForPrivateEndpoint(atlas.client, ref),
  ];
  for (const op of ops) {
    for (const [cloudProvider, endpointId] of BAD_ENDPOINT_IDS) {
      const ref = { ...SERVICE, cloudProvider, endpointId } as PrivateEndpointRef;
      await rejects(
        `${cloudProvider} ${endpointId}`,
        "endpointId",
        (atlas) => op(atlas, ref),
        endpointId,
      );
    }
    for (const v of BAD_HEX) {
      const ref = {
        ...SERVICE,
        cloudProvider: "AWS",
        endpointId: VPCE,
        groupId: v,
      } as PrivateEndpointRef;
      await rejects(`groupId ${v}`, "groupId", (atlas) => op(atlas, ref), v);
    }
    const noProvider = {
      ...SERVICE,
      cloudProvider: "azure",
      endpointId: AZURE_ID,
    } as unknown as PrivateEndpointRef;
    await rejects("provider", "cloudProvider", (atlas) => op(atlas, noProvider));
  }
});

Deno.test("waitForPrivateEndpoint() rejects bad options unsent", async () => {
  const ref = { ...SERVICE, cloudProvider: "AWS", endpointId: VPCE } as const;
  await rejects(
    "timeout",
    "timeoutMs",
    (atlas) => waitForPrivateEndpoint(atlas.client, ref, { timeoutMs: -1 }),
  );
  await rejects(
    "interval",
    "pollIntervalMs",
    (atlas) => waitForPrivateEndpoint(atlas.client, ref, { pollIntervalMs: 0 }),
  );
  await rejects(
    "max",
    "maxPollIntervalMs",
    (atlas) => waitForPrivateEndpoint(atlas.client, ref, { maxPollIntervalMs: Infinity }),
  );
});

const CREATE =
  "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint";
const ONE = `${CREATE}/{endpointId}` as const;

Deno.test("the low-level client rejects bad path parameters, bodies and queries before fetch", async () => {
  const path = { groupId: GROUP_ID, cloudProvider: "AWS", endpointServiceId: SERVICE_ID } as const;
  await rejects(
    "groupId",
    "groupId",
    (atlas) =>
      atlas.client.POST(CREATE, {
        params: { path: { ...path, groupId: "../orgs" } },
        body: { id: VPCE },
      }),
  );
  await rejects("provider", "cloudProvider", (atlas) =>
    atlas.client.POST(CREATE, {
      params: { path: { ...path, cloudProvider: "aws" as "AWS" } },
      body: { id: VPCE },
    }));
  // The generated body type is the union of all providers: only the runtime check knows the path.
  await rejects(
    "Azure body on AWS",
    "privateEndpointIPAddress",
    (atlas) =>
      atlas.client.POST(CREATE, {
        params: { path },
        body: { id: AZURE_ID, privateEndpointIPAddress: "10.0.0.4" },
      }),
  );
  await rejects(
    "AWS body on Azure",
    "privateEndpointIPAddress",
    (atlas) =>
      atlas.client.POST(CREATE, {
        params: { path: { ...path, cloudProvider: "AZURE" } },
        body: { id: AZURE_ID },
      }),
  );
  await rejects(
    "GCP body on AWS",
    "endpointGroupName",
    (atlas) =>
      atlas.client.POST(CREATE, {
        params: { path },
        body: { endpointGroupName: "g", gcpProjectId: "p" },
      }),
  );
  await rejects(
    "missing body",
    "body",
    (atlas) =>
      (atlas.client.POST as (p: string, init: unknown) => Promise<unknown>)(CREATE, {
        params: { path },
      }),
  );
  await rejects(
    "query type",
    "pretty",
    (atlas) =>
      atlas.client.POST(CREATE, {
        params: { path, query: { pretty: "yes" as unknown as boolean } },
        body: { id: VPCE },
      }),
  );
  await rejects("unknown query", "pageNum", (atlas) =>
    atlas.client.GET(ONE, {
      params: {
        path: { ...path, endpointId: VPCE },
        query: { pageNum: 2 } as Record<string, unknown>,
      },
    }));
  for (const [cloudProvider, endpointId] of BAD_ENDPOINT_IDS) {
    const p = { ...path, cloudProvider: cloudProvider as "AWS", endpointId };
    await rejects(
      `GET ${endpointId}`,
      "endpointId",
      (atlas) => atlas.client.GET(ONE, { params: { path: p } }),
      endpointId,
    );
    await rejects(
      `DELETE ${endpointId}`,
      "endpointId",
      (atlas) => atlas.client.DELETE(ONE, { params: { path: p } }),
      endpointId,
    );
  }
});

Deno.test("the low-level client refuses unknown routes and insecure per-request base URLs", async () => {
  const atlas = fakeAtlas();
  await assert.rejects(
    (atlas.client.GET as (path: string) => Promise<unknown>)("/groups/{groupId}/clusters"),
    (e: unknown) =>
      e instanceof AtlasValidationError && e.field === "path" &&
      /not an operation of this client/.test(e.message),
  );
  const path = {
    groupId: GROUP_ID,
    cloudProvider: "AWS",
    endpointServiceId: SERVICE_ID,
    endpointId: VPCE,
  } as const;
  await assert.rejects(
    atlas.client.GET(ONE, { baseUrl: "http://atlas.example.com/api/atlas/v1.0", params: { path } }),
    (e: unknown) =>
      e instanceof AtlasValidationError && e.field === "baseUrl" &&
      /must use https/.test(e.message),
  );
  assert.equal(atlas.calls.length, 0);
});

Deno.test("every time option refuses 2^31 ms or more, which setTimeout would fire at once", async () => {
  const ref = { ...SERVICE, cloudProvider: "AWS", endpointId: VPCE } as const;
  const big = 2 ** 31;
  await rejects(
    "timeoutMs",
    "timeoutMs",
    (a) => getPrivateEndpoint(a.client, ref, { timeoutMs: big }),
  );
  for (const name of ["attemptTimeoutMs", "maxDelayMs", "baseDelayMs", "maxRetryAfterMs"]) {
    await rejects(
      name,
      `retry.${name}`,
      (a) => deletePrivateEndpoint(a.client, ref, { retry: { [name]: big } }),
    );
  }
  for (const name of ["timeoutMs", "pollIntervalMs", "maxPollIntervalMs"]) {
    await rejects(name, name, (a) => waitForPrivateEndpoint(a.client, ref, { [name]: big }));
  }
  // The largest valid value is accepted (and the call completes at once).
  const atlas = fakeAtlas(() => Response.json({ interfaceEndpointId: VPCE }));
  await getPrivateEndpoint(atlas.client, ref, {
    timeoutMs: 2_147_483_647,
    retry: { attemptTimeoutMs: 2_147_483_647 },
  });
  assert.equal(atlas.calls.length, 1);
});

Deno.test("createPrivateEndpoint() checks every create field the provider table lists", async () => {
  const valid: Record<CloudProvider, Record<string, unknown>> = {
    AWS: AWS_OK,
    AZURE: AZURE_OK,
    GCP: GCP_OK,
  };
  for (const [provider, { create }] of Object.entries(PROVIDERS)) {
    const ok = valid[provider as CloudProvider];
    for (const [field, check] of Object.entries(create)) {
      const label = `${provider} ${field}`;
      const optional = "optional" in check;
      if (!optional) {
        const { [field]: _dropped, ...missing } = ok;
        await rejects(`${label} missing`, field, (atlas) => createAtlasEndpoint(atlas, missing));
      }
      const wrong = "items" in check ? "not a list" : 42;
      await rejects(
        `${label} of the wrong type`,
        field,
        (atlas) => createAtlasEndpoint(atlas, { ...ok, [field]: wrong }),
      );
    }
    await rejects(
      `${provider} with an extra field`,
      "extra",
      (atlas) => createAtlasEndpoint(atlas, { ...ok, extra: "x" }),
    );
  }
});

function createAtlasEndpoint(
  atlas: ReturnType<typeof fakeAtlas>,
  input: Record<string, unknown>,
): Promise<unknown> {
  return createPrivateEndpoint(atlas.client, input as unknown as CreatePrivateEndpointInput);
}
