// digestAuth() inside openapi-fetch 0.17.0: the middleware contract (register last, re-send via
// options.fetch, per-call state cleaned up on errors), with an injected fetch.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { digestAuth, DigestAuthError } from "../../mod.ts";
import {
  createDigestTestServer,
  type DigestTestServer,
  type DigestTestServerOptions,
} from "../../src/testing/mod.ts";
import { recordingFetch, type Seen, text } from "./_helpers.ts";

// deno-lint-ignore no-explicit-any
type AnyPaths = any;
const BASE = "http://127.0.0.1:8001";

interface Setup {
  server: DigestTestServer;
  client: Client<AnyPaths>;
  seen: Seen[];
  middleware: Middleware;
}

function setup(serverOptions: Partial<DigestTestServerOptions> = {}, password = "p"): Setup {
  const server = createDigestTestServer({ realm: "r", credentials: { u: "p" }, ...serverOptions });
  const recorded = recordingFetch((request) => server.fetch(request));
  const client = createClient<AnyPaths>({ baseUrl: BASE, fetch: recorded.fetch });
  return {
    server,
    client,
    seen: recorded.seen,
    middleware: digestAuth({ username: "u", password }),
  };
}

Deno.test("digestAuth() authenticates openapi-fetch calls at N+1 round trips", async () => {
  const { server, client, middleware } = setup();
  client.use(middleware);
  for (let i = 0; i < 5; i++) {
    const { data, response } = await client.GET("/things/{id}", {
      params: { path: { id: i }, query: { page: 2 } },
    });
    assert.equal(response.status, 200);
    assert.equal(data.uri, `/things/${i}?page=2`);
  }
  assert.equal(server.requests, 6);
});

Deno.test("digestAuth() costs M+1 round trips for M concurrent cold calls", async () => {
  const { server, client, middleware } = setup({ ncPolicy: "unique" });
  client.use(middleware);
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) => client.GET("/n/{i}", { params: { path: { i } } })),
  );
  for (const r of results) assert.equal(r.response.status, 200);
  assert.equal(server.requests, 9);
});

Deno.test("digestAuth() gives back the 401 as error and response after two requests", async () => {
  const { server, client, middleware } = setup({}, "wrong");
  client.use(middleware);
  const { data, error, response } = await client.GET("/secret", {});
  assert.equal(data, undefined);
  assert.equal(response.status, 401);
  assert.deepEqual(error, { error: 401, reason: "credentials" });
  assert.equal(server.requests, 2);
});

Deno.test("digestAuth() re-sends JSON and FormData bodies byte for byte", async () => {
  const { client, middleware, seen } = setup({ qop: ["auth-int"] });
  client.use(middleware);
  const json = await client.POST("/items", { body: { name: "caf\u00e9", n: [1, 2] } });
  assert.equal(json.data.body, JSON.stringify({ name: "caf\u00e9", n: [1, 2] }));
  assert.deepEqual(seen[1]!.body, seen[0]!.body);

  const form = new FormData();
  form.append("a", "b");
  form.append("file", new Blob([new Uint8Array([0, 1, 2, 255])]), "x.bin");
  const multipart = await client.PUT("/upload", { body: form as never });
  assert.equal(multipart.response.status, 200);
  const last = seen.at(-1)!;
  assert.match(last.contentType!, /^multipart\/form-data; boundary=/);
  assert.match(text(last.body), /name="file"; filename="x.bin"/);
});

Deno.test("digestAuth() sees headers set by middleware registered before it", async () => {
  const { client, middleware, seen } = setup();
  const tracing: Middleware = {
    onRequest({ request }): Request {
      request.headers.set("x-trace", "t-1");
      return request;
    },
  };
  client.use(tracing, middleware);
  await client.GET("/traced", {});
  assert.equal(seen.length, 2);
  // Both the first send and the retry carry what the earlier middleware set.
  assert.deepEqual(seen.map((s) => s.headers.get("x-trace")), ["t-1", "t-1"]);
  assert.ok(seen[1]!.authorization);
});

Deno.test("digestAuth() cleans up after a network error and keeps working", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: { u: "p" } });
  let failures = 1;
  const client = createClient<AnyPaths>({
    baseUrl: BASE,
    fetch: async (request: Request) => {
      if (failures-- > 0) throw new TypeError("connection refused");
      return await server.fetch(request);
    },
  });
  client.use(digestAuth({ username: "u", password: "p" }));
  const calls = [client.GET("/a", {}), client.GET("/b", {}), client.GET("/c", {})];
  const results = await Promise.allSettled(calls);
  assert.equal(results[0]!.status, "rejected");
  assert.ok(results.slice(1).every((r) => r.status === "fulfilled" && r.value.response.ok));
  assert.equal(server.requests, 3);
});

