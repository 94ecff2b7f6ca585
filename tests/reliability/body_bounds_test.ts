// A call that has settled reads no byte more, and no answer is read past maxResponseBytes: hostile
// loopback servers send their headers and then an endless (or huge) body, and count the bytes they
// get onto the wire until the client lets the connection go.
import assert from "node:assert/strict";
import createClient from "openapi-fetch";
import type { paths } from "../../gen/atlas.ts";
import {
  AtlasResponseTooLargeError,
  AtlasTimeoutError,
  AtlasValidationError,
  createAtlasClient,
  createDigestFetch,
  createPrivateEndpoint,
  DEFAULT_MAX_RESPONSE_BYTES,
  deletePrivateEndpoint,
  digestAuth,
  getPrivateEndpoint,
  type RequestOptions,
} from "../../mod.ts";
import {
  CHALLENGE,
  challenged,
  clientOf,
  collectMidway,
  hostile,
  type HostileServer,
  PASSWORD,
  pour,
  REF,
  settles,
  USER,
} from "./_hostile.ts";

const ENDPOINT_PATH =
  "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}";
const MiB = 1024 * 1024;
/** Large enough that the timeout, not the size limit, ends these calls (ignored before it existed). */
const NO_SIZE_LIMIT = { maxResponseBytes: 1024 * MiB };

/** A server that challenges, then answers every authenticated request with an endless body. */
function endless(fast = false): Promise<HostileServer> {
  return hostile((req, res, server) => {
    if (challenged(req, res)) return;
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"interfaceEndpointId":"vpce-0123456789abcdef0","padding":"');
    pour(res, server, Infinity, fast);
  });
}

/** Once a call has settled, the connection closes at once and no byte more goes out. */
async function assertReleased(server: HostileServer): Promise<void> {
  await server.quiet(1_000);
  const bytes = server.bytes;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(server.bytes, bytes, "nothing is sent once the connection is closed");
}

const calls = {
  create: (atlas: ReturnType<typeof clientOf>, options: RequestOptions) =>
    createPrivateEndpoint(atlas, {
      groupId: REF.groupId,
      endpointServiceId: REF.endpointServiceId,
      cloudProvider: "AWS",
      id: "vpce-0123456789abcdef0",
    }, options),
  get: (atlas: ReturnType<typeof clientOf>, options: RequestOptions) =>
    getPrivateEndpoint(atlas, REF, options),
  delete: (atlas: ReturnType<typeof clientOf>, options: RequestOptions) =>
    deletePrivateEndpoint(atlas, REF, options),
};

for (const [name, call] of Object.entries(calls)) {
  Deno.test(`${name}PrivateEndpoint() with timeoutMs settles on time and stops downloading an endless body`, async () => {
    const server = await endless();
    try {
      const started = performance.now();
      const pending = call(clientOf(server, NO_SIZE_LIMIT), { timeoutMs: 1_000 });
      // Handled now: on a loaded machine the timeout can come before collectMidway() returns
      // (settles() below still sees the rejection).
      pending.catch(() => {});
      await collectMidway(server);
      const { error } = await settles(pending, 5_000);
      const elapsedMs = performance.now() - started;
      assert.ok(error instanceof AtlasTimeoutError, `expected AtlasTimeoutError, got ${error}`);
      assert.ok(elapsedMs < 1_750, `settled after ${Math.round(elapsedMs)} ms`);
      await assertReleased(server);
    } finally {
      await server.close();
    }
  });
}

Deno.test("getPrivateEndpoint() stops downloading an endless body when its signal aborts", async () => {
  const server = await endless();
  try {
    const controller = new AbortController();
    const reason = new Error("stop");
    const pending = getPrivateEndpoint(clientOf(server, NO_SIZE_LIMIT), REF, {
      signal: controller.signal,
    });
    await collectMidway(server);
    controller.abort(reason);
    const { error, elapsedMs } = await settles(pending, 5_000);
    assert.equal(error, reason);
    assert.ok(elapsedMs < 500, `settled ${Math.round(elapsedMs)} ms after the abort`);
    await assertReleased(server);
  } finally {
    await server.close();
  }
});

