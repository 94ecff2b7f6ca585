// Items 4-8 with an injected fetch: options, round trips, retries, bodies, origins and redirects,
// memory bounds. (Loopback HTTP versions of the round-trip counts are in roundtrip_test.ts.)
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { md5 } from "@noble/hashes/legacy.js";
import { sha512_256 } from "@noble/hashes/sha2.js";
import createClient from "openapi-fetch";
import { createDigestFetch, digestAuth, DigestAuthError } from "../../mod.ts";
import { DigestEngine } from "../../src/digest/_engine.ts";
import { toHex } from "../../src/digest/_hash.ts";
import { createDigestTestServer } from "../../src/testing/mod.ts";
import { authParams, challengeHandler, recordingFetch, text } from "./_helpers.ts";

// deno-lint-ignore no-explicit-any
type AnyPaths = any;
const URL_A = "http://127.0.0.1:8001";
const URL_B = "http://127.0.0.2:8002";

Deno.test("digestAuth() and createDigestFetch() reject bad options before any request", () => {
  const cases: [unknown, RegExp][] = [
    [{ username: "", password: "p" }, /username must be a non-empty string/],
    [{ username: "u", password: "" }, /password must be a non-empty string/],
    [{ password: "p" }, /username/],
    [{ username: "u", password: 42 }, /password/],
    [{ username: "u", password: "p", maxNonces: 0 }, /maxNonces/],
    [{ username: "u", password: "p", sha512_256: "yes" }, /sha512_256/],
    [undefined, /options must be an object/],
  ];
  for (const [options, message] of cases) {
    for (const create of [digestAuth, createDigestFetch]) {
      assert.throws(() => create(options as never), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, /^Cannot set up Digest authentication: /);
        assert.match(error.message, message);
        return true;
      });
    }
  }
  assert.throws(
    () => createDigestFetch({ username: "u", password: "p", fetch: "no" as never }),
    TypeError,
  );
});

Deno.test("createDigestFetch() costs N+1 round trips for N sequential requests", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: { u: "p" } });
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch: server.fetch });
  for (let i = 0; i < 10; i++) {
    const response = await digestFetch(`${URL_A}/item/${i}`);
    assert.equal(response.status, 200);
    await response.body?.cancel();
  }
  assert.equal(server.requests, 11);
  assert.equal(server.verifier.stats.accepted, 10);
});

Deno.test("createDigestFetch() throws CREDENTIALS_REJECTED after exactly two requests", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: { u: "right" } });
  const digestFetch = createDigestFetch({
    username: "u",
    password: "wrong-secret",
    fetch: server.fetch,
  });
  for (let call = 1; call <= 2; call++) {
    // First call: challenge + authenticated retry. Second call: preemptive try + retry.
    const error = await digestFetch(`${URL_A}/x`).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof DigestAuthError);
    assert.equal(error.code, "CREDENTIALS_REJECTED");
    assert.equal(error.status, 401);
    assert.equal(error.url, `${URL_A}/x`);
    assert.doesNotMatch(error.message + String(error.stack), /wrong-secret|response=|Digest /);
    assert.equal(server.requests, 2 * call);
  }
});

Deno.test("createDigestFetch() does not retry 400 or 403", async () => {
  for (const status of [400, 403]) {
    const { fetch, seen } = recordingFetch((request) =>
      request.headers.has("authorization")
        ? new Response("no", { status })
        : challengeHandler('Digest realm="r", nonce="n", qop=auth')(request)
    );
    const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
    const first = await digestFetch(`${URL_A}/`);
    assert.equal(first.status, status);
    await first.body?.cancel();
    assert.equal(seen.length, 2);
    const second = await digestFetch(`${URL_A}/`);
    assert.equal(second.status, status);
    await second.body?.cancel();
    assert.equal(seen.length, 3, "the preemptive request is not retried");
  }
});

