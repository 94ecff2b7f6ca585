// serviceAccountAuth() against an injected token endpoint and API: the token request's exact
// shape, caching, expiry on an injected clock, single flight, 401 retry, failures, secrecy.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { inspect } from "node:util";
import createClient, { type Client } from "openapi-fetch";
import { serviceAccountAuth, ServiceAccountTokenError } from "../../mod.ts";
import { serve } from "../../src/testing/serve.ts";
import {
  API_URL,
  type FakeServer,
  fakeServer,
  type Recorded,
  TOKEN_URL,
} from "./_fake_token_server.ts";

// Characters that form-encoding would change (`_`, `%`, `+`, `/`, `=`, `:` in the secret, non-ASCII).
const CLIENT_ID = "mdb_sa_id_0123456789abcdef01234567";
const CLIENT_SECRET = "mdb_sa_sk_s3cr+t/=%:é-never-shown";

type TestClient = Client<Record<string, never>>;

function clientWith(server: FakeServer, extra: Record<string, unknown> = {}): TestClient {
  const client = createClient<Record<string, never>>({
    baseUrl: "https://cloud.mongodb.com/api/atlas/v2",
    fetch: server.fetch,
  });
  client.use(serviceAccountAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...extra }));
  return client;
}

const get = (client: TestClient) => client.request("get", "/anything" as never);
const post = (client: TestClient, body: unknown) =>
  client.request("post", "/anything" as never, { body } as never);

