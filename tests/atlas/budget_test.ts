// The client's request budget (createAtlasClient's `rateLimit`) against the simulator's rate
// limit: the RateLimit-* headers followed, a 429's Retry-After honoured for the whole project,
// many concurrent waits within the limit, the budget off, and calls aborted while they wait for a
// token. Time is a clock shared by the simulator and the client: a manual one, or real time run
// a thousand times faster (so that whole-second headers cost milliseconds).
import assert from "node:assert/strict";
import {
  type AtlasClient,
  AtlasTimeoutError,
  AtlasValidationError,
  createAtlasClient,
  createEndpointService,
  createPrivateEndpoint,
  getPrivateEndpoint,
  type PrivateEndpointRef,
  privateEndpointStatus,
  type RateLimitOptions,
  systemClock,
  type WaitClock,
  waitForEndpointService,
  waitForPrivateEndpoint,
  waitForPrivateEndpoints,
} from "../../mod.ts";
import { Budget } from "../../src/atlas/_budget.ts";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  type SeededProject,
} from "../../src/testing/atlas_simulator.ts";

const START = 1_700_000_000_000;

/** A clock on real time run `scale` times faster. */
function fastClock(scale: number): WaitClock {
  const started = performance.now();
  return {
    now: () => START + Math.floor((performance.now() - started) * scale),
    // Rounded up: a timer must not end before the time asked, as read on this clock.
    sleep: (ms, signal) => systemClock.sleep(Math.ceil(ms / scale) + 1, signal),
  };
}

/** A clock that moves only when slept on. */
function manualClock(): WaitClock & { slept: number[] } {
  let now = START;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: (ms, signal) => {
      signal?.throwIfAborted();
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    slept,
  };
}

interface Setup {
  simulator: AtlasSimulator;
  project: SeededProject;
  atlas: AtlasClient;
  service: { groupId: string; endpointServiceId: string; cloudProvider: "AWS" };
  ref(i: number): PrivateEndpointRef;
  /** Simulator times of the authenticated requests to a project (challenges take no token). */
  times(groupId?: string): { time: number; status: number }[];
}

/** The simulator and a client on `clock`, with a seeded project (AWS service). */
function setup(
  clock: WaitClock,
  options: AtlasSimulatorOptions,
  rateLimit?: RateLimitOptions | false,
): Setup {
  // Nonces that outlive the fast clock's minutes.
  const simulator = createAtlasSimulator({ now: clock.now, nonceLifetimeMs: 1e12, ...options });
  const project = simulator.seed();
  const atlas = createAtlasClient({
    ...DEFAULT_SIMULATOR_API_KEY,
    fetch: simulator.fetch,
    retry: { clock },
    ...(rateLimit === undefined ? {} : { rateLimit }),
  });
  const service = {
    groupId: project.groupId,
    endpointServiceId: project.AWS,
    cloudProvider: "AWS" as const,
  };
  const ref = (i: number) => ({ ...service, endpointId: vpce(i) });
  const times = (groupId = project.groupId) =>
    simulator.requestLog.filter((e) => e.authorization && e.path.includes(groupId)).map((e) => ({
      time: e.time - START,
      status: e.status,
    }));
  return { simulator, project, atlas, service, ref, times };
}

const vpce = (i: number): string => `vpce-${i.toString(16).padStart(17, "0")}`;

Deno.test("createAtlasClient() rateLimit follows RateLimit-Remaining and -Reset: it waits for the refill, meets no 429", async () => {
  const clock = manualClock();
  const t = setup(clock, { rateLimit: { limit: 5, windowMs: 60_000 } });
  await createPrivateEndpoint(t.atlas, { ...t.service, id: vpce(1) });
  for (let i = 0; i < 11; i++) await getPrivateEndpoint(t.atlas, t.ref(1));
  assert.equal(t.simulator.stats.rateLimited, 0);
  // Five per window: the client read Remaining fall to 0, and slept until the Reset it was given.
  assert.deepEqual(t.times().map((e) => e.time), [
    ...Array(5).fill(0),
    ...Array(5).fill(60_000),
    ...Array(2).fill(120_000),
  ]);
  assert.deepEqual(clock.slept, [60_000, 60_000]);
});