Deno.test("createDigestFetch() retries once more on stale=true, with the fresh nonce", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: { u: "p" }, maxNonceUses: 2 });
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch: server.fetch });
  for (let i = 0; i < 6; i++) await (await digestFetch(`${URL_A}/`)).body?.cancel();
  // 1 challenge + 6 accepted + 2 stale rejections (uses 3 and 5 hit a spent nonce).
  assert.equal(server.requests, 9);
  assert.equal(server.verifier.stats.rejected.stale, 2);
  assert.equal(server.verifier.stats.accepted, 6);
});

Deno.test("createDigestFetch() never loops on a server that always answers 401", async () => {
  let n = 0;
  const { fetch, seen } = recordingFetch(() =>
    new Response(null, {
      status: 401,
      headers: { "www-authenticate": `Digest realm="r", nonce="n${n++}", qop=auth, stale=true` },
    })
  );
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  await assert.rejects(digestFetch(`${URL_A}/`), { code: "CREDENTIALS_REJECTED" });
  // Challenge, authenticated retry, one stale retry.
  assert.equal(seen.length, 3);
  await assert.rejects(digestFetch(`${URL_A}/`), { code: "CREDENTIALS_REJECTED" });
  assert.equal(seen.length, 6);
});

Deno.test("createDigestFetch() reports a 401 without a usable Digest challenge", async () => {
  const cases: [string | null, string][] = [
    [null, "NO_DIGEST_CHALLENGE"],
    ['Basic realm="r"', "NO_DIGEST_CHALLENGE"],
    ['Digest realm="r", nonce="n", algorithm=SHA-512-256, qop=auth', "UNSUPPORTED_CHALLENGE"],
    ['Digest realm="r", nonce="n", qop="auth-conf"', "UNSUPPORTED_CHALLENGE"],
    ['Digest realm="r, nonce="n"', "MALFORMED_CHALLENGE"],
  ];
  for (const [header, code] of cases) {
    const { fetch, seen } = recordingFetch(() =>
      new Response("denied", {
        status: 401,
        headers: header === null ? {} : { "www-authenticate": header },
      })
    );
    const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
    await assert.rejects(digestFetch(`${URL_A}/p`, { method: "DELETE" }), (error: unknown) => {
      assert.ok(error instanceof DigestAuthError);
      assert.equal(error.code, code);
      assert.equal(error.method, "DELETE");
      assert.match(error.message, /^Cannot authenticate DELETE http:\/\/127\.0\.0\.1:8001\/p: /);
      return true;
    });
    assert.equal(seen.length, 1);
  }
});

Deno.test("createDigestFetch() passes through requests to origins without a challenge", async () => {
  const { fetch, seen } = recordingFetch(() => new Response("public"));
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  const responses = await Promise.all(
    Array.from({ length: 5 }, () => digestFetch(`${URL_A}/public`)),
  );
  for (const r of responses) assert.equal(await r.text(), "public");
  assert.equal(seen.length, 5);
  assert.ok(seen.every((s) => s.authorization === null));
});

// ---- item 7: the body, byte for byte ----

