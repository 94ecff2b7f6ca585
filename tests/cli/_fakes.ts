// Fake streams and I/O for the CLI's unit tests.

import type { CliIo, CliStream } from "../../src/cli/_io.ts";
import type { Every } from "../../src/cli/_progress.ts";

/** A stream that records what is written. */
export interface RecordingStream extends CliStream {
  readonly text: () => string;
}

export function recordingStream(isTTY = false, columns?: number): RecordingStream {
  let text = "";
  return {
    isTTY,
    columns,
    write(chunk: string): void {
      text += chunk;
    },
    text: () => text,
  };
}

/** A manual clock and timer: `advance(ms)` moves time and fires due intervals. */
export function manualTime(start = 1_000_000): {
  now: () => number;
  every: Every;
  advance: (ms: number) => void;
  active: () => number;
} {
  let now = start;
  const timers = new Set<{ ms: number; next: number; fn: () => void }>();
  return {
    now: () => now,
    every(ms, fn): () => void {
      const timer = { ms, next: now + ms, fn };
      timers.add(timer);
      return () => void timers.delete(timer);
    },
    advance(ms): void {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
        if (due === undefined) break;
        now = due.next;
        due.next += due.ms;
        due.fn();
      }
      now = end;
    },
    active: () => timers.size,
  };
}

/** A CliIo over recording streams and a fixed environment. */
export function fakeIo(
  env: Record<string, string>,
  options: { tty?: boolean; fetch?: (request: Request) => Promise<Response>; now?: () => number } =
    {},
): CliIo & {
  out: RecordingStream;
  err: RecordingStream;
  interrupt: () => void;
  listeners: () => number;
} {
  const out = recordingStream(options.tty ?? false, 80);
  const err = recordingStream(options.tty ?? false, 80);
  const handlers = new Set<() => void>();
  return {
    stdout: out,
    stderr: err,
    out,
    err,
    env: (name) => env[name],
    onInterrupt(handler): () => void {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    interrupt: () => handlers.forEach((h) => h()),
    listeners: () => handlers.size,
    fetch: options.fetch,
    now: options.now,
  };
}
