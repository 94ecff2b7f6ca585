// The one call path: everything about one Atlas call (create, get, delete) from start to end.
//
// - Options: checked here (signal, timeoutMs, retry, onRateLimit), throwing AtlasValidationError
//   before anything is sent; a call's `retry` overrides the client's `defaults.retry` field by field.
// - Time limits are signals: the caller's signal and the whole-call `timeoutMs`
//   (AbortSignal.timeout) combine with AbortSignal.any into the call's signal; each attempt adds
//   its own `attemptTimeoutMs` on a timer cleared when the attempt ends (an AbortSignal.timeout per
//   request cannot be cleared, and piles up). The caller's abort reason is thrown as is, the call's
//   timeout as AtlasTimeoutError, an attempt's as AtlasNetworkError (retried as such). A fetch or a
//   clock that ignores its signal cannot hold the caller: the attempt and the pause end with the
//   signal (one listener per call) or the attempt's timer.
// - Retry policy: 429 and 503 are retried for every method (not processed); 500, 502, 504 and
//   network errors (a rejected fetch, a body cut off, an attempt out of time) for GET and DELETE;
//   for a POST their outcome is unknown ("ambiguous") and the operation's `recover` hook decides
//   (it reads back before anything is sent again). Pauses honour Retry-After (up to
//   maxRetryAfterMs), else back off with jitter; none passes the call's deadline.
// - One attempt budget (`maxAttempts`) for the whole call: requests, retries and read-backs; a
//   request the operation asks for is always sent once, even when the budget is spent.
// - Error answers become AtlasApiError, network failures AtlasNetworkError, with the method and URL
//   of the request as built; every response's rate-limit headers are reported.
import type { Client, Middleware } from "openapi-fetch";
import type { paths } from "../../gen/atlas.ts";
import { isRecord, MAX_TIMER_MS } from "../shared/_checks.ts";
import {
  checkMaxResponseBytes,
  isTransportFailure,
  markingFetch,
  sendReading,
  type SentRequest,
  TRANSPORT,
  type TransportClient,
} from "./_transport.ts";
import { DEFAULT_MAX_RESPONSE_BYTES } from "./atlas_response_too_large_error.ts";
import { AtlasResponseTooLargeError } from "./atlas_response_too_large_error.ts";
import { AtlasApiError, type AtlasFieldViolation } from "./atlas_api_error.ts";
import { AtlasNetworkError } from "./atlas_network_error.ts";
import { AtlasTimeoutError } from "./atlas_timeout_error.ts";
import { fail } from "./_validate.ts";
import { systemClock, type WaitClock } from "./clock.ts";
import type { Budget } from "./_budget.ts";
import { parseRateLimit, type RateLimitEvent, type RateLimitOptions } from "./rate_limit.ts";
import { DEFAULT_RETRY, retryDelay, type RetryEvent, type RetryOptions } from "./retry.ts";
import type { RequestOptions } from "./types.ts";

/** The openapi-fetch client that requests go through. */
export type Core = Client<paths>;

/**
 * Where createAtlasClient keeps the client that sends without checking again: the high-level
 * functions check their input once, on the way in, and send through it.
 */
export const UNCHECKED: unique symbol = Symbol("atlas-private-endpoint.unchecked");

/** Where createAtlasClient keeps the client's request budget (see _budget.ts). */
export const BUDGET: unique symbol = Symbol("atlas-private-endpoint.budget");

/**
 * An option only this library's own calls pass: the call is a wait's poll, which the budget
 * serves after every other call to the same project.
 */
export const BACKGROUND: unique symbol = Symbol("atlas-private-endpoint.background");

/** The options of one call, as the library's own functions pass them. */
export interface CallOptions extends RequestOptions {
  readonly [BACKGROUND]?: boolean | undefined;
}

/** What a client was created with, for the calls made through it. */
export interface CallDefaults {
  readonly retry?: RetryOptions | false | undefined;
  readonly onRateLimit?: ((event: RateLimitEvent) => void) | undefined;
  readonly maxResponseBytes?: number | undefined;
  readonly rateLimit?: RateLimitOptions | false | undefined;
}