function bodies(): [string, () => RequestInit][] {
  const binary = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
  return [
    ["string", () => ({ body: "h\u00e9llo, w\u00f6rld" })],
    ["JSON", () => ({ body: JSON.stringify({ a: [1, 2, { b: "\u00e9" }] }) })],
    ["Uint8Array", () => ({ body: binary })],
    ["ReadableStream", () => ({
      body: new ReadableStream({
        start(controller): void {
          controller.enqueue(binary.slice(0, 100));
          controller.enqueue(binary.slice(100));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit)],
    ["FormData", () => {
      const form = new FormData();
      form.append("field", "value \u00e9");
      form.append("file", new Blob([binary], { type: "application/octet-stream" }), "f.bin");
      return { body: form };
    }],
  ];
}

Deno.test("createDigestFetch() re-sends every kind of body byte for byte", async () => {
  for (const [name, init] of bodies()) {
    const { fetch, seen } = recordingFetch(
      challengeHandler('Digest realm="r", nonce="n", qop="auth"'),
    );
    const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
    const response = await digestFetch(`${URL_A}/upload`, { method: "POST", ...init() });
    assert.equal(response.status, 200, name);
    await response.body?.cancel();
    assert.equal(seen.length, 2, name);
    assert.ok(seen[0]!.body.length > 0, name);
    assert.deepEqual(seen[1]!.body, seen[0]!.body, name);
    assert.equal(seen[1]!.contentType, seen[0]!.contentType, name);
    const expected = new Uint8Array(
      await new Request("http://x/", { method: "POST", ...init() }).arrayBuffer(),
    );
    if (name !== "FormData") assert.deepEqual(seen[1]!.body, expected, name);
    else assert.match(text(seen[1]!.body), /value \u00e9/);
  }
});

Deno.test("createDigestFetch() hashes the exact body bytes for qop auth-int", async () => {
  for (const algorithm of ["MD5", "SHA-256", "SHA-256-sess"] as const) {
    const server = createDigestTestServer({
      realm: "r",
      credentials: { u: "p" },
      qop: ["auth-int"],
      algorithms: [algorithm],
    });
    const digestFetch = createDigestFetch({ username: "u", password: "p", fetch: server.fetch });
    for (const [name, init] of [...bodies(), ["no body", () => ({})] as const]) {
      const method = name === "no body" ? "GET" : "PUT";
      const response = await digestFetch(`${URL_A}/doc`, { method, ...init() });
      assert.equal(response.status, 200, `${algorithm} ${name}`);
      await response.body?.cancel();
    }
    assert.equal(server.verifier.stats.accepted, 6);
    assert.equal(server.requests, 7, algorithm);
  }
});

// ---- item 8: credentials stay with their origin ----

Deno.test("createDigestFetch() never sends credentials to an origin that did not challenge them", async () => {
  const serverA = createDigestTestServer({ realm: "a", credentials: { u: "p" } });
  const { fetch, seen } = recordingFetch((request) =>
    new URL(request.url).origin === URL_A ? serverA.fetch(request) : new Response("b")
  );
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  await (await digestFetch(`${URL_A}/`)).body?.cancel();
  await (await digestFetch(`${URL_B}/`)).body?.cancel();
  await (await digestFetch(`${URL_A.replace("http:", "https:")}/`)).body?.cancel();
  await (await digestFetch("http://127.0.0.1:8003/")).body?.cancel();
  assert.deepEqual(seen.map((s) => s.authorization !== null), [false, true, false, false, false]);
});

Deno.test("createDigestFetch() follows a redirect to another origin without Authorization", async () => {
  const serverA = createDigestTestServer({ realm: "a", credentials: { u: "p" } });
  const { fetch, seen } = recordingFetch(async (request) => {
    if (new URL(request.url).origin !== URL_A) return new Response("landed on b");
    const response = await serverA.fetch(request);
    if (response.status !== 200) return response;
    await response.body?.cancel();
    return new Response(null, { status: 307, headers: { location: `${URL_B}/elsewhere` } });
  });
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  const response = await digestFetch(`${URL_A}/start`, { method: "POST", body: "payload" });
  assert.equal(await response.text(), "landed on b");
  assert.deepEqual(seen.map((s) => [new URL(s.url).origin, s.authorization !== null]), [
    [URL_A, false],
    [URL_A, true],
    [URL_B, false],
  ]);
  // Authenticated requests are sent with redirect "manual" so the client follows them itself.
  assert.equal(seen[1]!.redirect, "manual");
  assert.equal(text(seen[2]!.body), "payload"); // 307 keeps method and body
  assert.equal(seen[2]!.method, "POST");
});

Deno.test("createDigestFetch() sends no Authorization to another origin from a warm client, whose first request goes out as made", async () => {
  const serverA = createDigestTestServer({ realm: "a", credentials: { u: "p" } });
  const { fetch, seen } = recordingFetch(async (request) => {
    if (new URL(request.url).origin !== URL_A) return new Response("landed on b");
    const response = await serverA.fetch(request);
    if (response.status !== 200 || !request.url.endsWith("/go")) return response;
    await response.body?.cancel();
    return new Response(null, { status: 308, headers: { location: `${URL_B}/elsewhere` } });
  });
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  await (await digestFetch(`${URL_A}/warm`)).body?.cancel();
  const response = await digestFetch(`${URL_A}/go`, { method: "PUT", body: "payload" });
  assert.equal(await response.text(), "landed on b");
  assert.deepEqual(seen.map((s) => [new URL(s.url).pathname, s.authorization !== null]), [
    ["/warm", false],
    ["/warm", true],
    ["/go", true],
    ["/elsewhere", false],
  ]);
  assert.equal(seen[2]!.redirect, "manual");
  assert.deepEqual([seen[3]!.method, text(seen[3]!.body)], ["PUT", "payload"]);
});

Deno.test("createDigestFetch() leaves a request with the caller's own Authorization to follow redirects as asked", async () => {
  const { fetch, seen } = recordingFetch(() => new Response("ok"));
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  await (await digestFetch(`${URL_A}/`, { headers: { authorization: "Bearer t" } })).text();
  assert.deepEqual([seen[0]!.redirect, seen[0]!.authorization], ["follow", "Bearer t"]);
});

Deno.test("createDigestFetch() re-authenticates a same-origin redirect for its new uri", async () => {
  const server = createDigestTestServer({ realm: "a", credentials: { u: "p" } });
  const { fetch, seen } = recordingFetch(async (request) => {
    const response = await server.fetch(request);
    if (response.status !== 200 || !request.url.endsWith("/old")) return response;
    await response.body?.cancel();
    return new Response(null, { status: 303, headers: { location: "/new?x=1" } });
  });
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  const response = await digestFetch(`${URL_A}/old`, { method: "POST", body: "form" });
  const echoed = await response.json();
  assert.deepEqual([echoed.method, echoed.uri, echoed.body], ["GET", "/new?x=1", ""]);
  assert.equal(seen.length, 3); // challenge, POST /old, GET /new with the known nonce
  assert.equal(authParams(seen[2]!.authorization).get("uri"), "/new?x=1");
  assert.equal(authParams(seen[2]!.authorization).get("nc"), "00000002");
});

Deno.test("createDigestFetch() leaves redirects alone when the caller asks for manual", async () => {
  const { fetch, seen } = recordingFetch((request) =>
    request.headers.has("authorization")
      ? new Response(null, { status: 302, headers: { location: `${URL_B}/` } })
      : challengeHandler('Digest realm="r", nonce="n"')(request)
  );
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  const response = await digestFetch(`${URL_A}/`, { redirect: "manual" });
  assert.equal(response.status, 302);
  assert.equal(seen.length, 2);
});

// ---- concurrency, abort and memory ----

Deno.test("createDigestFetch() lets a request waiting for the challenge be aborted", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => release = resolve);
  const server = createDigestTestServer({ realm: "r", credentials: { u: "p" } });
  const { fetch, seen } = recordingFetch(async (request) => {
    await held;
    return server.fetch(request);
  });
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  const pilot = digestFetch(`${URL_A}/1`);
  const controller = new AbortController();
  const waiting = digestFetch(`${URL_A}/2`, { signal: controller.signal });
  controller.abort(new Error("changed my mind"));
  await assert.rejects(waiting, /changed my mind/);
  release();
  assert.equal((await pilot).status, 200);
  assert.equal(seen.length, 2);
});

Deno.test("createDigestFetch() recovers when the request that took the challenge fails", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: { u: "p" } });
  let fail = true;
  const fetch = async (request: Request): Promise<Response> => {
    if (fail) {
      fail = false;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new TypeError("connection reset");
    }
    return await server.fetch(request);
  };
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  const results = await Promise.allSettled(
    Array.from({ length: 4 }, (_, i) => digestFetch(`${URL_A}/${i}`)),
  );
  assert.equal(results.filter((r) => r.status === "rejected").length, 1);
  for (const r of results) if (r.status === "fulfilled") await r.value.body?.cancel();
  // The next request in line took over the challenge: 1 + 3 round trips for the other three.
  assert.equal(server.requests, 4);
});