Deno.test("createAtlasClient().GET() settles when its signal times out during an endless body, and stops downloading", async () => {
  // As fast as the client reads (the runtime then collects on its own schedule), within a limit
  // that the timeout comes well before.
  const server = await endless(true);
  try {
    const atlas = clientOf(server, { maxResponseBytes: 512 * MiB });
    const started = performance.now();
    const pending = atlas.GET(ENDPOINT_PATH, {
      params: { path: REF },
      signal: AbortSignal.timeout(300),
    });
    const { error } = await settles(pending, 5_000);
    const elapsedMs = performance.now() - started;
    assert.equal((error as Error).name, "TimeoutError");
    assert.ok(elapsedMs < 1_050, `settled after ${Math.round(elapsedMs)} ms`);
    await assertReleased(server);
  } finally {
    await server.close();
  }
});

Deno.test("digestAuth() on a bare openapi-fetch client settles when its signal times out during an endless body", async () => {
  const server = await endless();
  try {
    const client = createClient<paths>({ baseUrl: server.baseUrl });
    client.use(digestAuth({ username: USER, password: PASSWORD }));
    const pending = client.GET(ENDPOINT_PATH, {
      params: { path: REF },
      signal: AbortSignal.timeout(1_000),
    });
    await collectMidway(server);
    const { error } = await settles(pending, 5_000);
    assert.equal((error as Error).name, "TimeoutError");
    await assertReleased(server);
  } finally {
    await server.close();
  }
});

Deno.test("createDigestFetch() lets the signal end an endless body", async () => {
  const server = await endless();
  try {
    const digestFetch = createDigestFetch({ username: USER, password: PASSWORD });
    const reading = digestFetch(`${server.url}/x`, { signal: AbortSignal.timeout(1_000) })
      .then((response) => response.text());
    await collectMidway(server);
    const { error } = await settles(reading, 5_000);
    assert.equal((error as Error).name, "TimeoutError");
    await assertReleased(server);
  } finally {
    await server.close();
  }
});

/**
 * A server that challenges, then answers with a valid JSON endpoint of `size` bytes, paced or
 * `fast`, with or without announcing its length.
 */
function huge(size: number, announce = false, fast = false): Promise<HostileServer> {
  return hostile((req, res, server) => {
    if (challenged(req, res)) return;
    const head = '{"interfaceEndpointId":"vpce-0123456789abcdef0","connectionStatus":"AVAILABLE",' +
      '"padding":"';
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (announce) headers["content-length"] = String(size);
    res.writeHead(200, headers);
    res.write(head);
    pour(res, server, size - head.length - 2, fast);
  });
}

