// Load: 1,000 concurrent creates of distinct endpoints against the simulator on loopback with
// strict nc checking (Apache's AuthDigestNcCheck). All succeed; no (nonce, nc) pair is ever sent
// twice; once the client has learnt that the server is strict, no nc arrives out of order
// (ncViolations 0); the nonce pool stays within maxNonces; and after a garbage collection every
// request the client sent has been released.
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import { createPrivateEndpoint, getPrivateEndpoint } from "../../mod.ts";
import { authed, rejection, simulated } from "./_setup.ts";

const COUNT = 1_000;
/** The Digest engine's default pool size for strict servers (DigestAuthOptions.maxNonces). */
const MAX_NONCES = 32;

function collector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

function digestParams(header: string): { nonce: string; nc: string } {
  const nonce = /nonce="([^"]*)"/.exec(header)?.[1] ?? "";
  const nc = /\bnc=([0-9a-f]{8})/.exec(header)?.[1] ?? "";
  return { nonce, nc };
}

Deno.test("createPrivateEndpoint() x1,000 concurrently on a strict-nc server: all created, nc never reused or out of order, memory released", async () => {
  const gc = collector();
  // Warm-up only: two requests that share a nonce reach the server in reverse nc order, so the
  // client sees an nc rejection and learns that this origin checks nc strictly.
  let reorder = true;
  const held: { forward: () => Promise<Response>; deliver: (r: Promise<Response>) => void }[] = [];
  const pairs = new Set<string>();
  let reused = 0;
  const env = await simulated({ ncPolicy: "strict", maxLogEntries: 100 }, (request, forward) => {
    const authorization = request.headers.get("authorization");
    if (authorization) {
      const { nonce, nc } = digestParams(authorization);
      if (pairs.has(`${nonce} ${nc}`)) reused++;
      pairs.add(`${nonce} ${nc}`);
    }
    if (!reorder || !authed(request) || digestParams(authorization!).nc === "00000001") {
      return forward();
    }
    return new Promise<Response>((deliver) => {
      held.push({ forward, deliver });
      if (held.length < 2) return;
      reorder = false;
      (async () => {
        for (const h of held.toReversed()) {
          const response = h.forward();
          h.deliver(response);
          await response.catch(() => {});
        }
      })();
    });
  }, true);
  const sent: WeakRef<Request>[] = [];
  const client = env.client({
    retry: { maxAttempts: 3, baseDelayMs: 1 },
    // Nonces under load, not the request budget (which would pace 1,000 creates to the limit the
    // simulator announces).
    rateLimit: false,
    fetch: (request) => {
      sent.push(new WeakRef(request));
      return fetch(request);
    },
  });
  try {
    const warm = await Promise.all(
      [1, 2, 3].map((i) =>
        rejection(getPrivateEndpoint(client, env.ref("AWS", `vpce-${i.toString().repeat(17)}`)))
      ),
    );
    for (const error of warm) assert.equal((error as { status?: number }).status, 404);
    assert.ok(env.sim.stats.ncViolations >= 1, "the client met the strict check once");
    env.sim.clearLog();
    pairs.clear();
    const nonces = new Set<string>();
    const countNonces = (): void => {
      for (const key of pairs) nonces.add(key.split(" ")[0]!);
    };

    const started = performance.now();
    const inputs = Array.from(
      { length: COUNT },
      (_, i) => env.input("AWS", `vpce-${i.toString(16).padStart(17, "0")}`),
    );
    const results = await Promise.allSettled(
      inputs.map((input) => createPrivateEndpoint(client, input)),
    );
    const elapsedMs = performance.now() - started;
    const failed = results.filter((r) => r.status === "rejected");
    assert.equal(
      failed.length,
      0,
      String((failed[0] as PromiseRejectedResult | undefined)?.reason),
    );
    countNonces();

    const stats = env.sim.stats;
    assert.equal(env.sim.listEndpoints().length, COUNT);
    assert.equal(stats.ncViolations, 0, "no nc out of order once the client knows");
    assert.equal(reused, 0, "no (nonce, nc) pair sent twice");
    assert.equal(stats.authenticated, COUNT, "one authenticated request per create");
    // The pool: at most maxNonces nonces; each new one costs one challenge round trip.
    assert.ok(nonces.size <= MAX_NONCES, `${nonces.size} nonces`);
    assert.ok(stats.digest.challenges <= MAX_NONCES, `${stats.digest.challenges} challenges`);
    assert.equal(stats.requests, COUNT + stats.digest.challenges);

    // Memory: after a collection, every request the client sent (and with it the per-call state
    // and body copies it is the key of) has been released. (A heap-size threshold would measure
    // the simulator's 1,000 endpoints and the runtime's pools as much as the client.)
    results.length = 0;
    inputs.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    const alive = sent.filter((ref) => ref.deref() !== undefined).length;
    assert.ok(sent.length >= COUNT);
    assert.ok(alive <= MAX_NONCES, `${alive} of ${sent.length} requests still reachable`);
    assert.ok(elapsedMs > 0);
  } finally {
    await env.close();
  }
});