Deno.test("serviceAccountAuth() requests a token with Basic of the raw id and secret and a form body", async () => {
  const server = fakeServer();
  const { response } = await get(clientWith(server));
  assert.equal(response.status, 200);
  assert.equal(server.tokenRequests.length, 1);
  const token = server.tokenRequests[0]!;
  assert.equal(token.method, "POST");
  assert.equal(token.url, TOKEN_URL);
  const expected = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`, "utf8").toString("base64");
  assert.equal(token.headers.get("authorization"), `Basic ${expected}`);
  // Not form-encoded first: the decoded header is exactly id:secret.
  assert.equal(
    Buffer.from(expected, "base64").toString("utf8"),
    "mdb_sa_id_0123456789abcdef01234567:mdb_sa_sk_s3cr+t/=%:é-never-shown",
  );
  assert.equal(token.headers.get("content-type"), "application/x-www-form-urlencoded");
  assert.equal(token.body, "grant_type=client_credentials");
  assert.equal(server.apiRequests[0]!.headers.get("authorization"), "Bearer token-1");
});

Deno.test("serviceAccountAuth() defaults the token URL to /api/oauth/token on the request's origin", async () => {
  const server = fakeServer();
  const client = createClient<Record<string, never>>({
    baseUrl: "http://127.0.0.1:8080/api/atlas/v2",
    fetch: server.fetch,
  });
  client.use(serviceAccountAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }));
  await client.request("get", "/x" as never);
  assert.equal(server.tokenRequests[0]!.url, "http://127.0.0.1:8080/api/oauth/token");
});

Deno.test("serviceAccountAuth() uses one token for many calls", async () => {
  const server = fakeServer();
  const client = clientWith(server);
  for (let i = 0; i < 10; i++) await get(client);
  await Promise.all(Array.from({ length: 20 }, () => get(client)));
  assert.equal(server.tokenRequests.length, 1);
  assert.equal(server.apiRequests.length, 30);
  assert.ok(server.apiRequests.every((r) => r.headers.get("authorization") === "Bearer token-1"));
});

Deno.test("serviceAccountAuth() replaces a token a minute before expires_in runs out", async () => {
  let now = 1_000_000;
  const server = fakeServer();
  const client = clientWith(server, { now: () => now });
  await get(client);
  now += 3_600_000 - 60_000 - 1; // 1 ms before the refresh point
  await get(client);
  assert.equal(server.tokenRequests.length, 1);
  now += 1;
  await get(client);
  assert.equal(server.tokenRequests.length, 2);
  assert.equal(server.apiRequests.at(-1)!.headers.get("authorization"), "Bearer token-2");
});

Deno.test("serviceAccountAuth() caps the refresh margin at half of a short token's lifetime", async () => {
  let now = 0;
  const server = fakeServer({
    token: (n) =>
      Response.json({ access_token: `short-${n}`, token_type: "bearer", expires_in: 60 }),
  });
  const client = clientWith(server, { now: () => now });
  await get(client);
  now = 29_999;
  await get(client);
  assert.equal(server.tokenRequests.length, 1);
  now = 30_000;
  await get(client);
  assert.equal(server.tokenRequests.length, 2);
});

Deno.test("serviceAccountAuth() makes exactly one token request for 100 concurrent calls with an expired token", async () => {
  let now = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const server = fakeServer({
    token: async (n) => {
      if (n === 2) await gate; // the refresh stays in flight while all 100 calls arrive
      return Response.json({ access_token: `token-${n}`, token_type: "Bearer", expires_in: 3600 });
    },
  });
  const client = clientWith(server, { now: () => now });
  await get(client);
  now += 3_600_000; // expired
  const calls = Array.from({ length: 100 }, () => get(client));
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(server.tokenRequests.length, 2);
  release();
  const results = await Promise.all(calls);
  assert.ok(results.every((r) => r.response.status === 200));
  assert.equal(server.tokenRequests.length, 2);
  assert.equal(
    server.apiRequests.filter((r) => r.headers.get("authorization") === "Bearer token-2").length,
    100,
  );
});

Deno.test("serviceAccountAuth() retries a 401 once with a new token, re-sending the body", async () => {
  let now = 1_000_000;
  let revoked = false;
  const server = fakeServer({
    api: (token) =>
      token === "token-1" && revoked
        ? Response.json({ error: 401, errorCode: "UNAUTHORIZED" }, { status: 401 })
        : Response.json({ ok: true }),
  });
  const client = clientWith(server, { now: () => now });
  await get(client); // caches token-1
  now += 10_000; // no longer brand new
  revoked = true;
  const { response, data } = await post(client, { id: "vpce-0123456789abcdef0" });
  assert.equal(response.status, 200);
  assert.deepEqual(data, { ok: true });
  assert.equal(server.tokenRequests.length, 2);
  assert.deepEqual(
    server.apiRequests.slice(1).map((r) => [r.headers.get("authorization"), r.body]),
    [
      ["Bearer token-1", '{"id":"vpce-0123456789abcdef0"}'],
      ["Bearer token-2", '{"id":"vpce-0123456789abcdef0"}'],
    ],
  );
});

Deno.test("serviceAccountAuth() returns a 401 for a brand-new token as it is, without a new token", async () => {
  let now = 1_000_000;
  const server = fakeServer({
    api: () => Response.json({ error: 401, errorCode: "NOT_ORG_GROUP_CREATOR" }, { status: 401 }),
  });
  const client = clientWith(server, { now: () => now });
  for (let i = 0; i < 5; i++) {
    const { response, error } = await get(client);
    assert.equal(response.status, 401);
    assert.equal((error as unknown as { errorCode: string }).errorCode, "NOT_ORG_GROUP_CREATOR");
    now += 1_000;
  }
  // A key without access to the project does not hammer the token endpoint.
  assert.equal(server.apiRequests.length, 5);
  assert.equal(server.tokenRequests.length, 1);
  // Once the token is older, one retry with a new token; its 401 is returned as it is.
  now += 10_000;
  assert.equal((await get(client)).response.status, 401);
  assert.equal(server.apiRequests.length, 7);
  assert.equal(server.tokenRequests.length, 2);
});

Deno.test("serviceAccountAuth() retries a brand-new token's 401 when it says invalid_token", async () => {
  const server = fakeServer({
    api: (token) =>
      token === "token-1"
        ? Response.json({ error: 401 }, {
          status: 401,
          headers: { "www-authenticate": 'Bearer error="invalid_token"' },
        })
        : Response.json({ ok: true }),
  });
  const { response } = await get(clientWith(server));
  assert.equal(response.status, 200);
  assert.equal(server.tokenRequests.length, 2);
  assert.equal(server.apiRequests.length, 2);
});

Deno.test("serviceAccountAuth() refreshes once when 100 concurrent calls meet a revoked token", async () => {
  let now = 1_000_000;
  let revoked = false;
  const server = fakeServer({
    api: (token) =>
      token === "token-1" && revoked
        ? Response.json({ error: 401 }, { status: 401 })
        : Response.json({ ok: true }),
  });
  const client = clientWith(server, { now: () => now });
  await get(client); // caches token-1
  now += 10_000;
  revoked = true;
  const results = await Promise.all(Array.from({ length: 100 }, () => get(client)));
  assert.ok(results.every((r) => r.response.status === 200));
  assert.equal(server.tokenRequests.length, 2);
});

Deno.test("serviceAccountAuth() throws ServiceAccountTokenError for wrong credentials and never calls the API", async () => {
  const server = fakeServer({
    token: () =>
      Response.json(
        { error: "invalid_client", error_description: "Invalid client credentials." },
        { status: 401 },
      ),
  });
  const client = clientWith(server);
  const error = await get(client).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ServiceAccountTokenError);
  assert.equal(error.name, "ServiceAccountTokenError");
  assert.equal(error.code, "CREDENTIALS_REJECTED");
  assert.equal(error.status, 401);
  assert.equal(error.oauthError, "invalid_client");
  assert.equal(
    error.message,
    `Cannot obtain service account token: 401 invalid_client: Invalid client credentials. (POST ${TOKEN_URL})`,
  );
  assert.equal(server.apiRequests.length, 0);
  assert.equal(server.tokenRequests.length, 1);
  // Not cached: the next call asks again (once).
  await assert.rejects(get(client), ServiceAccountTokenError);
  assert.equal(server.tokenRequests.length, 2);
});

Deno.test("serviceAccountAuth() shares one failed token request among concurrent calls", async () => {
  const server = fakeServer({
    token: () => Response.json({ error: "server_error" }, { status: 503 }),
  });
  const client = clientWith(server);
  const results = await Promise.allSettled(Array.from({ length: 50 }, () => get(client)));
  assert.ok(results.every((r) => r.status === "rejected"));
  const reason = (results[0] as PromiseRejectedResult).reason;
  assert.equal(reason.code, "TOKEN_ENDPOINT_ERROR");
  assert.equal(reason.status, 503);
  assert.equal(server.tokenRequests.length, 1);
});

for (
  const [name, body, detail] of [
    ["no access_token", { token_type: "Bearer", expires_in: 3600 }, "access_token is missing"],
    [
      "another token type",
      { access_token: "t", token_type: "mac", expires_in: 3600 },
      "token_type is not Bearer",
    ],
    [
      "a negative expires_in",
      { access_token: "t", token_type: "Bearer", expires_in: -1 },
      "expires_in is not a positive number of seconds",
    ],
    [
      "a token with a line break",
      { access_token: "t\r\nX-Evil: 1", expires_in: 3600 },
      "access_token is not a bearer token (RFC 6750 b64token)",
    ],
  ] as const
) {
  Deno.test(`serviceAccountAuth() rejects a token answer with ${name}`, async () => {
    const server = fakeServer({ token: () => Response.json(body) });
    await assert.rejects(get(clientWith(server)), (e: unknown) => {
      assert.ok(e instanceof ServiceAccountTokenError);
      assert.equal(e.code, "INVALID_TOKEN_RESPONSE");
      assert.equal(
        e.message,
        `Cannot obtain service account token: the answer holds no usable bearer token: ${detail} (POST ${TOKEN_URL})`,
      );
      return true;
    });
    assert.equal(server.apiRequests.length, 0);
  });
}

Deno.test("serviceAccountAuth() refuses a token answer over 64 KiB without reading the rest", async () => {
  let pulled = 0;
  let cancelled = false;
  const chunk = new TextEncoder().encode(" ".repeat(16 * 1024));
  // An endless answer without Content-Length, then one that announces its size.
  const endless = () =>
    new Response(
      new ReadableStream({
        pull(controller): void {
          pulled++;
          controller.enqueue(chunk);
        },
        cancel(): void {
          cancelled = true;
        },
      }),
      { headers: { "content-type": "application/json" } },
    );
  for (
    const answer of [
      endless,
      () => new Response("{}", { headers: { "content-length": String(64 * 1024 + 1) } }),
    ]
  ) {
    const server = fakeServer({ token: answer });
    await assert.rejects(get(clientWith(server)), (e: unknown) => {
      assert.ok(e instanceof ServiceAccountTokenError);
      assert.equal(e.code, "INVALID_TOKEN_RESPONSE");
      assert.equal(e.status, 200);
      assert.match(e.message, /the answer is larger than 65536 bytes \(POST /);
      return true;
    });
    assert.equal(server.apiRequests.length, 0);
  }
  assert.ok(cancelled, "the endless answer was cancelled");
  assert.ok(pulled <= 6, `read ${pulled} chunks of 16 KiB`);
});

Deno.test("serviceAccountAuth() reports an unreachable token endpoint as NETWORK_ERROR", async () => {
  const client = createClient<Record<string, never>>({
    baseUrl: "https://cloud.mongodb.com/api/atlas/v2",
    fetch: () => Promise.reject(new TypeError("error sending request: connection refused")),
  });
  client.use(serviceAccountAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }));
  await assert.rejects(get(client as never), (e: unknown) => {
    assert.ok(e instanceof ServiceAccountTokenError);
    assert.equal(e.code, "NETWORK_ERROR");
    assert.equal(e.status, undefined);
    assert.match(
      e.message,
      /connection refused \(POST https:\/\/cloud\.mongodb\.com\/api\/oauth\/token\)$/,
    );
    assert.ok(e.cause instanceof TypeError);
    return true;
  });
});

Deno.test("serviceAccountAuth() gives up on a token request after tokenTimeoutMs", async () => {
  const client = createClient<Record<string, never>>({
    baseUrl: "https://cloud.mongodb.com/api/atlas/v2",
    fetch: (request) =>
      new Promise((_, reject) =>
        request.signal.addEventListener("abort", () => reject(request.signal.reason))
      ),
  });
  client.use(
    serviceAccountAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenTimeoutMs: 20 }),
  );
  await assert.rejects(get(client as never), {
    name: "ServiceAccountTokenError",
    code: "NETWORK_ERROR",
    message: "Cannot obtain service account token: the token endpoint could not be reached: " +
      `no answer within 20 ms (POST ${TOKEN_URL})`,
  });
});

Deno.test("serviceAccountAuth() lets a caller's abort stop its wait without failing the others", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const server = fakeServer({
    token: async () => {
      await gate;
      return Response.json({ access_token: "slow", token_type: "Bearer", expires_in: 3600 });
    },
  });
  const client = clientWith(server);
  const controller = new AbortController();
  const aborted = client.request("get", "/x" as never, { signal: controller.signal } as never);
  const other = get(client);
  controller.abort(new Error("stop"));
  await assert.rejects(aborted, { message: "stop" });
  release();
  assert.equal((await other).response.status, 200);
  assert.equal(server.tokenRequests.length, 1);
});

Deno.test("serviceAccountAuth() keeps the secret and tokens out of errors and inspection", async () => {
  const server = fakeServer({
    token: () =>
      Response.json(
        { error: "invalid_client", error_description: `Bad secret ${CLIENT_SECRET}` },
        { status: 401 },
      ),
  });
  const middleware = serviceAccountAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  const client = createClient<Record<string, never>>({ baseUrl: API_URL, fetch: server.fetch });
  client.use(middleware);
  const error = await client.request("get", "/x" as never).then(() => undefined, (e) => e);
  const texts = [
    String(error),
    inspect(error, { depth: 10, showHidden: true }),
    JSON.stringify(error),
    inspect(middleware, { depth: 10, showHidden: true }),
    inspect(client, { depth: 10 }),
  ];
  for (const text of texts) {
    assert.ok(!text.includes(CLIENT_SECRET), text);
    assert.ok(!text.includes(Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")));
  }
  assert.match(String(error), /Bad secret \[redacted\]/);

  const ok = fakeServer();
  const good = serviceAccountAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  const client2 = createClient<Record<string, never>>({ baseUrl: API_URL, fetch: ok.fetch });
  client2.use(good);
  await client2.request("get", "/x" as never);
  assert.ok(!inspect(good, { depth: 10, showHidden: true }).includes("token-1"));
});

Deno.test("serviceAccountAuth() checks its options when it is created", () => {
  const base = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...base, clientId: "" }, /clientId must be a non-empty single-line string/],
    [{ ...base, clientSecret: 42 }, /clientSecret must be a non-empty single-line string/],
    [{ ...base, clientId: "a\nb" }, /clientId must be a non-empty single-line string/],
    [{ ...base, tokenUrl: "not a url" }, /tokenUrl must be an absolute URL/],
    [
      { ...base, tokenUrl: "http://example.com/api/oauth/token" },
      /must use https unless its host is loopback/,
    ],
    [{ ...base, tokenUrl: "https://u:p@example.com/t" }, /must not contain credentials/],
    [{ ...base, refreshBeforeExpiryMs: -1 }, /refreshBeforeExpiryMs must be a non-negative number/],
    [{ ...base, tokenTimeoutMs: 0 }, /tokenTimeoutMs must be a positive number/],
    [{ ...base, tokenTimeoutMs: 2 ** 31 }, /tokenTimeoutMs .* at most 2147483647/],
    [{ ...base, fetch: "x" }, /fetch must be a function/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => serviceAccountAuth(options as never), (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, message);
      assert.ok(!e.message.includes(CLIENT_SECRET));
      return true;
    });
  }
  assert.doesNotThrow(() =>
    serviceAccountAuth({ ...base, tokenUrl: "http://example.com/t", allowInsecureHttp: true })
  );
});

Deno.test("serviceAccountAuth() without tokenUrl pins the first request's origin and never sends the secret to a second one", async () => {
  const seen: { a: Recorded[]; b: Recorded[] } = { a: [], b: [] };
  const handler = (list: Recorded[]) => async (request: Request) => {
    list.push({
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
      body: await request.text(),
    });
    if (new URL(request.url).pathname === "/api/oauth/token") {
      return Response.json({ access_token: "tok", token_type: "Bearer", expires_in: 3600 });
    }
    return Response.json({ ok: true });
  };
  const a = await serve(handler(seen.a));
  const b = await serve(handler(seen.b));
  try {
    const client = createClient<Record<string, never>>({ baseUrl: `${a.url}/api/atlas/v2` });
    client.use(serviceAccountAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }));
    assert.equal((await client.request("get", "/x" as never)).response.status, 200);
    await assert.rejects(
      client.request("get", "/x" as never, { baseUrl: `${b.url}/api/atlas/v2` } as never),
      (e: unknown) => {
        assert.ok(e instanceof TypeError);
        assert.match(e.message, /^Cannot authenticate request: its origin http:\/\/127\.0\.0\.1:/);
        return true;
      },
    );
    assert.deepEqual(seen.b, []);
    assert.deepEqual(seen.a.map((r) => new URL(r.url).pathname), [
      "/api/oauth/token",
      "/api/atlas/v2/x",
    ]);
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("serviceAccountAuth() cancels the shared token request and its timer when the last waiter aborts", async () => {
  const tokenSignals: AbortSignal[] = [];
  const client = createClient<Record<string, never>>({
    baseUrl: "https://cloud.mongodb.com/api/atlas/v2",
    // Never answers and ignores its signal: only the middleware can let go of it.
    fetch: (request) => {
      tokenSignals.push(request.signal);
      return new Promise<Response>(() => {});
    },
  });
  client.use(serviceAccountAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }));
  const first = new AbortController();
  const second = new AbortController();
  const a = client.request("get", "/x" as never, { signal: first.signal } as never);
  const b = client.request("get", "/x" as never, { signal: second.signal } as never);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(tokenSignals.length, 1);
  first.abort(new Error("first"));
  await assert.rejects(a, { message: "first" });
  assert.equal(tokenSignals[0]!.aborted, false); // still wanted by the second call
  second.abort(new Error("second"));
  await assert.rejects(b, { message: "second" });
  assert.equal(tokenSignals[0]!.aborted, true);
  // A later call starts a new request instead of joining the abandoned one.
  const third = new AbortController();
  const c = client.request("get", "/x" as never, { signal: third.signal } as never);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(tokenSignals.length, 2);
  third.abort(new Error("third"));
  await assert.rejects(c, { message: "third" });
  // The sanitizers fail this test if a 30 s token timer is still pending.
});

Deno.test("serviceAccountAuth() scrubs the Basic header and its base64 part from token errors", async () => {
  const encoded = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`, "utf8").toString("base64");
  for (
    const echo of [
      (auth: string) => `Bad header ${auth}`,
      (auth: string) => `Bad credentials ${auth.slice("Basic ".length)}`,
      // Cut at 300 characters: no partial secret may survive at the cut.
      (auth: string) => `${"x".repeat(280)} ${auth.slice("Basic ".length)}`,
    ]
  ) {
    const server = fakeServer({
      token: (n) => {
        const auth = server.tokenRequests[n - 1]!.headers.get("authorization")!;
        return Response.json(
          { error: `invalid_client ${echo(auth)}`, error_description: echo(auth) },
          { status: 401 },
        );
      },
    });
    const error = await get(clientWith(server)).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ServiceAccountTokenError);
    for (const text of [String(error), inspect(error, { depth: 10, showHidden: true })]) {
      assert.ok(!text.includes(encoded), text);
      assert.ok(!text.includes(encoded.slice(0, 40)), text);
    }
    assert.ok(!error.message.includes(encoded.slice(0, 12)), error.message);
  }
});
