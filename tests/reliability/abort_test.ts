// Every call takes an AbortSignal and a timeout, and stopping it leaves nothing behind: no timer,
// no open response body, no request in flight (the suite runs with --sanitize-ops and
// --sanitize-resources, which fail a test that leaks any of them). Real timers, loopback servers.
import assert from "node:assert/strict";
import {
  AtlasTimeoutError,
  createPrivateEndpoint,
  deletePrivateEndpoint,
  getPrivateEndpoint,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import { authed, brokenBody, type Env, gate, rejection, simulated } from "./_setup.ts";

type Op = "create" | "get" | "delete" | "wait";
const OPS: Op[] = ["create", "get", "delete", "wait"];

function perform(
  env: Env,
  op: Op,
  options: { signal?: AbortSignal; timeoutMs?: number },
): Promise<unknown> {
  const client = env.client({ retry: { maxAttempts: 3, baseDelayMs: 1 } });
  if (op === "create") return createPrivateEndpoint(client, env.input("AWS"), options);
  if (op === "get") return getPrivateEndpoint(client, env.ref("AWS"), options);
  if (op === "delete") return deletePrivateEndpoint(client, env.ref("AWS"), options);
  return waitForPrivateEndpoint(client, env.ref("AWS"), { ...options, pollIntervalMs: 60_000 });
}

Deno.test("createPrivateEndpoint(), getPrivateEndpoint(), deletePrivateEndpoint(), waitForPrivateEndpoint() stop at once when aborted during a request", async () => {
  for (const op of OPS) {
    const hold = gate();
    const env = await simulated({}, async (request, forward) => {
      if (authed(request)) await hold.wait;
      return await forward();
    });
    try {
      const controller = new AbortController();
      const reason = new Error(`stop ${op}`);
      const started = performance.now();
      const pending = perform(env, op, { signal: controller.signal });
      while (env.authenticated() === 0) await new Promise((r) => setTimeout(r, 2));
      controller.abort(reason);
      assert.equal(await rejection(pending), reason, op);
      assert.ok(performance.now() - started < 2_000);
      assert.equal(env.authenticated(), 1, `${op}: nothing more was sent`);
    } finally {
      hold.open();
      await env.close();
    }
  }
});

Deno.test("createPrivateEndpoint(), getPrivateEndpoint(), deletePrivateEndpoint(), waitForPrivateEndpoint() stop at once when aborted during a retry pause", async () => {
  for (const op of OPS) {
    const env = await simulated();
    try {
      env.sim.injectFault({ kind: "unavailable", retryAfterSeconds: 30, count: 5 });
      const controller = new AbortController();
      const started = performance.now();
      const pending = perform(env, op, { signal: controller.signal });
      while (env.authenticated() === 0) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, 20)); // now in the 30 s pause
      controller.abort();
      const error = await rejection(pending);
      assert.equal((error as Error).name, "AbortError", op);
      assert.ok(performance.now() - started < 2_000, `${op} stopped in the pause`);
      assert.equal(env.authenticated(), 1);
    } finally {
      await env.close();
    }
  }
});

Deno.test("createPrivateEndpoint(), getPrivateEndpoint(), deletePrivateEndpoint(), waitForPrivateEndpoint() timeoutMs covers retries and pauses", async () => {
  for (const op of OPS) {
    const env = await simulated();
    try {
      // Retry-After 0.05 s is not expressible; a 1 s Retry-After outlasts a 150 ms timeout.
      env.sim.injectFault({ kind: "unavailable", retryAfterSeconds: 1, count: 5 });
      const started = performance.now();
      const error = await rejection(
        perform(env, op, { timeoutMs: 150 }),
      );
      const elapsed = performance.now() - started;
      // The pause would pass the deadline: the 503 is thrown at once rather than slept on.
      assert.equal((error as { status?: number }).status, 503, `${op}: ${error}`);
      assert.ok(elapsed < 1_000, `${op}: ${elapsed} ms`);
      assert.equal(env.authenticated(), 1);
    } finally {
      await env.close();
    }
  }
});

Deno.test("getPrivateEndpoint() cancels a response body that is still streaming when it times out", async () => {
  const hold = gate();
  const env = await simulated({}, (request, forward) => {
    if (!authed(request)) return forward();
    let step = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller): Promise<void> {
        if (step++ === 0) return controller.enqueue(new TextEncoder().encode('{"status":'));
        await hold.wait;
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "application/json" } });
  });
  try {
    const error = await rejection(
      getPrivateEndpoint(env.client({ retry: false }), env.ref("AZURE"), { timeoutMs: 80 }),
    );
    assert.ok(error instanceof AtlasTimeoutError, String(error));
    assert.equal(error.method, "GET");
    assert.equal(env.authenticated("GET"), 1);
  } finally {
    hold.open();
    await env.close();
  }
});

Deno.test("createPrivateEndpoint(), getPrivateEndpoint(), deletePrivateEndpoint(), waitForPrivateEndpoint() send nothing with an aborted signal", async () => {
  const env = await simulated();
  try {
    for (const op of OPS) {
      const reason = new Error("too late");
      assert.equal(
        await rejection(perform(env, op, { signal: AbortSignal.abort(reason) })),
        reason,
      );
    }
    assert.equal(env.seen.length, 0);
  } finally {
    await env.close();
  }
});

Deno.test("createPrivateEndpoint() aborted during its read-back throws the abort reason", async () => {
  const controller = new AbortController();
  const env = await simulated({}, (request, forward) => {
    if (!authed(request)) return forward();
    if (request.method === "GET") controller.abort(new Error("user cancelled"));
    return request.method === "POST" ? new Response(brokenBody("{"), { status: 200 }) : forward();
  });
  try {
    const error = await rejection(
      createPrivateEndpoint(env.client(), env.input("AWS"), { signal: controller.signal }),
    );
    assert.equal((error as Error).message, "user cancelled");
  } finally {
    await env.close();
  }
});
