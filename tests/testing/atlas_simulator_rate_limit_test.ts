// The simulator's rate limit as Atlas's: a token bucket per project, RateLimit-* headers on every
// answer while it is on, 429 with Retry-After and Atlas's body; in-process with the library's
// client (on the simulator's clock) and over serve() with plain fetch (on real, scaled time).
import assert from "node:assert/strict";
import {
  AtlasApiError,
  type AtlasClient,
  createAtlasClient,
  createPrivateEndpoint,
  getPrivateEndpoint,
  privateEndpointId,
  type RateLimitEvent,
  type RetryEvent,
} from "../../mod.ts";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
  type SeededProject,
} from "../../src/testing/atlas_simulator.ts";
import { type RunningServer, serve } from "../../src/testing/serve.ts";
import { AWS_ID, fixture } from "./_simulator_fixture.ts";

const V2_MEDIA = "application/vnd.atlas.2023-01-01+json";

interface InProcess {
  simulator: AtlasSimulator;
  project: SeededProject;
  client: AtlasClient;
  events: RateLimitEvent[];
  pauses: number[];
  ref(p: SeededProject): { groupId: string; endpointServiceId: string; cloudProvider: "AWS" };
  endpoint(p?: SeededProject): ReturnType<InProcess["ref"]> & { endpointId: string };
  advance(ms: number): void;
}

/**
 * A simulator on a manual clock, and the library's client on it, retrying (and, with `budget`,
 * pacing its requests) on that clock; without its request budget unless `budget` is set.
 */
function inProcess(options: AtlasSimulatorOptions, budget = false): InProcess {
  let now = 1_700_000_000_000;
  const simulator = createAtlasSimulator({ now: () => now, ...options });
  const project = simulator.seed();
  const events: RateLimitEvent[] = [];
  const pauses: number[] = [];
  const client = createAtlasClient({
    ...DEFAULT_SIMULATOR_API_KEY,
    fetch: simulator.fetch,
    // The client's own budget would hold back the requests these tests send into the limit.
    ...(budget ? {} : { rateLimit: false as const }),
    onRateLimit: (event) => events.push(event),
    retry: {
      clock: { now: () => now, sleep: (ms) => Promise.resolve(void (now += ms, pauses.push(ms))) },
    },
  });
  const ref = (p: SeededProject) => ({
    groupId: p.groupId,
    endpointServiceId: p.AWS,
    cloudProvider: "AWS" as const,
  });
  return {
    simulator,
    project,
    client,
    events,
    pauses,
    ref,
    endpoint: (p: SeededProject = project) => ({ ...ref(p), endpointId: AWS_ID }),
    advance: (ms: number) => void (now += ms),
  };
}

interface Served {
  simulator: AtlasSimulator;
  project: SeededProject;
  server: RunningServer;
  get(path: string, v2?: boolean, authorized?: boolean): Promise<Response>;
  services(p: SeededProject): string;
}

