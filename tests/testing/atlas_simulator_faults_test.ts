// Fault injection and rate limiting in the simulator, in-process and over loopback.
import assert from "node:assert/strict";
import { DropConnection, serve } from "../../src/testing/serve.ts";
import { DEFAULT_SIMULATOR_API_KEY } from "../../src/testing/atlas_simulator.ts";
import { createTestDigestClient } from "./_digest_helper.ts";
import { AWS_ID, fixture } from "./_simulator_fixture.ts";

Deno.test("createAtlasSimulator() answers 429 with Retry-After for the next N requests", async () => {
  const f = fixture();
  f.sim.injectFault({ kind: "rate-limit", count: 2, retryAfterSeconds: 7 });
  for (let i = 0; i < 2; i++) {
    const response = await f.client(f.item("AWS"));
    assert.equal(response.status, 429);
    assert.equal(response.headers.get("retry-after"), "7");
    const body = await response.json();
    assert.equal(body.errorCode, "RATE_LIMITED");
    assert.equal(body.reason, "Too Many Requests");
  }
  assert.equal((await f.client(f.item("AWS"))).status, 404, "the fault is used up");
  assert.equal(f.sim.stats.faults, 2);
  assert.equal(f.sim.requestLog.filter((e) => e.fault === "rate-limit").length, 2);
  // The unauthenticated probe is never faulted: the first request was a 401 challenge.
  assert.equal(f.sim.requestLog[0]!.status, 401);
});

Deno.test("createAtlasSimulator() injects 500 and 503 (with Retry-After), filtered by operation", async () => {
  const f = fixture({
    faults: [
      { kind: "server-error", operation: "create" },
      { kind: "unavailable", method: "delete", retryAfterSeconds: 0 },
    ],
  });
  const get = await f.client(f.item("AWS"));
  assert.equal(get.status, 404, "a GET matches neither fault");
  await get.body?.cancel();
  const create = await f.create("AWS");
  assert.equal(create.status, 500);
  assert.equal((await create.json()).errorCode, "UNEXPECTED_ERROR");
  assert.equal(f.sim.listEndpoints().length, 0, "a 500 creates nothing");
  const remove = await f.client(f.item("AWS"), { method: "DELETE" });
  assert.equal(remove.status, 503);
  assert.equal(remove.headers.get("retry-after"), "0");
  assert.equal((await remove.json()).errorCode, "SERVICE_UNAVAILABLE");
});

Deno.test("createAtlasSimulator() injects faults with a probability until cleared", async () => {
  const rolls = [0.05, 0.5, 0.05];
  const f = fixture({ random: () => rolls.shift() ?? 0.9 });
  f.sim.injectFault({ kind: "server-error", probability: 0.1 });
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const response = await f.client(f.item("AWS"));
    statuses.push(response.status);
    await response.body?.cancel();
  }
  assert.deepEqual(statuses, [500, 404, 500, 404]);
  f.sim.clearFaults();
  rolls.push(0);
  assert.equal((await f.client(f.item("AWS"))).status, 404);
});

Deno.test("createAtlasSimulator() drop rejects in-process fetch with a TypeError, like a network error", async () => {
  const f = fixture();
  f.sim.injectFault({ kind: "drop" });
  const error = await f.create("AWS").then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof TypeError);
  assert.ok(error instanceof DropConnection);
  assert.equal(f.sim.listEndpoints().length, 0);
  const entry = f.sim.requestLog.at(-1)!;
  assert.deepEqual([entry.status, entry.fault], [0, "drop"]);
  assert.equal(f.sim.stats.byStatus["0"], 1);
});

