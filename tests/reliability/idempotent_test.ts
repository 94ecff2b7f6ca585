// Idempotent create against the simulator on loopback: a 409 for the same endpoint returns it, a
// 409 for another stays an error, and after an unknown outcome the endpoint is read back before
// any second POST (asserted on the order of requests at the server).
import assert from "node:assert/strict";
import {
  AtlasApiError,
  AtlasNetworkError,
  createPrivateEndpoint,
  deletePrivateEndpoint,
  type PrivateEndpoint,
} from "../../mod.ts";
import { authed, type Env, gate, rejection, type Seen, simulated } from "./_setup.ts";

/** The authenticated requests, as "POST" / "GET" / "DELETE", in order. */
function order(env: Env): string[] {
  return env.seen.filter((s: Seen) => s.authorization !== null).map((s) => s.method);
}

/**
 * After every POST whose outcome was unknown (dropped, 500, 502, 504), the next authenticated
 * request is the read-back GET, never another POST.
 */
function neverBlindPost(env: Env): void {
  const log = env.sim.requestLog.filter((e) => e.authorization);
  log.forEach((entry, i) => {
    const unknown = entry.status === 0 || [500, 502, 504].includes(entry.status);
    if (entry.method !== "POST" || !unknown || i + 1 >= log.length) return;
    assert.equal(log[i + 1]!.method, "GET", `request ${i + 1} after a ${entry.status} POST`);
  });
}

Deno.test("createPrivateEndpoint() returns the existing endpoint on a 409 for the same endpoint", async () => {
  for (const provider of ["AWS", "AZURE", "GCP"] as const) {
    const env = await simulated();
    try {
      const first = await createPrivateEndpoint(env.client(), env.input(provider));
      const again: PrivateEndpoint = await createPrivateEndpoint(env.client(), env.input(provider));
      assert.equal(again.cloudProvider, provider);
      assert.deepEqual(again, { ...first, ...again }, provider);
      assert.deepEqual(order(env), ["POST", "POST", "GET"], provider);
      assert.equal(env.sim.listEndpoints().length, 1);
    } finally {
      await env.close();
    }
  }
});

