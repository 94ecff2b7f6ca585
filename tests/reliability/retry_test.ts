// Retries against the simulator on loopback: what is retried for which operation, Retry-After
// (honoured, capped), bounded attempts, jittered backoff, the options to tune or disable them, and
// rate-limit headers surfaced to the caller.
import assert from "node:assert/strict";
import {
  AtlasApiError,
  AtlasValidationError,
  createPrivateEndpoint,
  deletePrivateEndpoint,
  getPrivateEndpoint,
  type RateLimitEvent,
  retryDelay,
  type RetryEvent,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import { authed, type Env, recordingClock, rejection, simulated } from "./_setup.ts";

type Op = "create" | "get" | "delete";
const OPS: Op[] = ["create", "get", "delete"];

/** Runs one operation on the AWS endpoint of `env` (creating it first for get and delete). */
async function prepare(env: Env, op: Op): Promise<void> {
  if (op !== "create") await createPrivateEndpoint(env.client(), env.input("AWS"));
}
function perform(
  env: Env,
  op: Op,
  options: Parameters<typeof getPrivateEndpoint>[2] = {},
): Promise<unknown> {
  const client = env.client();
  if (op === "create") return createPrivateEndpoint(client, env.input("AWS"), options);
  if (op === "get") return getPrivateEndpoint(client, env.ref("AWS"), options);
  return deletePrivateEndpoint(client, env.ref("AWS"), options);
}
const METHOD: Record<Op, string> = { create: "POST", get: "GET", delete: "DELETE" };

Deno.test("createPrivateEndpoint(), getPrivateEndpoint(), deletePrivateEndpoint() retry 429 and 503, honouring Retry-After", async () => {
  for (const op of OPS) {
    const env = await simulated();
    try {
      await prepare(env, op);
      const operation = op;
      env.sim.injectFault({ kind: "rate-limit", retryAfterSeconds: 30, operation });
      env.sim.injectFault({ kind: "unavailable", retryAfterSeconds: 7, operation });
      const clock = recordingClock();
      const before = env.authenticated(METHOD[op]);
      await perform(env, op, { retry: { clock } });
      assert.deepEqual(clock.sleeps, [30_000, 7_000], op);
      assert.equal(env.authenticated(METHOD[op]) - before, 3, `${op}: 2 faults + 1 success`);
    } finally {
      await env.close();
    }
  }
});

Deno.test("getPrivateEndpoint() gives up after maxAttempts with the last error and its Retry-After", async () => {
  const env = await simulated();
  try {
    env.sim.injectFault({ kind: "rate-limit", retryAfterSeconds: 2, count: 10 });
    const clock = recordingClock();
    const events: RetryEvent[] = [];
    const error = await rejection(
      getPrivateEndpoint(env.client(), env.ref("AWS"), {
        retry: { maxAttempts: 4, clock, onRetry: (e) => events.push(e) },
      }),
    );
    assert.ok(error instanceof AtlasApiError);
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterSeconds, 2);
    assert.equal(env.authenticated("GET"), 4);
    assert.deepEqual(clock.sleeps, [2_000, 2_000, 2_000]);
    assert.deepEqual(events.map((e) => [e.attempt, e.delayMs, e.method]), [
      [1, 2_000, "GET"],
      [2, 2_000, "GET"],
      [3, 2_000, "GET"],
    ]);
  } finally {
    await env.close();
  }
});

Deno.test("getPrivateEndpoint() does not wait out a Retry-After above maxRetryAfterMs", async () => {
  const env = await simulated();
  try {
    env.sim.injectFault({ kind: "rate-limit", retryAfterSeconds: 3_600 });
    const clock = recordingClock();
    const error = await rejection(
      getPrivateEndpoint(env.client(), env.ref("AWS"), { retry: { clock } }),
    );
    assert.ok(error instanceof AtlasApiError && error.status === 429);
    assert.equal(error.retryAfterSeconds, 3_600);
    assert.deepEqual(clock.sleeps, []);
    assert.equal(env.authenticated("GET"), 1);
  } finally {
    await env.close();
  }
});

