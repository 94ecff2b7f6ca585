import assert from "node:assert/strict";
import {
  AtlasApiError,
  AtlasTimeoutError,
  pollDelay,
  PrivateEndpointFailedError,
  type StatusChange,
  type WaitClock,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import {
  atlasError,
  AZURE_ID,
  type FakeAtlas,
  fakeAtlas,
  pathFor,
  SERVICE,
  VPCE,
} from "./_fake_atlas.ts";

/** A clock that only moves when slept on, and records every pause. */
function fakeClock(): WaitClock & { sleeps: number[]; time: number } {
  const clock = {
    time: 1_000_000,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      clock.sleeps.push(ms);
      clock.time += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

/** A fake Atlas that answers each GET with the next body (the last one repeats). */
function sequence(bodies: (Record<string, unknown> | Response)[]): FakeAtlas {
  let i = 0;
  return fakeAtlas(() => {
    const next = bodies[Math.min(i++, bodies.length - 1)]!;
    return next instanceof Response ? next : Response.json(next);
  });
}

const AWS_REF = { ...SERVICE, cloudProvider: "AWS", endpointId: VPCE } as const;
const AZURE_REF = { ...SERVICE, cloudProvider: "AZURE", endpointId: AZURE_ID } as const;
const GCP_REF = { ...SERVICE, cloudProvider: "GCP", endpointId: "group-1" } as const;

Deno.test("waitForPrivateEndpoint() polls an AWS endpoint from NONE to AVAILABLE, reporting each change once", async () => {
  const atlas = sequence([
    { connectionStatus: "NONE" },
    { connectionStatus: "PENDING_ACCEPTANCE" },
    { connectionStatus: "PENDING_ACCEPTANCE" },
    { connectionStatus: "PENDING" },
    { connectionStatus: "AVAILABLE", interfaceEndpointId: VPCE, errorMessage: null },
  ]);
  const clock = fakeClock();
  const changes: StatusChange[] = [];
  const endpoint = await waitForPrivateEndpoint(atlas.client, AWS_REF, {
    clock,
    random: () => 0.5,
    pollIntervalMs: 1_000,
    onStatus: (change) => changes.push(change),
  });
  assert.deepEqual(endpoint, {
    cloudProvider: "AWS",
    connectionStatus: "AVAILABLE",
    interfaceEndpointId: VPCE,
    errorMessage: null,
  });
  assert.deepEqual(
    changes.map((c) => [c.previousStatus, c.status]),
    [[undefined, "NONE"], ["NONE", "PENDING_ACCEPTANCE"], ["PENDING_ACCEPTANCE", "PENDING"], [
      "PENDING",
      "AVAILABLE",
    ]],
  );
  assert.equal(changes[0]!.elapsedMs, 0);
  assert.equal(changes[3]!.elapsedMs, clock.sleeps.reduce((a, b) => a + b, 0));
  assert.equal(changes[3]!.endpoint, endpoint);
  assert.equal(atlas.calls.length, 5);
  assert.ok(atlas.calls.every((c) => c.method === "GET" && c.path === pathFor("AWS", VPCE)));
  assert.equal(clock.sleeps.length, 4);
});

Deno.test("waitForPrivateEndpoint() rejects with what onStatus throws, reading no further", async () => {
  const atlas = sequence([{ connectionStatus: "NONE" }, { connectionStatus: "AVAILABLE" }]);
  const bug = new TypeError("the caller's bug");
  await assert.rejects(
    waitForPrivateEndpoint(atlas.client, AWS_REF, {
      clock: fakeClock(),
      onStatus: () => {
        throw bug;
      },
    }),
    (error) => error === bug,
  );
  assert.equal(atlas.calls.length, 1);
});

Deno.test("waitForPrivateEndpoint() waits for Azure and GCP endpoints, treating unknown statuses as pending", async () => {
  const azure = sequence([{ status: "INITIATING" }, { status: "SOMETHING_NEW" }, {
    status: "AVAILABLE",
  }]);
  const seen: string[] = [];
  const a = await waitForPrivateEndpoint(azure.client, AZURE_REF, {
    clock: fakeClock(),
    onStatus: (c) => seen.push(c.status),
  });
  assert.equal(a.cloudProvider, "AZURE");
  assert.deepEqual(seen, ["INITIATING", "SOMETHING_NEW", "AVAILABLE"]);
  assert.equal(azure.calls[0]!.path, pathFor("AZURE", encodeURIComponent(AZURE_ID)));

  const gcp = sequence([{ status: "INITIATING" }, { status: "VERIFIED" }, {}, {
    status: "AVAILABLE",
    endpointGroupName: "group-1",
  }]);
  const statuses: string[] = [];
  const g = await waitForPrivateEndpoint(gcp.client, GCP_REF, {
    clock: fakeClock(),
    onStatus: (c) => statuses.push(c.status),
  });
  assert.equal(g.cloudProvider, "GCP");
  assert.deepEqual(statuses, ["INITIATING", "VERIFIED", "UNKNOWN", "AVAILABLE"]);
});

Deno.test("waitForPrivateEndpoint() fails with PrivateEndpointFailedError on REJECTED, FAILED, DELETING, or AVAILABLE with an errorMessage", async () => {
  const cases = [
    {
      ref: AWS_REF,
      body: {
        connectionStatus: "REJECTED",
        errorMessage: "Interface endpoint vpce-0123456789abcdef0 was not found.",
      },
    },
    { ref: AZURE_REF, body: { status: "FAILED", errorMessage: "Azure said no." } },
    { ref: GCP_REF, body: { status: "FAILED" } },
    { ref: GCP_REF, body: { status: "DELETING", deleteRequested: true } },
    { ref: AWS_REF, body: { connectionStatus: "AVAILABLE", errorMessage: "Half broken." } },
  ] as const;
  for (const c of cases) {
    const status = "connectionStatus" in c.body ? c.body.connectionStatus : c.body.status;
    const atlas = sequence([{
      [c.ref.cloudProvider === "AWS" ? "connectionStatus" : "status"]: "PENDING",
    }, c.body]);
    const error = await waitForPrivateEndpoint(atlas.client, c.ref, { clock: fakeClock() }).then(
      () => assert.fail(`${status} did not fail`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PrivateEndpointFailedError, String(error));
    assert.equal(error.name, "PrivateEndpointFailedError");
    assert.equal(error.status, status);
    const errorMessage = "errorMessage" in c.body ? c.body.errorMessage : undefined;
    assert.equal(error.errorMessage, errorMessage);
    assert.equal(error.endpoint.cloudProvider, c.ref.cloudProvider);
    assert.equal(
      error.message,
      `Cannot wait for private endpoint: ${c.ref.endpointId} is ${status}` +
        (errorMessage ? `: ${errorMessage}` : ""),
    );
    assert.equal(atlas.calls.length, 2);
  }
});

Deno.test("waitForPrivateEndpoint() times out with the last status, without sleeping past the deadline", async () => {
  const atlas = sequence([{ connectionStatus: "PENDING_ACCEPTANCE" }, {
    connectionStatus: "PENDING",
  }]);
  const clock = fakeClock();
  const started = clock.time;
  await assert.rejects(
    waitForPrivateEndpoint(atlas.client, AWS_REF, {
      clock,
      timeoutMs: 60_000,
      pollIntervalMs: 5_000,
      maxPollIntervalMs: 20_000,
    }),
    (e: unknown) => {
      assert.ok(e instanceof AtlasTimeoutError);
      assert.equal(e.lastStatus, "PENDING");
      assert.equal(e.elapsedMs, 60_000);
      assert.equal(
        e.message,
        "Cannot wait for private endpoint: timed out after 60000 ms (last status PENDING)",
      );
      return true;
    },
  );
  assert.equal(clock.time - started, 60_000);
  assert.ok(atlas.calls.length >= 4 && atlas.calls.length <= 12, `${atlas.calls.length} polls`);
});

Deno.test("waitForPrivateEndpoint() aborts a request in flight with the signal's reason", async () => {
  const controller = new AbortController();
  const atlas = fakeAtlas(async () => {
    controller.abort(new Error("user pressed Ctrl-C"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    return Response.json({ connectionStatus: "PENDING" });
  });
  await assert.rejects(
    waitForPrivateEndpoint(atlas.client, AWS_REF, {
      signal: controller.signal,
      clock: fakeClock(),
    }),
    { message: "user pressed Ctrl-C" },
  );
  assert.equal(atlas.calls.length, 1);
  await new Promise((resolve) => setTimeout(resolve, 20)); // let the ignored request finish
});

Deno.test("waitForPrivateEndpoint() stops sleeping at once when aborted (real clock)", async () => {
  const controller = new AbortController();
  const atlas = sequence([{ connectionStatus: "PENDING" }]);
  const started = performance.now();
  const waiting = waitForPrivateEndpoint(atlas.client, AWS_REF, {
    signal: controller.signal,
    pollIntervalMs: 60_000,
    onStatus: () => setTimeout(() => controller.abort(), 10),
  });
  await assert.rejects(
    waiting,
    (e: unknown) => e instanceof DOMException && e.name === "AbortError",
  );
  assert.ok(performance.now() - started < 5_000);
  assert.equal(atlas.calls.length, 1);
});

Deno.test("waitForPrivateEndpoint() with an already aborted signal sends nothing", async () => {
  const atlas = sequence([{ connectionStatus: "AVAILABLE" }]);
  await assert.rejects(
    waitForPrivateEndpoint(atlas.client, AWS_REF, { signal: AbortSignal.abort() }),
    { name: "AbortError" },
  );
  assert.equal(atlas.calls.length, 0);
});

Deno.test("waitForPrivateEndpoint() pauses with backoff and jitter between pollIntervalMs and maxPollIntervalMs", async () => {
  for (const random of [() => 0, () => 0.999999, Math.random]) {
    const bodies = Array.from({ length: 30 }, () => ({ connectionStatus: "PENDING" }));
    const atlas = sequence([...bodies, { connectionStatus: "AVAILABLE" }]);
    const clock = fakeClock();
    await waitForPrivateEndpoint(atlas.client, AWS_REF, {
      clock,
      random,
      pollIntervalMs: 2_000,
      maxPollIntervalMs: 30_000,
    });
    assert.equal(clock.sleeps.length, 30);
    for (const ms of clock.sleeps) assert.ok(ms >= 2_000 && ms <= 30_000, `pause ${ms}`);
    assert.equal(clock.sleeps[0], 2_000); // the first pause is the interval itself
    assert.ok(clock.sleeps.at(-1)! >= 22_500, "the pause grew toward the maximum");
  }
});

Deno.test("pollDelay() grows by half, caps at the maximum, and jitters down by at most a quarter", () => {
  assert.equal(pollDelay(0, 1_000, 10_000, 0), 1_000);
  assert.equal(pollDelay(1, 1_000, 10_000, 1), 1_500);
  assert.equal(pollDelay(1, 1_000, 10_000, 0), 1_125);
  assert.equal(pollDelay(3, 1_000, 10_000, 1), 3_375);
  assert.equal(pollDelay(30, 1_000, 10_000, 1), 10_000);
  assert.equal(pollDelay(30, 1_000, 10_000, 0), 7_500);
  for (let attempt = 0; attempt < 50; attempt++) {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      const ms = pollDelay(attempt, 4_000, 60_000, r);
      assert.ok(ms >= 4_000 && ms <= 60_000);
    }
  }
  // A maximum below the interval never makes a pause shorter than the interval.
  assert.equal(pollDelay(5, 5_000, 1_000, 0.5), 5_000);
});

Deno.test("waitForPrivateEndpoint() retries 429 and 503 (honouring Retry-After) and network errors, then succeeds", async () => {
  let calls = 0;
  const atlas = fakeAtlas(() => {
    calls++;
    if (calls === 1) {
      return atlasError(429, "RATE_LIMITED", "Slow down.", {}, { "retry-after": "30" });
    }
    if (calls === 2) return atlasError(503, "SERVICE_UNAVAILABLE", "Later.");
    if (calls === 3) throw new TypeError("connection reset");
    return Response.json({ connectionStatus: "AVAILABLE" });
  });
  const clock = fakeClock();
  const endpoint = await waitForPrivateEndpoint(atlas.client, AWS_REF, {
    clock,
    pollIntervalMs: 1_000,
    random: () => 0,
  });
  assert.equal(endpoint.cloudProvider, "AWS");
  assert.equal(calls, 4);
  assert.equal(clock.sleeps[0], 30_000);
  assert.ok(clock.sleeps[1]! < 30_000);
});

Deno.test("waitForPrivateEndpoint() gives up after 5 retryable failures in a row", async () => {
  const atlas = fakeAtlas(() => atlasError(500, "UNEXPECTED_ERROR", "Oops."));
  await assert.rejects(
    waitForPrivateEndpoint(atlas.client, AWS_REF, { clock: fakeClock() }),
    (e: unknown) =>
      e instanceof AtlasApiError && e.status === 500 &&
      /^Cannot get private endpoint: 500 /.test(e.message),
  );
  assert.equal(atlas.calls.length, 5);
});

Deno.test("waitForPrivateEndpoint() ends at once on a 404 (the endpoint is gone)", async () => {
  const atlas = fakeAtlas(() =>
    atlasError(404, "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND", "Not found.")
  );
  await assert.rejects(
    waitForPrivateEndpoint(atlas.client, AWS_REF, { clock: fakeClock() }),
    (e: unknown) => e instanceof AtlasApiError && e.status === 404,
  );
  assert.equal(atlas.calls.length, 1);
});

Deno.test("waitForPrivateEndpoint() turns a hung request into AtlasTimeoutError at the deadline (real timers)", async () => {
  let release!: () => void;
  const hung = new Promise<void>((resolve) => (release = resolve));
  const atlas = fakeAtlas(async () => {
    await hung;
    return Response.json({});
  });
  await assert.rejects(
    waitForPrivateEndpoint(atlas.client, AWS_REF, { timeoutMs: 40 }),
    (e: unknown) =>
      e instanceof AtlasTimeoutError && e.lastStatus === undefined && e.elapsedMs >= 30,
  );
  release();
});