Deno.test("createAtlasClient() rateLimit without RateLimit-Reset refills at its own rate and honours the 429 it then meets", async () => {
  const clock = manualClock();
  const t = setup(clock, { rateLimit: { limit: 3, windowMs: 60_000, resetHeader: false } }, {
    requestsPerMinute: 6,
  });
  await createPrivateEndpoint(t.atlas, { ...t.service, id: vpce(1) });
  for (let i = 0; i < 5; i++) await getPrivateEndpoint(t.atlas, t.ref(1));
  // Three at once (Remaining 2, 1, 0); a try after 10 s (6 per minute) meets the 429, whose
  // Retry-After (50 s) holds everything back until the refill; then the rest.
  assert.deepEqual(t.times().map((e) => [e.time, e.status]), [
    [0, 200],
    [0, 200],
    [0, 200],
    [10_000, 429],
    [60_000, 200],
    [60_000, 200],
    [60_000, 200],
  ]);
  assert.equal(t.simulator.stats.rateLimited, 1);
});

Deno.test("createAtlasClient() rateLimit sends nothing more to a project after a 429 until Retry-After, while other projects go on", async () => {
  const clock = fastClock(100);
  const t = setup(clock, {});
  const other = t.simulator.seed();
  const otherRef = {
    groupId: other.groupId,
    endpointServiceId: other.AWS,
    cloudProvider: "AWS" as const,
    endpointId: vpce(2),
  };
  await createPrivateEndpoint(t.atlas, { ...t.service, id: vpce(1) });
  const { endpointId: _, ...otherService } = otherRef;
  await createPrivateEndpoint(t.atlas, { ...otherService, id: vpce(2) });
  t.simulator.injectFault({ kind: "rate-limit", retryAfterSeconds: 30, method: "GET", count: 1 });
  let more: Promise<unknown> | undefined;
  await getPrivateEndpoint(t.atlas, t.ref(1), {
    retry: {
      // As the 429 comes back: more reads of this project, and one of the other.
      onRetry: () => {
        more ??= Promise.all([
          getPrivateEndpoint(t.atlas, t.ref(1)),
          getPrivateEndpoint(t.atlas, t.ref(1)),
          getPrivateEndpoint(t.atlas, otherRef),
        ]);
      },
    },
  });
  await more;
  const reads = t.times().slice(1);
  assert.equal(reads[0]?.status, 429);
  const limitedAt = reads[0]!.time;
  assert.equal(reads.length, 4);
  for (const read of reads.slice(1)) {
    assert.equal(read.status, 200);
    assert.ok(read.time >= limitedAt + 30_000, `a read ${read.time - limitedAt} ms after the 429`);
  }
  const [otherRead] = t.times(other.groupId).slice(1);
  assert.ok(otherRead!.time < limitedAt + 30_000, "the other project waited too");
});

Deno.test("waitForPrivateEndpoint() many at once on one client, under the simulator's limit, meet no 429", async () => {
  const clock = fastClock(1_000);
  // A starting rate below the simulator's limit (the default, 50 a minute, is above this one):
  // from the first answer on, the simulator's headers govern.
  const t = setup(clock, {
    rateLimit: { limit: 10, windowMs: 60_000 },
    phases: {
      AWS: [{ status: "PENDING_ACCEPTANCE", durationMs: 30_000 }, {
        status: "PENDING",
        durationMs: 30_000,
      }],
    },
  }, { requestsPerMinute: 5, burst: 5 });
  const count = 25;
  await Promise.all(
    Array.from(
      { length: count },
      (_, i) => createPrivateEndpoint(t.atlas, { ...t.service, id: vpce(i) }),
    ),
  );
  const ready = await Promise.all(
    Array.from({ length: count }, (_, i) => waitForPrivateEndpoint(t.atlas, t.ref(i), { clock })),
  );
  assert.deepEqual(new Set(ready.map(privateEndpointStatus)), new Set(["AVAILABLE"]));
  assert.equal(t.simulator.stats.rateLimited, 0);
  assert.equal(t.simulator.getRateLimit(t.project.groupId).rejected, 0);
});