Deno.test("getPrivateEndpoint() backs off exponentially with jitter when there is no Retry-After", async () => {
  const sleepsFor = async (random: () => number): Promise<number[]> => {
    const env = await simulated(
      {},
      (request, forward) =>
        authed(request)
          ? Response.json({ error: 503, errorCode: "SERVICE_UNAVAILABLE" }, { status: 503 })
          : forward(),
    );
    try {
      const clock = recordingClock();
      await rejection(getPrivateEndpoint(env.client(), env.ref("AWS"), {
        retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 500, clock, random },
      }));
      assert.equal(env.authenticated("GET"), 5);
      return clock.sleeps;
    } finally {
      await env.close();
    }
  };
  assert.deepEqual(await sleepsFor(() => 0), [50, 100, 200, 250]);
  assert.deepEqual(await sleepsFor(() => 0.999999).then((s) => s.map(Math.round)), [
    100,
    200,
    400,
    500,
  ]);
  const jittered = await sleepsFor(Math.random);
  jittered.forEach((ms, i) => {
    const cap = Math.min(500, 100 * 2 ** i);
    assert.ok(ms >= cap / 2 && ms <= cap, `pause ${i}: ${ms}`);
  });
  assert.equal(retryDelay(3, 100, 500, 0.5), 375);
});

Deno.test("getPrivateEndpoint() and deletePrivateEndpoint() retry 500, 502 and 504", async () => {
  for (const status of [500, 502, 504]) {
    for (const method of ["GET", "DELETE"]) {
      let left = 1;
      const env = await simulated({}, (request, forward) => {
        if (authed(request) && request.method === method && left-- > 0) {
          return Response.json({ error: status }, { status });
        }
        return forward();
      });
      try {
        await createPrivateEndpoint(env.client(), env.input("AZURE"));
        const op = method === "GET" ? getPrivateEndpoint : deletePrivateEndpoint;
        await op(env.client(), env.ref("AZURE"));
        assert.equal(env.authenticated(method), 2, `${status} ${method}`);
      } finally {
        await env.close();
      }
    }
  }
});

Deno.test("deletePrivateEndpoint() treats a 404 after a 503 as an error (503 was not processed)", async () => {
  const env = await simulated();
  try {
    env.sim.injectFault({ kind: "unavailable", retryAfterSeconds: 0, operation: "delete" });
    const error = await rejection(deletePrivateEndpoint(env.client(), env.ref("AWS")));
    assert.ok(error instanceof AtlasApiError && error.status === 404, String(error));
    assert.equal(env.authenticated("DELETE"), 2);
  } finally {
    await env.close();
  }
});

