// The simulator's Digest authentication (as Atlas announces it) and its observability.
import assert from "node:assert/strict";
import { createAtlasSimulator } from "../../src/testing/atlas_simulator.ts";
import { challengeOf, createTestDigestClient, signedRequest } from "./_digest_helper.ts";
import { AWS_ID, BODIES, fixture, UNAUTHORIZED_BODY } from "./_simulator_fixture.ts";

Deno.test("createAtlasSimulator() challenges exactly as Atlas does, with Atlas's 401 body (no errorCode)", async () => {
  const f = fixture();
  const response = await f.sim.fetch(
    new Request(`http://127.0.0.1${f.sim.basePath}${f.item("AWS")}`),
  );
  assert.equal(response.status, 401);
  assert.match(
    response.headers.get("www-authenticate")!,
    /^Digest realm="MMS Public API", domain="", nonce="[0-9a-f]{60}", algorithm=MD5, qop="auth", stale=false$/,
  );
  assert.equal(response.headers.get("content-type"), "application/json");
  assert.deepEqual(await response.json(), UNAUTHORIZED_BODY);
});

Deno.test("createAtlasSimulator() rejects wrong keys with 401 and accepts each configured key", async () => {
  const sim = createAtlasSimulator({ apiKeys: { alpha: "alpha-secret", beta: "beta-secret" } });
  const { groupId, AWS } = sim.seed();
  const path = `/groups/${groupId}/privateEndpoint/AWS/endpointService/${AWS}/endpoint/${AWS_ID}`;
  const base = `http://127.0.0.1${sim.basePath}`;
  for (
    const [user, password, status] of [
      ["alpha", "alpha-secret", 404],
      ["beta", "beta-secret", 404],
      ["alpha", "beta-secret", 401],
      ["gamma", "alpha-secret", 401],
    ] as const
  ) {
    const response = await createTestDigestClient(sim.fetch, base, user, password)(path);
    assert.equal(response.status, status, `${user}/${password}`);
    const body = await response.json();
    if (status === 401) {
      assert.deepEqual(body, UNAUTHORIZED_BODY);
      assert.equal(challengeOf(response).stale, false);
    }
  }
  assert.equal(sim.stats.digest.rejected.credentials, 2);
});

Deno.test("createAtlasSimulator() answers stale=true after the nonce lifetime, on its clock", async () => {
  const f = fixture({ nonceLifetimeMs: 60_000 });
  assert.equal((await f.create("AWS")).status, 200);
  f.advance(60_001);
  const response = await f.client(f.item("AWS"));
  assert.equal(response.status, 200, "the client retried with the fresh nonce");
  await response.body?.cancel();
  const staleAnswer = f.sim.requestLog.at(-2)!;
  assert.equal(staleAnswer.status, 401);
  assert.equal(staleAnswer.authorization, true);
  assert.equal(f.sim.stats.staleNonces, 1);
});

Deno.test("createAtlasSimulator() rejects a replayed nc and counts it; strict policy rejects reordering", async () => {
  for (const ncPolicy of ["unique", "strict"] as const) {
    const f = fixture({ ncPolicy });
    const client = createTestDigestClient(
      f.sim.fetch,
      `http://127.0.0.1${f.sim.basePath}`,
      "simulator-public-key",
      "simulator-private-key",
    );
    await (await client(f.item("AWS"))).body?.cancel();
    await (await client(f.item("AWS"))).body?.cancel();
    const replayed = client.sent.at(-1)!;
    const replay = await f.sim.fetch(
      new Request(replayed.url, {
        headers: { authorization: replayed.headers.get("authorization")! },
      }),
    );
    assert.equal(replay.status, 401, ncPolicy);
    assert.equal(challengeOf(replay).stale, false);
    assert.deepEqual(await replay.json(), UNAUTHORIZED_BODY);
    assert.equal(f.sim.stats.ncViolations, 1, ncPolicy);
  }
  // Strict: nc 3 before nc 2 fails; unique accepts it.
  const sign = async (policy: "strict" | "unique") => {
    const f = fixture({ ncPolicy: policy });
    const first = await f.sim.fetch(
      new Request(`http://127.0.0.1${f.sim.basePath}${f.item("AWS")}`),
    );
    await first.body?.cancel();
    const c = challengeOf(first);
    const url = `http://127.0.0.1${f.sim.basePath}${f.item("AWS")}`;
    const creds = { username: "simulator-public-key", password: "simulator-private-key" };
    const statuses: number[] = [];
    for (const nc of [1, 3, 2]) {
      const response = await f.sim.fetch(await signedRequest(c, url, { ...creds, nc }));
      statuses.push(response.status);
      await response.body?.cancel();
    }
    return statuses;
  };
  assert.deepEqual(await sign("strict"), [404, 401, 404]);
  assert.deepEqual(await sign("unique"), [404, 404, 404]);
});

