// Per-origin nonce sessions: which nonce a request may use, with which nc, and who waits for whom.
//
// An origin starts in shared mode: one nonce, used by any number of requests at once with distinct
// nc values (servers that accept nc out of order, i.e. most). While no nonce is known, one request
// (the pilot) goes without Authorization and the others wait for its challenge, then all go at once.
//
// While the credentials are not yet known to work there, a 401 to a request that shared its nonce
// is ambiguous: wrong credentials, or a server that checks nc strictly in order. Such a request waits
// for a verdict: once every authenticated request of the burst is back, either one of them got in
// (the rest retry on nonces of their own), or one request checks the credentials alone on the newest
// challenge (and, if that challenge may have been spent by a later rejection, one more checks again),
// so wrong credentials still cost two requests per call.
//
// When a request is rejected for its nc once the credentials are known to work (or one that was
// succeeds on a nonce of its own), the origin checks nc strictly in order (Apache's
// AuthDigestNcCheck On, which counts per opaque: it gives a new opaque only to a request without
// one, and a rejected request gets a newer nonce for the opaque it sent). From then on it is in
// pool mode: a bounded pool of lanes (nonces, each with its own opaque where the server ties counts
// to it), each carrying one request at a time. The shared nonce becomes a lane, on the newest nonce
// the server gave its opaque, once its requests are back. Only requests rejected in that burst
// build more lanes (without Authorization, to get a new opaque), one per request that got in on
// the shared nonce less one, so that burst costs at most two round trips per request. Any other
// request takes a free lane or waits in line: one round trip each from then on.
import type { DigestChallenge } from "./_challenge.ts";

/** One nonce and its nonce count. */
export class NonceSlot {
  /** The challenge that issued the nonce. */
  declare readonly challenge: DigestChallenge;
  /** Requests using it right now. */
  inflight = 0;
  /** True once two requests used it at the same time. */
  contended = false;
  /** True once the server stopped accepting it. */
  retired = false;
  /** The shared nonce of an origin found to check nc in order: a lane once nobody uses it. */
  orphan = false;
  /** The newest challenge that repeated this nonce's opaque, for rejecting a request on it. */
  declare rechallenge: DigestChallenge | undefined;
  #count = 0;

  constructor(challenge: DigestChallenge) {
    this.challenge = challenge;
  }

  /** Allocates the next nc (1, 2, ...), synchronously so that concurrent requests never share one. */
  nextNc(): number {
    return ++this.#count;
  }
}

/**
 * What a request rejected on a shared nonce, before the credentials were known to work, does next:
 * `"nc"` retry on a nonce of its own (someone got in), `"rejected"` the credentials are wrong,
 * a challenge: check the credentials alone on it, `"probe"`: check them alone on a fresh challenge.
 */
export type Verdict = "nc" | "rejected" | "probe" | DigestChallenge;

/** Waits for `enlist`'s wake-up call; rejects (after running the returned cancel) on abort. */
function park<T>(
  signal: AbortSignal | null,
  enlist: (wake: (value: T) => void) => (() => void) | void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = () => {
      cancel?.();
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const cancel = enlist((value) => {
      signal?.removeEventListener("abort", onAbort);
      resolve(value);
    });
  });
}

interface Waiter {
  /** Has its authenticated retry left (its first request carried Authorization). */
  spare: boolean;
  wake: (verdict: Verdict) => void;
}

/** The Digest state of one origin. */
export class OriginSession {
  /** An authenticated request has succeeded here: the credentials work. */
  verified = false;
  /** The server checks nc strictly in order: use the nonce pool. */
  strict = false;
  /** A request without Authorization succeeded and no challenge is known: send without. */
  open = false;
  /** Shared mode: the nonce everyone uses. */
  declare shared: NonceSlot | undefined;
  /** Pool mode: nonces nobody uses right now. */
  readonly free: NonceSlot[] = [];
  /** Pool mode: free nonces plus requests holding a place in the pool (at most maxNonces). */
  seats = 0;
  /**
   * Lanes that rejected requests may still build: one per request accepted on the shared nonce,
   * less one, so that the burst that shows the origin to be strict costs at most two round trips
   * per request.
   */
  credit = 0;
  /** Lanes lost to requests that failed (network error, abort): later requests rebuild them. */
  lost = 0;
  /** Largest pool. */
  declare readonly maxNonces: number;
  /** Authenticated requests on their way while the credentials are unverified. */
  trials = 0;
  /** The request checking the credentials alone. */
  declare resolver: Lease | undefined;
  #failed = 0;
  /** The gate is closed until the waiting requests have their verdict. */
  #judging = false;
  #newest: DigestChallenge | undefined;
  readonly #waiting = new Map<Lease, Waiter>();
  #gate: Promise<void> | undefined;
  #openGate: (() => void) | undefined;
  readonly #queue = new Set<() => void>();

