// One high-level call (create, get, delete) from start to end: the whole-call timeout and the
// caller's abort (the signal's reason is thrown as is; a fetch that ignores the signal cannot hold
// the caller), each attempt with its own time limit, error responses turned into AtlasApiError and
// transport failures into AtlasNetworkError (with the request's method and URL), rate-limit headers
// reported, and retries as _retry.ts decides. Nothing outlives the call: every timer is cleared and
// every listener removed when it ends, however it ends.
import type { Middleware } from "openapi-fetch";
import {
  checkRetryOptions,
  clientDefaultsOf,
  isAmbiguous,
  isRetryable,
  type RetrySettings,
  retrySettings,
} from "./_retry.ts";
import { MAX_TIMER_MS } from "./_clock.ts";
import { checkMaxResponseBytes } from "./_bounded_body.ts";
import { attemptFetch, isTransportFailure } from "./_transport.ts";
import { AtlasResponseTooLargeError } from "./atlas_response_too_large_error.ts";
import { AtlasApiError, type AtlasFieldViolation } from "./atlas_api_error.ts";
import { AtlasNetworkError } from "./atlas_network_error.ts";
import { AtlasTimeoutError } from "./atlas_timeout_error.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";
import { parseRateLimit, type RateLimitEvent } from "./rate_limit.ts";
import { retryDelay } from "./retry.ts";
import type { RequestOptions } from "./types.ts";
import { isRecord } from "./_record.ts";

/** What the low-level client resolves to. */
export interface ClientResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Per-attempt options handed to the low-level client. */
export interface CallInit {
  signal: AbortSignal;
  middleware: Middleware[];
  /**
   * The client's transport for this attempt (see attemptFetch), for a client made by
   * createAtlasClient.
   */
  fetch?: (request: Request) => Promise<Response>;
}

/** One attempt's request through the low-level client. */
export type SendAttempt<T> = (init: CallInit) => Promise<ClientResult<T>>;

/** The method and URL to name in errors until the request is built. */
export interface RequestName {
  method: string;
  url: string;
}

/** Checks a time option: undefined, or a positive number up to {@linkcode MAX_TIMER_MS}. */
export function checkTimeout(action: string, field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new AtlasValidationError(
      `${action}: ${field} must be a positive number of milliseconds`,
      { field },
    );
  }
  if (value > MAX_TIMER_MS) {
    throw new AtlasValidationError(
      `${action}: ${field} must be at most ${MAX_TIMER_MS} milliseconds (about 24.8 days)`,
      { field },
    );
  }
}