Deno.test("createAtlasSimulator() answers 400 when the Digest uri is not the request target", async () => {
  const f = fixture();
  const url = `http://127.0.0.1${f.sim.basePath}${f.item("AWS")}`;
  const first = await f.sim.fetch(new Request(url));
  await first.body?.cancel();
  const request = await signedRequest(challengeOf(first), `${url}?pretty=true`, {
    username: "simulator-public-key",
    password: "simulator-private-key",
    sentUri: f.sim.basePath + f.item("AWS"),
  });
  const response = await f.sim.fetch(request);
  assert.equal(response.status, 400);
  assert.equal(response.headers.get("www-authenticate"), null);
  assert.equal((await response.json()).errorCode, "INVALID_AUTHORIZATION_HEADER");
});

Deno.test("AtlasSimulator.requestLog and stats record every request", async () => {
  const f = fixture();
  await (await f.create("AWS")).body?.cancel();
  await (await f.client(`${f.item("AWS")}?pretty=true`)).body?.cancel();
  await (await f.client(f.item("AZURE"), { method: "DELETE" })).body?.cancel();
  const log = f.sim.requestLog.map((e) => [e.method, e.status, e.authorization, e.operation]);
  assert.deepEqual(log, [
    ["POST", 401, false, "create"],
    ["POST", 200, true, "create"],
    ["GET", 200, true, "get"],
    ["DELETE", 404, true, "delete"],
  ]);
  assert.equal(f.sim.requestLog[2]!.target, `${f.sim.basePath}${f.item("AWS")}?pretty=true`);
  assert.equal(f.sim.requestLog[2]!.path, `${f.sim.basePath}${f.item("AWS")}`);
  assert.equal(f.sim.requestLog[3]!.errorCode, "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND");
  const stats = f.sim.stats;
  assert.equal(stats.requests, 4);
  assert.equal(stats.authenticated, 3);
  assert.deepEqual(stats.byStatus, { 200: 2, 401: 1, 404: 1 });
  assert.equal(stats.digest.challenges, 1);
  assert.equal(stats.digest.accepted, 3);
  assert.equal(JSON.stringify(f.sim.requestLog).includes("simulator-private-key"), false);
  f.sim.clearLog();
  assert.equal(f.sim.requestLog.length, 0);
  assert.equal(f.sim.stats.requests, 0);
  assert.equal(f.sim.stats.digest.accepted, 0);
  // The log keeps at most maxLogEntries.
  const g = fixture({ maxLogEntries: 2 });
  for (let i = 0; i < 3; i++) await (await g.create("AWS", BODIES.AWS)).body?.cancel();
  assert.equal(g.sim.requestLog.length, 2);
});

Deno.test("createAtlasSimulator() validates its options", () => {
  assert.throws(() => createAtlasSimulator({ timeScale: -1 }), RangeError);
  assert.throws(() => createAtlasSimulator({ basePaths: ["api/v1"] }), RangeError);
  assert.throws(() => createAtlasSimulator({ basePaths: [] }), RangeError);
  assert.throws(() => createAtlasSimulator({ apiKeys: {} }), RangeError);
  assert.throws(() => createAtlasSimulator({ rateLimit: { limit: 0 } }), RangeError);
  assert.throws(
    () => createAtlasSimulator({ phases: { AWS: [{ status: "X", durationMs: -1 }] } }),
    RangeError,
  );
  assert.throws(() => createAtlasSimulator({ faults: [{ kind: "drop", count: 0 }] }), RangeError);
  assert.throws(
    () => createAtlasSimulator({ faults: [{ kind: "nope" as "drop" }] }),
    RangeError,
  );
  assert.throws(() => createAtlasSimulator().clock.advance(-5), RangeError);
});