Deno.test("waitForPrivateEndpoint() alone sees a status change within one poll interval", async () => {
  // On a clock that moves only when slept on: every pause is the wait's own, none the budget's.
  const clock = manualClock();
  const t = setup(clock, { rateLimit: true });
  await createPrivateEndpoint(t.atlas, { ...t.service, id: vpce(1) });
  const seen: [string, number][] = [];
  await waitForPrivateEndpoint(t.atlas, t.ref(1), {
    clock,
    pollIntervalMs: 1_000,
    maxPollIntervalMs: 1_000,
    onStatus: ({ status, elapsedMs }) => seen.push([status, elapsedMs]),
  });
  // AWS: PENDING_ACCEPTANCE 2 s, PENDING 3 s, then AVAILABLE: seen by the read at 5 s.
  assert.deepEqual(seen, [["PENDING_ACCEPTANCE", 0], ["PENDING", 2_000], ["AVAILABLE", 5_000]]);
  assert.deepEqual(clock.slept, Array(5).fill(1_000));
  assert.equal(t.times().length, 7); // the create and six reads
});

Deno.test("createAtlasClient() rateLimit: false sends at once; a budget paces at its rate", async () => {
  const paced = async (rateLimit: RateLimitOptions | false): Promise<number[]> => {
    const clock = manualClock();
    const atlas = createAtlasClient({
      ...DEFAULT_SIMULATOR_API_KEY,
      rateLimit,
      retry: { clock },
      fetch: () => Promise.resolve(Response.json({ connectionStatus: "PENDING" })),
    });
    const ref = {
      groupId: "32b6e34b3d91647abb20e7b8",
      endpointServiceId: "5f4fc14da2b47835a58c63a2",
      cloudProvider: "AWS" as const,
      endpointId: vpce(1),
    };
    await Promise.all(Array.from({ length: 30 }, () => getPrivateEndpoint(atlas, ref)));
    return clock.slept;
  };
  assert.deepEqual(await paced(false), []);
  // The default: a burst of 10, then 50 a minute (1.2 s apart).
  const slept = await paced({});
  assert.equal(slept.length, 20);
  assert.ok(slept.every((ms) => Math.abs(ms - 1_200) < 1e-6), String(slept));
  assert.equal((await paced({ requestsPerMinute: 600, burst: 30 })).length, 0);
});

Deno.test("createAtlasClient() rateLimit: a call waiting for a token ends at its timeout or abort, and sends nothing", async () => {
  let sent = 0;
  const atlas = createAtlasClient({
    ...DEFAULT_SIMULATOR_API_KEY,
    rateLimit: { requestsPerMinute: 1, burst: 1 },
    fetch: () => (sent++, Promise.resolve(Response.json({ connectionStatus: "PENDING" }))),
  });
  const ref = {
    groupId: "32b6e34b3d91647abb20e7b8",
    endpointServiceId: "5f4fc14da2b47835a58c63a2",
    cloudProvider: "AWS" as const,
    endpointId: vpce(1),
  };
  await getPrivateEndpoint(atlas, ref);
  let started = performance.now();
  await assert.rejects(getPrivateEndpoint(atlas, ref, { timeoutMs: 50 }), AtlasTimeoutError);
  assert.ok(performance.now() - started < 1_000);
  const controller = new AbortController();
  const reason = new Error("stop");
  started = performance.now();
  const pending = getPrivateEndpoint(atlas, ref, { signal: controller.signal });
  setTimeout(() => controller.abort(reason), 20);
  await assert.rejects(pending, (error) => error === reason);
  assert.ok(performance.now() - started < 1_000);
  // A wait's poll ends with the wait's own timeout, its last status kept.
  await assert.rejects(
    waitForPrivateEndpoint(atlas, ref, { timeoutMs: 50 }),
    AtlasTimeoutError,
  );
  assert.equal(sent, 1);
});