Deno.test("digestAuth() throws DigestAuthError when the server offers no Digest challenge", async () => {
  const client = createClient<AnyPaths>({
    baseUrl: BASE,
    fetch: () =>
      Promise.resolve(
        new Response(null, { status: 401, headers: { "www-authenticate": 'Basic realm="x"' } }),
      ),
  });
  client.use(digestAuth({ username: "u", password: "p" }));
  await assert.rejects(client.GET("/x", {}), (error: unknown) => {
    assert.ok(error instanceof DigestAuthError);
    assert.equal(error.code, "NO_DIGEST_CHALLENGE");
    return true;
  });
});

Deno.test("digestAuth() follows redirects itself and sends no Authorization to another origin", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: { u: "p" } });
  const { fetch, seen } = recordingFetch(async (request) => {
    if (!request.url.startsWith(BASE)) return Response.json({ landed: request.url });
    const response = await server.fetch(request);
    if (response.status !== 200) return response;
    await response.body?.cancel();
    return new Response(null, { status: 302, headers: { location: "http://evil.test/steal" } });
  });
  const client = createClient<AnyPaths>({ baseUrl: BASE, fetch });
  client.use(digestAuth({ username: "u", password: "p" }));
  const { data } = await client.GET("/go", {});
  assert.deepEqual(data, { landed: "http://evil.test/steal" });
  assert.deepEqual(seen.map((s) => s.authorization !== null), [false, true, false]);
  assert.equal(seen[1]!.redirect, "manual");
});

Deno.test('digestAuth() sends the requests of a client made with redirect: "manual" as they are, and leaves redirects to the caller', async () => {
  // Two uses per nonce: the third call's nonce is stale, so a POST is retried.
  const server = createDigestTestServer({ realm: "r", credentials: { u: "p" }, maxNonceUses: 2 });
  const sent: Request[] = [];
  const { fetch, seen } = recordingFetch(async (request) => {
    sent.push(request);
    const response = await server.fetch(request);
    if (response.status !== 200 || !request.url.endsWith("/moved")) return response;
    await response.body?.cancel();
    return new Response(null, { status: 302, headers: { location: "/elsewhere" } });
  });
  const client = createClient<AnyPaths>({ baseUrl: BASE, fetch, redirect: "manual" });
  const made: Request[] = [];
  const witness: Middleware = {
    onRequest({ request }): undefined {
      made.push(request);
    },
  };
  client.use(witness, digestAuth({ username: "u", password: "p" }));
  const first = await client.GET("/a", {});
  assert.equal(first.response.status, 200);
  const body = { name: "caf\u00e9", n: [1, 2] };
  for (let i = 0; i < 3; i++) {
    const before = sent.length;
    const { data, response } = await client.POST("/items", { body });
    assert.equal(response.status, 200);
    assert.equal(data.body, JSON.stringify(body));
    // The request openapi-fetch made goes out itself, not a copy; a retry re-sends the same bytes.
    assert.equal(sent[before], made.at(-1));
    for (const retry of seen.slice(before + 1)) assert.deepEqual(retry.body, seen[before]!.body);
  }
  assert.equal(server.verifier.stats.rejected.stale, 1);
  assert.deepEqual(seen.map((s) => s.redirect), seen.map(() => "manual"));
  // A redirect is the caller's: it comes back as it is, and nothing goes to its Location.
  const before = sent.length;
  const moved = await client.GET("/moved", {});
  assert.equal(moved.response.status, 302);
  assert.equal(moved.response.headers.get("location"), "/elsewhere");
  assert.equal(sent[before], made.at(-1));
  assert.ok(seen.every((s) => !s.url.endsWith("/elsewhere")));
});

Deno.test("digestAuth() leaves a request alone when the caller set Authorization", async () => {
  const { client, middleware, seen } = setup();
  client.use(middleware);
  const { response } = await client.GET("/x", { headers: { Authorization: "Bearer t" } });
  // The server's 401 comes back untouched: no Digest retry over the caller's own credentials.
  assert.equal(response.status, 401);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.authorization, "Bearer t");
});

Deno.test("digestAuth() middleware state is not visible when inspected", () => {
  const middleware = digestAuth({ username: "u", password: "hunter2-secret" });
  assert.doesNotMatch(inspect(middleware, { depth: 10, showHidden: true }), /hunter2/);
  assert.doesNotMatch(JSON.stringify(middleware) ?? "", /hunter2/);
});

Deno.test("digestAuth() re-sends through options.fetch unbound, as Workers require", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: { u: "p" } });
  // workerd's fetch throws "Illegal invocation" when called as a method of another object.
  function workerFetch(this: unknown, request: Request): Promise<Response> {
    if (this !== undefined && this !== globalThis) throw new TypeError("Illegal invocation");
    return server.fetch(request);
  }
  const client = createClient<AnyPaths>({ baseUrl: BASE, fetch: workerFetch });
  client.use(digestAuth({ username: "u", password: "p" }));
  const { response } = await client.GET("/w", {});
  assert.equal(response.status, 200);
  assert.equal(server.requests, 2);
});
