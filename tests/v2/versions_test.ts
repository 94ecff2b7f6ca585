// The apiVersion option: default base URLs and media types, option checks, 406 and 410 as
// AtlasApiError with a hint, and Deprecation/Sunset surfaced through onDeprecation.
import assert from "node:assert/strict";
import {
  AtlasApiError,
  type AtlasApiVersion,
  type AtlasDeprecationNotice,
  AtlasValidationError,
  createAtlasClient,
  type CreateAwsPrivateEndpointInput,
  createPrivateEndpoint,
  DEFAULT_ATLAS_BASE_URL,
  DEFAULT_ATLAS_V2_BASE_URL,
  deletePrivateEndpoint,
  getPrivateEndpoint,
} from "../../mod.ts";
import { parseDeprecation } from "../../src/atlas/_wire.ts";
import {
  type AtlasSimulatorOptions,
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
  serve,
} from "../../src/testing/mod.ts";

const GROUP = "32b6e34b3d91647abb20e7b8";
const SERVICE = "5f4fc14da2b47835a58c63a2";
const VPCE = "vpce-0123456789abcdef0";
const KEY = { publicKey: "abcdefgh", privateKey: "00000000-0000-0000-0000-000000000000" };
const REF = {
  groupId: GROUP,
  endpointServiceId: SERVICE,
  cloudProvider: "AWS" as const,
  endpointId: VPCE,
};

function awsInput(ref: typeof REF): CreateAwsPrivateEndpointInput {
  return {
    groupId: ref.groupId,
    endpointServiceId: ref.endpointServiceId,
    cloudProvider: "AWS" as const,
    id: ref.endpointId,
  };
}

Deno.test("createAtlasClient() picks the base URL and media type of the apiVersion", async () => {
  for (
    const [apiVersion, base, type] of [
      [undefined, DEFAULT_ATLAS_BASE_URL, "application/json"],
      ["v1.0", DEFAULT_ATLAS_BASE_URL, "application/json"],
      ["2023-01-01", DEFAULT_ATLAS_V2_BASE_URL, "application/vnd.atlas.2023-01-01+json"],
    ] as const
  ) {
    const seen: string[] = [];
    const client = createAtlasClient({
      ...KEY,
      ...(apiVersion === undefined ? {} : { apiVersion }),
      fetch: (request) => {
        seen.push(`${request.url} ${request.headers.get("accept")}`);
        return Response.json({ connectionStatus: "PENDING" }, {
          headers: { "content-type": type },
        });
      },
    });
    await getPrivateEndpoint(client, REF);
    assert.deepEqual(seen, [
      `${base}/groups/${GROUP}/privateEndpoint/AWS/endpointService/${SERVICE}/endpoint/${VPCE} ${type}`,
    ]);
  }
  assert.equal(DEFAULT_ATLAS_V2_BASE_URL, "https://cloud.mongodb.com/api/atlas/v2");
});

Deno.test("createAtlasClient() rejects an unknown apiVersion and a baseUrl of the other version", () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ apiVersion: "v2" }, "apiVersion", /must be one of v1\.0, 2023-01-01/],
    [{ apiVersion: "2025-03-12" }, "apiVersion", /must be one of/],
    [
      { apiVersion: "2023-01-01", baseUrl: DEFAULT_ATLAS_BASE_URL },
      "baseUrl",
      /is the v1\.0 API; use \.\.\.\/api\/atlas\/v2 with apiVersion 2023-01-01/,
    ],
    [
      { baseUrl: `${DEFAULT_ATLAS_V2_BASE_URL}/` },
      "baseUrl",
      /is the v2 API; set apiVersion "2023-01-01"/,
    ],
    [{ onDeprecation: "warn" }, "onDeprecation", /must be a function/],
  ];
  for (const [options, field, message] of cases) {
    assert.throws(() => createAtlasClient({ ...KEY, ...options } as never), (e: unknown) => {
      assert.ok(e instanceof AtlasValidationError);
      assert.equal(e.field, field);
      assert.match(e.message, message);
      return true;
    });
  }
});

