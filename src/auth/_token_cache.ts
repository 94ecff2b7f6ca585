// The token cache of one service account and token URL: a token is reused until shortly before
// it expires; when none is usable, exactly one token request runs and every caller waiting at
// that moment shares it (single flight). A failed request is not cached: the next call tries
// again. A caller that gives up (its signal aborts) stops waiting, without cancelling the shared
// request for the others; when the last waiter gives up, the request is aborted (its timers
// cleared), so nothing outlives the calls that wanted it.
import type { IssuedToken } from "./_token_request.ts";

/** The token cache; see the file comment. */
export interface TokenCache {
  /** A usable token: the cached one, or a new one (shared with concurrent callers). */
  get(signal?: AbortSignal | null): Promise<string>;
  /** Forgets `token` if it is still the cached one (a 401 said it no longer works). */
  invalidate(token: string): void;
  /** How long ago `token` was received, when it is still the cached one. */
  ageOf(token: string): number | undefined;
}

/** Settings of {@linkcode createTokenCache}. */
export interface TokenCacheOptions {
  /** Requests a new token; `signal` aborts when no caller waits for it any more. */
  readonly issue: (signal: AbortSignal) => Promise<IssuedToken>;
  /** The clock, in milliseconds. */
  readonly now: () => number;
  /** How long before expiry a token is replaced (capped at half its lifetime). */
  readonly refreshBeforeExpiryMs: number;
}

/** Creates a token cache. */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  let current: { token: string; refreshAt: number; receivedAt: number } | undefined;
  let flight:
    | { promise: Promise<string>; controller: AbortController; waiters: number }
    | undefined;

  const refresh = (): NonNullable<typeof flight> => {
    const requestedAt = options.now();
    const controller = new AbortController();
    const promise = options.issue(controller.signal).then(
      (issued) => {
        const margin = Math.min(options.refreshBeforeExpiryMs, issued.lifetimeMs / 2);
        // Measured from when the request was sent: the server's clock started no earlier.
        current = {
          token: issued.accessToken,
          refreshAt: requestedAt + issued.lifetimeMs - margin,
          receivedAt: options.now(),
        };
        return issued.accessToken;
      },
    ).finally(() => {
      if (flight?.promise === promise) flight = undefined;
    });
    promise.catch(() => {});
    flight = { promise, controller, waiters: 0 };
    return flight;
  };

  /** Waits for the shared request; the last waiter to give up cancels it. */
  const join = (
    shared: NonNullable<typeof flight>,
    signal: AbortSignal | null | undefined,
  ): Promise<string> => {
    if (!signal) {
      shared.waiters++;
      return shared.promise;
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    shared.waiters++;
    return new Promise<string>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason);
        if (--shared.waiters === 0) {
          if (flight === shared) flight = undefined;
          shared.controller.abort(signal.reason);
        }
      };
      signal.addEventListener("abort", onAbort, { once: true });
      shared.promise.then(resolve, reject).finally(() =>
        signal.removeEventListener("abort", onAbort)
      );
    });
  };

  return {
    get(signal?: AbortSignal | null): Promise<string> {
      if (current !== undefined && options.now() < current.refreshAt) {
        return Promise.resolve(current.token);
      }
      current = undefined;
      return join(flight ?? refresh(), signal);
    },
    invalidate(token: string): void {
      if (current?.token === token) current = undefined;
    },
    ageOf(token: string): number | undefined {
      return current?.token === token ? options.now() - current.receivedAt : undefined;
    },
  };
}
