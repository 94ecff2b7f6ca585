// The fault matrix: each fault, the call that meets it, and what must come out (a typed error or a
// correct recovery) with how many requests. faults_test.ts asserts each row; secrets_test.ts runs
// them all again and searches everything they produced for the keys.
import assert from "node:assert/strict";
import {
  AtlasApiError,
  AtlasNetworkError,
  AtlasTimeoutError,
  createAtlasClient,
  createPrivateEndpoint,
  deletePrivateEndpoint,
  DigestAuthError,
  getPrivateEndpoint,
  type RetryEvent,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import { serve } from "../../src/testing/mod.ts";
import {
  authed,
  brokenBody,
  type Env,
  FAST,
  gate,
  type Interceptor,
  PRIVATE_KEY,
  PUBLIC_KEY,
  rejection,
  simulated,
} from "./_setup.ts";

/** What a scenario produced. */
export interface Outcome {
  /** The error thrown, or undefined when the call succeeded. */
  error: unknown;
  /** The value returned on success. */
  value: unknown;
  /** Requests the server received (or the client sent, when nothing listens). */
  requests: number;
  /** Requests with Authorization, by method, and the simulator's counters. */
  posts: number;
  gets: number;
  /** Endpoints the simulator holds afterwards. */
  endpoints: number;
  /** The retry events reported. */
  retries: RetryEvent[];
}

export interface FaultScenario {
  /** Reads "symbol() survives X: outcome". */
  name: string;
  /** The fault, the outcome and the requests, for the report's matrix. */
  row: [fault: string, outcome: string, requests: string];
  run(): Promise<Outcome>;
  check(outcome: Outcome): void;
}

const noAuthChallenge = (): Response =>
  Response.json({ error: 401, errorCode: "UNAUTHORIZED" }, { status: 401 });

/** Runs `call` against the simulator behind `intercept`, and counts what happened. */
async function against(
  intercept: Interceptor | undefined,
  call: (env: Env, onRetry: (e: RetryEvent) => void) => Promise<unknown>,
  options: Parameters<typeof simulated>[0] = {},
): Promise<Outcome> {
  const env = await simulated(options, intercept);
  const retries: RetryEvent[] = [];
  try {
    let value: unknown;
    let error: unknown;
    try {
      value = await call(env, (e) => retries.push(e));
    } catch (e) {
      error = e;
    }
    return {
      error,
      value,
      requests: env.seen.length,
      posts: env.authenticated("POST"),
      gets: env.authenticated("GET"),
      endpoints: env.sim.listEndpoints().length,
      retries,
    };
  } finally {
    await env.close();
  }
}

/** Faults the first `n` authenticated requests of `method` with `respond`. */
function first(n: number, method: string, respond: () => Response): Interceptor {
  let left = n;
  return (request, forward) => {
    if (authed(request) && request.method === method && left > 0) {
      left--;
      return respond();
    }
    return forward();
  };
}

const html = (status: number, statusText: string, headers: Record<string, string> = {}) => () =>
  new Response(`<html><body><h1>${status} ${statusText}</h1>nginx</body></html>`, {
    status,
    statusText,
    headers: { "content-type": "text/html", ...headers },
  });

function isNetwork(error: unknown, method: string, reason?: RegExp): AtlasNetworkError {
  assert.ok(error instanceof AtlasNetworkError, `expected AtlasNetworkError, got ${error}`);
  assert.equal(error.method, method);
  assert.match(
    error.message,
    new RegExp(
      `^Cannot \\w+ private endpoint: network error.* \\(${method} http://127\\.0\\.0\\.1:\\d+/`,
    ),
  );
  if (reason) assert.match(error.reason ?? "", reason);
  return error;
}

export const SCENARIOS: FaultScenario[] = [
  {
    name: "getPrivateEndpoint() survives connection refused: AtlasNetworkError after 3 attempts",
    row: ["connection refused (GET)", "AtlasNetworkError after retries", "3 sent"],
    async run(): Promise<Outcome> {
      const closed = await serve(() => new Response());
      await closed.close();
      let sent = 0;
      const retries: RetryEvent[] = [];
      const client = createAtlasClient({
        publicKey: PUBLIC_KEY,
        privateKey: PRIVATE_KEY,
        baseUrl: `${closed.url}/api/atlas/v1.0`,
        retry: { ...FAST, onRetry: (e) => retries.push(e) },
        fetch: (request) => (sent++, fetch(request)),
      });
      const error = await rejection(getPrivateEndpoint(client, {
        groupId: "32b6e34b3d91647abb20e7b8",
        endpointServiceId: "5f4fc14da2b47835a58c63a2",
        cloudProvider: "AWS",
        endpointId: "vpce-0123456789abcdef0",
      }));
      return { error, value: undefined, requests: sent, posts: 0, gets: 0, endpoints: 0, retries };
    },
    check(o): void {
      const error = isNetwork(o.error, "GET");
      assert.ok(error.cause instanceof TypeError, "fetch's error is kept as the cause");
      assert.equal(o.requests, 3);
      assert.deepEqual(o.retries.map((r) => r.attempt), [1, 2]);
    },
  },
  {
    name:
      "createPrivateEndpoint() survives connection refused: reads back, never POSTs twice blind",
    row: [
      "connection refused (POST)",
      "AtlasNetworkError (POST), read-back failed too",
      "1 POST + 2 GET sent (one budget of 3 attempts)",
    ],
    async run(): Promise<Outcome> {
      const closed = await serve(() => new Response());
      await closed.close();
      const sent: string[] = [];
      const client = createAtlasClient({
        publicKey: PUBLIC_KEY,
        privateKey: PRIVATE_KEY,
        baseUrl: `${closed.url}/api/atlas/v1.0`,
        retry: FAST,
        fetch: (request) => (sent.push(request.method), fetch(request)),
      });
      const error = await rejection(createPrivateEndpoint(client, {
        groupId: "32b6e34b3d91647abb20e7b8",
        endpointServiceId: "5f4fc14da2b47835a58c63a2",
        cloudProvider: "AWS",
        id: "vpce-0123456789abcdef0",
      }));
      return {
        error,
        value: undefined,
        requests: sent.length,
        posts: sent.filter((m) => m === "POST").length,
        gets: sent.filter((m) => m === "GET").length,
        endpoints: 0,
        retries: [],
      };
    },
    check(o): void {
      isNetwork(o.error, "POST");
      // One budget of maxAttempts (3) for the whole call: the POST, then two reads.
      assert.deepEqual([o.posts, o.gets], [1, 2]);
    },
  },
  {
    name: "getPrivateEndpoint() survives a reset mid-response once: retried, then the endpoint",
    row: ["reset mid-response, once (GET)", "recovered", "2 authenticated GETs"],
    run: (): Promise<Outcome> => {
      let left = 1;
      return against(
        (request, forward) => {
          if (!authed(request) || request.method !== "GET" || left-- <= 0) return forward();
          return new Response(brokenBody('{"interfaceEndpointId":"vpce-'), {
            headers: { "content-type": "application/json" },
          });
        },
        async (env, onRetry) => {
          await createPrivateEndpoint(env.client(), env.input("AWS"));
          return await getPrivateEndpoint(
            env.client({ retry: { ...FAST, onRetry } }),
            env.ref("AWS"),
          );
        },
      );
    },
    check(o): void {
      assert.equal(o.error, undefined, String(o.error));
      assert.equal(
        (o.value as { interfaceEndpointId: string }).interfaceEndpointId,
        "vpce-0a1b2c3d4e5f60718",
      );
      assert.equal(o.retries.length, 1);
      assert.ok(o.retries[0]!.error instanceof AtlasNetworkError);
      assert.deepEqual([o.posts, o.gets], [1, 2]);
    },
  },
  {
    name: "getPrivateEndpoint() survives resets on every attempt: AtlasNetworkError after 3",
    row: [
      "reset mid-response, always (GET)",
      "AtlasNetworkError after retries",
      "3 authenticated GETs",
    ],
    run: (): Promise<Outcome> =>
      against(
        (request, forward) =>
          authed(request)
            ? new Response(brokenBody('{"status":"AVAIL'), { status: 200 })
            : forward(),
        (env) => getPrivateEndpoint(env.client(), env.ref("AWS")),
      ),
    check(o): void {
      isNetwork(o.error, "GET");
      assert.equal(o.gets, 3);
    },
  },
  {
    name: "createPrivateEndpoint() survives a reset after the create took effect: reads it back",
    row: [
      "reset mid-response after the create (POST)",
      "recovered: the created endpoint",
      "1 POST + 1 GET",
    ],
    run: (): Promise<Outcome> => {
      let left = 1;
      return against(
        async (request, forward) => {
          if (!authed(request) || request.method !== "POST" || left-- <= 0) return await forward();
          const done = await forward(); // the endpoint is created
          return new Response(brokenBody((await done.text()).slice(0, 10)), { status: 200 });
        },
        (env) => createPrivateEndpoint(env.client(), env.input("AZURE")),
      );
    },
    check(o): void {
      assert.equal(o.error, undefined, String(o.error));
      assert.equal((o.value as { cloudProvider: string }).cloudProvider, "AZURE");
      assert.deepEqual([o.posts, o.gets, o.endpoints], [1, 1, 1]);
    },
  },
  {
    name:
      "getPrivateEndpoint() survives slow responses: each attempt abandoned after attemptTimeoutMs",
    row: [
      "slow response (GET), attemptTimeoutMs 200",
      "AtlasNetworkError 'no response within 200 ms'",
      "3 authenticated GETs",
    ],
    run: (): Promise<Outcome> => {
      const hold = gate();
      return against(
        async (request, forward) => {
          if (authed(request)) await hold.wait;
          return await forward();
        },
        async (env) => {
          try {
            return await getPrivateEndpoint(
              env.client({ retry: { ...FAST, attemptTimeoutMs: 200 } }),
              env.ref("AWS"),
            );
          } finally {
            hold.open();
          }
        },
      );
    },
    check(o): void {
      const error = isNetwork(o.error, "GET", /^no response within 200 ms$/);
      assert.ok(error.cause instanceof AtlasTimeoutError);
      assert.equal(o.gets, 3);
    },
  },
  {
    name: "deletePrivateEndpoint() survives a slow response: AtlasTimeoutError at timeoutMs",
    row: ["slow response (DELETE), timeoutMs 300", "AtlasTimeoutError", "1 authenticated DELETE"],
    run: (): Promise<Outcome> => {
      const hold = gate();
      return against(
        async (request, forward) => {
          if (authed(request)) await hold.wait;
          return await forward();
        },
        async (env) => {
          try {
            return await deletePrivateEndpoint(env.client(), env.ref("GCP"), { timeoutMs: 300 });
          } finally {
            hold.open();
          }
        },
      );
    },
    check(o): void {
      assert.ok(o.error instanceof AtlasTimeoutError, String(o.error));
      assert.equal(o.error.method, "DELETE");
      assert.match(
        o.error.message,
        /^Cannot delete private endpoint: timed out after \d+ ms \(DELETE http/,
      );
      assert.equal(o.requests, 2); // the challenge, then the authenticated DELETE that hangs
    },
  },
  {
    name: "getPrivateEndpoint() survives a truncated JSON body: AtlasNetworkError after 3",
    row: [
      "truncated JSON, 200 (GET)",
      "AtlasNetworkError 'not valid JSON'",
      "3 authenticated GETs",
    ],
    run: (): Promise<Outcome> =>
      against(
        (request, forward) =>
          authed(request)
            ? new Response('{"interfaceEndpointId":"vpce-0a1b', {
              headers: { "content-type": "application/json" },
            })
            : forward(),
        (env) => getPrivateEndpoint(env.client(), env.ref("AWS")),
      ),
    check(o): void {
      const error = isNetwork(o.error, "GET", /not valid JSON/);
      assert.ok(error.cause instanceof SyntaxError);
      assert.equal(o.gets, 3);
    },
  },
  {
    name: "createPrivateEndpoint() survives a non-JSON 200 from a proxy: reads back, then creates",
    row: [
      "non-JSON 200 (POST), not forwarded",
      "recovered: read-back 404, second POST created it",
      "2 POST + 1 GET",
    ],
    run: (): Promise<Outcome> =>
      against(
        first(1, "POST", () => new Response("OK", { headers: { "content-type": "text/plain" } })),
        (env) => createPrivateEndpoint(env.client(), env.input("GCP")),
      ),
    check(o): void {
      assert.equal(o.error, undefined, String(o.error));
      assert.deepEqual([o.posts, o.gets, o.endpoints], [2, 1, 1]);
    },
  },
  {
    name: "getPrivateEndpoint() survives an HTML 502 page from a proxy: AtlasApiError 502 after 3",
    row: [
      "HTML 502 from a proxy (GET)",
      "AtlasApiError 502 Bad Gateway after retries",
      "3 authenticated GETs",
    ],
    run: (): Promise<Outcome> =>
      against(
        first(99, "GET", html(502, "Bad Gateway")),
        (env) => getPrivateEndpoint(env.client(), env.ref("AWS")),
      ),
    check(o): void {
      assert.ok(o.error instanceof AtlasApiError, String(o.error));
      assert.equal(o.error.status, 502);
      assert.equal(o.error.reason, "Bad Gateway");
      assert.ok(!o.error.message.includes("<html"));
      assert.equal(o.gets, 3);
    },
  },
  {
    name: "createPrivateEndpoint() survives an HTML 503 page with Retry-After: retried, created",
    row: ["HTML 503 + Retry-After 0 (POST), once", "recovered", "2 POST"],
    run: (): Promise<Outcome> =>
      against(
        first(1, "POST", html(503, "Service Unavailable", { "retry-after": "0" })),
        (env) => createPrivateEndpoint(env.client(), env.input("AWS")),
      ),
    check(o): void {
      assert.equal(o.error, undefined, String(o.error));
      assert.deepEqual([o.posts, o.gets, o.endpoints], [2, 0, 1]);
    },
  },
  {
    name: "createPrivateEndpoint() meets an HTML 403 page: AtlasApiError 403 at once",
    row: ["HTML 403 from a proxy (POST)", "AtlasApiError 403, no retry", "1 POST"],
    run: (): Promise<Outcome> =>
      against(
        first(99, "POST", html(403, "Forbidden")),
        (env) => createPrivateEndpoint(env.client(), env.input("AWS")),
      ),
    check(o): void {
      assert.ok(o.error instanceof AtlasApiError, String(o.error));
      assert.equal(o.error.status, 403);
      assert.deepEqual([o.posts, o.gets], [1, 0]);
    },
  },
  {
    name:
      "getPrivateEndpoint() meets a 401 without a challenge: DigestAuthError NO_DIGEST_CHALLENGE",
    row: ["401 without WWW-Authenticate", "DigestAuthError NO_DIGEST_CHALLENGE", "1 sent"],
    run: (): Promise<Outcome> =>
      against(() => noAuthChallenge(), (env) => getPrivateEndpoint(env.client(), env.ref("AWS"))),
    check(o): void {
      assert.ok(o.error instanceof DigestAuthError, String(o.error));
      assert.equal(o.error.code, "NO_DIGEST_CHALLENGE");
      assert.equal(o.requests, 1);
    },
  },
  {
    name:
      "getPrivateEndpoint() meets a challenge storm (stale=true every time): AtlasApiError 401, bounded",
    row: [
      "challenge storm: 401 stale=true to every request",
      "AtlasApiError 401; 3 then 2 requests per call",
      "5 for 2 calls",
    ],
    run: (): Promise<Outcome> => {
      let n = 0;
      const storm: Interceptor = () =>
        new Response(null, {
          status: 401,
          headers: {
            "www-authenticate":
              `Digest realm="MMS Public API", domain="", nonce="storm${n++}", algorithm=MD5, qop="auth", stale=true`,
          },
        });
      return against(storm, async (env) => {
        const client = env.client();
        const first = await rejection(getPrivateEndpoint(client, env.ref("AWS")));
        const afterFirst = env.seen.length;
        const second = await rejection(getPrivateEndpoint(client, env.ref("AWS")));
        throw Object.assign(new AggregateError([first, second]), {
          counts: [afterFirst, env.seen.length - afterFirst],
        });
      });
    },
    check(o): void {
      const { errors, counts } = o.error as AggregateError & { counts: number[] };
      for (const e of errors) {
        assert.ok(e instanceof AtlasApiError && e.status === 401, String(e));
      }
      assert.deepEqual(counts, [3, 3], `counts ${counts}`); // challenge, answer, stale retry
    },
  },
  {
    name: "waitForPrivateEndpoint() survives nonce expiry mid-wait: re-challenged, then AVAILABLE",
    row: [
      "nonce expires mid-wait (stale=true)",
      "recovered: AVAILABLE",
      "polls + 1 per expiry + 1",
    ],
    run: (): Promise<Outcome> =>
      against(undefined, async (env) => {
        const clock = {
          now: () => env.sim.clock.now(),
          sleep: (ms: number) => Promise.resolve(env.sim.clock.advance(ms)),
        };
        await createPrivateEndpoint(env.client(), env.input("AWS"));
        return await waitForPrivateEndpoint(env.client(), env.ref("AWS"), {
          clock,
          pollIntervalMs: 4_000,
          maxPollIntervalMs: 4_000,
        });
      }, { timeScale: 1, now: () => 0, nonceLifetimeMs: 5_000 }),
    check(o): void {
      assert.equal(o.error, undefined, String(o.error));
      assert.equal((o.value as { connectionStatus: string }).connectionStatus, "AVAILABLE");
      assert.equal(o.endpoints, 1);
      // 1 challenge + 1 POST + 3 polls (0, 4 s, 8 s) = 5, plus one stale retry per expired nonce.
      assert.ok(o.requests >= 6 && o.requests <= 7, `${o.requests} requests`);
    },
  },
];

/** Simulator-injected faults: rate limits, 500/503, drops, with the simulator's own counters. */
export const SIMULATOR_SCENARIOS: FaultScenario[] = [
  {
    name: "getPrivateEndpoint() survives 429 then 503 from the simulator: retried, found",
    row: ["simulator 429 then 503 (GET)", "recovered", "3 authenticated GETs"],
    run: (): Promise<Outcome> =>
      against(undefined, async (env) => {
        await createPrivateEndpoint(env.client(), env.input("AWS"));
        env.sim.injectFault({ kind: "rate-limit", retryAfterSeconds: 0, method: "GET" });
        env.sim.injectFault({ kind: "unavailable", retryAfterSeconds: 0, method: "GET" });
        return await getPrivateEndpoint(env.client(), env.ref("AWS"));
      }),
    check(o): void {
      assert.equal(o.error, undefined, String(o.error));
      assert.equal(o.gets, 3);
    },
  },
  {
    name: "getPrivateEndpoint() survives a dropped connection: retried, found",
    row: ["simulator drop (GET)", "recovered", "2 authenticated GETs"],
    run: (): Promise<Outcome> =>
      against(undefined, async (env) => {
        await createPrivateEndpoint(env.client(), env.input("GCP"));
        env.sim.injectFault({ kind: "drop", method: "GET" });
        return await getPrivateEndpoint(env.client(), env.ref("GCP"));
      }),
    check(o): void {
      assert.equal(o.error, undefined, String(o.error));
      assert.equal(o.gets, 2);
    },
  },
  {
    name: "createPrivateEndpoint() survives drop-response: created once, read back, returned",
    row: [
      "simulator drop-response (POST): created, answer lost",
      "recovered: the created endpoint",
      "1 POST + 1 GET",
    ],
    run: (): Promise<Outcome> =>
      against(undefined, (env) => {
        env.sim.injectFault({ kind: "drop-response", operation: "create" });
        return createPrivateEndpoint(env.client(), env.input("AWS"));
      }),
    check(o): void {
      assert.equal(o.error, undefined, String(o.error));
      assert.deepEqual([o.posts, o.gets, o.endpoints], [1, 1, 1]);
    },
  },
  {
    name: "createPrivateEndpoint() survives a 500 before processing: read back 404, POST again",
    row: ["simulator 500 (POST), not processed", "recovered: created once", "2 POST + 1 GET"],
    run: (): Promise<Outcome> =>
      against(undefined, (env) => {
        env.sim.injectFault({ kind: "server-error", operation: "create" });
        return createPrivateEndpoint(env.client(), env.input("AZURE"));
      }),
    check(o): void {
      assert.equal(o.error, undefined, String(o.error));
      assert.deepEqual([o.posts, o.gets, o.endpoints], [2, 1, 1]);
    },
  },
  {
    name: "deletePrivateEndpoint() survives drop-response: the retry's 404 means done",
    row: ["simulator drop-response (DELETE)", "recovered: deleted", "2 authenticated DELETEs"],
    run: (): Promise<Outcome> =>
      against(undefined, async (env) => {
        await createPrivateEndpoint(env.client(), env.input("AWS"));
        env.sim.injectFault({ kind: "drop-response", operation: "delete" });
        await deletePrivateEndpoint(env.client(), env.ref("AWS"));
        return env.authenticated("DELETE");
      }, { deleteDurationMs: 0 }),
    check(o): void {
      assert.equal(o.error, undefined, String(o.error));
      assert.equal(o.value, 2);
      assert.equal(o.endpoints, 0);
    },
  },
];
