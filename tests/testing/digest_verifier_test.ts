import assert from "node:assert/strict";
import { sha512_256 } from "@noble/hashes/sha2.js";
import {
  createDigestTestServer,
  createDigestVerifier,
  type DigestAlgorithm,
  type DigestVerifier,
  type DigestVerifierOptions,
} from "../../src/testing/digest_verifier.ts";
import {
  type Challenge,
  challengeOf,
  parseChallenges,
  sign,
  signedRequest,
} from "./_digest_helper.ts";

const URL_X = "http://127.0.0.1/api/x?pretty=true";
const ALICE = { username: "alice", password: "s3cret" };

interface Setup {
  verifier: DigestVerifier;
  first: () => Challenge;
  advance: (ms: number) => number;
}

function setup(extra: Partial<DigestVerifierOptions> = {}): Setup {
  let t = 1_000_000;
  const verifier = createDigestVerifier({
    realm: "test-realm",
    credentials: { alice: "s3cret", bob: "hunter2" },
    now: () => t,
    ...extra,
  });
  const first = () => parseChallenges(verifier.challenge())[0]!;
  return { verifier, first, advance: (ms: number) => (t += ms) };
}

Deno.test("createDigestVerifier() accepts a correct request for each of the six algorithms", async () => {
  const all: DigestAlgorithm[] = [
    "MD5",
    "MD5-sess",
    "SHA-256",
    "SHA-256-sess",
    "SHA-512-256",
    "SHA-512-256-sess",
  ];
  for (const algorithm of all) {
    const { verifier, first } = setup({ algorithms: [algorithm], sha512_256 });
    const c = first();
    assert.equal(c.algorithm, algorithm);
    const verdict = await verifier.verify(
      await signedRequest(c, URL_X, { ...ALICE, sha512_256 }),
    );
    assert.deepEqual(verdict, { ok: true, username: "alice" }, algorithm);
  }
});

Deno.test("createDigestVerifier() offers one challenge per algorithm, in order, sharing a nonce", () => {
  const { verifier } = setup({ algorithms: ["SHA-256", "MD5"] });
  const cs = parseChallenges(verifier.challenge());
  assert.deepEqual(cs.map((c) => c.algorithm), ["SHA-256", "MD5"]);
  assert.equal(cs[0]!.nonce, cs[1]!.nonce);
  assert.equal(verifier.stats.challenges, 1);
});

Deno.test("createDigestVerifier() rejects a wrong password, an unknown user and an inherited key", async () => {
  const { verifier, first } = setup();
  for (
    const creds of [
      { username: "alice", password: "wrong" },
      { username: "mallory", password: "s3cret" },
      { username: "toString", password: "" },
    ]
  ) {
    const verdict = await verifier.verify(await signedRequest(first(), URL_X, creds));
    assert.equal(verdict.ok, false);
    if (verdict.ok) continue;
    assert.equal(verdict.status, 401);
    assert.equal(verdict.reason, "credentials");
    assert.equal(parseChallenges(verdict.wwwAuthenticate!)[0]!.stale, false);
  }
  assert.equal(verifier.stats.rejected.credentials, 3);
});

