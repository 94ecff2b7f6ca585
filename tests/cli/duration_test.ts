import assert from "node:assert/strict";
import { formatDuration, formatElapsed, parseDuration } from "../../src/cli/_duration.ts";
import { CliUsageError } from "../../src/cli/_usage_error.ts";

Deno.test("parseDuration() reads units, compound durations and plain seconds", () => {
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("30m"), 1_800_000);
  assert.equal(parseDuration("2h"), 7_200_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("1m30s"), 90_000);
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("120"), 120_000);
  assert.equal(parseDuration("1.5"), 1500);
  assert.equal(parseDuration(" 2M "), 120_000);
});

Deno.test("parseDuration() rejects zero, negatives, garbage and overlong values", () => {
  for (const bad of ["", "0", "0s", "-5", "5x", "m", "1d", "10 m", "abc", "1e3"]) {
    assert.throws(() => parseDuration(bad, "timeout"), CliUsageError, bad);
  }
  assert.throws(() => parseDuration("25d"), CliUsageError);
  assert.throws(() => parseDuration("600h"), {
    message: '--timeout must be at most 24 days (got "600h")',
  });
  assert.throws(() => parseDuration("x", "poll-interval"), /^CliUsageError: --poll-interval must/);
  // The value is quoted back, on one line and cut short.
  assert.throws(() => parseDuration("5 parsecs"), /\(got "5 parsecs"\)$/);
  assert.throws(() => parseDuration(`${"9".repeat(60)}\nx`), /\(got "9{40}…"\)$/);
});

Deno.test("formatElapsed() prints whole seconds, minutes and hours", () => {
  assert.equal(formatElapsed(0), "0s");
  assert.equal(formatElapsed(999), "0s");
  assert.equal(formatElapsed(9_400), "9s");
  assert.equal(formatElapsed(65_000), "1m05s");
  assert.equal(formatElapsed(3_723_000), "1h02m03s");
  assert.equal(formatElapsed(-5), "0s");
});

Deno.test("formatDuration() prints a limit in its shortest form", () => {
  assert.equal(formatDuration(90_000), "1m30s");
  assert.equal(formatDuration(1_800_000), "30m");
  assert.equal(formatDuration(3_600_000), "1h");
  assert.equal(formatDuration(5_400_000), "1h30m");
  assert.equal(formatDuration(250), "250ms");
});
