// Progress while waiting. Every status change is kept as a line ("  4s      PENDING"); on a
// terminal, one live line below them is rewritten in place (spinner, status, elapsed time).
// Without a terminal (CI logs, pipes) only the lines are written, plus a heartbeat line when the
// status has not changed for a while, so a log never looks stuck.

import type { CliStream } from "./_io.ts";
import { formatElapsed } from "./_duration.ts";

/** Schedules `fn` every `ms`; returns a function that stops it. */
export type Every = (ms: number, fn: () => void) => () => void;

/** Options of {@linkcode createProgress}. */
export interface ProgressOptions {
  /** Where progress goes (stderr). Its `isTTY` picks the live or the plain rendering. */
  readonly stream: CliStream;
  /** Clock in milliseconds. */
  readonly now: () => number;
  /** When the operation started (elapsed times count from here). */
  readonly startedAt: number;
  /** What is being waited for, e.g. "AWS private endpoint vpce-0a1b". */
  readonly subject: string;
  /** ANSI colors (only used on a terminal). */
  readonly color: boolean;
  /** The timer; defaults to setInterval. */
  readonly every?: Every | undefined;
  /** Plain mode: a "still <STATUS>" line after this long without change. Default 60 s. */
  readonly heartbeatMs?: number | undefined;
}

/** A running progress display. */
export interface Progress {
  /** Reports the current status (repeats are ignored, except to refresh the live line). */
  status(status: string): void;
  /** Removes the live line and stops the timer; idempotent. */
  stop(): void;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const CLEAR_LINE = "\r\x1b[2K";
const TICK_MS = 250;

const defaultEvery: Every = (ms, fn) => {
  const id = setInterval(fn, ms);
  return () => clearInterval(id);
};

/** The status shown once a deleted resource is gone (Atlas answers 404), as Terraform names it. */
export const GONE = "DELETED";

/** Statuses that end a wait successfully, and that end it with a failure. */
const GOOD = new Set(["AVAILABLE", GONE]);
const BAD = new Set(["REJECTED", "FAILED"]);

/**
 * Paints text in an ANSI color when `on`.
 *
 * @param on Whether colors are enabled.
 * @param code The SGR code, e.g. 32 for green.
 * @param text The text.
 * @returns The painted text.
 */
export function paint(on: boolean, code: number, text: string): string {
  return on ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/**
 * A status painted by meaning: green AVAILABLE, red REJECTED/FAILED, yellow otherwise.
 *
 * @param on Whether colors are enabled.
 * @param status The status.
 * @returns The painted status.
 */
export function paintStatus(on: boolean, status: string): string {
  return paint(on, GOOD.has(status) ? 32 : BAD.has(status) ? 31 : 33, status);
}

/**
 * Starts a progress display.
 *
 * @param options Stream, clock, subject.
 * @returns The display; call `status()` on each poll and `stop()` at the end.
 */
export function createProgress(options: ProgressOptions): Progress {
  const { stream, now, startedAt, subject } = options;
  const tty = stream.isTTY;
  const color = tty && options.color;
  const every = options.every ?? defaultEvery;
  const heartbeatMs = options.heartbeatMs ?? 60_000;
  let current: string | undefined;
  let lastLineAt = startedAt;
  let frame = 0;
  let live = false;
  let stopped = false;

  const elapsed = (): string => formatElapsed(now() - startedAt);
  const line = (text: string): string => `  ${paint(color, 2, elapsed().padEnd(8))}${text}\n`;

  const drawLive = (): void => {
    if (current === undefined) return;
    const spin = SPINNER[frame % SPINNER.length]!;
    const plain = `${spin} ${subject}: ${current} · ${elapsed()}`;
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    // Never wrap: a wrapped live line cannot be rewritten in place.
    const text = plain.length > width
      ? `${spin} ${current} · ${elapsed()}`.slice(0, width)
      : `${paint(color, 36, spin)} ${subject}: ${paintStatus(color, current)} · ${elapsed()}`;
    stream.write(`${CLEAR_LINE}${text}`);
    live = true;
  };

  const clearLive = (): void => {
    if (live) stream.write(CLEAR_LINE);
    live = false;
  };

  const tick = (): void => {
    if (stopped) return;
    frame++;
    if (tty) {
      drawLive();
    } else if (current !== undefined && now() - lastLineAt >= heartbeatMs) {
      stream.write(line(`still ${current}`));
      lastLineAt = now();
    }
  };
  const cancel = every(tty ? TICK_MS : Math.min(heartbeatMs, 5_000), tick);

  return {
    status(status: string): void {
      if (stopped) return;
      if (status !== current) {
        clearLive();
        stream.write(line(paintStatus(color, status)));
        current = status;
        lastLineAt = now();
      }
      if (tty) drawLive();
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      cancel();
      clearLive();
    },
  };
}