/** A client as the call path takes it: createAtlasClient's, or an openapi-fetch one built by hand. */
export type CallClient = Core & TransportClient & {
  readonly defaults?: CallDefaults | undefined;
  readonly [UNCHECKED]?: Core | undefined;
  readonly [BUDGET]?: Budget | undefined;
};

/** What one attempt hands to openapi-fetch. */
export interface AttemptInit {
  signal: AbortSignal;
  /** For a client not made by createAtlasClient: notes the request as built. */
  middleware?: Middleware[];
  /**
   * The client's transport for this attempt, for a client made by createAtlasClient: bodies end
   * with the attempt and are capped (see markingFetch).
   */
  fetch?: (request: Request) => Promise<Response>;
  /** A successful answer's body handed over as it is, which the attempt reads (sendReading). */
  parseAs?: "stream";
}

/** One request of a call: how to send it through the client, and what to name in errors. */
export interface CallRequest<T> {
  method: "GET" | "POST" | "DELETE";
  /** The project the request is for: it takes a token from that project's budget. */
  groupId: string;
  /** The path template, named in errors until the request is built. */
  path: string;
  send(client: Core, init: AttemptInit): Promise<{ data?: T; error?: unknown; response: Response }>;
}

/** A request's answer, once it succeeded. */
export interface Sent<T> {
  data: T | undefined;
  response: Response;
}

/** What a `recover` hook sees of the call. */
export interface CallContext {
  /** Sends another request within the call's budget (retried as any; always sent once). */
  request<U>(request: CallRequest<U>): Promise<Sent<U>>;
  /** How many attempts so far failed in a way Atlas may have carried out. */
  readonly ambiguousFailures: number;
}

/** Returned by a `recover` hook: send the request again, if the budget and the deadline allow. */
export const SEND_AGAIN: unique symbol = Symbol("atlas-private-endpoint.sendAgain");

/** One Atlas call, as an operation describes it. */
export interface CallSpec<T, R> {
  /** The sentence errors start with, e.g. "Cannot create private endpoint". */
  action: string;
  request: CallRequest<T>;
  /** Turns the successful answer into the call's result. */
  done(sent: Sent<T>): R;
  /**
   * Asked when the request failed for good (its retries spent or not allowed): resolves to
   * `{ value }` to succeed with, {@linkcode SEND_AGAIN}, or undefined to throw the failure. What
   * it throws is thrown, unless the call was stopped meanwhile.
   */
  recover?(
    failure: unknown,
    call: CallContext,
  ): Promise<{ value: R } | typeof SEND_AGAIN | undefined>;
}

/** Checks a time option: undefined, or a positive number up to {@linkcode MAX_TIMER_MS}. */
export function checkTimeout(action: string, field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    fail(action, field, "must be a positive number of milliseconds");
  }
  if (value > MAX_TIMER_MS) {
    fail(action, field, `must be at most ${MAX_TIMER_MS} milliseconds (about 24.8 days)`);
  }
}

/** Checks a `retry` option (undefined, false, or RetryOptions) and throws AtlasValidationError. */
export function checkRetryOptions(action: string, field: string, value: unknown): void {
  if (value === undefined || value === false) return;
  if (!isRecord(value)) fail(action, field, "must be false or an object");
  const options = value as Record<string, unknown>;
  const number = (name: string, ok: (n: number) => boolean, rule: string): void => {
    const n = options[name];
    if (n !== undefined && (typeof n !== "number" || !Number.isFinite(n) || !ok(n))) {
      fail(action, `${field}.${name}`, rule);
    }
  };
  number(
    "maxAttempts",
    (n) => Number.isInteger(n) && n >= 1,
    "must be a whole number of at least 1",
  );
  const most = `, at most ${MAX_TIMER_MS}`;
  for (const name of ["baseDelayMs", "maxDelayMs", "maxRetryAfterMs"]) {
    number(
      name,
      (n) => n >= 0 && n <= MAX_TIMER_MS,
      `must be zero or a positive number of milliseconds${most}`,
    );
  }
  number(
    "attemptTimeoutMs",
    (n) => n > 0 && n <= MAX_TIMER_MS,
    `must be a positive number of milliseconds${most}`,
  );
  for (const name of ["onRetry", "random"]) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      fail(action, `${field}.${name}`, "must be a function");
    }
  }
  const clock = options.clock;
  if (
    clock !== undefined &&
    (!isRecord(clock) || typeof clock.now !== "function" || typeof clock.sleep !== "function")
  ) {
    fail(action, `${field}.clock`, "must have now() and sleep()");
  }
}