Deno.test("createDigestVerifier() answers 401 missing without Authorization or with another scheme", async () => {
  const { verifier } = setup();
  for (const headers of [{}, { authorization: "Basic YWxpY2U6czNjcmV0" }]) {
    const verdict = await verifier.verify(new Request(URL_X, { headers }));
    assert.equal(verdict.ok, false);
    if (verdict.ok) continue;
    assert.equal(verdict.status, 401);
    assert.equal(verdict.reason, "missing");
    assert.match(verdict.wwwAuthenticate!, /^Digest realm="test-realm", nonce="/);
  }
});

Deno.test("createDigestVerifier() answers 400 for malformed Authorization headers", async () => {
  const { verifier, first } = setup();
  const good = await sign(first(), { ...ALICE, method: "GET", uri: "/api/x?pretty=true" });
  for (
    const authorization of [
      'Digest username="alice", realm="unterminated',
      good.replace(/, response="[0-9a-f]+"/, ""),
      good.replace(/nc=[0-9a-f]+/, "nc=1"),
      good.replace(/, cnonce="[^"]+"/, ""),
    ]
  ) {
    const verdict = await verifier.verify(new Request(URL_X, { headers: { authorization } }));
    assert.deepEqual(verdict, { ok: false, status: 400, reason: "malformed" }, authorization);
  }
});

Deno.test("createDigestVerifier() answers 400 when uri is not the exact request target", async () => {
  const { verifier, first } = setup();
  for (const sentUri of ["/api/x", "/api/x?pretty=false", "http://127.0.0.1/api/x?pretty=true"]) {
    const request = await signedRequest(first(), URL_X, { ...ALICE, sentUri });
    const verdict = await verifier.verify(request);
    assert.deepEqual(verdict, { ok: false, status: 400, reason: "uri" });
  }
});

Deno.test("createDigestVerifier() checks realm, algorithm and qop against what it offered", async () => {
  const { verifier, first } = setup();
  const cases: [Parameters<typeof signedRequest>[2], string][] = [
    [{ ...ALICE, realm: "other" }, "realm"],
    [{ ...ALICE, algorithm: "SHA-256" }, "algorithm"],
    [{ ...ALICE, qop: "auth-int" }, "qop"],
    [{ ...ALICE, qop: null }, "qop"],
  ];
  for (const [options, reason] of cases) {
    const verdict = await verifier.verify(await signedRequest(first(), URL_X, options));
    assert.equal(verdict.ok, false);
    if (!verdict.ok) {
      assert.equal(verdict.status, 401);
      assert.equal(verdict.reason, reason);
    }
  }
  // No algorithm parameter means MD5.
  const verdict = await verifier.verify(
    await signedRequest(first(), URL_X, { ...ALICE, algorithm: null }),
  );
  assert.equal(verdict.ok, true);
});

Deno.test("createDigestVerifier() with qop [] accepts the RFC 2069 form only", async () => {
  const { verifier, first } = setup({ qop: [] });
  const c = first();
  assert.deepEqual(c.qop, []);
  assert.equal((await verifier.verify(await signedRequest(c, URL_X, ALICE))).ok, true);
  const withQop = await verifier.verify(await signedRequest(c, URL_X, { ...ALICE, qop: "auth" }));
  assert.equal(withQop.ok ? "" : withQop.reason, "qop");
});

Deno.test("createDigestVerifier() rejects nonces it did not issue, or bound to another opaque", async () => {
  const { verifier, first } = setup();
  const c = first();
  const forged = c.nonce.slice(0, -1) + (c.nonce.endsWith("0") ? "1" : "0");
  for (
    const options of [
      { ...ALICE, nonce: forged },
      { ...ALICE, nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093" },
      { ...ALICE, opaque: first().opaque! },
      { ...ALICE, opaque: null },
    ]
  ) {
    const verdict = await verifier.verify(await signedRequest(c, URL_X, options));
    assert.equal(verdict.ok ? "" : verdict.reason, "unknown-nonce");
  }
});

Deno.test("createDigestVerifier() strict nc accepts 1, 2, 3 and rejects a replay or a gap", async () => {
  const { verifier, first } = setup({ ncPolicy: "strict" });
  const c = first();
  const verdictFor = async (nc: number) =>
    await verifier.verify(await signedRequest(c, URL_X, { ...ALICE, nc }));
  assert.equal((await verdictFor(1)).ok, true);
  assert.equal((await verdictFor(2)).ok, true);
  const replay = await verdictFor(2);
  assert.equal(replay.ok ? "" : replay.reason, "nc");
  if (!replay.ok) assert.equal(parseChallenges(replay.wwwAuthenticate!)[0]!.stale, false);
  const gap = await verdictFor(4);
  assert.equal(gap.ok ? "" : gap.reason, "nc");
  assert.equal((await verdictFor(3)).ok, true);
  assert.equal(verifier.stats.accepted, 3);
  assert.equal(verifier.stats.rejected.nc, 2);
});

Deno.test("createDigestVerifier() unique nc accepts any order once; off accepts replays", async () => {
  const unique = setup({ ncPolicy: "unique" });
  const c = unique.first();
  const run = async (v: typeof unique, ch: typeof c, nc: number) =>
    (await v.verifier.verify(await signedRequest(ch, URL_X, { ...ALICE, nc }))).ok;
  assert.equal(await run(unique, c, 3), true);
  assert.equal(await run(unique, c, 1), true);
  assert.equal(await run(unique, c, 3), false);
  assert.equal(await run(unique, c, 0), false);
  assert.equal(unique.verifier.stats.rejected.nc, 2);
  const off = setup({ ncPolicy: "off" });
  const c2 = off.first();
  assert.equal(await run(off, c2, 1), true);
  assert.equal(await run(off, c2, 1), true);
});

Deno.test("createDigestVerifier() answers stale=true for an expired nonce only when the digest is right", async () => {
  const { verifier, first, advance } = setup({ nonceLifetimeMs: 10_000 });
  const c = first();
  assert.equal((await verifier.verify(await signedRequest(c, URL_X, ALICE))).ok, true);
  advance(10_001);
  const wrong = await verifier.verify(
    await signedRequest(c, URL_X, { ...ALICE, password: "x", nc: 2 }),
  );
  assert.equal(wrong.ok ? "" : wrong.reason, "credentials");
  if (!wrong.ok) assert.equal(parseChallenges(wrong.wwwAuthenticate!)[0]!.stale, false);
  const stale = await verifier.verify(await signedRequest(c, URL_X, { ...ALICE, nc: 2 }));
  assert.equal(stale.ok ? "" : stale.reason, "stale");
  assert.ok(!stale.ok && stale.status === 401);
  const fresh = parseChallenges(stale.ok ? "" : stale.wwwAuthenticate!)[0]!;
  assert.equal(fresh.stale, true);
  assert.notEqual(fresh.nonce, c.nonce);
  assert.equal((await verifier.verify(await signedRequest(fresh, URL_X, ALICE))).ok, true);
});

Deno.test("createDigestVerifier() issues valid nonces on a clock with fractions of a millisecond", async () => {
  const { verifier, first, advance } = setup({ nonceLifetimeMs: 10_000 });
  advance(0.25);
  const c = first();
  assert.match(c.nonce, /^[0-9a-f]+$/);
  assert.equal((await verifier.verify(await signedRequest(c, URL_X, ALICE))).ok, true);
  advance(10_000.5);
  const stale = await verifier.verify(await signedRequest(c, URL_X, { ...ALICE, nc: 2 }));
  assert.equal(stale.ok ? "" : stale.reason, "stale");
});

Deno.test("createDigestVerifier() makes a nonce stale after maxNonceUses accepted uses", async () => {
  const { verifier, first } = setup({ maxNonceUses: 2 });
  const c = first();
  for (const nc of [1, 2]) {
    assert.equal((await verifier.verify(await signedRequest(c, URL_X, { ...ALICE, nc }))).ok, true);
  }
  const third = await verifier.verify(await signedRequest(c, URL_X, { ...ALICE, nc: 3 }));
  assert.equal(third.ok ? "" : third.reason, "stale");
});

Deno.test("createDigestVerifier() keeps bounded state: evicted live nonces come back stale", async () => {
  const { verifier, first } = setup({ maxTrackedNonces: 3 });
  const oldest = first();
  for (let i = 0; i < 5; i++) first();
  const verdict = await verifier.verify(await signedRequest(oldest, URL_X, ALICE));
  assert.equal(verdict.ok ? "" : verdict.reason, "stale");
});

Deno.test("createDigestVerifier() per-client opaque repeats the client's opaque and resets nc", async () => {
  const { verifier, first } = setup({ opaque: "per-client" });
  const c = first();
  assert.equal((await verifier.verify(await signedRequest(c, URL_X, ALICE))).ok, true);
  // A failed request re-challenges with the same opaque and a new nonce.
  const failed = await verifier.verify(
    await signedRequest(c, URL_X, { ...ALICE, password: "x", nc: 2 }),
  );
  assert.ok(!failed.ok);
  const again = parseChallenges(failed.ok ? "" : failed.wwwAuthenticate!)[0]!;
  assert.equal(again.opaque, c.opaque);
  assert.notEqual(again.nonce, c.nonce);
  // The old nonce of that opaque is superseded: its counter was reset.
  const old = await verifier.verify(await signedRequest(c, URL_X, { ...ALICE, nc: 2 }));
  assert.equal(old.ok ? "" : old.reason, "nc");
  // Every 401 issues the opaque's newest nonce, superseding `again` in turn.
  const newest = parseChallenges(old.ok ? "" : old.wwwAuthenticate!)[0]!;
  assert.equal(newest.opaque, c.opaque);
  assert.equal((await verifier.verify(await signedRequest(newest, URL_X, ALICE))).ok, true);
  // A request without Authorization gets a new opaque.
  const anonymous = await verifier.verify(new Request(URL_X));
  assert.notEqual(
    parseChallenges(anonymous.ok ? "" : anonymous.wwwAuthenticate!)[0]!.opaque,
    c.opaque,
  );
});

Deno.test("createDigestVerifier() per-nonce opaque is fresh per challenge; none sends none", () => {
  const perNonce = setup();
  assert.notEqual(perNonce.first().opaque, perNonce.first().opaque);
  assert.equal(setup({ opaque: "none" }).first().opaque, undefined);
});

Deno.test("createDigestVerifier() accepts userhash and username* forms", async () => {
  const { verifier, first } = setup({ userhash: true, algorithms: ["SHA-256"] });
  const c = first();
  assert.equal(c.userhash, true);
  const hashed = await verifier.verify(
    await signedRequest(c, URL_X, { ...ALICE, userhash: true }),
  );
  assert.deepEqual(hashed, { ok: true, username: "alice" });
  const auth = await sign(c, { ...ALICE, method: "GET", uri: "/api/x?pretty=true", nc: 2 });
  const star = auth.replace('username="alice"', "username*=UTF-8''%61lice");
  const verdict = await verifier.verify(new Request(URL_X, { headers: { authorization: star } }));
  assert.deepEqual(verdict, { ok: true, username: "alice" });
  const plain = setup();
  const refused = await plain.verifier.verify(
    await signedRequest(plain.first(), URL_X, { ...ALICE, userhash: true }),
  );
  assert.equal(refused.ok ? "" : refused.reason, "credentials");
});

Deno.test("createDigestVerifier() auth-int covers the exact body bytes", async () => {
  const { verifier, first } = setup({ qop: ["auth-int"], algorithms: ["SHA-256"] });
  const body = new TextEncoder().encode('{"a":1}');
  const c = first();
  const ok = await signedRequest(c, URL_X, { ...ALICE, method: "POST", body });
  assert.equal((await verifier.verify(ok)).ok, true);
  // Body read from the request itself when not passed; a different body fails.
  const authorization = await sign(c, {
    ...ALICE,
    method: "POST",
    uri: "/api/x?pretty=true",
    nc: 2,
    body,
  });
  const tampered = new Request(URL_X, {
    method: "POST",
    headers: { authorization },
    body: '{"a":2}',
  });
  const verdict = await verifier.verify(tampered);
  assert.equal(verdict.ok ? "" : verdict.reason, "credentials");
  assert.equal(await tampered.text(), '{"a":2}', "the request body stays readable");
});

Deno.test("createDigestVerifier() announces Atlas's challenge with extra params and explicit stale", () => {
  const verifier = createDigestVerifier({
    realm: "MMS Public API",
    credentials: {},
    opaque: "none",
    extraChallengeParams: 'domain=""',
    explicitStale: true,
  });
  assert.match(
    verifier.challenge(),
    /^Digest realm="MMS Public API", domain="", nonce="[0-9a-f]{60}", algorithm=MD5, qop="auth", stale=false$/,
  );
  assert.match(verifier.challenge({ stale: true }), /, stale=true$/);
});

Deno.test("createDigestVerifier() validates its options eagerly", () => {
  const base = { realm: "r", credentials: {} };
  assert.throws(() => createDigestVerifier({ ...base, algorithms: [] }), RangeError);
  assert.throws(
    () => createDigestVerifier({ ...base, algorithms: ["SHA-1" as DigestAlgorithm] }),
    RangeError,
  );
  assert.throws(() => createDigestVerifier({ ...base, algorithms: ["SHA-512-256"] }), TypeError);
  assert.throws(
    () => createDigestVerifier({ ...base, algorithms: ["MD5-sess"], qop: [] }),
    RangeError,
  );
  assert.throws(() => createDigestVerifier({ ...base, nonceLifetimeMs: 0 }), RangeError);
  assert.throws(() => createDigestVerifier({ ...base, ncPolicy: "x" as "off" }), RangeError);
  assert.throws(() => createDigestTestServer({ ...base, latencyMs: -1 }), RangeError);
});

Deno.test("createDigestVerifier() uses a credentials lookup function", async () => {
  const asked: string[] = [];
  const verifier = createDigestVerifier({
    realm: "r",
    credentials: (name) => {
      asked.push(name);
      return name === "alice" ? "s3cret" : undefined;
    },
  });
  const c = parseChallenges(verifier.challenge())[0]!;
  assert.equal((await verifier.verify(await signedRequest(c, URL_X, ALICE))).ok, true);
  assert.deepEqual(asked, ["alice"]);
});

Deno.test("createDigestTestServer() echoes an authenticated request and counts round trips", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: { alice: "s3cret" } });
  const first = await server.fetch(new Request(URL_X, { method: "POST", body: "hi" }));
  assert.equal(first.status, 401);
  assert.equal(first.headers.get("content-type"), "application/json");
  assert.deepEqual(await first.json(), { error: 401, reason: "missing" });
  const body = new TextEncoder().encode("héllo");
  const request = await signedRequest(challengeOf(first), URL_X, {
    ...ALICE,
    method: "POST",
    body,
  });
  const second = await server.fetch(request);
  assert.equal(second.status, 200);
  assert.deepEqual(await second.json(), {
    method: "POST",
    uri: "/api/x?pretty=true",
    body: "héllo",
    username: "alice",
  });
  assert.equal(server.requests, 2);
  assert.equal(server.verifier.stats.accepted, 1);
  server.reset();
  assert.equal(server.requests, 0);
  assert.equal(server.verifier.stats.accepted, 0);
  assert.deepEqual(server.verifier.stats.rejected, {});
});

Deno.test("createDigestTestServer() answers 400 without a challenge for a wrong uri", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: { alice: "s3cret" } });
  const c = parseChallenges(server.verifier.challenge())[0]!;
  const response = await server.fetch(await signedRequest(c, URL_X, { ...ALICE, sentUri: "/" }));
  assert.equal(response.status, 400);
  assert.equal(response.headers.get("www-authenticate"), null);
  assert.deepEqual(await response.json(), { error: 400, reason: "uri" });
});

Deno.test("createDigestTestServer() waits latencyMs before answering", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: {}, latencyMs: 30 });
  const started = performance.now();
  const response = await server.fetch(new Request(URL_X));
  await response.body?.cancel();
  assert.ok(performance.now() - started >= 25);
});