Deno.test("getPrivateEndpoint() fails with AtlasResponseTooLargeError past maxResponseBytes and stops reading", async () => {
  const server = await huge(64 * MiB);
  try {
    const limit = 256 * 1024;
    const { error } = await settles(
      getPrivateEndpoint(clientOf(server, { maxResponseBytes: limit }), REF),
      20_000,
    );
    assert.ok(error instanceof AtlasResponseTooLargeError, `got ${error}`);
    assert.equal(error.limitBytes, limit);
    assert.equal(error.status, 200);
    assert.equal(error.method, "GET");
    assert.match(
      error.message,
      /^Cannot get private endpoint: the response body is larger than 262144 bytes \(maxResponseBytes\) \(GET http:\/\/127\.0\.0\.1:\d+\/api\/atlas\/v1\.0\/groups\//,
    );
    await assertReleased(server);
    // What the client read stays near the limit (socket buffers aside), far from the 64 MiB sent.
    assert.ok(server.bytes < limit + 16 * MiB, `${server.bytes} bytes went out`);
  } finally {
    await server.close();
  }
});

Deno.test("getPrivateEndpoint() caps answers at DEFAULT_MAX_RESPONSE_BYTES when no limit is set", async () => {
  const server = await huge(64 * MiB, false, true);
  try {
    const { error } = await settles(getPrivateEndpoint(clientOf(server), REF), 20_000);
    assert.ok(error instanceof AtlasResponseTooLargeError, `got ${error}`);
    assert.equal(error.limitBytes, DEFAULT_MAX_RESPONSE_BYTES);
    await assertReleased(server);
    assert.ok(server.bytes < DEFAULT_MAX_RESPONSE_BYTES + 16 * MiB, `${server.bytes} bytes`);
  } finally {
    await server.close();
  }
});

Deno.test("getPrivateEndpoint() fails at once when Content-Length announces more than maxResponseBytes", async () => {
  const server = await huge(64 * MiB, true);
  try {
    const { error } = await settles(
      getPrivateEndpoint(clientOf(server, { maxResponseBytes: 4 * MiB }), REF),
      20_000,
    );
    assert.ok(error instanceof AtlasResponseTooLargeError, `got ${error}`);
    await assertReleased(server);
    // Nothing near the limit was read: the answer was refused on its headers.
    assert.ok(server.bytes < 2 * MiB, `${server.bytes} bytes went out`);
  } finally {
    await server.close();
  }
});

Deno.test("getPrivateEndpoint() takes maxResponseBytes per call over the client's", async () => {
  const server = await huge(64 * MiB);
  try {
    const atlas = clientOf(server, { maxResponseBytes: 512 * MiB });
    const { error } = await settles(
      getPrivateEndpoint(atlas, REF, { maxResponseBytes: 64 * 1024 } as RequestOptions),
      20_000,
    );
    assert.ok(error instanceof AtlasResponseTooLargeError, `got ${error}`);
    assert.equal(error.limitBytes, 64 * 1024);
    await assertReleased(server);
  } finally {
    await server.close();
  }
});

Deno.test("createPrivateEndpoint() reports a too-large answer once, without posting again", async () => {
  const server = await huge(64 * MiB);
  try {
    const atlas = clientOf(server, { maxResponseBytes: 64 * 1024, retry: { maxAttempts: 3 } });
    const { error } = await settles(
      createPrivateEndpoint(atlas, {
        groupId: REF.groupId,
        endpointServiceId: REF.endpointServiceId,
        cloudProvider: "AWS",
        id: "vpce-0123456789abcdef0",
      }),
      20_000,
    );
    assert.ok(error instanceof AtlasResponseTooLargeError, `got ${error}`);
    assert.equal(error.method, "POST");
    assert.match(error.message, /^Cannot create private endpoint: /);
    assert.equal(server.seen.filter((s) => s.authorization && s.method === "POST").length, 1);
    await assertReleased(server);
  } finally {
    await server.close();
  }
});

Deno.test("createAtlasClient().GET() rejects with AtlasResponseTooLargeError past maxResponseBytes", async () => {
  const server = await huge(64 * MiB);
  try {
    const atlas = clientOf(server, { maxResponseBytes: 64 * 1024 });
    const { error } = await settles(atlas.GET(ENDPOINT_PATH, { params: { path: REF } }), 20_000);
    assert.ok(error instanceof AtlasResponseTooLargeError, `got ${error}`);
    assert.match(error.message, /^Cannot read Atlas response: the response body is larger than/);
    await assertReleased(server);
  } finally {
    await server.close();
  }
});

Deno.test("createAtlasClient().use() middleware that reads an answer reads it within maxResponseBytes", async () => {
  const server = await huge(64 * MiB);
  try {
    const atlas = clientOf(server, { maxResponseBytes: 64 * 1024 });
    let read: unknown;
    atlas.use({
      async onResponse({ response }): Promise<Response | undefined> {
        if (response.status !== 200) return undefined;
        read = await response.text().catch((error: unknown) => error);
        return Response.json({ interfaceEndpointId: REF.endpointId });
      },
    });
    // Middleware added after the authentication sees answers as the network gives them: once the
    // client knows a nonce, the 200 itself.
    await settles(getPrivateEndpoint(atlas, REF), 20_000);
    for (
      const call of [
        () => getPrivateEndpoint(atlas, REF),
        () => atlas.GET(ENDPOINT_PATH, { params: { path: REF } }),
      ]
    ) {
      read = undefined;
      await call(); // the middleware's answer stands in for the one it read
      assert.ok(read instanceof AtlasResponseTooLargeError, `the middleware read ${read}`);
    }
    await assertReleased(server);
  } finally {
    await server.close();
  }
});

Deno.test("createAtlasClient() and getPrivateEndpoint() reject an invalid maxResponseBytes before sending", async () => {
  const server = await huge(1024);
  try {
    for (const value of [0, -1, 1.5, Number.NaN, Infinity, "1024", 2 ** 53]) {
      assert.throws(() => clientOf(server, { maxResponseBytes: value }), (error: unknown) => {
        assert.ok(error instanceof AtlasValidationError, `${value}: ${error}`);
        assert.equal(error.field, "maxResponseBytes");
        assert.match(error.message, /^Cannot create Atlas client: maxResponseBytes must be/);
        return true;
      });
      await assert.rejects(
        getPrivateEndpoint(
          createAtlasClient({
            publicKey: USER,
            privateKey: PASSWORD,
            baseUrl: server.baseUrl,
          }),
          REF,
          { maxResponseBytes: value } as RequestOptions,
        ),
        (error: unknown) => {
          assert.ok(error instanceof AtlasValidationError, `${value}: ${error}`);
          assert.equal(error.field, "maxResponseBytes");
          return true;
        },
      );
    }
    assert.equal(server.seen.length, 0);
  } finally {
    await server.close();
  }
});

/**
 * A fetch that ignores the request's signal and answers with an endless body (as a runtime whose
 * link from the signal to the body was lost would): counts the chunks it produced and whether the
 * body was cancelled.
 */
function deafFetch(): {
  fetch: (request: Request) => Promise<Response>;
  pulls: () => number;
  cancelled: () => boolean;
} {
  let pulls = 0;
  let cancelled = false;
  const chunk = new Uint8Array(16 * 1024).fill(0x20);
  return {
    pulls: () => pulls,
    cancelled: () => cancelled,
    fetch: (request) => {
      if (!request.headers.has("authorization")) {
        return Promise.resolve(
          new Response(null, { status: 401, headers: { "www-authenticate": CHALLENGE } }),
        );
      }
      const body = new ReadableStream<Uint8Array>({
        async pull(controller): Promise<void> {
          await new Promise((resolve) => setTimeout(resolve, 1));
          pulls++;
          controller.enqueue(chunk);
        },
        cancel(): void {
          cancelled = true;
        },
      });
      return Promise.resolve(new Response(body, { status: 200 }));
    },
  };
}

Deno.test("getPrivateEndpoint() and createAtlasClient().GET() end the body themselves when the call stops, whatever the fetch does", async () => {
  for (const low of [false, true]) {
    const deaf = deafFetch();
    const atlas = createAtlasClient({
      publicKey: USER,
      privateKey: PASSWORD,
      baseUrl: "http://127.0.0.1:9/api/atlas/v1.0",
      fetch: deaf.fetch,
      retry: false,
    });
    const pending = low
      ? atlas.GET(ENDPOINT_PATH, { params: { path: REF }, signal: AbortSignal.timeout(200) })
      : getPrivateEndpoint(atlas, REF, { timeoutMs: 200 });
    const { error } = await settles(pending, 3_000);
    assert.match((error as Error).name, /TimeoutError$/);
    assert.ok(deaf.cancelled(), `${low ? "GET" : "getPrivateEndpoint"}: the body was cancelled`);
    // A read in flight at the cancel may still finish; none starts after it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const pulls = deaf.pulls();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(deaf.pulls(), pulls, "nothing more is read");
  }
});
