// deno-lint-ignore-file no-control-regex
import assert from "node:assert/strict";
import { createProgress } from "../../src/cli/_progress.ts";
import { manualTime, recordingStream } from "./_fakes.ts";

const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, "");

Deno.test("createProgress() without a terminal writes one plain line per status change", () => {
  const time = manualTime();
  const stream = recordingStream(false);
  const progress = createProgress({
    stream,
    now: time.now,
    startedAt: time.now(),
    subject: "AWS private endpoint vpce-1",
    color: true,
    every: time.every,
  });
  progress.status("PENDING_ACCEPTANCE");
  time.advance(4_000);
  progress.status("PENDING_ACCEPTANCE");
  progress.status("PENDING");
  time.advance(5_500);
  progress.status("AVAILABLE");
  progress.stop();
  assert.equal(
    stream.text(),
    "  0s      PENDING_ACCEPTANCE\n  4s      PENDING\n  9s      AVAILABLE\n",
  );
  assert.equal(time.active(), 0, "stop() cancels the timer");
});

Deno.test("createProgress() without a terminal adds a heartbeat line when nothing changes", () => {
  const time = manualTime();
  const stream = recordingStream(false);
  const progress = createProgress({
    stream,
    now: time.now,
    startedAt: time.now(),
    subject: "GCP endpoint group g",
    color: false,
    every: time.every,
    heartbeatMs: 60_000,
  });
  progress.status("INITIATING");
  time.advance(59_000);
  assert.equal(stream.text(), "  0s      INITIATING\n");
  time.advance(1_000);
  time.advance(30_000);
  progress.status("AVAILABLE");
  time.advance(120_000);
  progress.stop();
  assert.equal(
    stream.text(),
    "  0s      INITIATING\n  1m00s   still INITIATING\n  1m30s   AVAILABLE\n" +
      "  2m30s   still AVAILABLE\n  3m30s   still AVAILABLE\n",
  );
});

Deno.test("createProgress() on a terminal rewrites one live line and keeps each transition", () => {
  const time = manualTime();
  const stream = recordingStream(true, 100);
  const progress = createProgress({
    stream,
    now: time.now,
    startedAt: time.now(),
    subject: "AWS private endpoint vpce-1",
    color: false,
    every: time.every,
  });
  progress.status("PENDING_ACCEPTANCE");
  time.advance(2_000);
  const live = stream.text();
  // The live line is redrawn in place (\r + erase line), with the elapsed time ticking.
  assert.match(live, /\r\x1b\[2K. AWS private endpoint vpce-1: PENDING_ACCEPTANCE · 2s$/);
  assert.equal(live.split("\n").length, 2, "only the transition line ends with a newline");
  progress.status("PENDING");
  time.advance(1_000);
  progress.status("AVAILABLE");
  progress.stop();
  const text = stream.text();
  // After stop() the live line is erased: what stays on screen is the transition lines.
  const screen = text.split("\n").map((line) => line.split("\r").pop()!.replace(/\x1b\[2K/g, ""));
  assert.deepEqual(screen, [
    "  0s      PENDING_ACCEPTANCE",
    "  2s      PENDING",
    "  3s      AVAILABLE",
    "",
  ]);
  assert.ok(text.endsWith("\r\x1b[2K"));
  assert.equal(time.active(), 0);
});

Deno.test("createProgress() on a terminal never lets the live line wrap", () => {
  const time = manualTime();
  const stream = recordingStream(true, 30);
  const progress = createProgress({
    stream,
    now: time.now,
    startedAt: time.now(),
    subject: "Azure private endpoint a-very-long-private-endpoint-name",
    color: true,
    every: time.every,
  });
  progress.status("INITIATING");
  time.advance(1_000);
  const lastDraw = stream.text().split("\r\x1b[2K").pop()!;
  assert.ok(plain(lastDraw).length <= 29, plain(lastDraw));
  assert.match(plain(lastDraw), /INITIATING/);
  progress.stop();
});

Deno.test("createProgress() paints statuses only on a terminal with color on", () => {
  const time = manualTime();
  const tty = recordingStream(true, 100);
  const p1 = createProgress({
    stream: tty,
    now: time.now,
    startedAt: time.now(),
    subject: "x",
    color: true,
    every: time.every,
  });
  p1.status("REJECTED");
  p1.stop();
  assert.match(tty.text(), /\x1b\[31mREJECTED\x1b\[0m/);
  const pipe = recordingStream(false);
  const p2 = createProgress({
    stream: pipe,
    now: time.now,
    startedAt: time.now(),
    subject: "x",
    color: true,
    every: time.every,
  });
  p2.status("REJECTED");
  p2.stop();
  assert.doesNotMatch(pipe.text(), /\x1b/);
});
