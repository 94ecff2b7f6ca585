// The real clock (Date.now and setTimeout), shared by waiting and retrying.
import type { WaitClock } from "./wait.ts";

/**
 * The longest delay a timer takes: setTimeout fires at once for 2^31 ms or more, so every time
 * option is checked against it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** The real clock; `sleep` clears its timer when the signal aborts. */
export const realClock: WaitClock = {
  now: (): number => Date.now(),
  sleep: (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
