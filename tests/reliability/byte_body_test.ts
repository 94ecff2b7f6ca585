// Bodies that are byte streams of an announced length (as the runtime's fetch answers) are read
// into one buffer: still capped at maxResponseBytes whatever the length announced, and still
// ended (the download cancelled) when the call stops.
import assert from "node:assert/strict";
import {
  AtlasResponseTooLargeError,
  createAtlasClient,
  getPrivateEndpoint,
  type PrivateEndpoint,
  privateEndpointId,
  type RequestOptions,
} from "../../mod.ts";
import { CHALLENGE, PASSWORD, REF, settles, USER } from "./_hostile.ts";

const ENDPOINT = JSON.stringify({
  interfaceEndpointId: "vpce-0123456789abcdef0",
  connectionStatus: "AVAILABLE",
});

/**
 * A fetch answering with a byte stream that announces `announced` bytes and sends `body` in
 * chunks of `chunk` bytes, each after `pauseMs` (none: at once); counts the chunks and notes a
 * cancel.
 */
function byteFetch(
  body: Uint8Array,
  announced: number,
  chunk: number,
  pauseMs = 0,
): { fetch: (request: Request) => Promise<Response>; seen: { pulls: number; cancelled: boolean } } {
  const seen = { pulls: 0, cancelled: false };
  const fetch = (request: Request): Promise<Response> => {
    if (!request.headers.has("authorization")) {
      return Promise.resolve(
        new Response(null, { status: 401, headers: { "www-authenticate": CHALLENGE } }),
      );
    }
    let at = 0;
    const stream = new ReadableStream({
      type: "bytes",
      async pull(controller): Promise<void> {
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
        seen.pulls++;
        if (at >= body.length) {
          // As a byte source must: a pending read into a buffer ends with respond(0).
          controller.close();
          return controller.byobRequest?.respond(0);
        }
        controller.enqueue(body.slice(at, at + chunk));
        at += chunk;
      },
      cancel(): void {
        seen.cancelled = true;
      },
    });
    return Promise.resolve(
      new Response(stream, {
        status: 200,
        headers: { "content-type": "application/json", "content-length": String(announced) },
      }),
    );
  };
  return { fetch, seen };
}

function get(
  fetch: (request: Request) => Promise<Response>,
  options?: RequestOptions,
): Promise<PrivateEndpoint> {
  const atlas = createAtlasClient({
    publicKey: USER,
    privateKey: PASSWORD,
    baseUrl: "http://127.0.0.1:9/api/atlas/v1.0",
    allowInsecureHttp: true,
    fetch,
    retry: false,
  });
  return getPrivateEndpoint(atlas, REF, options);
}

Deno.test("a byte stream body is read whole, as announced, shorter or longer than announced", async () => {
  const bytes = new TextEncoder().encode(ENDPOINT);
  for (const announced of [bytes.length, 10, bytes.length + 50]) {
    for (const chunk of [1, 7, bytes.length]) {
      const { fetch } = byteFetch(bytes, announced, chunk);
      const endpoint = await get(fetch);
      assert.equal(privateEndpointId(endpoint), "vpce-0123456789abcdef0", `${announced}/${chunk}`);
    }
  }
});

Deno.test("a byte stream body that announces less than it sends is still capped at maxResponseBytes", async () => {
  const bytes = new TextEncoder().encode(
    ENDPOINT.replace("}", `,"padding":"${"x".repeat(5000)}"}`),
  );
  const { fetch, seen } = byteFetch(bytes, 100, 64);
  const { error } = await settles(get(fetch, { maxResponseBytes: 1000 }), 5_000);
  assert.ok(error instanceof AtlasResponseTooLargeError, `got ${error}`);
  assert.equal(error.limitBytes, 1000);
  assert.ok(seen.cancelled, "the body was cancelled");
  assert.ok(seen.pulls <= 1000 / 64 + 3, `${seen.pulls} chunks read`);
});

Deno.test("a paced byte stream body ends when the call times out, and is cancelled", async () => {
  const bytes = new TextEncoder().encode(ENDPOINT);
  const { fetch, seen } = byteFetch(bytes, bytes.length, 1, 20);
  const { error } = await settles(get(fetch, { timeoutMs: 150 }), 3_000);
  assert.match((error as Error).name, /TimeoutError$/);
  assert.ok(seen.cancelled, "the body was cancelled");
  await new Promise((resolve) => setTimeout(resolve, 40));
  const pulls = seen.pulls;
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(seen.pulls, pulls, "nothing more is read");
});