  constructor(maxNonces: number) {
    this.maxNonces = maxNonces;
  }

  /**
   * Waits until this request may go (at once when nothing holds it), then says with which nonce.
   * The call's signal, which ends the wait, is asked for only when there is one.
   */
  acquire(call: { readonly signal: AbortSignal | null }): Lease | Promise<Lease> {
    const lease = new Lease(this);
    return this.#enter(lease) ? lease : this.#wait(lease, call.signal);
  }

  /** Lets a request go if nothing holds it back: the shared nonce, a free lane, or pilot. */
  #enter(lease: Lease): boolean {
    if (this.strict) return this.trySeat(lease, false);
    if (this.#gate) return false;
    if (this.shared) lease.use(this.shared);
    else if (!this.open) {
      // Cold: this request is the pilot and takes the challenge; the others wait for it.
      lease.pilot = true;
      this.close();
    }
    return true;
  }

  async #wait(lease: Lease, signal: AbortSignal | null): Promise<Lease> {
    // An aborted signal is noticed while waiting, or by the fetch that sends the request.
    while (!this.#enter(lease)) {
      if (this.strict) {
        await this.seat(lease, signal);
        break;
      }
      const gate = this.#gate!;
      await park<void>(signal, (wake) => void gate.then(wake));
    }
    return lease;
  }

  /**
   * Pool mode: takes a free lane (a nonce carrying one request at a time), or room to build one
   * (a request without Authorization gets a new opaque and nonce). Only a request already
   * rejected builds lanes (or any request while there are none): from the moment the origin is
   * known to be strict, a request costs one round trip, waiting for a lane if need be.
   */
  trySeat(lease: Lease, build: boolean): boolean {
    const slot = this.free.shift();
    if (slot) lease.use(slot);
    else if (
      this.seats < this.maxNonces && (!this.seats || this.lost || (build && this.credit > 1))
    ) {
      if (this.lost) this.lost--;
      else if (this.seats) this.credit--;
      this.seats++;
    } else return false;
    lease.seat = true;
    return true;
  }

  /** Pool mode: {@linkcode trySeat}, waiting in line until it succeeds. */
  async seat(lease: Lease, signal: AbortSignal | null, build = false): Promise<void> {
    while (!this.trySeat(lease, build)) {
      await park<void>(signal, (wake) => {
        const queue = this.#queue;
        queue.add(wake);
        return () => queue.delete(wake);
      });
    }
  }

  /** The origin checks nc strictly in order: pool mode; the shared nonce becomes a lane. */
  learnStrict(): void {
    if (this.strict) return;
    this.strict = true;
    const shared = this.shared;
    this.shared = undefined;
    if (shared) {
      // It holds its place in the pool from now on.
      shared.orphan = true;
      this.seats++;
      this.settle(shared);
    }
  }

  /** A nonce one request fewer uses: the former shared nonce joins the pool once nobody does. */
  settle(slot: NonceSlot): void {
    if (!slot.orphan || slot.inflight) return;
    slot.orphan = false;
    // The server issued the opaque a newer nonce when it rejected a request on it: the lane counts
    // on that nonce from 1 (Apache counts per opaque, on the newest nonce). A server that issued
    // fresh opaques instead gave the rejected requests nonces of their own: the shared one goes.
    const next = slot.rechallenge;
    if (slot.retired || !next) this.seats--;
    else this.free.push(new NonceSlot(next));
    this.pump();
  }

  /** Holds new requests back. */
  close(): void {
    this.#gate ??= new Promise<void>((resolve) => this.#openGate = resolve);
  }

  /** Lets the held-back requests go. */
  release(): void {
    const open = this.#openGate;
    this.#gate = this.#openGate = undefined;
    open?.();
  }

  /** Wakes as many requests waiting for a pool place as there are places. */
  pump(): void {
    if (!this.#queue.size) return;
    let available = this.free.length + this.maxNonces - this.seats;
    for (const wake of this.#queue) {
      if (available-- <= 0) break;
      this.#queue.delete(wake);
      wake();
    }
  }

  /**
   * Waits for a verdict on a 401 to a request that shared its nonce before the credentials were
   * known to work (`challenge` came with it). `failed` counts a failed check of the credentials: 1
   * when its challenge repeats the opaque (so it may have been spent by a later rejection), 2 when
   * the check was clean.
   */
  verdict(
    lease: Lease,
    challenge: DigestChallenge,
    spare: boolean,
    failed: number,
    signal: AbortSignal | null,
  ): Promise<Verdict> {
    this.#newest = challenge;
    this.#failed += failed;
    if (this.resolver === lease) this.resolver = undefined;
    this.#judging = true;
    this.close();
    const waiting = this.#waiting;
    return park(signal, (wake) => {
      waiting.set(lease, { spare, wake });
      this.check();
      return () => {
        waiting.delete(lease);
        this.check();
      };
    });
  }

  /** Gives the waiting requests their verdict once it is known. */
  check(): void {
    const waiting = this.#waiting;
    if (!this.verified ? this.trials || this.resolver : !waiting.size && !this.#judging) return;
    let verdict: Verdict = "nc";
    if (!this.verified) {
      // Every one of them is back and none got in: one that has its retry left checks the
      // credentials alone on the newest challenge (the one a server that ties nonces to the opaque
      // accepts), twice at most; with none left, one checks on a fresh challenge, once.
      let pick: [Lease, Waiter] | undefined;
      for (const entry of waiting) if (!pick || (entry[1].spare && !pick[1].spare)) pick = entry;
      if (pick && this.#failed < (pick[1].spare ? 2 : 1)) {
        const [lease, waiter] = pick;
        waiting.delete(lease);
        this.resolver = lease;
        waiter.wake(waiter.spare ? this.#newest! : "probe");
        return;
      }
      verdict = "rejected";
    }
    // Everyone waiting (if anyone still is) has the verdict: the others may go again.
    for (const waiter of waiting.values()) waiter.wake(verdict);
    waiting.clear();
    if (this.#judging) {
      this.#judging = false;
      this.#failed = 0;
      this.release();
    }
  }
}

/** How a request ended, for {@linkcode Lease.finish}. */
export type LeaseOutcome = "ok" | "rejected" | "failed";

/** One request's hold on its origin's session. */
export class Lease {
  declare readonly session: OriginSession;
  /** The nonce this request uses; undefined while it goes without Authorization. */
  declare slot: NonceSlot | undefined;
  /** Holds a place in the pool (pool mode). */
  seat = false;
  /** Holds the gate: the others wait for this request's challenge. */
  pilot = false;
  /** Uses a nonce of its own after an nc rejection. */
  own = false;
  /** Counted in the session's trials. */
  #trial = false;
  #done = false;

  constructor(session: OriginSession) {
    this.session = session;
  }

  /** Starts using `slot`. */
  use(slot: NonceSlot): void {
    this.leave();
    if (++slot.inflight > 1) slot.contended = true;
    this.slot = slot;
  }

  /** Stops using its nonce (without retiring it). */
  leave(): void {
    const slot = this.slot;
    if (!slot) return;
    slot.inflight--;
    this.slot = undefined;
    this.session.settle(slot);
  }

  /** An authenticated request goes out (a trial while the credentials are unverified). */
  sent(): void {
    if (!this.#trial && !this.session.verified) {
      this.#trial = true;
      this.session.trials++;
    }
  }

  /** Its response arrived. */
  answered(): void {
    if (this.#trial) {
      this.#trial = false;
      this.session.trials--;
    }
  }

  /** Marks the current nonce as no longer accepted. */
  retire(): void {
    const slot = this.slot;
    if (!slot) return;
    slot.retired = true;
    if (this.session.shared === slot) this.session.shared = undefined;
  }

  /** Switches to the nonce of a new challenge (shared with others only in shared mode). */
  adopt(challenge: DigestChallenge): void {
    const slot = new NonceSlot(challenge);
    const session = this.session;
    if (!this.own && !this.seat && !session.strict) {
      session.shared = slot;
      session.open = false;
    }
    this.use(slot);
    if (this.pilot) {
      // The challenge is here: the others may go.
      this.pilot = false;
      session.release();
    }
  }

  /** Ends the request: frees its nonce or pool place and wakes whoever waits. Idempotent. */
  finish(outcome: LeaseOutcome, authenticated: boolean): void {
    if (this.#done) return;
    this.#done = true;
    this.answered();
    const session = this.session;
    const slot = this.slot;
    if (slot) slot.inflight--;
    if (session.resolver === this) session.resolver = undefined;
    const succeeded = outcome === "ok" && authenticated;
    if (succeeded) {
      session.verified = true;
      // Rejected for its nc and then accepted on a nonce of its own: the origin checks nc in order.
      if (this.own) session.learnStrict();
    }
    const reusable = succeeded && slot && !slot.retired;
    if (succeeded && !this.seat && !this.own) session.credit++;
    if (this.seat) {
      if (reusable) session.free.push(slot);
      else {
        session.seats--;
        // Failures do not shrink the pool for good (a rejection, or a retired nonce, does).
        if (outcome === "failed") session.lost++;
      }
    } else if (slot?.orphan) {
      session.settle(slot);
    } else if (
      reusable && session.strict && slot !== session.shared && session.seats < session.maxNonces
    ) {
      // A nonce of its own, from before the pool existed, joins the pool.
      session.seats++;
      session.free.push(slot);
    }
    if (this.pilot) {
      if (outcome === "ok" && !authenticated && !session.shared) session.open = true;
      session.release();
    }
    session.pump();
    session.check();
  }
}