/**
 * A fetch that holds the first `count` requests carrying nc > 1, then hands them to `handler` one
 * after another in reverse order (the last allocated nc first).
 */
function reversingFetch(
  handler: (request: Request) => Promise<Response>,
  count: number,
): (request: Request) => Promise<Response> {
  const held: { request: Request; deliver: (response: Promise<Response>) => void }[] = [];
  return async (request) => {
    const auth = request.headers.get("authorization");
    if (held.length >= count || !auth || authParams(auth).get("nc") === "00000001") {
      return await handler(request);
    }
    return await new Promise<Response>((deliver) => {
      held.push({ request, deliver });
      if (held.length < count) return;
      (async () => {
        for (const { request, deliver } of held.toReversed()) {
          const response = handler(request);
          deliver(response);
          await response.catch(() => {});
        }
      })();
    });
  };
}

Deno.test("createDigestFetch() keeps 1,000 concurrent requests bounded on a strict server", async () => {
  const server = createDigestTestServer({
    realm: "r",
    credentials: { u: "p" },
    ncPolicy: "strict",
    opaque: "per-client",
  });
  let inFlight = 0;
  let maxInFlight = 0;
  const nonces = new Set<string>();
  const counted = async (request: Request): Promise<Response> => {
    const auth = request.headers.get("authorization");
    if (auth) nonces.add(authParams(auth).get("nonce")!);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 0));
      return await server.fetch(request);
    } finally {
      inFlight--;
    }
  };
  const digestFetch = createDigestFetch({
    username: "u",
    password: "p",
    fetch: reversingFetch(counted, 2),
    maxNonces: 8,
  });
  // Three cold requests: the two that share the nonce with the first arrive out of order and are
  // rejected for their nc, so the client learns the origin is strict. Only one request got in on
  // the shared nonce, so no lane is built (that would cost more than two round trips per
  // request): both retry, one after the other, on the newer nonce their 401s gave the opaque.
  const warm = await Promise.all([1, 2, 3].map((i) => digestFetch(`${URL_A}/warm/${i}`)));
  for (const r of warm) assert.equal(r.status, 200);
  for (const r of warm) await r.body?.cancel();
  assert.equal(server.verifier.stats.rejected.nc, 2);
  assert.equal(server.requests, 1 + 3 + 2);

  server.reset();
  nonces.clear();
  maxInFlight = 0;
  const responses = await Promise.all(
    Array.from({ length: 1000 }, (_, i) => digestFetch(`${URL_A}/item/${i}`)),
  );
  for (const r of responses) {
    assert.equal(r.status, 200);
    await r.body?.cancel();
  }
  // Pool mode: one request per nonce at a time, at most maxNonces nonces, so at most 8 on the wire
  // at once; the origin is known to be strict, so every request costs one round trip.
  assert.equal(server.verifier.stats.accepted, 1000);
  assert.ok(maxInFlight <= 8, `at most 8 in flight, saw ${maxInFlight}`);
  assert.ok(nonces.size <= 8, `${nonces.size} nonces`);
  assert.equal(server.requests, 1000);
});

