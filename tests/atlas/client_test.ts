import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { inspect } from "node:util";
import {
  AtlasValidationError,
  createAtlasClient,
  DEFAULT_ATLAS_BASE_URL,
  DEFAULT_USER_AGENT,
  VERSION,
} from "../../mod.ts";
import {
  fakeAtlas,
  GROUP_ID,
  pathFor,
  PRIVATE_KEY,
  PUBLIC_KEY,
  SERVICE_ID,
  VPCE,
} from "./_fake_atlas.ts";

const CREATE =
  "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint";
const ONE = `${CREATE}/{endpointId}` as const;
const PATH = { groupId: GROUP_ID, cloudProvider: "AWS", endpointServiceId: SERVICE_ID } as const;

function invalid(options: unknown, field: string, message: RegExp): void {
  assert.throws(
    () => createAtlasClient(options as Parameters<typeof createAtlasClient>[0]),
    (e: unknown) => {
      assert.ok(e instanceof AtlasValidationError, String(e));
      assert.equal(e.field, field);
      assert.match(e.message, message);
      assert.ok(!e.message.includes(PRIVATE_KEY));
      return true;
    },
  );
}

Deno.test("createAtlasClient() checks its options eagerly", () => {
  const keys = { publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY };
  invalid(undefined, "options", /must be an object/);
  invalid(
    { ...keys, publicKey: "" },
    "publicKey",
    /^Cannot create Atlas client: publicKey must be a non-empty string$/,
  );
  invalid(
    { ...keys, privateKey: undefined },
    "privateKey",
    /privateKey must be a non-empty string/,
  );
  invalid({ ...keys, fetch: "fetch" }, "fetch", /must be a function/);
  invalid({ ...keys, userAgent: "x\r\nInjected: 1" }, "userAgent", /single-line/);
  invalid({ ...keys, userAgent: "caf\u0100" }, "userAgent", /valid header characters/);
  invalid({ ...keys, userAgent: "a\0b" }, "userAgent", /valid header characters/);
  invalid({ ...keys, baseUrl: "cloud.mongodb.com/api" }, "baseUrl", /absolute URL/);
  invalid(
    { ...keys, baseUrl: "http://cloud.mongodb.com/api/atlas/v1.0" },
    "baseUrl",
    /must use https unless its host is loopback/,
  );
  invalid({ ...keys, baseUrl: "http://10.0.0.1:8080" }, "baseUrl", /must use https/);
  invalid({ ...keys, baseUrl: "ftp://cloud.mongodb.com/" }, "baseUrl", /must be an https URL/);
  invalid(
    { ...keys, baseUrl: `https://${PUBLIC_KEY}:${PRIVATE_KEY}@cloud.mongodb.com/` },
    "baseUrl",
    /must not contain credentials/,
  );
  invalid(
    { ...keys, baseUrl: "https://cloud.mongodb.com/api?x=1" },
    "baseUrl",
    /query or fragment/,
  );
  // Allowed: https anywhere, http on loopback, http anywhere when explicitly allowed.
  for (
    const baseUrl of [
      "https://atlas.internal/api",
      "http://127.0.0.1:9999/api",
      "http://[::1]:1/",
      "http://localhost/",
    ]
  ) {
    createAtlasClient({ ...keys, baseUrl });
  }
  createAtlasClient({
    ...keys,
    baseUrl: "http://atlas-proxy.internal/api",
    allowInsecureHttp: true,
  });
});

Deno.test("createAtlasClient() uses the default base URL, Accept and User-Agent headers", async () => {
  const atlas = fakeAtlas(() => Response.json({ connectionStatus: "PENDING" }));
  await atlas.client.GET(ONE, { params: { path: { ...PATH, endpointId: VPCE } } });
  assert.equal(
    atlas.calls[0]!.url,
    `${DEFAULT_ATLAS_BASE_URL}${pathFor("AWS", VPCE).slice("/api/atlas/v1.0".length)}`,
  );
  assert.equal(atlas.calls[0]!.headers.get("accept"), "application/json");
  assert.equal(atlas.calls[0]!.headers.get("user-agent"), DEFAULT_USER_AGENT);

  const calls: Request[] = [];
  const custom = createAtlasClient({
    publicKey: PUBLIC_KEY,
    privateKey: PRIVATE_KEY,
    baseUrl: "http://127.0.0.1:1/api/atlas/v1.0/",
    userAgent: "my-tool/2.0",
    fetch: (request) => {
      calls.push(request);
      return Response.json({});
    },
  });
  await custom.GET(ONE, { params: { path: { ...PATH, endpointId: VPCE } } });
  assert.equal(new URL(calls[0]!.url).pathname, pathFor("AWS", VPCE));
  assert.equal(calls[0]!.headers.get("user-agent"), "my-tool/2.0");

  // A call's own headers win over the client's.
  await custom.GET(ONE, {
    params: { path: { ...PATH, endpointId: VPCE } },
    headers: { Accept: "application/vnd.atlas.2023-01-01+json", "User-Agent": "per-call/1.0" },
  });
  assert.equal(calls[1]!.headers.get("accept"), "application/vnd.atlas.2023-01-01+json");
  assert.equal(calls[1]!.headers.get("user-agent"), "per-call/1.0");
});

Deno.test("VERSION matches deno.json", async () => {
  const config = JSON.parse(await readFile(new URL("../../deno.json", import.meta.url), "utf8"));
  assert.equal(VERSION, config.version);
  assert.equal(DEFAULT_USER_AGENT, `atlas-private-endpoint/${VERSION}`);
});