Deno.test("createAtlasClient() retry sets the default; a call's retry overrides it; false disables", async () => {
  const env = await simulated();
  try {
    const fault = () =>
      env.sim.injectFault({ kind: "unavailable", retryAfterSeconds: 0, count: 9 });
    const count = async (run: () => Promise<unknown>): Promise<number> => {
      env.sim.clearFaults();
      fault();
      const before = env.authenticated("GET");
      await rejection(run());
      return env.authenticated("GET") - before;
    };
    const ref = env.ref("AWS");
    const twice = env.client({ retry: { maxAttempts: 2 } });
    assert.equal(await count(() => getPrivateEndpoint(twice, ref)), 2);
    assert.equal(
      await count(() => getPrivateEndpoint(twice, ref, { retry: { maxAttempts: 4 } })),
      4,
    );
    assert.equal(await count(() => getPrivateEndpoint(twice, ref, { retry: false })), 1);
    const off = env.client({ retry: false });
    assert.equal(await count(() => getPrivateEndpoint(off, ref)), 1);
    assert.equal(await count(() => getPrivateEndpoint(off, ref, { retry: { baseDelayMs: 1 } })), 1);
    assert.equal(await count(() => getPrivateEndpoint(off, ref, { retry: { maxAttempts: 3 } })), 3);
    // The default is 5 attempts.
    const plain = env.client({ retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    assert.equal(await count(() => getPrivateEndpoint(plain, ref)), 5);
  } finally {
    await env.close();
  }
});

Deno.test("createPrivateEndpoint() rejects invalid retry options before sending anything", async () => {
  const env = await simulated();
  try {
    const bad: unknown[] = [
      true,
      "3",
      { maxAttempts: 0 },
      { maxAttempts: 1.5 },
      { baseDelayMs: -1 },
      { maxRetryAfterMs: Number.NaN },
      { attemptTimeoutMs: 0 },
      { onRetry: "log" },
      { clock: { now: () => 0 } },
    ];
    for (const retry of bad) {
      await assert.rejects(
        createPrivateEndpoint(env.client(), env.input("AWS"), { retry: retry as false }),
        (e: unknown) =>
          e instanceof AtlasValidationError &&
          /^Cannot create private endpoint: retry/.test(e.message),
        JSON.stringify(retry),
      );
      assert.throws(() => env.client({ retry: retry as false }), AtlasValidationError);
    }
    await assert.rejects(
      getPrivateEndpoint(env.client(), env.ref("AWS"), { onRateLimit: 1 as never }),
      AtlasValidationError,
    );
    assert.equal(env.seen.length, 0);
  } finally {
    await env.close();
  }
});

Deno.test("onRateLimit and AtlasApiError.rateLimit surface the RateLimit-* headers", async () => {
  const env = await simulated({ rateLimit: { limit: 2, windowMs: 60_000 } });
  try {
    const events: RateLimitEvent[] = [];
    // Without the client's budget, which would wait for the refill instead of meeting the 429.
    const client = env.client({
      onRateLimit: (e) => events.push(e),
      retry: false,
      rateLimit: false,
    });
    await createPrivateEndpoint(client, env.input("AWS"));
    await getPrivateEndpoint(client, env.ref("AWS"));
    const error = await rejection(getPrivateEndpoint(client, env.ref("AWS")));
    assert.ok(error instanceof AtlasApiError && error.status === 429);
    assert.deepEqual(events.map((e) => [e.method, e.status, e.limit, e.remaining]), [
      ["POST", 200, 2, 1],
      ["GET", 200, 2, 0],
      ["GET", 429, 2, 0], // the simulator's token bucket, as Atlas's, sends them on its 429 too
    ]);
    assert.equal(events[2]!.retryAfterSeconds, error.retryAfterSeconds);
    assert.ok(error.retryAfterSeconds! > 0);
    assert.equal(events[0]!.action, "Cannot create private endpoint");
  } finally {
    await env.close();
  }
  // A 429 that carries RateLimit-* headers (as Atlas's v2 token bucket does) keeps them.
  const limited = await simulated(
    {},
    (request, forward) =>
      authed(request)
        ? Response.json({ error: 429, errorCode: "RATE_LIMITED_TOKEN_BUCKET" }, {
          status: 429,
          headers: { "retry-after": "55", "ratelimit-limit": "10", "ratelimit-remaining": "0" },
        })
        : forward(),
  );
  try {
    const error = await rejection(
      getPrivateEndpoint(limited.client({ retry: false }), limited.ref("GCP")),
    );
    assert.ok(error instanceof AtlasApiError);
    assert.deepEqual(error.rateLimit, { limit: 10, remaining: 0, resetSeconds: undefined });
    assert.equal(error.retryAfterSeconds, 55);
    assert.equal(error.errorCode, "RATE_LIMITED_TOKEN_BUCKET");
  } finally {
    await limited.close();
  }
});

Deno.test("waitForPrivateEndpoint() retries reads with the same policy, on its own clock", async () => {
  const env = await simulated({ timeScale: 1, now: () => 0 });
  try {
    await createPrivateEndpoint(env.client(), env.input("AWS"));
    env.sim.injectFault({ kind: "unavailable", retryAfterSeconds: 20, method: "GET", count: 2 });
    const clock = {
      now: () => env.sim.clock.now(),
      sleeps: [] as number[],
      sleep(ms: number): Promise<void> {
        this.sleeps.push(ms);
        env.sim.clock.advance(ms);
        return Promise.resolve();
      },
    };
    const retries: RetryEvent[] = [];
    const ready = await waitForPrivateEndpoint(env.client(), env.ref("AWS"), {
      clock,
      pollIntervalMs: 1_000,
      retry: { onRetry: (e) => retries.push(e) },
    });
    assert.equal(ready.cloudProvider, "AWS");
    assert.deepEqual(retries.map((r) => r.delayMs), [20_000, 20_000]);
    assert.deepEqual(clock.sleeps.slice(0, 2), [20_000, 20_000]);
    assert.ok(retries.every((r) => r.action === "Cannot get private endpoint"));
    // Five failures in a row end the wait with the last error.
    env.sim.injectFault({ kind: "server-error", method: "GET", count: 5 });
    const before = env.authenticated("GET");
    const error = await rejection(
      waitForPrivateEndpoint(env.client({ retry: { baseDelayMs: 1 } }), env.ref("AWS"), { clock }),
    );
    assert.ok(error instanceof AtlasApiError && error.status === 500);
    assert.equal(env.authenticated("GET") - before, 5);
  } finally {
    await env.close();
  }
});
