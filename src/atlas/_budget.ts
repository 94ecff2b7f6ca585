// The request budget: a token bucket per project (groupId), shared by every call made through one
// client, which the call path (_call.ts) takes a token from before each attempt.
//
// - It starts as the client's `rateLimit` says (a `burst` of tokens, refilled at
//   `requestsPerMinute`). Once a response carries `RateLimit-Remaining`, the server's figures
//   govern: the tokens are what it says remain, less the requests sent after the one it answered
//   (responses are applied in the order their requests were sent, so a late answer never raises
//   the count); with `RateLimit-Reset`, the bucket is taken to be empty until then and full
//   (`RateLimit-Limit`) from then on, else it refills at the starting rate.
// - A 429 empties the bucket: nothing is sent to that project until `Retry-After` has passed (or
//   the reset, or one token at the starting rate); then one request goes first, and its answer's
//   headers say how many follow.
// - Calls that find a token take it at once, synchronously: no timer, no promise. The others queue
//   per project, first come first served, waits' polls behind everything else; one timer per
//   project (on the clock of the call that queued first) wakes the queue when the next token is
//   due, and every answer wakes it too. A queued call leaves the queue as soon as its signal
//   aborts.
import { MAX_TIMER_MS } from "../shared/_checks.ts";
import type { WaitClock } from "./clock.ts";
import { parseRateLimit } from "./rate_limit.ts";

/** What a budget starts from: `requestsPerMinute` and `burst` of RateLimitOptions, checked. */
export interface BudgetSettings {
  readonly requestsPerMinute: number;
  readonly burst: number;
}

/** A call waiting for a token. */
interface Waiter {
  resolve(sequence: number): void;
  readonly clock: WaitClock;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Tokens within this much of a whole one count as one (floating-point refills). */
const EPSILON = 1e-9;

/** One project's bucket. Private fields, so that a minifier may shorten their names. */
class Project {
  #tokens: number;
  /** When `#tokens` was last refilled at the starting rate. */
  #refilledAt: number;
  /** Tokens per millisecond at the starting rate, and the bucket's size until Atlas says. */
  readonly #rate: number;
  readonly #burst: number;
  /** The server's `RateLimit-Limit`, once known. */
  #limit: number | undefined;
  /** When the server's bucket is full again (`RateLimit-Reset`), while it is ahead. */
  #resetAt: number | undefined;
  /** After a 429: nothing is sent before this. */
  #blockedUntil = 0;
  /** Requests sent so far: the sequence number of the last one. */
  #sent = 0;
  /** The sequence number of the request whose answer's figures were applied last. */
  #applied = 0;
  readonly #queue: Waiter[] = [];
  readonly #background: Waiter[] = [];
  /** The pending wake-up: when, and how to cancel it. */
  #wakeAt = Infinity;
  #cancelWake: AbortController | undefined;

  constructor(settings: BudgetSettings, now: number) {
    this.#rate = settings.requestsPerMinute / 60_000;
    this.#burst = this.#tokens = settings.burst;
    this.#refilledAt = now;
  }

  /** See {@linkcode Budget.take}. */
  take(
    clock: WaitClock,
    signal: AbortSignal | undefined,
    background: boolean,
  ): number | Promise<number> {
    const now = clock.now();
    if (this.#queue.length + this.#background.length === 0) {
      this.#refill(now);
      if (this.#tokens >= 1 - EPSILON) {
        this.#tokens--;
        return ++this.#sent;
      }
    }
    return new Promise<number>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const line = background ? this.#background : this.#queue;
      const waiter: Waiter = { resolve, clock, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const at = line.indexOf(waiter);
          if (at >= 0) line.splice(at, 1);
          if (this.#queue.length + this.#background.length === 0) this.#stopWake();
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      line.push(waiter);
      this.#serve(now);
    });
  }