Deno.test("createAtlasClient() returns a client that shows no secret when inspected", () => {
  const client = createAtlasClient({ publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY });
  const shown = inspect(client, { depth: 10, showHidden: true }) + JSON.stringify(client);
  assert.ok(!shown.includes(PRIVATE_KEY));
});

Deno.test("the low-level client fills in cloudProvider on endpoints and leaves errors alone", async () => {
  const atlas = fakeAtlas((request) =>
    request.method === "GET"
      ? Response.json({ connectionStatus: "PENDING", interfaceEndpointId: VPCE })
      : Response.json({ error: 404, errorCode: "RESOURCE_NOT_FOUND", detail: "Nope." }, {
        status: 404,
      })
  );
  const read = await atlas.client.GET(ONE, { params: { path: { ...PATH, endpointId: VPCE } } });
  assert.deepEqual(read.data, {
    cloudProvider: "AWS",
    connectionStatus: "PENDING",
    interfaceEndpointId: VPCE,
  });
  const removed = await atlas.client.DELETE(ONE, {
    params: { path: { ...PATH, endpointId: VPCE } },
  });
  assert.equal(removed.response.status, 404);
  assert.deepEqual(removed.error, { error: 404, errorCode: "RESOURCE_NOT_FOUND", detail: "Nope." });
});

Deno.test("the low-level client unwraps envelope=true for success, error and empty answers", async () => {
  const atlas = fakeAtlas((request) => {
    assert.equal(request.search, "?envelope=true");
    if (request.method === "POST") {
      return Response.json({ status: 200, content: { connectionStatus: "NONE" } });
    }
    if (request.method === "GET") {
      return Response.json({
        status: 404,
        content: { error: 404, errorCode: "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND" },
      });
    }
    return Response.json({ status: 204 });
  });
  const query = { envelope: true } as const;
  const created = await atlas.client.POST(CREATE, {
    params: { path: PATH, query },
    body: { id: VPCE },
  });
  assert.equal(created.response.status, 200);
  assert.deepEqual(created.data, { cloudProvider: "AWS", connectionStatus: "NONE" });
  const read = await atlas.client.GET(ONE, {
    params: { path: { ...PATH, endpointId: VPCE }, query },
  });
  assert.equal(read.response.status, 404);
  assert.equal(read.data, undefined);
  assert.deepEqual(read.error, {
    error: 404,
    errorCode: "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND",
  });
  const removed = await atlas.client.DELETE(ONE, {
    params: { path: { ...PATH, endpointId: VPCE }, query },
  });
  assert.equal(removed.response.status, 204);
  assert.equal(removed.error, undefined);
});

Deno.test("the low-level client encodes an Azure resource id exactly once", async () => {
  const atlas = fakeAtlas(() => Response.json({ status: "AVAILABLE" }));
  const endpointId =
    "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg(1)/providers/Microsoft.Network/privateEndpoints/pe.a_b";
  await atlas.client.GET(ONE, {
    params: { path: { ...PATH, cloudProvider: "AZURE", endpointId } },
  });
  assert.equal(
    atlas.calls[0]!.path,
    pathFor(
      "AZURE",
      "%2Fsubscriptions%2F00000000-0000-4000-8000-000000000000%2FresourceGroups%2Frg(1)%2Fproviders" +
        "%2FMicrosoft.Network%2FprivateEndpoints%2Fpe.a_b",
    ),
  );
});

Deno.test("the low-level client refuses a per-call baseUrl or pathSerializer that leaves its baseUrl", async () => {
  const sent: string[] = [];
  const atlas = createAtlasClient({
    publicKey: PUBLIC_KEY,
    privateKey: PRIVATE_KEY,
    baseUrl: "http://127.0.0.1:9/api/atlas/v1.0",
    fetch: (request) => {
      sent.push(request.url);
      return Response.json({});
    },
  });
  const path = { ...PATH, endpointId: VPCE };
  for (
    const extra of [
      { baseUrl: "http://127.0.0.2:9/api/atlas/v1.0" },
      { baseUrl: "http://127.0.0.1:10/api/atlas/v1.0" },
      { baseUrl: "http://127.0.0.1:9/other" },
      { pathSerializer: () => "http://127.0.0.2:9/api/atlas/v1.0/groups" },
      { pathSerializer: (url: string) => url.replace("/api/atlas/v1.0", "/api/private") },
    ]
  ) {
    await assert.rejects(
      atlas.GET(ONE, { params: { path }, ...extra } as never),
      (e: unknown) => {
        assert.ok(e instanceof AtlasValidationError, String(e));
        assert.equal(e.field, "baseUrl");
        return true;
      },
    );
  }
  assert.deepEqual(sent, []);
  await atlas.GET(ONE, { params: { path }, baseUrl: "http://127.0.0.1:9/api/atlas/v1.0/" });
  assert.equal(sent.length, 1);
});

Deno.test("createAtlasClient() refuses a service account id or secret with a line break", () => {
  const account = { clientId: "mdb_sa_id_0123456789abcdef01234567", clientSecret: "s3cret" };
  invalid(
    { ...account, clientSecret: "b\nc" },
    "clientSecret",
    /clientSecret must be a single-line string/,
  );
  invalid({ ...account, clientId: "a\r\nb" }, "clientId", /clientId must be a single-line string/);
});
