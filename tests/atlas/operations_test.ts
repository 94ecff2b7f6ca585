import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  AtlasApiError,
  AtlasTimeoutError,
  createPrivateEndpoint,
  deletePrivateEndpoint,
  getPrivateEndpoint,
  privateEndpointId,
  privateEndpointStatus,
} from "../../mod.ts";
import {
  atlasError,
  AZURE_ID,
  BASE,
  fakeAtlas,
  pathFor,
  PRIVATE_KEY,
  PUBLIC_KEY,
  REASONS,
  SERVICE,
  VPCE,
} from "./_fake_atlas.ts";

const AZURE_ENCODED = encodeURIComponent(AZURE_ID);

Deno.test("createPrivateEndpoint() posts an AWS body and returns the endpoint", async () => {
  const atlas = fakeAtlas(() =>
    Response.json({
      interfaceEndpointId: VPCE,
      connectionStatus: "PENDING_ACCEPTANCE",
      errorMessage: null,
      deleteRequested: false,
    })
  );
  const endpoint = await createPrivateEndpoint(atlas.client, {
    ...SERVICE,
    cloudProvider: "AWS",
    id: VPCE,
  });
  assert.deepEqual(endpoint, {
    cloudProvider: "AWS",
    interfaceEndpointId: VPCE,
    connectionStatus: "PENDING_ACCEPTANCE",
    errorMessage: null,
    deleteRequested: false,
  });
  assert.equal(atlas.calls.length, 1);
  const [call] = atlas.calls;
  assert.equal(call!.method, "POST");
  assert.equal(call!.path, pathFor("AWS"));
  assert.equal(call!.search, "");
  assert.deepEqual(call!.body, { id: VPCE });
  assert.equal(call!.headers.get("content-type"), "application/json");
  assert.equal(call!.headers.get("accept"), "application/json");
  assert.match(call!.headers.get("user-agent")!, /^atlas-private-endpoint\//);
});

Deno.test("createPrivateEndpoint() posts an Azure body with the raw resource id", async () => {
  const atlas = fakeAtlas((request) =>
    Response.json({
      privateEndpointResourceId: (request.body as { id: string }).id,
      privateEndpointIPAddress: "10.0.0.4",
      privateEndpointConnectionName: "conn",
      status: "INITIATING",
    })
  );
  const endpoint = await createPrivateEndpoint(atlas.client, {
    ...SERVICE,
    cloudProvider: "AZURE",
    id: AZURE_ID,
    privateEndpointIPAddress: "10.0.0.4",
  });
  assert.equal(atlas.calls[0]!.path, pathFor("AZURE"));
  assert.deepEqual(atlas.calls[0]!.body, { id: AZURE_ID, privateEndpointIPAddress: "10.0.0.4" });
  assert.equal(endpoint.cloudProvider, "AZURE");
  assert.equal(privateEndpointStatus(endpoint), "INITIATING");
  assert.equal(privateEndpointId(endpoint), AZURE_ID);
});

Deno.test("createPrivateEndpoint() posts a GCP body with and without endpoints", async () => {
  const atlas = fakeAtlas(() =>
    Response.json({ endpointGroupName: "group-1", status: "INITIATING" })
  );
  const endpoints = [
    { endpointName: "rule-0", ipAddress: "10.142.0.5" },
    { endpointName: "rule-1", ipAddress: "10.142.0.6" },
  ];
  const endpoint = await createPrivateEndpoint(atlas.client, {
    ...SERVICE,
    cloudProvider: "GCP",
    endpointGroupName: "group-1",
    gcpProjectId: "customer-project-123",
    endpoints,
  });
  await createPrivateEndpoint(atlas.client, {
    ...SERVICE,
    cloudProvider: "GCP",
    endpointGroupName: "group-1",
    gcpProjectId: "p-fdeeb3e43b8e733e5ab627b1",
    endpoints: undefined,
  });
  assert.equal(atlas.calls[0]!.path, pathFor("GCP"));
  assert.deepEqual(atlas.calls[0]!.body, {
    endpointGroupName: "group-1",
    gcpProjectId: "customer-project-123",
    endpoints,
  });
  assert.deepEqual(atlas.calls[1]!.body, {
    endpointGroupName: "group-1",
    gcpProjectId: "p-fdeeb3e43b8e733e5ab627b1",
  });
  assert.equal(endpoint.cloudProvider, "GCP");
  assert.equal(privateEndpointId(endpoint), "group-1");
  assert.equal(privateEndpointStatus(endpoint), "INITIATING");
});

Deno.test("createPrivateEndpoint() fills in only cloudProvider, never a field Atlas did not send", async () => {
  const aws = fakeAtlas(() => Response.json({ connectionStatus: "NONE" }));
  const endpoint = await createPrivateEndpoint(aws.client, {
    ...SERVICE,
    cloudProvider: "AWS",
    id: VPCE,
  });
  assert.deepEqual(endpoint, { cloudProvider: "AWS", connectionStatus: "NONE" });
  assert.throws(() => privateEndpointId(endpoint), {
    name: "AtlasValidationError",
    message: "Cannot identify private endpoint: interfaceEndpointId is missing",
  });
  const azure = fakeAtlas(() =>
    Response.json({ privateEndpointResourceId: AZURE_ID, status: "INITIATING" })
  );
  assert.deepEqual(
    await createPrivateEndpoint(azure.client, {
      ...SERVICE,
      cloudProvider: "AZURE",
      id: AZURE_ID,
      privateEndpointIPAddress: "10.0.0.4",
    }),
    { cloudProvider: "AZURE", privateEndpointResourceId: AZURE_ID, status: "INITIATING" },
  );
  // A v1.0 GCP answer carries no gcpProjectId (nor portMappingEnabled): none is made up.
  const gcp = fakeAtlas(() =>
    Response.json({ endpointGroupName: "group-1", status: "INITIATING" })
  );
  assert.deepEqual(
    await createPrivateEndpoint(gcp.client, {
      ...SERVICE,
      cloudProvider: "GCP",
      endpointGroupName: "group-1",
      gcpProjectId: "customer-project-123",
      endpoints: [{ endpointName: "rule-0", ipAddress: "10.142.0.5" }],
    }),
    { cloudProvider: "GCP", endpointGroupName: "group-1", status: "INITIATING" },
  );
});

Deno.test("createPrivateEndpoint() accepts 201 and an empty 200", async () => {
  const created = fakeAtlas(() => Response.json({ connectionStatus: "PENDING" }, { status: 201 }));
  const a = await createPrivateEndpoint(created.client, {
    ...SERVICE,
    cloudProvider: "AWS",
    id: VPCE,
  });
  assert.equal(privateEndpointStatus(a), "PENDING");
  const empty = fakeAtlas(() => new Response(null, { status: 200 }));
  const b = await createPrivateEndpoint(empty.client, {
    ...SERVICE,
    cloudProvider: "AWS",
    id: VPCE,
  });
  assert.deepEqual(b, { cloudProvider: "AWS" });
  assert.equal(privateEndpointStatus(b), "UNKNOWN");
});

Deno.test("getPrivateEndpoint() reads each provider at the exact path", async () => {
  const cases = [
    { cloudProvider: "AWS", endpointId: VPCE, sent: VPCE, body: { connectionStatus: "AVAILABLE" } },
    {
      cloudProvider: "AZURE",
      endpointId: AZURE_ID,
      sent: AZURE_ENCODED,
      body: { status: "AVAILABLE" },
    },
    { cloudProvider: "GCP", endpointId: "group-1", sent: "group-1", body: { status: "VERIFIED" } },
  ] as const;
  for (const c of cases) {
    const atlas = fakeAtlas(() => Response.json(c.body));
    const endpoint = await getPrivateEndpoint(atlas.client, {
      ...SERVICE,
      cloudProvider: c.cloudProvider,
      endpointId: c.endpointId,
    });
    assert.equal(atlas.calls.length, 1);
    assert.equal(atlas.calls[0]!.method, "GET");
    assert.equal(atlas.calls[0]!.path, pathFor(c.cloudProvider, c.sent));
    assert.equal(endpoint.cloudProvider, c.cloudProvider);
    assert.equal(privateEndpointId(endpoint), c.endpointId);
    assert.equal(privateEndpointStatus(endpoint), Object.values(c.body)[0]);
  }
});

Deno.test("getPrivateEndpoint() sends the Azure resource id as exactly one encoded segment", async () => {
  const atlas = fakeAtlas(() => Response.json({ status: "AVAILABLE" }));
  await getPrivateEndpoint(atlas.client, {
    ...SERVICE,
    cloudProvider: "AZURE",
    endpointId: AZURE_ID,
  });
  const expected = pathFor("AZURE") +
    "/%2Fsubscriptions%2F00000000-0000-4000-8000-000000000000%2FresourceGroups%2Fapp-rg" +
    "%2Fproviders%2FMicrosoft.Network%2FprivateEndpoints%2Fatlas-pe";
  assert.equal(atlas.calls[0]!.path, expected);
  assert.equal(atlas.calls[0]!.url, `https://cloud.mongodb.com${expected}`);
});

Deno.test("deletePrivateEndpoint() deletes each provider at the exact path, for 204 and 200 {}", async () => {
  const cases = [
    { cloudProvider: "AWS", endpointId: VPCE, sent: VPCE, status: 204 },
    { cloudProvider: "AZURE", endpointId: AZURE_ID, sent: AZURE_ENCODED, status: 200 },
    { cloudProvider: "GCP", endpointId: "group-1", sent: "group-1", status: 202 },
  ] as const;
  for (const c of cases) {
    const atlas = fakeAtlas(() =>
      c.status === 204
        ? new Response(null, { status: 204 })
        : Response.json({}, { status: c.status })
    );
    const result = await deletePrivateEndpoint(atlas.client, {
      ...SERVICE,
      cloudProvider: c.cloudProvider,
      endpointId: c.endpointId,
    });
    assert.equal(result, undefined);
    assert.equal(atlas.calls.length, 1);
    assert.equal(atlas.calls[0]!.method, "DELETE");
    assert.equal(atlas.calls[0]!.path, pathFor(c.cloudProvider, c.sent));
    assert.equal(atlas.calls[0]!.body, undefined);
  }
});

const ERROR_CASES = [
  [400, "PATH_PARAM_PARSE_ERROR"],
  [401, "NOT_ORG_GROUP_CREATOR"],
  [402, "NO_PAYMENT_INFORMATION_FOUND"],
  [403, "IP_ADDRESS_NOT_ON_ACCESS_LIST"],
  [404, "PRIVATELINK_NOT_FOUND"],
  [409, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS"],
  [429, "RATE_LIMITED"],
  [500, "UNEXPECTED_ERROR"],
  [503, "SERVICE_UNAVAILABLE"],
] as const;

/** Atlas answers 401 with a Digest challenge; after the authenticated retry, 401 again. */
function errorResponse(status: number, errorCode: string): Response {
  const headers: Record<string, string> = {};
  if (status === 401) {
    headers["www-authenticate"] =
      'Digest realm="MMS Public API", domain="", nonce="bm9uY2U", algorithm=MD5, qop="auth", stale=false';
  }
  if (status === 429 || status === 503) headers["retry-after"] = "55";
  return atlasError(
    status,
    errorCode,
    `Atlas says ${errorCode}.`,
    { parameters: ["p1", 2] },
    headers,
  );
}

Deno.test("createPrivateEndpoint() throws AtlasApiError with Atlas's fields for every error status", async () => {
  for (const [status, errorCode] of ERROR_CASES) {
    const atlas = fakeAtlas(() => errorResponse(status, errorCode));
    // Sent once, failures as is: retries and the read-back have tests of their own.
    const error = await createPrivateEndpoint(atlas.client, {
      ...SERVICE,
      cloudProvider: "AWS",
      id: VPCE,
    }, { retry: false, idempotent: false }).then(
      () => assert.fail(`${status} did not throw`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AtlasApiError, `${status}: ${error}`);
    assert.equal(error.name, "AtlasApiError");
    assert.equal(error.status, status);
    assert.equal(error.errorCode, errorCode);
    assert.equal(error.detail, `Atlas says ${errorCode}.`);
    assert.equal(error.reason, REASONS[status]);
    assert.deepEqual(error.parameters, ["p1", 2]);
    assert.equal(error.method, "POST");
    assert.equal(error.url, BASE + pathFor("AWS").slice("/api/atlas/v1.0".length));
    assert.equal(error.path, pathFor("AWS"));
    assert.equal(error.retryAfterSeconds, status === 429 || status === 503 ? 55 : undefined);
    assert.equal(
      error.message,
      `Cannot create private endpoint: ${status} ${errorCode}: Atlas says ${errorCode}. (POST ${error.url})`,
    );
    // 401: one unauthenticated try, one authenticated retry, then give up.
    assert.equal(atlas.calls.length, status === 401 ? 2 : 1);
    const shown = `${error.message} ${error.stack} ${inspect(error, { depth: 5 })} ${
      JSON.stringify(error)
    }`;
    assert.ok(!shown.includes(PRIVATE_KEY), `${status}: the private key leaked`);
    if (status === 401) {
      assert.ok(!/authorization|response=/i.test(shown), "the Authorization header leaked");
    }
  }
});

Deno.test("getPrivateEndpoint() and deletePrivateEndpoint() name their action and method in errors", async () => {
  const atlas = fakeAtlas(() => errorResponse(404, "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND"));
  const ref = { ...SERVICE, cloudProvider: "AZURE", endpointId: AZURE_ID } as const;
  await assert.rejects(getPrivateEndpoint(atlas.client, ref), (e: unknown) => {
    assert.ok(e instanceof AtlasApiError);
    assert.equal(e.method, "GET");
    assert.equal(e.path, pathFor("AZURE", AZURE_ENCODED));
    assert.match(
      e.message,
      /^Cannot get private endpoint: 404 PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND: /,
    );
    return true;
  });
  await assert.rejects(deletePrivateEndpoint(atlas.client, ref), (e: unknown) => {
    assert.ok(e instanceof AtlasApiError);
    assert.equal(e.method, "DELETE");
    assert.match(e.message, /^Cannot delete private endpoint: 404 /);
    assert.match(
      e.message,
      /\(DELETE https:\/\/cloud\.mongodb\.com\/api\/atlas\/v1\.0\/groups\/.*%2Fsubscriptions%2F.*\)$/,
    );
    return true;
  });
});

Deno.test("createPrivateEndpoint() maps 400 badRequestDetail and a non-JSON error body", async () => {
  const detailed = fakeAtlas(() =>
    atlasError(400, "INVALID_ATTRIBUTE", "Invalid attribute.", {
      badRequestDetail: { fields: [{ field: "id", description: "must match vpce-" }] },
    })
  );
  await assert.rejects(
    createPrivateEndpoint(detailed.client, { ...SERVICE, cloudProvider: "AWS", id: VPCE }),
    (e: unknown) => {
      assert.ok(e instanceof AtlasApiError);
      assert.deepEqual(e.fieldViolations, [{ field: "id", description: "must match vpce-" }]);
      return true;
    },
  );
  const proxy = fakeAtlas(() =>
    new Response("<html>bad gateway</html>", {
      status: 502,
      statusText: "Bad Gateway",
      headers: { "content-type": "text/html" },
    })
  );
  await assert.rejects(
    createPrivateEndpoint(proxy.client, { ...SERVICE, cloudProvider: "AWS", id: VPCE }),
    (e: unknown) => {
      assert.ok(e instanceof AtlasApiError);
      assert.equal(e.status, 502);
      assert.equal(e.errorCode, undefined);
      assert.equal(e.detail, undefined);
      assert.equal(e.reason, "Bad Gateway");
      assert.match(e.message, /^Cannot create private endpoint: 502 Bad Gateway \(POST https:/);
      assert.ok(!e.message.includes("<html>"));
      return true;
    },
  );
});

Deno.test("getPrivateEndpoint() throws AtlasTimeoutError when timeoutMs runs out, even if fetch ignores the signal", async () => {
  let release!: () => void;
  const hung = new Promise<void>((resolve) => (release = resolve));
  const atlas = fakeAtlas(async () => {
    await hung;
    return Response.json({});
  });
  const started = performance.now();
  await assert.rejects(
    getPrivateEndpoint(atlas.client, { ...SERVICE, cloudProvider: "AWS", endpointId: VPCE }, {
      timeoutMs: 30,
    }),
    (e: unknown) => {
      assert.ok(e instanceof AtlasTimeoutError);
      assert.equal(e.name, "AtlasTimeoutError");
      assert.ok(e.elapsedMs >= 25, `elapsed ${e.elapsedMs}`);
      assert.equal(e.method, "GET");
      assert.equal(e.url, BASE + pathFor("AWS", VPCE).slice("/api/atlas/v1.0".length));
      assert.match(e.message, /^Cannot get private endpoint: timed out after \d+ ms \(GET https:/);
      return true;
    },
  );
  assert.ok(performance.now() - started < 2_000);
  release();
});

Deno.test("getPrivateEndpoint() aborts the request in flight and throws the signal's reason", async () => {
  const controller = new AbortController();
  let aborted = false;
  const atlas = fakeAtlas(async () => {
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 10));
    aborted = true;
    return Response.json({});
  });
  await assert.rejects(
    getPrivateEndpoint(atlas.client, { ...SERVICE, cloudProvider: "AWS", endpointId: VPCE }, {
      signal: controller.signal,
    }),
    (e: unknown) => e === controller.signal.reason && (e as DOMException).name === "AbortError",
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(aborted);
});

Deno.test("createPrivateEndpoint() with an already aborted signal sends nothing", async () => {
  const atlas = fakeAtlas();
  const reason = new Error("stop");
  await assert.rejects(
    createPrivateEndpoint(atlas.client, { ...SERVICE, cloudProvider: "AWS", id: VPCE }, {
      signal: AbortSignal.abort(reason),
    }),
    (e: unknown) => e === reason,
  );
  assert.equal(atlas.calls.length, 0);
});

Deno.test("createPrivateEndpoint() never puts the keys in what it sends besides Digest", async () => {
  const atlas = fakeAtlas(() => Response.json({}));
  await createPrivateEndpoint(atlas.client, { ...SERVICE, cloudProvider: "AWS", id: VPCE });
  const sent = JSON.stringify([...atlas.calls[0]!.headers]) + atlas.calls[0]!.url +
    JSON.stringify(atlas.calls[0]!.body);
  assert.ok(!sent.includes(PRIVATE_KEY));
  assert.ok(!sent.includes(PUBLIC_KEY), "no Authorization before any challenge");
});

Deno.test("createPrivateEndpoint() lets a middleware's TypeError through at once: no retry, no read-back", async () => {
  const atlas = fakeAtlas(() => Response.json({ interfaceEndpointId: VPCE }));
  const bug = new TypeError("a bug in a middleware");
  atlas.client.use({
    onResponse(): never {
      throw bug;
    },
  });
  const input = { ...SERVICE, cloudProvider: "AWS", id: VPCE } as const;
  await assert.rejects(createPrivateEndpoint(atlas.client, input), (e: unknown) => e === bug);
  assert.deepEqual(atlas.calls.map((c) => c.method), ["POST"]);

  const before = fakeAtlas();
  before.client.use({
    onRequest(): never {
      throw bug;
    },
  });
  const ref = { ...SERVICE, cloudProvider: "AWS", endpointId: VPCE } as const;
  await assert.rejects(getPrivateEndpoint(before.client, ref), (e: unknown) => e === bug);
  assert.equal(before.calls.length, 0);
});

Deno.test("getPrivateEndpoint() still retries a fetch that rejects and a body cut off mid-way", async () => {
  let n = 0;
  const atlas = fakeAtlas(() => {
    n++;
    if (n === 1) throw new TypeError("connection reset");
    if (n === 2) {
      const body = new ReadableStream({
        start(controller): void {
          controller.enqueue(new TextEncoder().encode('{"status":'));
          controller.error(new TypeError("body cut off"));
        },
      });
      return new Response(body, { headers: { "content-type": "application/json" } });
    }
    return Response.json({ interfaceEndpointId: VPCE, connectionStatus: "AVAILABLE" });
  });
  const ref = { ...SERVICE, cloudProvider: "AWS", endpointId: VPCE } as const;
  const endpoint = await getPrivateEndpoint(atlas.client, ref, {
    retry: { baseDelayMs: 0, maxDelayMs: 0 },
  });
  assert.equal(privateEndpointStatus(endpoint), "AVAILABLE");
  assert.equal(n, 3);
});

Deno.test("createPrivateEndpoint() returns the created endpoint even when onRetry and onRateLimit throw", async () => {
  let posts = 0;
  const atlas = fakeAtlas(() => {
    posts++;
    const headers = { "RateLimit-Limit": "100", "RateLimit-Remaining": "0", "Retry-After": "0" };
    return posts === 1
      ? atlasError(429, "RATE_LIMITED", "Too many requests.", {}, headers)
      : Response.json({ interfaceEndpointId: VPCE, connectionStatus: "PENDING_ACCEPTANCE" }, {
        headers: { "RateLimit-Limit": "100", "RateLimit-Remaining": "99" },
      });
  });
  const seen: string[] = [];
  const endpoint = await createPrivateEndpoint(atlas.client, {
    ...SERVICE,
    cloudProvider: "AWS",
    id: VPCE,
  }, {
    onRateLimit: (event) => {
      seen.push(`rate ${event.status}`);
      throw new Error("onRateLimit failed");
    },
    retry: {
      onRetry: (event) => {
        seen.push(`retry ${event.attempt}`);
        throw new Error("onRetry failed");
      },
    },
  });
  assert.equal(privateEndpointId(endpoint), VPCE);
  assert.deepEqual(seen, ["rate 429", "retry 1", "rate 200"]);
  assert.equal(posts, 2);
});

Deno.test("createPrivateEndpoint() sends at most maxAttempts requests in all, plus one last read-back", async () => {
  const methods: string[] = [];
  const atlas = fakeAtlas((request) => {
    methods.push(request.method);
    if (request.method === "GET") return atlasError(404, "ENDPOINT_NOT_FOUND", "Not found.");
    // Two 429s, then an unknown outcome, again and again.
    const posts = methods.filter((m) => m === "POST").length;
    return posts % 3 === 0
      ? atlasError(500, "UNEXPECTED_ERROR", "Unexpected error.")
      : atlasError(429, "RATE_LIMITED", "Too many requests.", {}, { "Retry-After": "0" });
  });
  const retry = { maxAttempts: 5, baseDelayMs: 0, maxDelayMs: 0 };
  await assert.rejects(
    createPrivateEndpoint(atlas.client, { ...SERVICE, cloudProvider: "AWS", id: VPCE }, {
      retry,
    }),
    { name: "AtlasApiError", status: 429 },
  );
  // POST 429, POST 429, POST 500, GET 404 (read-back), POST 429: five; then no more POSTs.
  assert.deepEqual(methods, ["POST", "POST", "POST", "GET", "POST"]);

  methods.length = 0;
  await assert.rejects(
    createPrivateEndpoint(atlas.client, { ...SERVICE, cloudProvider: "AWS", id: VPCE }, {
      retry: { ...retry, maxAttempts: 3 },
    }),
    { name: "AtlasApiError", status: 500 },
  );
  // The budget is spent by the 500, but the read-back is still made: nothing is lost unseen.
  assert.deepEqual(methods, ["POST", "POST", "POST", "GET"]);
});