/** A served simulator and plain fetch with a service account's bearer token. */
async function served(options: AtlasSimulatorOptions): Promise<Served> {
  const simulator = createAtlasSimulator(options);
  const project = simulator.seed();
  const server = await serve(simulator.fetch);
  const { clientId, clientSecret } = DEFAULT_SIMULATOR_SERVICE_ACCOUNT;
  const minted = await fetch(`${server.url}/api/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  const { access_token: token } = await minted.json();
  const get = (path: string, v2 = false, authorized = true): Promise<Response> =>
    fetch(`${server.url}${v2 ? simulator.v2BasePath : simulator.basePath}${path}`, {
      headers: {
        ...(authorized ? { authorization: `Bearer ${token}` } : {}),
        ...(v2 ? { accept: V2_MEDIA } : {}),
      },
    });
  const services = (p: SeededProject) => `/groups/${p.groupId}/privateEndpoint/AWS/endpointService`;
  return { simulator, project, server, get, services };
}

/** Reads a response's rate-limit headers and discards its body. */
async function rate(response: Response): Promise<(string | null)[]> {
  await response.body?.cancel();
  return ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "retry-after"].map((h) =>
    response.headers.get(h)
  );
}

Deno.test("createAtlasSimulator() rateLimit sends RateLimit-Limit, -Remaining, -Reset, counting down, to the client", async () => {
  const t = inProcess({ rateLimit: { limit: 5, refill: 1, windowMs: 10_000 } });
  await createPrivateEndpoint(t.client, { ...t.ref(t.project), id: AWS_ID });
  for (let i = 0; i < 3; i++) await getPrivateEndpoint(t.client, t.endpoint());
  // 5 tokens, 1 back every 10 s: after 4 requests at one instant, 1 left, full in 40 s.
  assert.deepEqual(t.events.map((e) => [e.status, e.limit, e.remaining, e.resetSeconds]), [
    [200, 5, 4, 10],
    [200, 5, 3, 20],
    [200, 5, 2, 30],
    [200, 5, 1, 40],
  ]);
  const state = t.simulator.getRateLimit(t.project.groupId);
  assert.deepEqual(state, {
    enforced: true,
    limit: 5,
    remaining: 1,
    nextRefillMs: 10_000,
    resetMs: 40_000,
    rejected: 0,
  });
  // Errors of the project carry them too (here a 404), and take a token.
  const missing = await getPrivateEndpoint(t.client, {
    ...t.endpoint(),
    endpointId: "vpce-0aaaaaaaaaaaaaaaa",
  })
    .catch((e) => e);
  assert.ok(missing instanceof AtlasApiError && missing.status === 404);
  assert.deepEqual(missing.rateLimit, { limit: 5, remaining: 0, resetSeconds: 50 });
});

Deno.test("createAtlasSimulator() rateLimit refills its bucket over simulated time, refill tokens per windowMs", async () => {
  const f = fixture({ rateLimit: { limit: 3, refill: 1, windowMs: 60_000 } });
  assert.equal((await f.create("AWS")).status, 200);
  for (let i = 0; i < 2; i++) await rate(await f.client(f.item("AWS")));
  f.advance(15_000);
  const limited = await f.client(f.item("AWS"));
  assert.equal(limited.status, 429);
  // The next token comes 60 s after the first request; the bucket is full 3 periods after it.
  assert.deepEqual(await rate(limited), ["3", "0", "165", "45"]);
  f.advance(44_999);
  assert.equal((await f.client(f.item("AWS"))).status, 429);
  f.advance(1);
  const refilled = await f.client(f.item("AWS"));
  assert.equal(refilled.status, 200);
  assert.deepEqual(await rate(refilled), ["3", "0", "180", null]);
  // Full again after 3 periods; a full bucket starts a new period with the token taken from it.
  f.advance(3 * 60_000 + 30_000);
  assert.deepEqual((await rate(await f.client(f.item("AWS")))).slice(0, 3), ["3", "2", "60"]);
  assert.equal(f.sim.stats.rateLimited, 2);
});

Deno.test("createAtlasSimulator() rateLimit scales windowMs by timeScale (and not by a timeScale of 0)", async () => {
  // rateLimit: true is Atlas's 100 per minute; at timeScale 0.01 a minute is 600 ms.
  const scaled = fixture({ timeScale: 0.01, rateLimit: true });
  const unscaled = fixture({ timeScale: 0, rateLimit: true });
  for (const f of [scaled, unscaled]) {
    assert.equal((await f.create("AWS")).status, 200);
    for (let i = 0; i < 99; i++) assert.equal((await f.client(f.item("AWS"))).status, 200);
    const limited = await f.client(f.item("AWS"));
    assert.equal(limited.status, 429);
    assert.equal((await limited.json()).errorCode, "RATE_LIMITED");
    f.advance(600);
  }
  assert.deepEqual((await rate(await scaled.client(scaled.item("AWS")))).slice(0, 2), [
    "100",
    "99",
  ]);
  assert.equal((await unscaled.client(unscaled.item("AWS"))).status, 429);
  unscaled.advance(59_400);
  assert.equal((await unscaled.client(unscaled.item("AWS"))).status, 200);
});

Deno.test("createAtlasSimulator() rateLimit keeps one bucket per project and counts 429s per project", async () => {
  const t = inProcess({ rateLimit: { limit: 2 }, timeScale: 0 });
  const other = t.simulator.seed();
  await createPrivateEndpoint(t.client, { ...t.ref(t.project), id: AWS_ID });
  await createPrivateEndpoint(t.client, { ...t.ref(other), id: AWS_ID });
  await getPrivateEndpoint(t.client, t.endpoint());
  const limited = await getPrivateEndpoint(t.client, t.endpoint(), { retry: false }).catch((e) =>
    e
  );
  assert.ok(limited instanceof AtlasApiError && limited.status === 429);
  // The other project still has its second token.
  const read = await getPrivateEndpoint(t.client, t.endpoint(other), { retry: false });
  assert.equal(privateEndpointId(read), AWS_ID);
  assert.equal(t.simulator.getRateLimit(other.groupId).remaining, 0);
  assert.equal(t.simulator.stats.rateLimited, 1);
  assert.deepEqual(t.simulator.stats.rateLimitedByProject, { [t.project.groupId]: 1 });
  assert.equal(t.simulator.getRateLimit(t.project.groupId).rejected, 1);
  assert.deepEqual(
    t.simulator.requestLog.filter((e) => e.status === 429).map((e) => e.groupId),
    [t.project.groupId],
  );
  // An injected rate-limit fault is not the limit's 429.
  t.simulator.injectFault({ kind: "rate-limit" });
  await getPrivateEndpoint(t.client, t.endpoint(other), { retry: false }).catch(() => {});
  assert.equal(t.simulator.stats.rateLimited, 1);
  t.simulator.clearLog();
  assert.equal(t.simulator.stats.rateLimited, 0);
  assert.equal(t.simulator.getRateLimit(t.project.groupId).remaining, 0, "buckets stay");
});

Deno.test("createAtlasSimulator() rateLimit lets the client's retry honour Retry-After on the simulator's clock", async () => {
  const t = inProcess({ rateLimit: { limit: 2, refill: 1, windowMs: 30_000 } });
  const retries: RetryEvent[] = [];
  await createPrivateEndpoint(t.client, { ...t.ref(t.project), id: AWS_ID });
  t.advance(12_000);
  await getPrivateEndpoint(t.client, t.endpoint());
  const read = await getPrivateEndpoint(t.client, t.endpoint(), {
    retry: { onRetry: (event) => retries.push(event) },
  });
  assert.equal(privateEndpointId(read), AWS_ID);
  // One 429 asked for the 18 s left of the period; the client paused exactly that, then got in.
  assert.deepEqual(retries.map((e) => [e.error.name, e.delayMs]), [["AtlasApiError", 18_000]]);
  assert.deepEqual(t.pauses, [18_000]);
  assert.deepEqual(t.simulator.requestLog.filter((e) => e.authorization).map((e) => e.status), [
    200,
    200,
    429,
    200,
  ]);
  assert.equal(t.events.at(-2)?.retryAfterSeconds, 18);
  assert.equal(t.simulator.stats.rateLimited, 1);
});

Deno.test("createAtlasSimulator() rateLimit answers 429 with Retry-After and Atlas's bodies over serve(), v2 and v1.0", async () => {
  const s = await served({ rateLimit: { limit: 2, refill: 1, windowMs: 120_000 } });
  try {
    const first = await s.get(s.services(s.project), true);
    assert.equal(first.status, 200);
    assert.deepEqual(await rate(first), ["2", "1", "120", null]);
    await rate(await s.get(s.services(s.project), true));
    const v2 = await s.get(s.services(s.project), true);
    assert.equal(v2.status, 429);
    const [limit, remaining, reset, retryAfter] = [
      "ratelimit-limit",
      "ratelimit-remaining",
      "ratelimit-reset",
      "retry-after",
    ].map((h) => v2.headers.get(h));
    assert.deepEqual([limit, remaining], ["2", "0"]);
    assert.match(retryAfter!, /^\d+$/);
    assert.ok(Number(retryAfter) >= 119 && Number(retryAfter) <= 120);
    assert.ok(Number(reset) >= 239 && Number(reset) <= 240);
    const path = `api/atlas/v2${s.services(s.project)}`;
    assert.deepEqual(await v2.json(), {
      error: 429,
      reason: "Too Many Requests",
      errorCode: "RATE_LIMITED_TOKEN_BUCKET",
      detail: `Rate limit exceeded for ${path}. Please retry after ${retryAfter} seconds. ` +
        "Request capacity: 2. Refill rate: 1 per 120 seconds.",
      parameters: [path, Number(retryAfter), 2, 1, 120],
    });
    const v1 = await s.get(s.services(s.project));
    assert.equal(v1.status, 429);
    assert.equal(v1.headers.get("retry-after"), retryAfter);
    const body = await v1.json();
    assert.equal(body.errorCode, "RATE_LIMITED");
    assert.deepEqual(body.parameters.slice(1), [2, 2]);
  } finally {
    await s.server.close();
  }
});

Deno.test("createAtlasSimulator() rateLimit refills on real time times timeScale over serve()", async () => {
  // windowMs 60 s at timeScale 0.01: one token back every 600 ms of real time.
  const s = await served({ timeScale: 0.01, rateLimit: { limit: 2, refill: 1 } });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await s.get(s.services(s.project), true);
      statuses.push(response.status);
      if (response.status === 429) assert.equal(response.headers.get("retry-after"), "1");
      await rate(response);
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    await new Promise((resolve) => setTimeout(resolve, 650));
    const again = await s.get(s.services(s.project), true);
    assert.equal(again.status, 200);
    assert.deepEqual((await rate(again)).slice(0, 2), ["2", "0"]);
  } finally {
    await s.server.close();
  }
});

Deno.test("createAtlasSimulator() rateLimit does not count requests that fail authentication", async () => {
  const s = await served({ rateLimit: { limit: 3 } });
  try {
    for (let i = 0; i < 5; i++) {
      const refused = await s.get(s.services(s.project), true, false);
      assert.equal(refused.status, 401);
      assert.deepEqual(await rate(refused), [null, null, null, null]);
    }
    assert.equal(s.simulator.getRateLimit(s.project.groupId).remaining, 3);
    const ok = await s.get(s.services(s.project), true);
    assert.deepEqual((await rate(ok)).slice(0, 2), ["3", "2"]);
  } finally {
    await s.server.close();
  }
});

Deno.test("createAtlasSimulator() without rateLimit enforces and counts nothing: a client's default budget is never slowed", async () => {
  // The client's default budget (rate limit on) follows RateLimit-Remaining; a simulator that
  // counted down without enforcing would make it pause, on the clock whose sleeps are recorded.
  const t = inProcess({}, true);
  await createPrivateEndpoint(t.client, { ...t.ref(t.project), id: AWS_ID });
  for (let i = 0; i < 120; i++) await getPrivateEndpoint(t.client, t.endpoint(), { retry: false });
  assert.deepEqual(t.pauses, []);
  assert.deepEqual(t.events.slice(0, 2).map((e) => [e.limit, e.remaining, e.resetSeconds]), [
    [100, 100, undefined],
    [100, 100, undefined],
  ]);
  assert.deepEqual(t.events.at(-1) && [t.events.at(-1)!.status, t.events.at(-1)!.remaining], [
    200,
    100,
  ]);
  assert.equal(t.simulator.stats.rateLimited, 0);
  assert.equal(t.simulator.getRateLimit(t.project.groupId).enforced, false);
  const missing = await getPrivateEndpoint(t.client, {
    ...t.endpoint(),
    endpointId: "vpce-0aaaaaaaaaaaaaaaa",
  })
    .catch((e) => e);
  assert.ok(missing instanceof AtlasApiError && missing.status === 404);
  assert.equal(missing.rateLimit, undefined);
});

Deno.test("createAtlasSimulator() rateLimit: resetHeader false leaves RateLimit-Reset out", async () => {
  const f = fixture({ rateLimit: { limit: 1, resetHeader: false } });
  assert.deepEqual(await rate(await f.client(f.item("AWS"))), ["1", "0", null, null]);
  const limited = await f.client(f.item("AWS"));
  assert.equal(limited.status, 429);
  assert.deepEqual(await rate(limited), ["1", "0", null, "60"]);
});

Deno.test("createAtlasSimulator() checks rateLimit eagerly", () => {
  for (
    const rateLimit of [
      { limit: 0 },
      { limit: 1.5 },
      { refill: 0 },
      { windowMs: 0 },
      { windowMs: Infinity },
      { resetHeader: "yes" },
      "on",
    ]
  ) {
    assert.throws(
      () => createAtlasSimulator({ rateLimit: rateLimit as never }),
      (e: unknown) =>
        e instanceof RangeError && /^Cannot create Atlas simulator: rateLimit/.test(e.message),
      JSON.stringify(rateLimit),
    );
  }
  const sim: AtlasSimulator = createAtlasSimulator({ rateLimit: { limit: 3, refill: 9 } });
  assert.equal(sim.getRateLimit("32b6e34b3d91647abb20e7b8").limit, 3);
  const off = createAtlasSimulator({ rateLimit: false }).getRateLimit("32b6e34b3d91647abb20e7b8");
  assert.deepEqual([off.enforced, off.limit], [false, 100]);
});