async function withSimulator(
  options: AtlasSimulatorOptions,
  apiVersion: AtlasApiVersion,
  run: (
    client: ReturnType<typeof createAtlasClient>,
    ref: typeof REF,
    notices: AtlasDeprecationNotice[],
  ) => Promise<void>,
): Promise<void> {
  const sim = createAtlasSimulator({ now: () => Date.UTC(2026, 0, 1), timeScale: 0, ...options });
  const { groupId, AWS } = sim.seed();
  const server = await serve(sim.fetch);
  const notices: AtlasDeprecationNotice[] = [];
  try {
    const client = createAtlasClient({
      ...(apiVersion === "v1.0" ? DEFAULT_SIMULATOR_API_KEY : DEFAULT_SIMULATOR_SERVICE_ACCOUNT),
      apiVersion,
      baseUrl: `${server.url}${apiVersion === "v1.0" ? sim.basePath : sim.v2BasePath}`,
      onDeprecation: (notice: AtlasDeprecationNotice) => notices.push(notice),
    } as never);
    await run(client, { ...REF, groupId, endpointServiceId: AWS }, notices);
  } finally {
    await server.close();
  }
}

Deno.test("createPrivateEndpoint() throws AtlasApiError 406 with a hint when Atlas does not serve the version", async () => {
  await withSimulator({ apiVersions: { "2024-05-30": {} } }, "2023-01-01", async (client, ref) => {
    const error = await createPrivateEndpoint(client, awsInput(ref)).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof AtlasApiError);
    assert.equal(error.status, 406);
    assert.equal(error.errorCode, "INVALID_VERSION_DATE");
    assert.match(
      error.message,
      /^Cannot create private endpoint: 406 INVALID_VERSION_DATE: Invalid accept header or version date: .*: Atlas does not serve API version 2023-01-01 \(Accept: application\/vnd\.atlas\.2023-01-01\+json\) here; check that baseUrl ends in \/api\/atlas\/v2 and that apiVersion is a version Atlas serves \(POST http:\/\/127\.0\.0\.1:\d+\/api\/atlas\/v2\/groups\//,
    );
  });
});

Deno.test("createAtlasSimulator() answers 406 on v2 without a versioned Accept, and uses the latest version on or before the requested date", async () => {
  const sim = createAtlasSimulator({ timeScale: 0 });
  const { groupId, AWS } = sim.seed();
  const server = await serve(sim.fetch);
  try {
    const client = createAtlasClient({
      ...DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
      apiVersion: "2023-01-01",
      baseUrl: `${server.url}${sim.v2BasePath}`,
    });
    await createPrivateEndpoint(client, awsInput({ ...REF, groupId, endpointServiceId: AWS }));
    const [token] = sim.requestLog.filter((e) => e.path === "/api/oauth/token");
    assert.ok(token);
    const url = `${server.url}${sim.v2BasePath}/groups/${groupId}/privateEndpoint/AWS/` +
      `endpointService/${AWS}/endpoint/${VPCE}`;
    const bearer = await (await fetch(`${server.url}/api/oauth/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${
          btoa(
            `${DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientId}:${DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientSecret}`,
          )
        }`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    })).json();
    const get = (accept: string | undefined) =>
      fetch(url, {
        headers: {
          authorization: `Bearer ${bearer.access_token}`,
          ...(accept === undefined ? {} : { accept }),
        },
      });
    for (const accept of [undefined, "application/json", "application/vnd.atlas.2022-12-31+json"]) {
      const response = await get(accept);
      assert.equal(response.status, 406, String(accept));
      assert.equal(response.headers.get("content-type"), "application/json");
      assert.equal((await response.json()).errorCode, "INVALID_VERSION_DATE");
    }
    const later = await get("application/vnd.atlas.2025-03-12+json");
    assert.equal(later.status, 200);
    assert.equal(later.headers.get("content-type"), "application/vnd.atlas.2023-01-01+json");
    assert.equal((await later.json()).cloudProvider, "AWS");
  } finally {
    await server.close();
  }
});

