// Per-origin nonce sessions: which nonce a request may use, with which nc, and who waits for whom.
//
// An origin starts in shared mode: one nonce, used by any number of requests at once with distinct
// nc values (servers that accept nc out of order, i.e. most). While the credentials are not yet
// known to work there, one request at a time (the pilot) goes out and the others wait for it; once
// one authenticated request succeeds, the origin is verified and everyone shares the nonce.
//
// When a request that was rejected for its nc succeeds on a nonce of its own, the origin turns out
// to check nc strictly in order (Apache's AuthDigestNcCheck On). From then on it is in pool mode: a
// bounded pool of nonces, each carrying one request at a time. A request takes a free nonce, or,
// while the pool has room, goes out without Authorization to get a new one, or waits in line.
import type { DigestChallenge } from "./_challenge.ts";

/** One nonce and its nonce count. */
export class NonceSlot {
  /** The challenge that issued the nonce. */
  readonly challenge: DigestChallenge;
  /** Requests using it right now. */
  inflight = 0;
  /** True once two requests used it at the same time. */
  contended = false;
  /** True once the server stopped accepting it. */
  retired = false;
  #count = 0;

  constructor(challenge: DigestChallenge) {
    this.challenge = challenge;
  }

  /** Allocates the next nc (1, 2, ...), synchronously so that concurrent requests never share one. */
  nextNc(): number {
    return ++this.#count;
  }
}

/** Resolves when `promise` settles, rejects when `signal` aborts first. */
function until(promise: Promise<void>, signal: AbortSignal | null): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
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
  shared: NonceSlot | undefined;
  /** Pool mode: nonces nobody uses right now. */
  readonly free: NonceSlot[] = [];
  /** Pool mode: free nonces plus requests holding a place in the pool (at most maxNonces). */
  seats = 0;
  /** Largest pool. */
  readonly maxNonces: number;
  #gate: Promise<void> | undefined;
  #openGate: (() => void) | undefined;
  readonly #queue = new Set<() => void>();

  constructor(maxNonces: number) {
    this.maxNonces = maxNonces;
  }

  /** Waits until this request may go, then says with which nonce (if any). */
  async acquire(signal: AbortSignal | null): Promise<Lease> {
    const lease = new Lease(this);
    while (true) {
      signal?.throwIfAborted();
      if (this.strict) {
        const slot = this.free.shift();
        if (slot) {
          lease.seat = true;
          lease.use(slot);
          return lease;
        }
        if (this.seats < this.maxNonces) {
          this.seats++;
          lease.seat = true;
          return lease;
        }
        await this.#waitForSeat(signal);
        continue;
      }
      if (this.#gate) {
        await until(this.#gate, signal);
        continue;
      }
      if (this.shared && this.verified) {
        lease.use(this.shared);
        return lease;
      }
      if (this.open && !this.shared) return lease;
      // Cold, or credentials not yet verified: this request is the pilot, the others wait.
      lease.pilot = true;
      this.#gate = new Promise<void>((resolve) => this.#openGate = resolve);
      if (this.shared) lease.use(this.shared);
      return lease;
    }
  }

  /** Lets the requests waiting for the pilot go. */
  releaseGate(): void {
    const open = this.#openGate;
    this.#gate = undefined;
    this.#openGate = undefined;
    open?.();
  }

  /** Switches to pool mode and drops the shared nonce. */
  becomeStrict(): void {
    this.strict = true;
    if (this.shared) this.shared.retired = true;
    this.shared = undefined;
  }

  /** Wakes as many requests waiting for a pool place as there are places. */
  pump(): void {
    let available = this.free.length + this.maxNonces - this.seats;
    for (const wake of this.#queue) {
      if (available-- <= 0) break;
      this.#queue.delete(wake);
      wake();
    }
  }

  /** Requests waiting for a pool place (for tests of boundedness). */
  get waiting(): number {
    return this.#queue.size;
  }

  #waitForSeat(signal: AbortSignal | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#queue.delete(wake);
        reject(signal!.reason);
      };
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      this.#queue.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** How a request ended, for {@linkcode Lease.finish}. */
export type LeaseOutcome = "ok" | "rejected" | "failed";

/** One request's hold on its origin's session. */
export class Lease {
  readonly session: OriginSession;
  /** The nonce this request uses; undefined while it goes without Authorization. */
  slot: NonceSlot | undefined;
  /** Holds a place in the pool (pool mode). */
  seat = false;
  /** Holds the gate: the others wait for this request. */
  pilot = false;
  /** Uses a nonce of its own after an nc rejection. */
  own = false;
  #done = false;

  constructor(session: OriginSession) {
    this.session = session;
  }

  /** Starts using `slot`. */
  use(slot: NonceSlot): void {
    if (this.slot) this.slot.inflight--;
    slot.inflight++;
    if (slot.inflight > 1) slot.contended = true;
    this.slot = slot;
  }

  /** Whether a 401 to this request, authenticated with nonce count `nc`, may be an nc rejection. */
  suspectNc(nc: number): boolean {
    return this.session.verified && (nc > 1 || this.slot?.contended === true);
  }

  /** Marks the current nonce as no longer accepted. */
  retire(): void {
    const slot = this.slot;
    if (!slot) return;
    slot.retired = true;
    if (this.session.shared === slot) this.session.shared = undefined;
  }

  /** Switches to the nonce of a new challenge (shared with others only in shared mode). */
  adopt(challenge: DigestChallenge): NonceSlot {
    const slot = new NonceSlot(challenge);
    const session = this.session;
    if (!this.own && !this.seat && !session.strict) {
      session.shared = slot;
      session.open = false;
    }
    this.use(slot);
    return slot;
  }

  /** Ends the request: frees its nonce or pool place and wakes whoever waits. Idempotent. */
  finish(outcome: LeaseOutcome, authenticated: boolean): void {
    if (this.#done) return;
    this.#done = true;
    const session = this.session;
    const slot = this.slot;
    if (slot) slot.inflight--;
    const succeeded = outcome === "ok" && authenticated;
    if (succeeded) {
      session.verified = true;
      if (this.own) session.becomeStrict();
    }
    const reusable = succeeded && slot !== undefined && !slot.retired;
    if (this.seat) {
      if (reusable) session.free.push(slot);
      else session.seats--;
    } else if (
      reusable && session.strict && slot !== session.shared && session.seats < session.maxNonces
    ) {
      // A nonce of its own, from before the pool existed, joins the pool.
      session.seats++;
      session.free.push(slot);
    }
    if (this.pilot) {
      if (outcome === "ok" && !authenticated && !session.shared) session.open = true;
      session.releaseGate();
    }
    session.pump();
  }
}