/** Checks the options every call takes: signal, timeoutMs, retry, onRateLimit. */
export function checkRequestOptions(action: string, options: RequestOptions | undefined): void {
  if (options === undefined) return;
  if (!isRecord(options)) {
    throw new AtlasValidationError(`${action}: options must be an object`, { field: "options" });
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new AtlasValidationError(`${action}: signal must be an AbortSignal`, { field: "signal" });
  }
  checkTimeout(action, "timeoutMs", options.timeoutMs);
  checkRetryOptions(action, "retry", options.retry);
  checkMaxResponseBytes(action, options.maxResponseBytes);
  if (options.onRateLimit !== undefined && typeof options.onRateLimit !== "function") {
    throw new AtlasValidationError(`${action}: onRateLimit must be a function`, {
      field: "onRateLimit",
    });
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

function toApiError(
  action: string,
  seen: RequestName,
  response: Response,
  error: unknown,
): AtlasApiError {
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

/** A failure without an HTTP answer, as the typed error the caller sees. */
function toNetworkError(action: string, seen: RequestName, error: unknown): unknown {
  if (error instanceof AtlasResponseTooLargeError) {
    const { status, limitBytes } = error;
    return new AtlasResponseTooLargeError({ action, ...seen, status, limitBytes, cause: error });
  }
  if (error instanceof SyntaxError) {
    return new AtlasNetworkError({
      action,
      ...seen,
      reason: "the response body is not valid JSON",
      cause: error,
    });
  }
  // Only what the network did (fetch rejected, a body cut off mid-way): see _transport.ts.
  if (isTransportFailure(error)) return new AtlasNetworkError({ action, ...seen, cause: error });
  return error;
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

/** One call: see the file comment. Create it with {@linkcode Call.run}. */
export class Call {
  readonly action: string;
  readonly settings: RetrySettings;
  /** How many attempts failed in a way that Atlas may have processed them. */
  ambiguousFailures = 0;
  /**
   * How many requests this call has sent: one budget of `maxAttempts` for the whole call, so
   * that a create's re-POSTs do not multiply it by the per-request retries.
   */
  attempts = 0;
  readonly #controller = new AbortController();
  readonly #stopped: Promise<never>;
  readonly #onRateLimit: ((event: RateLimitEvent) => void) | undefined;
  readonly #deadline: number | undefined;
  readonly #client: object;
  readonly #maxResponseBytes: number | undefined;
  #seen: RequestName;
  #stop!: (reason: unknown) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unlisten: (() => void) | undefined;

  private constructor(
    action: string,
    client: object,
    fallback: RequestName,
    options: RequestOptions | undefined,
  ) {
    const defaults = clientDefaultsOf(client);
    this.action = action;
    this.settings = retrySettings(defaults.retry, options?.retry);
    this.#onRateLimit = options?.onRateLimit ?? defaults.onRateLimit;
    this.#seen = { ...fallback };
    this.#client = client;
    this.#maxResponseBytes = options?.maxResponseBytes;
    this.#stopped = new Promise<never>((_, reject) => {
      this.#stop = (reason) => {
        this.#controller.abort(reason);
        reject(reason);
      };
    });
    this.#stopped.catch(() => {});
    const signal = options?.signal;
    if (signal) {
      const onAbort = (): void => this.#stop(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#unlisten = () => signal.removeEventListener("abort", onAbort);
    }
    const timeoutMs = options?.timeoutMs;
    this.#deadline = timeoutMs === undefined ? undefined : this.settings.clock.now() + timeoutMs;
    if (timeoutMs !== undefined) {
      const started = performance.now();
      this.#timer = setTimeout(() => {
        this.#stop(
          new AtlasTimeoutError({
            action,
            elapsedMs: performance.now() - started,
            method: this.#seen.method,
            url: this.#seen.url,
          }),
        );
      }, timeoutMs);
    }
  }

  /**
   * Runs `body` as one call: checks the options (throwing AtlasValidationError before anything is
   * sent), and releases the timeout and the abort listener when it ends.
   */
  static async run<T>(
    action: string,
    client: object,
    fallback: RequestName,
    options: RequestOptions | undefined,
    body: (call: Call) => Promise<T>,
  ): Promise<T> {
    checkRequestOptions(action, options);
    options?.signal?.throwIfAborted();
    const call = new Call(action, client, fallback, options);
    try {
      return await body(call);
    } finally {
      clearTimeout(call.#timer);
      call.#unlisten?.();
    }
  }

  /** Throws the reason when the caller aborted or the whole call timed out. */
  throwIfStopped(): void {
    this.#controller.signal.throwIfAborted();
  }

  /** Pauses on the retry clock; rejects at once when the call stops. */
  async pause(ms: number): Promise<void> {
    const slept = this.settings.clock.sleep(ms, this.#controller.signal);
    slept.catch(() => {});
    await Promise.race([slept, this.#stopped]);
  }

  /**
   * The pause before attempt `attempt + 1` after `error`, or undefined to give up: the
   * `Retry-After` asks for more than `maxRetryAfterMs`, or the pause would pass the deadline.
   */
  delayAfter(error: unknown, attempt: number): number | undefined {
    const s = this.settings;
    const retryAfter = error instanceof AtlasApiError ? error.retryAfterSeconds : undefined;
    let delay: number;
    if (retryAfter !== undefined) {
      delay = retryAfter * 1000;
      if (delay > s.maxRetryAfterMs) return undefined;
    } else {
      delay = retryDelay(attempt - 1, s.baseDelayMs, s.maxDelayMs, s.random());
    }
    if (this.#deadline !== undefined && s.clock.now() + delay >= this.#deadline) return undefined;
    return delay;
  }

  /**
   * Sends one request, retrying what _retry.ts says is worth it while the call's attempt budget
   * lasts (a request is always sent once, even when the budget is spent); throws the last error.
   */
  async request<T>(
    fallback: RequestName,
    send: SendAttempt<T>,
  ): Promise<{ data: T | undefined; response: Response }> {
    for (;;) {
      try {
        return await this.once(fallback, send);
      } catch (error) {
        this.throwIfStopped();
        if (isAmbiguous(error)) this.ambiguousFailures++;
        const method = this.#seen.method;
        const attempt = this.attempts;
        if (attempt >= this.settings.maxAttempts || !isRetryable(error, method)) throw error;
        const delayMs = this.delayAfter(error, attempt);
        if (delayMs === undefined) throw error;
        notify(this.settings.onRetry, {
          action: this.action,
          method,
          url: this.#seen.url,
          attempt,
          delayMs,
          error: error as AtlasApiError | AtlasNetworkError,
        });
        await this.pause(delayMs);
      }
    }
  }

  /** Sends one attempt, bounded by `attemptTimeoutMs` and by the call. */
  async once<T>(
    fallback: RequestName,
    send: SendAttempt<T>,
  ): Promise<{ data: T | undefined; response: Response }> {
    this.throwIfStopped();
    this.attempts++;
    const call = this.#controller.signal;
    const seen: RequestName = { ...fallback };
    this.#seen = seen;
    const capture: Middleware = {
      onRequest({ request }): undefined {
        seen.method = request.method;
        seen.url = request.url;
        return undefined;
      },
    };
    const attempt = new AbortController();
    const forward = (): void => attempt.abort(call.reason);
    call.addEventListener("abort", forward, { once: true });
    const limit = this.settings.attemptTimeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let expired = false;
    const overtime = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        expired = true;
        const error = new AtlasTimeoutError({ action: this.action, elapsedMs: limit, ...seen });
        attempt.abort(error);
        reject(error);
      }, limit);
    });
    overtime.catch(() => {});
    let result: ClientResult<T>;
    try {
      const init: CallInit = { signal: attempt.signal, middleware: [capture] };
      const fetch = attemptFetch(this.#client, attempt.signal, this.#maxResponseBytes);
      if (fetch) init.fetch = fetch;
      const pending = send(init);
      pending.catch(() => {});
      result = await Promise.race([pending, this.#stopped, overtime]);
    } catch (error) {
      this.throwIfStopped();
      if (expired) {
        throw new AtlasNetworkError({
          action: this.action,
          ...seen,
          reason: `no response within ${limit} ms`,
          cause: error,
        });
      }
      throw toNetworkError(this.action, seen, error);
    } finally {
      clearTimeout(timer);
      call.removeEventListener("abort", forward);
    }
    const { response } = result;
    const rateLimit = parseRateLimit(response.headers);
    const retryAfter = retryAfterSeconds(response);
    if (rateLimit || response.status === 429) {
      notify(this.#onRateLimit, {
        limit: rateLimit?.limit,
        remaining: rateLimit?.remaining,
        resetSeconds: rateLimit?.resetSeconds,
        action: this.action,
        method: seen.method,
        url: seen.url,
        status: response.status,
        retryAfterSeconds: retryAfter,
      });
    }
    if (!response.ok) throw toApiError(this.action, seen, response, result.error);
    return { data: result.data, response };
  }
}