Deno.test("createDigestFetch() shares one nonce among 1,000 concurrent requests on a tolerant server", async () => {
  const server = createDigestTestServer({
    realm: "r",
    credentials: { u: "p" },
    ncPolicy: "unique",
  });
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch: server.fetch });
  const responses = await Promise.all(
    Array.from({ length: 1000 }, (_, i) => digestFetch(`${URL_A}/item/${i}`)),
  );
  for (const r of responses) {
    assert.equal(r.status, 200);
    await r.body?.cancel();
  }
  assert.equal(server.requests, 1001);
});

Deno.test("createDigestFetch() gives up after one nc retry when a verified key is revoked", async () => {
  for (const opaque of ["per-nonce", "per-client"] as const) {
    let password = "p";
    const server = createDigestTestServer({
      realm: "r",
      credentials: () => password,
      ncPolicy: "unique",
      opaque,
    });
    const digestFetch = createDigestFetch({ username: "u", password: "p", fetch: server.fetch });
    for (let i = 0; i < 3; i++) await (await digestFetch(`${URL_A}/`)).body?.cancel();
    assert.equal(server.requests, 4);
    password = "rotated";
    await assert.rejects(digestFetch(`${URL_A}/`), { code: "CREDENTIALS_REJECTED" });
    // The preemptive try, one retry on the nonce its 401 gave (per-client: the opaque's newer one).
    assert.equal(server.requests - 4, 2, opaque);
  }
});

