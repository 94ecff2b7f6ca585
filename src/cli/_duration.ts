// Durations on the command line (`--timeout 30m`, `90s`, `1h30m`, `500ms`, plain seconds `120`)
// and elapsed times in output (`9s`, `1m05s`, `1h02m03s`).

import { CliUsageError, shown } from "./_usage_error.ts";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
// setTimeout's limit (2^31 - 1 ms, about 24.8 days): longer timers fire at once.
const MAX_MS = 2_147_483_647;

/**
 * Parses a duration: a number with a unit (`ms`, `s`, `m`, `h`), several such parts (`1h30m`),
 * or a plain number of seconds.
 *
 * @param text What the user typed.
 * @param flag The flag name, for the error message.
 * @returns Milliseconds, more than 0.
 * @throws {CliUsageError} When the text is not a positive duration.
 */
export function parseDuration(text: string, flag = "timeout"): number {
  const trimmed = text.trim().toLowerCase();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) {
    ms = 0;
    for (const part of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
      ms += Number(part[1]) * UNIT_MS[part[2]!]!;
    }
  } else {
    throw new CliUsageError(
      `--${flag} must be a duration such as 90s, 30m, 1h30m or a number of seconds ` +
        `(got "${shown(text)}")`,
    );
  }
  ms = Math.round(ms);
  if (ms <= 0) throw new CliUsageError(`--${flag} must be more than 0 (got "${shown(text)}")`);
  if (ms > MAX_MS) {
    throw new CliUsageError(`--${flag} must be at most 24 days (got "${shown(text)}")`);
  }
  return ms;
}

/**
 * Formats an elapsed time for people: `0s`, `9s`, `1m05s`, `1h02m03s` (whole seconds, rounded
 * down).
 *
 * @param ms Milliseconds.
 * @returns The text.
 */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number): string => String(n).padStart(2, "0");
  if (h > 0) return `${h}h${pad(m)}m${pad(s)}s`;
  if (m > 0) return `${m}m${pad(s)}s`;
  return `${s}s`;
}

/**
 * Formats a duration the user gave back in its shortest form: `90s` → `1m30s`, `30m`, `2h`.
 *
 * @param ms Milliseconds.
 * @returns The text.
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const text = formatElapsed(ms);
  return text.replace(/^(\d+h)00m00s$/, "$1").replace(/^(\d+m)00s$/, "$1").replace(
    /^(\d+h\d\dm)00s$/,
    "$1",
  );
}
