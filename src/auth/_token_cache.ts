// The token cache of one service account and token URL: a token is reused until shortly before
// it expires; when none is usable, exactly one token request runs and every caller waiting at
// that moment shares it (single flight). A failed request is not cached: the next call tries
// again. A caller that gives up (its signal aborts) stops waiting, without cancelling the shared
// request for the others.
import type { IssuedToken } from "./_token_request.ts";

/** The token cache; see the file comment. */
export interface TokenCache {
  /** A usable token: the cached one, or a new one (shared with concurrent callers). */
  get(signal?: AbortSignal | null): Promise<string>;
  /** Forgets `token` if it is still the cached one (a 401 said it no longer works). */
  invalidate(token: string): void;
}

/** Settings of {@linkcode createTokenCache}. */
export interface TokenCacheOptions {
  /** Requests a new token. */
  readonly issue: () => Promise<IssuedToken>;
  /** The clock, in milliseconds. */
  readonly now: () => number;
  /** How long before expiry a token is replaced (capped at half its lifetime). */
  readonly refreshBeforeExpiryMs: number;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Creates a token cache. */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  let current: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const refresh = (): Promise<string> => {
    const requestedAt = options.now();
    const flight = options.issue().then(
      (issued) => {
        const margin = Math.min(options.refreshBeforeExpiryMs, issued.lifetimeMs / 2);
        // Measured from when the request was sent: the server's clock started no earlier.
        current = {
          token: issued.accessToken,
          refreshAt: requestedAt + issued.lifetimeMs - margin,
        };
        return issued.accessToken;
      },
    ).finally(() => {
      if (pending === flight) pending = undefined;
    });
    pending = flight;
    return flight;
  };

  return {
    get(signal?: AbortSignal | null): Promise<string> {
      if (current !== undefined && options.now() < current.refreshAt) {
        return Promise.resolve(current.token);
      }
      current = undefined;
      return abortable(pending ?? refresh(), signal);
    },
    invalidate(token: string): void {
      if (current?.token === token) current = undefined;
    },
  };
}
