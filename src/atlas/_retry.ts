// The one retry policy of the client: which failures are worth another attempt, how long to pause,
// and the per-client defaults that createAtlasClient registers.
//
// - 429 and 503: retried for every method (the request was not processed).
// - 500, 502, 504, network errors (including an attempt that timed out or a 2xx body that could not
//   be read): retried for GET and DELETE; for POST the outcome is unknown ("ambiguous"), and the
//   create operation decides (it reads the endpoint back before it would ever POST again).
// - Anything else (4xx, Digest errors, validation errors, the caller's abort): never retried.
import { MAX_TIMER_MS } from "../shared/_checks.ts";
import { systemClock, type WaitClock } from "./clock.ts";
import { AtlasApiError } from "./atlas_api_error.ts";
import { AtlasNetworkError } from "./atlas_network_error.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";
import type { RateLimitEvent } from "./rate_limit.ts";
import { DEFAULT_RETRY, type RetryEvent, type RetryOptions } from "./retry.ts";
import { isRecord } from "../shared/_checks.ts";

/** Retry settings with every default filled in. */
export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  attemptTimeoutMs: number;
  onRetry: ((event: RetryEvent) => void) | undefined;
  clock: WaitClock;
  random: () => number;
}

/** What a client was created with, for the calls made through it. */
export interface ClientDefaults {
  retry?: RetryOptions | false | undefined;
  onRateLimit?: ((event: RateLimitEvent) => void) | undefined;
}

const clientDefaults = new WeakMap<object, ClientDefaults>();

/** Registers a client's defaults (called by createAtlasClient). */
export function setClientDefaults(client: object, defaults: ClientDefaults): void {
  clientDefaults.set(client, defaults);
}

/** The defaults a client was created with (none for a client built by hand). */
export function clientDefaultsOf(client: object): ClientDefaults {
  return clientDefaults.get(client) ?? {};
}

/** Checks a `retry` option (undefined, false, or RetryOptions) and throws AtlasValidationError. */
export function checkRetryOptions(action: string, field: string, value: unknown): void {
  if (value === undefined || value === false) return;
  const fail = (name: string, rule: string): never => {
    throw new AtlasValidationError(`${action}: ${name} ${rule}`, { field: name });
  };
  if (!isRecord(value)) fail(field, "must be false or an object");
  const options = value as Record<string, unknown>;
  const number = (name: string, ok: (n: number) => boolean, rule: string): void => {
    const n = options[name];
    if (n !== undefined && (typeof n !== "number" || !Number.isFinite(n) || !ok(n))) {
      fail(`${field}.${name}`, rule);
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
      fail(`${field}.${name}`, "must be a function");
    }
  }
  const clock = options.clock;
  if (
    clock !== undefined &&
    (!isRecord(clock) || typeof clock.now !== "function" || typeof clock.sleep !== "function")
  ) {
    fail(`${field}.clock`, "must have now() and sleep()");
  }
}

/** The settings for one call: the defaults, then the client's options, then the call's. */
export function retrySettings(
  client: RetryOptions | false | undefined,
  call: RetryOptions | false | undefined,
): RetrySettings {
  const off = { maxAttempts: 1 };
  const merged: RetryOptions = {
    ...(client === false ? off : client),
    ...(call === false ? off : call),
  };
  const pick = (value: number | undefined, fallback: number): number => value ?? fallback;
  return {
    maxAttempts: pick(merged.maxAttempts, DEFAULT_RETRY.maxAttempts),
    baseDelayMs: pick(merged.baseDelayMs, DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: pick(merged.maxDelayMs, DEFAULT_RETRY.maxDelayMs),
    maxRetryAfterMs: pick(merged.maxRetryAfterMs, DEFAULT_RETRY.maxRetryAfterMs),
    attemptTimeoutMs: pick(merged.attemptTimeoutMs, DEFAULT_RETRY.attemptTimeoutMs),
    onRetry: merged.onRetry,
    clock: merged.clock ?? systemClock,
    random: merged.random ?? Math.random,
  };
}

const NOT_PROCESSED = new Set([429, 503]);
const UNKNOWN_OUTCOME = new Set([500, 502, 504]);

/**
 * Whether a failed attempt may have been processed by Atlas: 500, 502, 504, or no usable answer
 * at all.
 */
export function isAmbiguous(error: unknown): boolean {
  if (error instanceof AtlasApiError) return UNKNOWN_OUTCOME.has(error.status);
  return error instanceof AtlasNetworkError;
}

/** Whether to send a request again after `error`: see the file comment. */
export function isRetryable(error: unknown, method: string): boolean {
  if (error instanceof AtlasApiError && NOT_PROCESSED.has(error.status)) return true;
  return method !== "POST" && isAmbiguous(error);
}