Deno.test("createAtlasClient() checks rateLimit before anything is sent", () => {
  for (const rateLimit of ["fast", true, { requestsPerMinute: 0 }, { burst: 1.5 }, { burst: 0 }]) {
    assert.throws(
      () => createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, rateLimit: rateLimit as never }),
      (e: unknown) => e instanceof AtlasValidationError && /rateLimit/.test(e.message),
      JSON.stringify(rateLimit),
    );
  }
});

Deno.test("waitForPrivateEndpoints() returns one result per endpoint: available, failed, timed out", async () => {
  const clock = fastClock(100);
  const t = setup(clock, {
    rateLimit: { limit: 20 },
    failEndpoints: { [vpce(2)]: "Rejected in AWS" },
  });
  for (const i of [1, 2, 3]) await createPrivateEndpoint(t.atlas, { ...t.service, id: vpce(i) });
  t.simulator.setEndpointStatus(t.ref(3), "PENDING");
  const statuses: string[] = [];
  const settled: string[] = [];
  const refs = [t.ref(1), t.ref(2), t.ref(3), t.ref(4)];
  const results = await waitForPrivateEndpoints(t.atlas, refs, {
    clock,
    timeoutMs: 60_000,
    onStatus: ({ index, status }) => statuses.push(`${index} ${status}`),
    onSettled: ({ index, outcome }) => settled.push(`${index} ${outcome}`),
  });
  assert.deepEqual(results.map((r) => [r.index, r.outcome, r.lastStatus]), [
    [0, "available", "AVAILABLE"],
    [1, "failed", "REJECTED"],
    [2, "timedOut", "PENDING"],
    [3, "failed", undefined],
  ]);
  assert.equal(results[1]!.error?.name, "PrivateEndpointFailedError");
  assert.equal(results[2]!.error?.name, "AtlasTimeoutError");
  assert.equal(privateEndpointStatus(results[2]!.endpoint!), "PENDING");
  assert.equal(results[3]!.error?.name, "AtlasApiError"); // 404: never created
  assert.ok(statuses.includes("0 AVAILABLE") && statuses.includes("1 REJECTED"));
  assert.deepEqual(settled.toSorted(), ["0 available", "1 failed", "2 timedOut", "3 failed"]);
  assert.equal(t.simulator.stats.rateLimited, 0);
});

Deno.test("waitForPrivateEndpoints() rejects with what onSettled threw, after every endpoint has settled", async () => {
  const clock = fastClock(100);
  const t = setup(clock, { failEndpoints: { [vpce(2)]: "Rejected in AWS" } });
  for (const i of [1, 2]) await createPrivateEndpoint(t.atlas, { ...t.service, id: vpce(i) });
  const bug = new TypeError("the caller's bug");
  const settled: string[] = [];
  await assert.rejects(
    waitForPrivateEndpoints(t.atlas, [t.ref(1), t.ref(2)], {
      clock,
      timeoutMs: 60_000,
      onSettled: ({ index, outcome }) => {
        settled.push(`${index} ${outcome}`);
        if (index === 1) throw bug;
      },
    }),
    (error) => error === bug,
  );
  // The throw cost no wait: both settled as Atlas said, and both were reported.
  assert.deepEqual(settled.toSorted(), ["0 available", "1 failed"]);
});

Deno.test("waitForPrivateEndpoints() goes on waiting when onStatus throws, then rejects with an AggregateError of every throw", async () => {
  const clock = fastClock(100);
  const t = setup(clock, {});
  for (const i of [1, 2]) await createPrivateEndpoint(t.atlas, { ...t.service, id: vpce(i) });
  const thrown: Error[] = [];
  const settled: string[] = [];
  const fail = (what: string): never => {
    const error = new Error(what);
    thrown.push(error);
    throw error;
  };
  await assert.rejects(
    waitForPrivateEndpoints(t.atlas, [t.ref(1), t.ref(2)], {
      clock,
      timeoutMs: 60_000,
      onStatus: ({ index, status }) => {
        if (index === 0) fail(`status ${status}`);
      },
      onSettled: ({ index, outcome, lastStatus }) => {
        settled.push(`${index} ${outcome} ${lastStatus}`);
        if (index === 0) fail("settled");
      },
    }),
    (error) =>
      error instanceof AggregateError &&
      /^Cannot wait for private endpoints: .* threw \d+ errors$/.test(error.message) &&
      error.errors.length === thrown.length && error.errors.every((e, i) => e === thrown[i]),
  );
  // Endpoint 0's wait went on to AVAILABLE through every throwing status change.
  assert.deepEqual(settled.toSorted(), ["0 available AVAILABLE", "1 available AVAILABLE"]);
  assert.ok(thrown.length >= 3, thrown.map((e) => e.message).join(", "));
  assert.equal(thrown.at(-1)?.message, "settled");
  assert.equal(thrown.at(-2)?.message, "status AVAILABLE");
});