/**
 * A fetch that holds every response until the test releases it, and notes for each request how many
 * releases came before it was sent: its round-trip generation (1 = sent at once).
 */
function holdingFetch(handler: (request: Request) => Promise<Response>): {
  fetch: (request: Request) => Promise<Response>;
  sent: { generation: number; authorization: string | null }[];
  /** Resolves once the client has done all it can (no clock involved: only turns of the loop). */
  settle: () => Promise<void>;
  /** Lets every response held so far go, then settles. */
  release: () => Promise<void>;
} {
  const sent: { generation: number; authorization: string | null }[] = [];
  let held: (() => void)[] = [];
  let releases = 0;
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return {
    sent,
    settle,
    fetch: async (request) => {
      sent.push({ generation: releases + 1, authorization: request.headers.get("authorization") });
      await new Promise<void>((resolve) => held.push(resolve));
      return await handler(request);
    },
    release: async () => {
      releases++;
      const now = held;
      held = [];
      for (const go of now) go();
      await settle();
    },
  };
}

Deno.test("digestAuth() and createDigestFetch() send M cold concurrent calls in two round-trip generations", async () => {
  const m = 6;
  const entryPoints = {
    createDigestFetch: (fetch: (request: Request) => Promise<Response>) => {
      const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
      return (i: number) => digestFetch(`${URL_A}/item/${i}`).then((r) => r.status);
    },
    digestAuth: (fetch: (request: Request) => Promise<Response>) => {
      const client = createClient<AnyPaths>({ baseUrl: URL_A, fetch });
      client.use(digestAuth({ username: "u", password: "p" }));
      return (i: number) => client.GET(`/item/${i}`, {}).then((r) => r.response.status);
    },
  };
  for (const [name, make] of Object.entries(entryPoints)) {
    const server = createDigestTestServer({
      realm: "r",
      credentials: { u: "p" },
      ncPolicy: "unique",
    });
    const held = holdingFetch(server.fetch);
    const call = make(held.fetch);
    const calls = Promise.all(Array.from({ length: m }, (_, i) => call(i)));
    await held.settle();
    // Generation 1: one request takes the challenge; the others wait for it.
    assert.equal(held.sent.length, 1, name);
    assert.equal(held.sent[0]!.authorization, null, name);
    await held.release(); // the challenge comes back
    // Generation 2: all M authenticated requests go before any of their responses is back (the
    // first authenticated response is still held), sharing the nonce with distinct nc.
    assert.equal(held.sent.length, 1 + m, name);
    const authenticated = held.sent.slice(1);
    assert.ok(authenticated.every((s) => s.generation === 2), name);
    const params = authenticated.map((s) => authParams(s.authorization));
    assert.equal(new Set(params.map((p) => p.get("nonce"))).size, 1, name);
    assert.deepEqual(
      params.map((p) => p.get("nc")).sort(),
      Array.from({ length: m }, (_, i) => `0000000${i + 1}`),
      name,
    );
    await held.release();
    assert.deepEqual(await calls, Array(m).fill(200), name);
    assert.equal(server.requests, m + 1, name);
  }
});