  /** See {@linkcode Budget.observe}. */
  observe(
    sequence: number,
    headers: Headers,
    limited: boolean,
    now: number,
    retryAfterSeconds: number | undefined,
  ): void {
    if (limited) {
      const limits = parseRateLimit(headers);
      if (limits?.limit !== undefined) this.#limit = limits.limit;
      const reset = limits?.resetSeconds;
      this.#resetAt = reset === undefined ? undefined : now + reset * 1000;
      this.#tokens = 0;
      this.#refilledAt = now;
      this.#applied = Math.max(this.#applied, sequence);
      this.#blockedUntil = now +
        (retryAfterSeconds === undefined
          ? (reset === undefined ? 1 / this.#rate : reset * 1000)
          : retryAfterSeconds * 1000);
    } else if (
      sequence > this.#applied &&
      (headers.has("ratelimit-remaining") || headers.has("ratelimit"))
    ) {
      const limits = parseRateLimit(headers);
      const remaining = limits?.remaining;
      if (remaining !== undefined) {
        this.#applied = sequence;
        if (limits!.limit !== undefined) this.#limit = limits!.limit;
        this.#tokens = remaining - (this.#sent - sequence);
        this.#refilledAt = now;
        const reset = limits!.resetSeconds;
        const known = this.#resetAt;
        if (reset === undefined || remaining >= (this.#limit ?? Infinity)) {
          this.#resetAt = undefined;
        } else if (
          known === undefined || known <= now || now + reset * 1000 < known ||
          now + reset * 1000 - known >= 1000
        ) {
          // Reset is in whole seconds, rounded up: of two estimates less than a second apart the
          // earlier is the closer one, and is kept.
          this.#resetAt = now + reset * 1000;
        }
      }
    }
    if (this.#queue.length + this.#background.length > 0) this.#serve(now);
  }

  /** Brings `#tokens` up to `now`: the end of a 429's pause, the server's reset, the rate. */
  #refill(now: number): void {
    if (this.#blockedUntil > 0) {
      if (now < this.#blockedUntil) return;
      this.#blockedUntil = 0;
      this.#refilledAt = now;
      this.#tokens = Math.max(this.#tokens, 1);
    }
    const resetAt = this.#resetAt;
    if (resetAt !== undefined) {
      if (now < resetAt) return;
      this.#resetAt = undefined;
      this.#refilledAt = now;
      const full = (this.#limit ?? this.#burst) - (this.#sent - this.#applied);
      this.#tokens = Math.max(this.#tokens, full, 1);
      return;
    }
    const cap = Math.max(this.#limit ?? this.#burst, 1);
    if (this.#tokens < cap) {
      const elapsed = Math.max(0, now - this.#refilledAt);
      this.#tokens = Math.min(cap, this.#tokens + elapsed * this.#rate);
    }
    this.#refilledAt = now;
  }

  /** Hands out the tokens there are, in order; then sets the wake-up for the rest. */
  #serve(now: number): void {
    this.#refill(now);
    while (this.#tokens >= 1 - EPSILON) {
      const waiter = this.#queue.shift() ?? this.#background.shift();
      if (waiter === undefined) break;
      if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
      this.#tokens--;
      waiter.resolve(++this.#sent);
    }
    const first = this.#queue[0] ?? this.#background[0];
    if (first === undefined) return this.#stopWake();
    // When the next token is due, as far as is known now.
    const at = this.#blockedUntil > now
      ? this.#blockedUntil
      : this.#resetAt !== undefined && this.#resetAt > now
      ? this.#resetAt
      : now + Math.max(1, (1 - this.#tokens) / this.#rate);
    if (this.#cancelWake !== undefined && this.#wakeAt <= at) return;
    this.#stopWake();
    const cancel = new AbortController();
    this.#cancelWake = cancel;
    this.#wakeAt = at;
    const ms = Math.min(at - now, MAX_TIMER_MS);
    first.clock.sleep(ms, cancel.signal).then(() => {
      if (this.#cancelWake !== cancel) return;
      this.#cancelWake = undefined;
      this.#wakeAt = Infinity;
      // A clock that moved is read (a timer may fire a little early: then the wake-up is set
      // again); one that does not move (as some tests' do) has slept `ms` all the same.
      const woke = first.clock.now();
      this.#serve(woke > now ? woke : now + ms);
    }, () => {});
  }

  #stopWake(): void {
    this.#cancelWake?.abort();
    this.#cancelWake = undefined;
    this.#wakeAt = Infinity;
  }
}

/** A client's request budget: a bucket per project. */
export class Budget {
  readonly #projects = new Map<string, Project>();
  readonly #settings: BudgetSettings;

  constructor(settings: BudgetSettings) {
    this.#settings = settings;
  }

  /**
   * Takes a token for a request to `groupId`: its sequence number at once when one is free, else a
   * promise of it, which rejects with the signal's reason when `signal` aborts first.
   * `background` requests (waits' polls) are served after every other queued one.
   */
  take(
    groupId: string,
    clock: WaitClock,
    signal: AbortSignal | undefined,
    background: boolean,
  ): number | Promise<number> {
    let project = this.#projects.get(groupId);
    if (project === undefined) {
      project = new Project(this.#settings, clock.now());
      this.#projects.set(groupId, project);
    }
    return project.take(clock, signal, background);
  }

  /**
   * Applies an answer to request number `sequence` of `groupId`: its `RateLimit-*` headers, and
   * after a 429 its `Retry-After` (`retryAfterSeconds`); then serves the queue as far as the
   * tokens go.
   */
  observe(
    groupId: string,
    sequence: number,
    response: Response,
    now: number,
    retryAfterSeconds: number | undefined,
  ): void {
    this.#projects.get(groupId)?.observe(
      sequence,
      response.headers,
      response.status === 429,
      now,
      retryAfterSeconds,
    );
  }
}