Deno.test("waitForPrivateEndpoints() checks every ref before anything is sent, and throws the signal's reason", async () => {
  const clock = fastClock(1_000);
  const t = setup(clock, {});
  await assert.rejects(
    waitForPrivateEndpoints(t.atlas, [t.ref(1), { ...t.ref(2), endpointId: "nope" }]),
    AtlasValidationError,
  );
  await assert.rejects(waitForPrivateEndpoints(t.atlas, "x" as never), AtlasValidationError);
  assert.equal(t.simulator.requestLog.length, 0);
  await createPrivateEndpoint(t.atlas, { ...t.service, id: vpce(1) });
  t.simulator.setEndpointStatus(t.ref(1), "PENDING");
  const controller = new AbortController();
  const reason = new Error("stop");
  setTimeout(() => controller.abort(reason), 20);
  await assert.rejects(
    waitForPrivateEndpoints(t.atlas, [t.ref(1)], { clock, signal: controller.signal }),
    (error) => error === reason,
  );
});

Deno.test("Budget serves waits' polls after the other calls queued for the project", async () => {
  const clock = manualClock();
  const budget = new Budget({ requestsPerMinute: 60, burst: 1 });
  const groupId = "32b6e34b3d91647abb20e7b8";
  assert.equal(budget.take(groupId, clock, undefined, false), 1, "the one token, at once");
  const order: string[] = [];
  const poll = Promise.resolve(budget.take(groupId, clock, undefined, true));
  const call = Promise.resolve(budget.take(groupId, clock, undefined, false));
  const other = budget.take("5f4fc14da2b47835a58c63a2", clock, undefined, true);
  await Promise.all([
    poll.then((n) => order.push(`poll ${n}`)),
    call.then((n) => order.push(`call ${n}`)),
  ]);
  // Queued first, served last; each a second apart (60 a minute). Another project is not held.
  assert.deepEqual(order, ["call 2", "poll 3"]);
  assert.deepEqual(clock.slept, [1_000, 1_000]);
  assert.equal(other, 1);
});

Deno.test("waitForEndpointService() waits share the budget too: many at once meet no 429", async () => {
  const clock = fastClock(1_000);
  const t = setup(
    clock,
    { rateLimit: { limit: 4, windowMs: 60_000 }, serviceInitiatingMs: 90_000 },
    {
      requestsPerMinute: 4,
      burst: 2,
    },
  );
  const groupId = t.simulator.addGroup();
  const regions = { AWS: "US_WEST_2", AZURE: "US_WEST", GCP: "WESTERN_EUROPE" } as const;
  const services = await Promise.all(
    (["AWS", "AZURE", "GCP"] as const).map((cloudProvider) =>
      createEndpointService(t.atlas, { groupId, cloudProvider, region: regions[cloudProvider] })
    ),
  );
  const ready = await Promise.all(services.map((service) =>
    waitForEndpointService(t.atlas, {
      groupId,
      cloudProvider: service.cloudProvider,
      endpointServiceId: service.id!,
    }, { clock })
  ));
  assert.deepEqual(ready.map((s) => s.status), [
    "WAITING_FOR_USER",
    "WAITING_FOR_USER",
    "AVAILABLE",
  ]);
  assert.equal(t.simulator.stats.rateLimited, 0);
});