Deno.test("createDigestFetch() costs two requests per call with wrong credentials in a cold burst", async () => {
  for (const opaque of ["per-nonce", "per-client"] as const) {
    for (const ncPolicy of ["unique", "strict"] as const) {
      const name = `${opaque} ${ncPolicy}`;
      const server = createDigestTestServer({
        realm: "r",
        credentials: { u: "right" },
        opaque,
        ncPolicy,
      });
      const digestFetch = createDigestFetch({
        username: "u",
        password: "wrong",
        fetch: server.fetch,
      });
      for (const m of [2, 5]) {
        const before = server.requests;
        const results = await Promise.allSettled(
          Array.from({ length: m }, (_, i) => digestFetch(`${URL_A}/${i}`)),
        );
        for (const r of results) {
          assert.equal(r.status, "rejected", name);
          assert.equal((r as PromiseRejectedResult).reason.code, "CREDENTIALS_REJECTED", name);
        }
        assert.equal(server.requests - before, 2 * m, `${name}, ${m} calls`);
      }
    }
  }
});

Deno.test("createDigestFetch() hashes username:realm:password once per realm and algorithm", async () => {
  let hashed: string[] = [];
  const counting = (data: Uint8Array): Uint8Array => {
    hashed.push(text(data));
    return sha512_256(data);
  };
  const server = createDigestTestServer({
    realm: "r",
    credentials: { u: "s3cret" },
    algorithms: ["SHA-512-256"],
    sha512_256,
  });
  const digestFetch = createDigestFetch({
    username: "u",
    password: "s3cret",
    sha512_256: counting,
    fetch: server.fetch,
  });
  for (let i = 0; i < 4; i++) await (await digestFetch(`${URL_A}/${i}`)).body?.cancel();
  // H(A1) once; then H(A2) and the response per request.
  assert.equal(hashed.filter((h) => h === "u:r:s3cret").length, 1);
  assert.equal(hashed.length, 1 + 2 * 4);
  // Another origin with the same realm and algorithm reuses it.
  hashed = [];
  await (await digestFetch(`${URL_B}/`)).body?.cancel();
  assert.equal(hashed.filter((h) => h === "u:r:s3cret").length, 0);
});

Deno.test("createDigestFetch() keeps the password hash out of sight", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: { u: "hunter2-secret" } });
  const engine = new DigestEngine({ username: "u", password: "hunter2-secret" });
  const response = await engine.run(new Request(`${URL_A}/`), server.fetch);
  assert.equal(response.response.status, 200);
  await response.response.body?.cancel();
  const ha1 = toHex(md5(new TextEncoder().encode("u:r:hunter2-secret")));
  for (const shown of [inspect(engine, { depth: 10, showHidden: true }), JSON.stringify(engine)]) {
    assert.doesNotMatch(shown, new RegExp(`${ha1}|hunter2`));
  }
});

Deno.test("createDigestFetch() lets requests waiting for a verdict be aborted, and goes on", async () => {
  // nc 1 is held; nc 2 and 3 are rejected at once (as a strict server might), so they wait to hear
  // whether the credentials work, and are aborted while they wait.
  const server = createDigestTestServer({ realm: "r", credentials: { u: "p" }, ncPolicy: "off" });
  let releaseFirst!: () => void;
  const first = new Promise<void>((resolve) => releaseFirst = resolve);
  const fetch = async (request: Request): Promise<Response> => {
    const auth = request.headers.get("authorization");
    const nc = auth ? authParams(auth).get("nc") : undefined;
    if (nc === "00000001") await first;
    else if (nc === "00000002" || nc === "00000003") {
      return new Response(null, {
        status: 401,
        headers: { "www-authenticate": 'Digest realm="r", nonce="other", qop="auth"' },
      });
    }
    return await server.fetch(request);
  };
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  const controllers = [new AbortController(), new AbortController()];
  const taker = digestFetch(`${URL_A}/0`);
  const waiting = controllers.map((c, i) => digestFetch(`${URL_A}/${i + 1}`, { signal: c.signal }));
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  for (const c of controllers) c.abort(new Error("gave up waiting"));
  for (const w of waiting) await assert.rejects(w, /gave up waiting/);
  let later: Response | undefined;
  const next = digestFetch(`${URL_A}/later`).then((r) => later = r);
  releaseFirst();
  assert.equal((await taker).status, 200);
  for (let i = 0; i < 20 && !later; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(later?.status, 200, "a later call is not held back");
  await next;
  await later?.body?.cancel();
});