Deno.test("createPrivateEndpoint() keeps a 409 for an endpoint with other fields an error", async () => {
  const env = await simulated();
  try {
    await createPrivateEndpoint(env.client(), env.input("AZURE"));
    const other = { ...env.input("AZURE"), privateEndpointIPAddress: "10.0.0.99" };
    const error = await rejection(createPrivateEndpoint(env.client(), other));
    assert.ok(error instanceof AtlasApiError, String(error));
    assert.equal(error.status, 409);
    assert.equal(error.errorCode, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS");
    assert.equal(error.method, "POST");

    await createPrivateEndpoint(env.client(), env.input("GCP"));
    const rules = env.input("GCP");
    if (rules.cloudProvider !== "GCP") throw new Error("unreachable");
    const moved = {
      ...rules,
      endpoints: [{ endpointName: "rel-rule-0", ipAddress: "10.142.0.6" }],
    };
    const gcpError = await rejection(createPrivateEndpoint(env.client(), moved));
    assert.ok(gcpError instanceof AtlasApiError && gcpError.status === 409);
    // Each conflict: one POST, one read-back; no further POST.
    assert.deepEqual(order(env), ["POST", "POST", "GET", "POST", "POST", "GET"]);
  } finally {
    await env.close();
  }
});

Deno.test("createPrivateEndpoint() keeps a 409 for an endpoint being deleted an error", async () => {
  const env = await simulated({ deleteDurationMs: 60_000, timeScale: 1 });
  try {
    await createPrivateEndpoint(env.client(), env.input("AWS"));
    await deletePrivateEndpoint(env.client(), env.ref("AWS"));
    const error = await rejection(createPrivateEndpoint(env.client(), env.input("AWS")));
    assert.ok(error instanceof AtlasApiError && error.status === 409, String(error));
  } finally {
    await env.close();
  }
});

Deno.test("createPrivateEndpoint() keeps a 409 for an endpoint that was REJECTED an error", async () => {
  const env = await simulated({});
  try {
    await createPrivateEndpoint(env.client(), env.input("AWS"));
    env.sim.setEndpointStatus(env.ref("AWS"), "REJECTED", "Interface endpoint not found.");
    const error = await rejection(createPrivateEndpoint(env.client(), env.input("AWS")));
    assert.ok(error instanceof AtlasApiError && error.status === 409, String(error));
    assert.deepEqual(order(env), ["POST", "POST", "GET"]);
  } finally {
    await env.close();
  }
});

Deno.test("createPrivateEndpoint() reads back after a POST that timed out, and returns what it created", async () => {
  const hold = gate();
  let held = 0;
  const env = await simulated({}, async (request, forward) => {
    const response = await forward();
    if (authed(request) && request.method === "POST" && held++ === 0) await hold.wait;
    return response;
  });
  try {
    const created = await createPrivateEndpoint(env.client(), env.input("AWS"), {
      retry: { attemptTimeoutMs: 50, baseDelayMs: 1 },
    });
    assert.equal(created.cloudProvider, "AWS");
    assert.deepEqual(order(env), ["POST", "GET"]);
    assert.equal(env.sim.listEndpoints().length, 1);
  } finally {
    hold.open();
    await env.close();
  }
});

Deno.test("createPrivateEndpoint() with retry: false reads back but never sends a second POST", async () => {
  const env = await simulated();
  try {
    env.sim.injectFault({ kind: "server-error", operation: "create" });
    const error = await rejection(
      createPrivateEndpoint(env.client(), env.input("AWS"), { retry: false }),
    );
    assert.ok(error instanceof AtlasApiError && error.status === 500, String(error));
    assert.deepEqual(order(env), ["POST", "GET"]);
  } finally {
    await env.close();
  }
});

Deno.test("createPrivateEndpoint() stops when its maxAttempts budget is spent, reading back after every POST", async () => {
  const env = await simulated(
    {},
    (request, forward) =>
      authed(request) && request.method === "POST"
        ? Response.json({ error: 504, errorCode: "GATEWAY_TIMEOUT" }, { status: 504 })
        : forward(),
  );
  try {
    const error = await rejection(createPrivateEndpoint(env.client(), env.input("GCP")));
    assert.ok(error instanceof AtlasApiError && error.status === 504, String(error));
    // maxAttempts (3) bounds the whole call; the last read-back is made beyond it.
    assert.deepEqual(order(env), ["POST", "GET", "POST", "GET"]);
  } finally {
    await env.close();
  }
});

Deno.test("createPrivateEndpoint() with idempotent: false throws the unknown outcome as is", async () => {
  const env = await simulated();
  try {
    env.sim.injectFault({ kind: "drop-response", operation: "create" });
    const error = await rejection(
      createPrivateEndpoint(env.client(), env.input("AZURE"), { idempotent: false }),
    );
    assert.ok(error instanceof AtlasNetworkError, String(error));
    assert.match(error.message, /^Cannot create private endpoint: network error \(POST http:/);
    assert.deepEqual(order(env), ["POST"]);
    assert.equal(env.sim.listEndpoints().length, 1, "Atlas did create it");
    await assert.rejects(
      createPrivateEndpoint(env.client(), env.input("AZURE"), { idempotent: "yes" as never }),
      { name: "AtlasValidationError" },
    );
  } finally {
    await env.close();
  }
});

Deno.test("createPrivateEndpoint() under random faults never creates twice and never POSTs blind", async () => {
  const env = await simulated({ random: mulberry(7) });
  try {
    env.sim.injectFault({ kind: "drop-response", probability: 0.2, operation: "create" });
    env.sim.injectFault({ kind: "server-error", probability: 0.2 });
    env.sim.injectFault({ kind: "unavailable", probability: 0.2, retryAfterSeconds: 0 });
    let created = 0;
    for (let i = 0; i < 40; i++) {
      const id = `vpce-${i.toString(16).padStart(17, "0")}`;
      try {
        await createPrivateEndpoint(env.client({ retry: { maxAttempts: 8, baseDelayMs: 1 } }), {
          ...env.input("AWS", id),
        });
        created++;
      } catch (error) {
        assert.ok(error instanceof AtlasApiError || error instanceof AtlasNetworkError);
      }
    }
    assert.ok(created >= 30, `${created} of 40 created`);
    const unknown = env.sim.requestLog.filter((e) =>
      e.method === "POST" && (e.status === 0 || e.status === 500)
    );
    assert.ok(unknown.length >= 5, `${unknown.length} POSTs with an unknown outcome`);
    // Each endpoint exists at most once, and every reported success exists.
    assert.ok(env.sim.listEndpoints().length >= created);
    assert.equal(env.sim.stats.byStatus["409"] ?? 0, 0, "no create ran into its own earlier POST");
    neverBlindPost(env);
  } finally {
    await env.close();
  }
});

/** A small seeded PRNG, so the random-fault test is repeatable. */
function mulberry(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("createPrivateEndpoint() names the field an existing endpoint holds differently in its 409", async () => {
  const env = await simulated();
  try {
    await createPrivateEndpoint(env.client(), env.input("AZURE"));
    const wanted = env.input("AZURE");
    if (wanted.cloudProvider !== "AZURE") throw new Error("unreachable");
    const error = await rejection(
      createPrivateEndpoint(env.client(), { ...wanted, privateEndpointIPAddress: "10.0.0.99" }),
    );
    assert.ok(error instanceof AtlasApiError, String(error));
    assert.deepEqual(error.conflict?.fields, ["privateEndpointIPAddress"]);
    assert.equal(
      error.conflict?.existing.privateEndpointIPAddress,
      wanted.privateEndpointIPAddress,
    );
    assert.match(
      error.message,
      new RegExp(
        `^Cannot create private endpoint: Azure private endpoint \\S+ already exists with a ` +
          `different privateEndpointIPAddress \\(it has privateEndpointIPAddress ` +
          `${wanted.privateEndpointIPAddress.replaceAll(".", "\\.")}, not 10\\.0\\.0\\.99\\): ` +
          "delete it first to change it \\(409 PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS, POST ",
      ),
    );
    assert.equal(error.errorCode, "PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS");
    assert.match(error.detail ?? "", /already contains/, "Atlas's detail is kept");
  } finally {
    await env.close();
  }
});

Deno.test("createPrivateEndpoint() says in its 409 that the existing endpoint was REJECTED", async () => {
  const env = await simulated({});
  try {
    await createPrivateEndpoint(env.client(), env.input("AWS"));
    env.sim.setEndpointStatus(env.ref("AWS"), "REJECTED", "Interface endpoint not found.");
    const error = await rejection(createPrivateEndpoint(env.client(), env.input("AWS")));
    assert.ok(error instanceof AtlasApiError, String(error));
    assert.deepEqual(error.conflict?.fields, []);
    assert.match(
      error.message,
      /^Cannot create private endpoint: AWS private endpoint vpce-\w+ already exists and is REJECTED: delete it, then create it again \(409 /,
    );
  } finally {
    await env.close();
  }
});

Deno.test("createPrivateEndpoint() calls onExisting only when Atlas already had the same endpoint", async () => {
  const env = await simulated();
  try {
    const seen: PrivateEndpoint[] = [];
    const onExisting = (endpoint: PrivateEndpoint): number => seen.push(endpoint);
    await createPrivateEndpoint(env.client(), env.input("GCP"), { onExisting });
    assert.equal(seen.length, 0, "a new endpoint is not an existing one");
    const again = await createPrivateEndpoint(env.client(), env.input("GCP"), { onExisting });
    assert.deepEqual(seen, [again]);
  } finally {
    await env.close();
  }
});