/** Checks the options every call takes: signal, timeoutMs, retry, onRateLimit. */
export function checkRequestOptions(action: string, options: RequestOptions | undefined): void {
  if (options === undefined) return;
  if (!isRecord(options)) fail(action, "options", "must be an object");
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    fail(action, "signal", "must be an AbortSignal");
  }
  checkTimeout(action, "timeoutMs", options.timeoutMs);
  checkRetryOptions(action, "retry", options.retry);
  checkMaxResponseBytes(action, options.maxResponseBytes);
  if (options.onRateLimit !== undefined && typeof options.onRateLimit !== "function") {
    fail(action, "onRateLimit", "must be a function");
  }
}

/** Parses `Retry-After` (seconds or an HTTP date) into whole seconds from now. */
export function retryAfterSeconds(
  response: Response,
  now: number = Date.now(),
): number | undefined {
  const value = response.headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d{1,10}$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

const NOT_PROCESSED = new Set([429, 503]);
const UNKNOWN_OUTCOME = new Set([500, 502, 504]);

/** Whether a failed attempt may have been carried out by Atlas: 500, 502, 504, or no answer. */
export function isAmbiguous(error: unknown): boolean {
  if (error instanceof AtlasApiError) return UNKNOWN_OUTCOME.has(error.status);
  return error instanceof AtlasNetworkError;
}

/** Whether to send a request again after `error`: see the file comment. */
function isRetryable(error: unknown, method: string): boolean {
  if (error instanceof AtlasApiError && NOT_PROCESSED.has(error.status)) return true;
  return method !== "POST" && isAmbiguous(error);
}

/** The method and URL to name in errors: the request as built, once an attempt sent it. */
type Seen = SentRequest;

function toApiError(action: string, seen: Seen, response: Response, error: unknown): AtlasApiError {
  const body = isRecord(error) ? error : {};
  const text = (value: unknown): string | undefined =>
    typeof value === "string" && value !== "" ? value : undefined;
  const detail = isRecord(body.badRequestDetail) ? body.badRequestDetail : {};
  const fieldViolations: AtlasFieldViolation[] = Array.isArray(detail.fields)
    ? detail.fields.filter(isRecord).map((f) => ({
      field: String(f.field ?? ""),
      description: String(f.description ?? ""),
    }))
    : [];
  return new AtlasApiError({
    action,
    status: response.status,
    errorCode: text(body.errorCode),
    detail: text(body.detail),
    reason: text(body.reason) ?? text(response.statusText),
    parameters: Array.isArray(body.parameters) ? body.parameters : [],
    fieldViolations,
    method: seen.method,
    url: seen.url,
    retryAfterSeconds: retryAfterSeconds(response),
    rateLimit: parseRateLimit(response.headers),
  });
}

/**
 * Calls a user's callback, ignoring what it throws: a failing callback must not turn a request
 * Atlas carried out (an endpoint created) into an error, nor stop a retry.
 */
function notify<E>(callback: ((event: E) => void) | undefined, event: E): void {
  try {
    callback?.(event);
  } catch {
    // Ignored; see above.
  }
}

/** What `retry: false` stands for. */
const ONCE: RetryOptions = { maxAttempts: 1 };

/** One running call: its settings, signals, budget and counters. */
class Call implements CallContext {
  ambiguousFailures = 0;
  attempts = 0;
  readonly maxAttempts: number;
  readonly #action: string;
  readonly #retry: RetryOptions;
  readonly #core: Core;
  readonly #client: CallClient;
  readonly #maxResponseBytes: number | undefined;
  readonly #onRateLimit: ((event: RateLimitEvent) => void) | undefined;
  /** The caller's signal and the whole-call timeout together; undefined when neither is set. */
  readonly signal: AbortSignal | undefined;
  readonly #timeout: AbortSignal | undefined;
  /**
   * Rejects with the signal's reason when the call stops (one listener for the whole call), so
   * that a fetch or a clock that ignores its signal cannot hold the caller.
   */
  readonly #stopped: Promise<never> | undefined;
  #unlisten: (() => void) | undefined;
  readonly #started = performance.now();
  readonly #deadline: number | undefined;
  readonly #seen: Seen;
  /** For a client not made by createAtlasClient (its transport notes the request itself). */
  #capture: Middleware[] | undefined;
  readonly #budget: Budget | undefined;
  readonly #background: boolean;

  constructor(
    action: string,
    client: CallClient,
    path: string,
    options: CallOptions | undefined,
  ) {
    const defaults = client.defaults;
    this.#action = action;
    this.#core = client[UNCHECKED] ?? client;
    this.#client = client;
    this.#maxResponseBytes = options?.maxResponseBytes;
    const own = options?.retry;
    const base = defaults?.retry;
    this.#retry = { ...(base === false ? ONCE : base), ...(own === false ? ONCE : own) };
    this.maxAttempts = this.#retry.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
    this.#onRateLimit = options?.onRateLimit ?? defaults?.onRateLimit;
    this.#budget = client[BUDGET];
    this.#background = options?.[BACKGROUND] === true;
    const timeoutMs = options?.timeoutMs;
    // Whole milliseconds: Node's AbortSignal.timeout refuses a fraction (waiting passes what is
    // left of its own timeout, measured on a clock that may have them).
    this.#timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(Math.ceil(timeoutMs));
    this.#deadline = timeoutMs === undefined ? undefined : this.#clock.now() + timeoutMs;
    const caller = options?.signal;
    const signal = caller && this.#timeout
      ? AbortSignal.any([caller, this.#timeout])
      : caller ?? this.#timeout;
    this.signal = signal;
    if (signal) {
      this.#stopped = new Promise<never>((_, reject) => {
        const onAbort = (): void => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        this.#unlisten = () => signal.removeEventListener("abort", onAbort);
      });
      this.#stopped.catch(() => {});
    }
    this.#seen = { method: "", url: path };
  }

  /** A middleware that notes the request as built, for a client without our transport. */
  #captured(): Middleware[] {
    const seen = this.#seen;
    return this.#capture ??= [{
      onRequest({ request }): undefined {
        seen.method = request.method;
        seen.url = request.url;
      },
    }];
  }

  get #clock(): WaitClock {
    return this.#retry.clock ?? systemClock;
  }

  /** Removes the call's listener; nothing of the call outlives it. */
  release(): void {
    this.#unlisten?.();
  }

  /** Throws why the call stopped: the caller's reason, or the call's AtlasTimeoutError. */
  throwIfStopped(): void {
    const signal = this.signal;
    if (!signal?.aborted) return;
    if (this.#timeout?.aborted && signal.reason === this.#timeout.reason) {
      throw new AtlasTimeoutError({
        action: this.#action,
        elapsedMs: performance.now() - this.#started,
        method: this.#seen.method,
        url: this.#seen.url,
      });
    }
    throw signal.reason;
  }

  /**
   * The pause before the next attempt after `error`, or undefined to give up: the budget is
   * spent, `Retry-After` asks for more than `maxRetryAfterMs`, or the pause would pass the
   * deadline.
   */
  delayAfter(error: unknown): number | undefined {
    if (this.attempts >= this.maxAttempts) return undefined;
    const retry = this.#retry;
    const retryAfter = error instanceof AtlasApiError ? error.retryAfterSeconds : undefined;
    let delay: number;
    if (retryAfter !== undefined) {
      delay = retryAfter * 1000;
      if (delay > (retry.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs)) return undefined;
    } else {
      delay = retryDelay(
        this.attempts - 1,
        retry.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
        retry.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
        (retry.random ?? Math.random)(),
      );
    }
    if (this.#deadline !== undefined && this.#clock.now() + delay >= this.#deadline) {
      return undefined;
    }
    return delay;
  }

  /**
   * Settles as `pending` does, or at once when the call stops (then, as every failure once the call
   * stopped, with why it stopped): a clock or a budget queue that ignores the signal cannot hold it.
   */
  async #until<U>(pending: Promise<U>): Promise<U> {
    try {
      return await (this.#stopped ? Promise.race([pending, this.#stopped]) : pending);
    } catch (error) {
      this.throwIfStopped();
      throw error;
    }
  }

  /** Pauses on the retry clock; ends at once when the call stops. */
  async pause(delayMs: number): Promise<void> {
    await this.#until(this.#clock.sleep(delayMs, this.signal));
  }

  /** Sends a request, retrying what is worth it while the budget lasts; throws the last error. */
  async request<T>(request: CallRequest<T>): Promise<Sent<T>> {
    for (;;) {
      try {
        return await this.#once(request);
      } catch (error) {
        this.throwIfStopped();
        if (isAmbiguous(error)) this.ambiguousFailures++;
        if (!isRetryable(error, request.method)) throw error;
        const delayMs = this.delayAfter(error);
        if (delayMs === undefined) throw error;
        notify<RetryEvent>(this.#retry.onRetry, {
          action: this.#action,
          method: this.#seen.method,
          url: this.#seen.url,
          attempt: this.attempts,
          delayMs,
          error: error as AtlasApiError | AtlasNetworkError,
        });
        await this.pause(delayMs);
      }
    }
  }

  /** Sends one attempt, bounded by `attemptTimeoutMs` and by the call. */
  async #once<T>(request: CallRequest<T>): Promise<Sent<T>> {
    this.throwIfStopped();
    // A token first, before the attempt's time limit starts: a call that finds one free takes it
    // without waiting (no timer, no promise).
    const budget = this.#budget;
    let sequence = 0;
    if (budget !== undefined) {
      const taken = budget.take(request.groupId, this.#clock, this.signal, this.#background);
      sequence = typeof taken === "number" ? taken : await this.#until(taken);
    }
    this.attempts++;
    const seen = this.#seen;
    seen.method = request.method;
    seen.url = request.path;
    const limit = this.#retry.attemptTimeoutMs ?? DEFAULT_RETRY.attemptTimeoutMs;
    // A timer cleared when the attempt ends, not AbortSignal.timeout: that one cannot be cleared,
    // and a 60-second signal left behind by every request piles up (measured in bench/).
    const overtime = new AbortController();
    let expire!: (reason: unknown) => void;
    const expired = new Promise<never>((_, reject) => expire = reject);
    const timer = setTimeout(() => {
      overtime.abort();
      expire(overtime.signal.reason);
    }, limit);
    const signal = this.signal ? AbortSignal.any([this.signal, overtime.signal]) : overtime.signal;
    let result: { data?: T; error?: unknown; response: Response };
    try {
      const init: AttemptInit = { signal };
      const transport = this.#client[TRANSPORT];
      const maxBytes = this.#maxResponseBytes ?? this.#client.defaults?.maxResponseBytes ??
        DEFAULT_MAX_RESPONSE_BYTES;
      let sent: Promise<typeof result>;
      if (transport === undefined) {
        init.middleware = this.#captured();
        sent = request.send(this.#core, init);
      } else if (transport.own) {
        init.parseAs = "stream";
        sent = sendReading(
          transport,
          (fetch) => {
            init.fetch = fetch;
            return request.send(this.#core, init);
          },
          maxBytes,
          signal,
          seen,
        );
      } else {
        init.fetch = markingFetch(transport.send, maxBytes, signal, seen);
        sent = request.send(this.#core, init);
      }
      result = await Promise.race(this.#stopped ? [sent, expired, this.#stopped] : [sent, expired]);
    } catch (error) {
      this.throwIfStopped();
      const failed = (reason: string | undefined, cause: unknown): AtlasNetworkError =>
        new AtlasNetworkError({ action: this.#action, ...seen, reason, cause });
      if (overtime.signal.aborted) {
        throw failed(
          `no response within ${limit} ms`,
          new AtlasTimeoutError({ action: this.#action, elapsedMs: limit, ...seen }),
        );
      }
      if (error instanceof AtlasResponseTooLargeError) {
        const { status, limitBytes } = error;
        throw new AtlasResponseTooLargeError({
          action: this.#action,
          ...seen,
          status,
          limitBytes,
          cause: error,
        });
      }
      if (error instanceof SyntaxError) throw failed("the response body is not valid JSON", error);
      // Only what the network did (fetch rejected, a body cut off mid-way): see _transport.ts.
      if (isTransportFailure(error)) throw failed(undefined, error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    const { response } = result;
    if (budget !== undefined) {
      const status = response.status;
      const wait = status === 429 ? retryAfterSeconds(response) : undefined;
      budget.observe(request.groupId, sequence, response, this.#clock.now(), wait);
    }
    if (this.#onRateLimit) {
      const rateLimit = parseRateLimit(response.headers);
      if (rateLimit || response.status === 429) {
        notify(this.#onRateLimit, {
          limit: rateLimit?.limit,
          remaining: rateLimit?.remaining,
          resetSeconds: rateLimit?.resetSeconds,
          action: this.#action,
          method: seen.method,
          url: seen.url,
          status: response.status,
          retryAfterSeconds: retryAfterSeconds(response),
        });
      }
    }
    if (!response.ok) throw toApiError(this.#action, seen, response, result.error);
    return { data: result.data, response };
  }
}

/**
 * Runs one Atlas call: checks the options (AtlasValidationError before anything is sent), sends
 * the request with retries, and asks the operation's `recover` hook what to do with a failure
 * that is final for the request but may not be for the call.
 */
export async function atlasCall<T, R>(
  client: CallClient,
  spec: CallSpec<T, R>,
  options: CallOptions | undefined,
): Promise<R> {
  checkRequestOptions(spec.action, options);
  options?.signal?.throwIfAborted();
  const call = new Call(spec.action, client, spec.request.path, options);
  try {
    return await run(call, spec);
  } finally {
    call.release();
  }
}

async function run<T, R>(call: Call, spec: CallSpec<T, R>): Promise<R> {
  for (;;) {
    let sent: Sent<T> | undefined;
    let failure: unknown;
    try {
      sent = await call.request(spec.request);
    } catch (error) {
      failure = error;
    }
    if (sent !== undefined) return spec.done(sent);
    if (spec.recover === undefined) throw failure;
    let outcome: { value: R } | typeof SEND_AGAIN | undefined;
    try {
      outcome = await spec.recover(failure, call);
    } catch (error) {
      call.throwIfStopped();
      throw error;
    }
    if (outcome === undefined) throw failure;
    if (outcome !== SEND_AGAIN) return outcome.value;
    const delayMs = call.delayAfter(failure);
    if (delayMs === undefined) throw failure;
    await call.pause(delayMs);
  }
}

/**
 * The `idempotent` option of a create (default true), checked: AtlasValidationError unless it is
 * a boolean.
 */
export function idempotentOf(
  action: string,
  options: { idempotent?: unknown } | undefined,
): boolean {
  const idempotent = options?.idempotent ?? true;
  if (typeof idempotent !== "boolean") {
    fail(action, "idempotent", "must be a boolean");
  }
  return idempotent;
}

/**
 * The `recover` hook of a delete: a 404 after an attempt whose outcome was unknown means that
 * attempt was carried out, and the resource is gone, as asked.
 */
export function goneAfterUnknown(
  failure: unknown,
  call: CallContext,
): Promise<{ value: undefined } | undefined> {
  return Promise.resolve(
    failure instanceof AtlasApiError && failure.status === 404 && call.ambiguousFailures > 0
      ? { value: undefined }
      : undefined,
  );
}