Deno.test("createAtlasSimulator() drop-response applies the request but loses the answer", async () => {
  const f = fixture();
  f.sim.injectFault({ kind: "drop-response", operation: "create" });
  await assert.rejects(f.create("AWS"), TypeError);
  assert.equal(f.sim.listEndpoints().length, 1, "the endpoint was created");
  const retry = await f.create("AWS");
  assert.equal(retry.status, 409);
  assert.equal((await retry.json()).errorCode, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS");
});

Deno.test("createAtlasSimulator() drop destroys the connection under serve()", async () => {
  const f = fixture();
  // Without keep-alive: Deno's fetch silently resends a request whose reused connection drops.
  const server = await serve(f.sim.fetch, { keepAlive: false });
  try {
    const client = createTestDigestClient(
      (request) => fetch(request),
      `${server.url}${f.sim.basePath}`,
      DEFAULT_SIMULATOR_API_KEY.publicKey,
      DEFAULT_SIMULATOR_API_KEY.privateKey,
    );
    f.sim.injectFault({ kind: "drop" });
    await assert.rejects(client(f.item("AWS")), TypeError);
    const after = await client(f.item("AWS"));
    assert.equal(after.status, 404);
    await after.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("createAtlasSimulator() delays responses by latencyMs and by latency faults", async () => {
  const seen: string[] = [];
  const f = fixture({
    latencyMs: (info) => {
      seen.push(`${info.method} ${info.operation ?? "-"}`);
      return 20;
    },
  });
  let started = performance.now();
  await (await f.client(f.item("AWS"))).body?.cancel();
  assert.ok(performance.now() - started >= 35, "two round trips of 20 ms");
  assert.deepEqual(seen, ["GET get", "GET get"]);
  f.sim.injectFault({ kind: "latency", latencyMs: 40 });
  started = performance.now();
  await (await f.client(f.item("AWS"))).body?.cancel();
  assert.ok(performance.now() - started >= 55);
});

Deno.test("createAtlasSimulator() rejects with the abort reason when the request aborts during latency", async () => {
  const f = fixture({ latencyMs: 5_000 });
  const controller = new AbortController();
  const request = new Request(`http://127.0.0.1${f.sim.basePath}${f.item("AWS")}`, {
    signal: controller.signal,
  });
  const pending = f.sim.fetch(request);
  setTimeout(() => controller.abort(), 10);
  await assert.rejects(pending, (error: unknown) => (error as Error).name === "AbortError");
  const aborted = new AbortController();
  aborted.abort(new Error("gone"));
  await assert.rejects(
    f.sim.fetch(new Request("http://127.0.0.1/", { signal: aborted.signal })),
    /gone/,
  );
});

Deno.test("createAtlasSimulator() enforces rateLimit per project with RateLimit headers and Retry-After", async () => {
  const f = fixture({ rateLimit: { limit: 3, windowMs: 60_000 } });
  const remaining: (string | null)[] = [];
  const created = await f.create("AWS");
  remaining.push(created.headers.get("ratelimit-remaining"));
  await created.body?.cancel();
  for (let i = 0; i < 2; i++) {
    const response = await f.client(f.item("AWS"));
    assert.equal(response.headers.get("ratelimit-limit"), "3");
    remaining.push(response.headers.get("ratelimit-remaining"));
    await response.body?.cancel();
  }
  assert.deepEqual(remaining, ["2", "1", "0"]);
  f.advance(20_000);
  const limited = await f.client(f.item("AWS"));
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after"), "40");
  const body = await limited.json();
  assert.equal(body.errorCode, "RATE_LIMITED");
  assert.deepEqual(body.parameters.slice(1), [3, 1]);
  // Another project has its own bucket; this one is refilled windowMs after its first request.
  const other = f.sim.seed();
  const otherPath = f.item("AWS").replace(f.project.groupId, other.groupId).replace(
    f.project.AWS,
    other.AWS,
  );
  assert.equal((await f.client(otherPath)).status, 404);
  f.advance(40_000);
  const reopened = await f.client(f.item("AWS"));
  assert.equal(reopened.status, 200);
  assert.equal(reopened.headers.get("ratelimit-remaining"), "2");
  assert.equal((await reopened.json()).interfaceEndpointId, AWS_ID);
});
