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
  reject(reason: unknown): void;
  readonly clock: WaitClock;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Tokens within this much of a whole one count as one (floating-point refills). */
const EPSILON = 1e-9;

/** One project's bucket. */
class Project {
  tokens: number;
  /** When `tokens` was last refilled at the starting rate. */
  refilledAt: number;
  /** The server's `RateLimit-Limit`, once known. */
  limit: number | undefined;
  /** When the server's bucket is full again (`RateLimit-Reset`), while it is ahead. */
  resetAt: number | undefined;
  /** After a 429: nothing is sent before this. */
  blockedUntil = 0;
  /** Requests sent so far: the sequence number of the last one. */
  sent = 0;
  /** The sequence number of the request whose answer's figures were applied last. */
  applied = 0;
  readonly queue: Waiter[] = [];
  readonly background: Waiter[] = [];
  /** The pending wake-up: when, and how to cancel it. */
  wakeAt = Infinity;
  cancelWake: AbortController | undefined;

  constructor(burst: number, now: number) {
    this.tokens = burst;
    this.refilledAt = now;
  }

  get waiting(): number {
    return this.queue.length + this.background.length;
  }
}

/** A client's request budget. */
export class Budget {
  readonly #projects = new Map<string, Project>();
  /** Tokens per millisecond at the starting rate. */
  readonly #rate: number;
  readonly #burst: number;

  constructor(settings: BudgetSettings) {
    this.#rate = settings.requestsPerMinute / 60_000;
    this.#burst = settings.burst;
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
    const now = clock.now();
    if (project === undefined) {
      project = new Project(this.#burst, now);
      this.#projects.set(groupId, project);
    }
    if (project.waiting === 0) {
      this.#refill(project, now);
      if (project.tokens >= 1 - EPSILON) {
        project.tokens--;
        return ++project.sent;
      }
    }
    return this.#queue(project, clock, signal, background);
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
    const project = this.#projects.get(groupId);
    if (project === undefined) return;
    const headers = response.headers;
    if (response.status === 429) {
      const retryAfter = retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000;
      const limits = parseRateLimit(headers);
      if (limits?.limit !== undefined) project.limit = limits.limit;
      project.resetAt = limits?.resetSeconds === undefined
        ? undefined
        : now + limits.resetSeconds * 1000;
      project.tokens = 0;
      project.refilledAt = now;
      project.applied = Math.max(project.applied, sequence);
      project.blockedUntil = now +
        (retryAfter ?? (project.resetAt === undefined ? 1 / this.#rate : project.resetAt - now));
    } else if (
      sequence > project.applied &&
      (headers.has("ratelimit-remaining") || headers.has("ratelimit"))
    ) {
      const limits = parseRateLimit(headers);
      if (limits?.remaining !== undefined) {
        project.applied = sequence;
        if (limits.limit !== undefined) project.limit = limits.limit;
        project.tokens = limits.remaining - (project.sent - sequence);
        project.refilledAt = now;
        if (limits.resetSeconds === undefined || limits.remaining >= (project.limit ?? Infinity)) {
          project.resetAt = undefined;
        } else {
          // Reset is in whole seconds, rounded up: of two estimates less than a second apart the
          // earlier is the closer one.
          const resetAt = now + limits.resetSeconds * 1000;
          const known = project.resetAt;
          project.resetAt = known !== undefined && known > now && resetAt >= known &&
              resetAt - known < 1000
            ? known
            : resetAt;
        }
      }
    }
    if (project.waiting > 0) this.#serve(project, now);
  }

  /** Brings `tokens` up to `now`: the end of a 429's pause, the server's reset, the rate. */
  #refill(project: Project, now: number): void {
    if (project.blockedUntil > 0) {
      if (now < project.blockedUntil) return;
      project.blockedUntil = 0;
      project.refilledAt = now;
      project.tokens = Math.max(project.tokens, 1);
    }
    const resetAt = project.resetAt;
    if (resetAt !== undefined) {
      if (now < resetAt) return;
      project.resetAt = undefined;
      project.refilledAt = now;
      const full = (project.limit ?? this.#burst) - (project.sent - project.applied);
      project.tokens = Math.max(project.tokens, full, 1);
      return;
    }
    const cap = Math.max(project.limit ?? this.#burst, 1);
    if (project.tokens < cap) {
      const elapsed = Math.max(0, now - project.refilledAt);
      project.tokens = Math.min(cap, project.tokens + elapsed * this.#rate);
    }
    project.refilledAt = now;
  }

  /** When the next token is due (after `now`), as far as is known now. */
  #nextTokenAt(project: Project, now: number): number {
    if (project.blockedUntil > now) return project.blockedUntil;
    if (project.resetAt !== undefined && project.resetAt > now) return project.resetAt;
    return now + Math.max(1, (1 - project.tokens) / this.#rate);
  }

  #queue(
    project: Project,
    clock: WaitClock,
    signal: AbortSignal | undefined,
    background: boolean,
  ): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const line = background ? project.background : project.queue;
      const waiter: Waiter = { resolve, reject, clock, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const at = line.indexOf(waiter);
          if (at >= 0) line.splice(at, 1);
          if (project.waiting === 0) this.#cancelWake(project);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      line.push(waiter);
      this.#serve(project, clock.now());
    });
  }

  /** Hands out the tokens there are, in order; then sets the wake-up for the rest. */
  #serve(project: Project, now: number): void {
    this.#refill(project, now);
    while (project.tokens >= 1 - EPSILON) {
      const waiter = project.queue.shift() ?? project.background.shift();
      if (waiter === undefined) break;
      if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
      project.tokens--;
      waiter.resolve(++project.sent);
    }
    const first = project.queue[0] ?? project.background[0];
    if (first === undefined) {
      this.#cancelWake(project);
      return;
    }
    const at = this.#nextTokenAt(project, now);
    if (project.cancelWake !== undefined && project.wakeAt <= at) return;
    this.#cancelWake(project);
    const cancel = new AbortController();
    project.cancelWake = cancel;
    project.wakeAt = at;
    const ms = Math.min(at - now, MAX_TIMER_MS);
    first.clock.sleep(ms, cancel.signal).then(() => {
      if (project.cancelWake !== cancel) return;
      project.cancelWake = undefined;
      project.wakeAt = Infinity;
      // A clock that moved is read (a timer may fire a little early: then the wake-up is set
      // again); one that does not move (as some tests' do) has slept `ms` all the same.
      const woke = first.clock.now();
      this.#serve(project, woke > now ? woke : now + ms);
    }, () => {});
  }

  #cancelWake(project: Project): void {
    project.cancelWake?.abort();
    project.cancelWake = undefined;
    project.wakeAt = Infinity;
  }
}
