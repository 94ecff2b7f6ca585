// `delete --wait`: after the DELETE, read the resource until Atlas answers 404, with the same
// backoff, time limit and status reports as waiting for it to become available.

import { AtlasApiError, AtlasTimeoutError, pollDelay, systemClock } from "../../mod.ts";

/** Options of {@linkcode waitUntilGone}. */
export interface GoneOptions {
  /** Ends the wait; its reason is thrown. */
  readonly signal: AbortSignal;
  /** The wait's time limit, reads included. */
  readonly timeoutMs: number;
  /** The first pause between reads. Default 5 s, backing off to 1 min. */
  readonly pollIntervalMs?: number | undefined;
  /** Called for the first status read, then for every change. */
  readonly onStatus: (status: string) => void;
  /** The sentence of a timeout's message, e.g. "Cannot wait for private endpoint deletion". */
  readonly action: string;
}

/**
 * Reads with `read` until it throws Atlas's 404, pausing with backoff and jitter between reads.
 *
 * @param read One read: the resource's status; gets the signal and the time left.
 * @param options Signal, time limit, poll interval, status callback.
 * @returns Once a read answered 404.
 * @throws {AtlasTimeoutError} When the time limit runs out first (`lastStatus` set).
 */
export async function waitUntilGone(
  read: (call: { signal: AbortSignal; timeoutMs: number }) => Promise<string>,
  options: GoneOptions,
): Promise<void> {
  const { signal, onStatus } = options;
  const started = systemClock.now();
  const deadline = started + options.timeoutMs;
  const interval = options.pollIntervalMs ?? 5_000;
  let lastStatus: string | undefined;
  const timedOut = (): AtlasTimeoutError =>
    new AtlasTimeoutError({
      action: options.action,
      elapsedMs: systemClock.now() - started,
      lastStatus,
    });
  for (let attempt = 0;; attempt++) {
    const remaining = deadline - systemClock.now();
    if (remaining <= 0) throw timedOut();
    let status: string;
    try {
      status = await read({ signal, timeoutMs: remaining });
    } catch (error) {
      if (error instanceof AtlasApiError && error.status === 404) return;
      if (signal.aborted) throw signal.reason;
      if (error instanceof AtlasTimeoutError) throw timedOut();
      throw error;
    }
    if (status !== lastStatus) onStatus(status);
    lastStatus = status;
    const pause = pollDelay(attempt, interval, Math.max(interval, 60_000), Math.random());
    await systemClock.sleep(Math.min(pause, Math.max(0, deadline - systemClock.now())), signal);
  }
}