for (const apiVersion of ["v1.0", "2023-01-01"] as const) {
  Deno.test(`getPrivateEndpoint() throws AtlasApiError 410 VERSION_GONE with a hint once ${apiVersion} is past its sunset`, async () => {
    await withSimulator(
      { apiVersions: { [apiVersion]: { deprecatedAt: 0, sunsetAt: Date.UTC(2025, 11, 31) } } },
      apiVersion,
      async (client, ref) => {
        await assert.rejects(getPrivateEndpoint(client, ref), (e: unknown) => {
          assert.ok(e instanceof AtlasApiError);
          assert.equal(e.status, 410);
          assert.equal(e.errorCode, "VERSION_GONE");
          assert.match(
            e.message,
            apiVersion === "v1.0"
              ? /: the v1\.0 API is past its sunset date and no longer served; use apiVersion "2023-01-01" \(GET /
              : /: API version 2023-01-01 is past its sunset date and no longer served; upgrade this library and use a newer apiVersion \(GET /,
          );
          return true;
        });
      },
    );
  });
}

Deno.test("createAtlasClient() gives 406 and 410 answers without an Atlas body an error code and a hint", async () => {
  for (const status of [406, 410]) {
    const client = createAtlasClient({
      ...KEY,
      apiVersion: "2023-01-01",
      fetch: () => Promise.resolve(new Response("Not Acceptable", { status })),
    });
    await assert.rejects(deletePrivateEndpoint(client, REF), (e: unknown) => {
      assert.ok(e instanceof AtlasApiError);
      assert.equal(e.status, status);
      assert.equal(e.errorCode, status === 406 ? "NOT_ACCEPTABLE" : "VERSION_GONE");
      assert.match(
        e.message,
        status === 406
          ? /: 406 NOT_ACCEPTABLE: Atlas does not serve API version 2023-01-01/
          : /: 410 VERSION_GONE: API version 2023-01-01 is past its sunset date/,
      );
      return true;
    });
  }
});

Deno.test("createAtlasClient() reports Deprecation and Sunset once per distinct pair through onDeprecation", async () => {
  const deprecatedAt = Date.UTC(2025, 0, 1);
  const sunsetAt = Date.UTC(2026, 11, 31, 23, 59, 59);
  await withSimulator(
    { apiVersions: { "v1.0": { deprecatedAt, sunsetAt } } },
    "v1.0",
    async (client, ref, notices) => {
      await createPrivateEndpoint(client, awsInput(ref));
      await getPrivateEndpoint(client, ref);
      await deletePrivateEndpoint(client, ref);
      assert.equal(notices.length, 1);
      const notice = notices[0]!;
      assert.equal(notice.apiVersion, "v1.0");
      assert.equal(notice.deprecation, `@${deprecatedAt / 1000}`);
      assert.equal(notice.deprecatedAt?.getTime(), deprecatedAt);
      assert.equal(notice.sunset?.getTime(), sunsetAt);
      assert.equal(notice.sunsetHeader, "Thu, 31 Dec 2026 23:59:59 GMT");
      assert.equal(notice.method, "POST");
      assert.match(notice.url, /\/api\/atlas\/v1\.0\/groups\//);
    },
  );
});

Deno.test("createAtlasClient() sends no notice for a version that is not deprecated, and ignores a failing callback", async () => {
  await withSimulator({}, "2023-01-01", async (client, ref, notices) => {
    await createPrivateEndpoint(client, awsInput(ref));
    assert.equal(notices.length, 0);
  });
  const client = createAtlasClient({
    ...KEY,
    onDeprecation: () => {
      throw new Error("logger is down");
    },
    fetch: () =>
      Promise.resolve(Response.json({ connectionStatus: "PENDING" }, {
        headers: {
          deprecation: "true",
          link: '<https://www.mongodb.com/docs/atlas/api/>; rel="deprecation"',
        },
      })),
  });
  const endpoint = await getPrivateEndpoint(client, REF);
  assert.equal(endpoint.cloudProvider, "AWS");
});

Deno.test("onDeprecation receives the Link of rel=deprecation and dates in every accepted form", async () => {
  const notices: AtlasDeprecationNotice[] = [];
  const headers = [
    {
      deprecation: "true",
      link:
        '<https://example.com/a>; rel="alternate", <https://example.com/deprecation>; rel="deprecation"',
    },
    { deprecation: "Wed, 01 Jan 2025 00:00:00 GMT" },
    { sunset: "not a date" },
  ];
  let i = 0;
  const client = createAtlasClient({
    ...KEY,
    onDeprecation: (notice) => notices.push(notice),
    fetch: () => Promise.resolve(Response.json({}, { headers: headers[i++]! })),
  });
  for (let n = 0; n < headers.length; n++) await getPrivateEndpoint(client, REF);
  assert.deepEqual(
    notices.map((n) => [n.deprecation, n.deprecatedAt?.toISOString(), n.sunset, n.link]),
    [
      ["true", undefined, undefined, "https://example.com/deprecation"],
      ["Wed, 01 Jan 2025 00:00:00 GMT", "2025-01-01T00:00:00.000Z", undefined, undefined],
      [undefined, undefined, undefined, undefined],
    ],
  );
  assert.equal(notices[2]!.sunsetHeader, "not a date");
  assert.equal(parseDeprecation("@1735689600")?.toISOString(), "2025-01-01T00:00:00.000Z");
  assert.equal(parseDeprecation("true"), undefined);
});
