// The nonce pool of an origin that checks nc strictly in order (pool mode), driven directly: which
// requests may build a lane (a request without Authorization, for a new opaque) and which wait.
import assert from "node:assert/strict";
import { selectChallenge } from "../../src/digest/_challenge.ts";
import { Lease, OriginSession } from "../../src/digest/_session.ts";

/** A call without a signal. */
const NO_SIGNAL = { signal: null };

const challenge = (opaque: string) =>
  selectChallenge(`Digest realm="r", nonce="n-${opaque}", opaque="${opaque}", qop="auth"`, {
    method: "GET",
    url: "http://127.0.0.1/",
    status: 401,
    sha512_256: undefined,
  });

/** A lease that got its turn at once (it did not have to wait). */
function now(lease: Lease | Promise<Lease>): Lease {
  assert.ok(lease instanceof Lease, "the request goes at once");
  return lease;
}

/** A strict origin with two lanes, both free. */
function twoLanes(): OriginSession {
  const session = new OriginSession(8);
  session.strict = true;
  session.verified = true;
  session.credit = 2; // two requests got in on the shared nonce: one lane to build
  const first = now(session.acquire(NO_SIGNAL)); // no lane at all: it builds one
  assert.equal(first.slot, undefined);
  const second = new Lease(session);
  assert.ok(session.trySeat(second, true)); // a rejected request builds the second
  first.adopt(challenge("1"));
  second.adopt(challenge("2"));
  first.finish("ok", true);
  second.finish("ok", true);
  assert.equal(session.free.length, 2);
  return session;
}

Deno.test("OriginSession gives a strict origin's later requests a free lane or a place in line, never a new lane", async () => {
  const session = twoLanes();
  const a = now(session.acquire(NO_SIGNAL));
  const b = now(session.acquire(NO_SIGNAL));
  assert.deepEqual([a.slot?.challenge.opaque, b.slot?.challenge.opaque], ["1", "2"]);
  const waiting = session.acquire(NO_SIGNAL);
  assert.ok(
    waiting instanceof Promise,
    "a third request waits: building a lane costs a round trip",
  );
  a.finish("ok", true);
  const c = await waiting;
  assert.equal(c.slot?.challenge.opaque, "1");
  assert.equal(session.seats, 2);
});

Deno.test("OriginSession rebuilds a lane lost to a failed request, once", async () => {
  const session = twoLanes();
  const a = now(session.acquire(NO_SIGNAL));
  now(session.acquire(NO_SIGNAL));
  a.finish("failed", false); // a network error: the lane's count is unknown, so it goes
  assert.equal(session.seats, 1);
  const c = now(session.acquire(NO_SIGNAL)); // rebuilds it (goes without Authorization first)
  assert.equal(c.slot, undefined);
  assert.equal(session.seats, 2);
  const waiting = session.acquire(NO_SIGNAL);
  assert.ok(waiting instanceof Promise, "no lane beyond the lost one");
  c.finish("failed", false);
  assert.ok((await waiting).seat);
});
