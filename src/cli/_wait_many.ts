// `wait` with several --endpoint: all waited for at once (waitForPrivateEndpoints, sharing the
// client's request budget), a line on stderr for every status change naming its endpoint, then one
// result line per endpoint on stdout (or a JSON array). The exit code is that of the first
// endpoint, in the order given, that did not become AVAILABLE.

import type { AtlasOps } from "./_atlas.ts";
import { formatElapsed } from "./_duration.ts";
import { classify, type FailureContext } from "./_errors.ts";
import { EXIT, type ExitCode } from "./_exit_codes.ts";
import { describe, toJson } from "./_format.ts";
import type { CliStream } from "./_io.ts";
import { paint, paintStatus } from "./_progress.ts";
import type { AtlasClient, PrivateEndpointRef } from "../../mod.ts";

/** What {@linkcode waitForMany} needs from the command line and the process. */
export interface WaitManyRun {
  readonly ops: AtlasOps;
  readonly client: AtlasClient;
  readonly refs: readonly PrivateEndpointRef[];
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly json: boolean;
  /** ANSI colors allowed (each stream still needs a terminal). */
  readonly color: boolean;
  readonly now: () => number;
  readonly startedAt: number;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number | undefined;
  /** The base URL, for error messages. */
  readonly baseUrl: string;
  /** The command line that waits for one endpoint again (for timeouts). */
  readonly resume: (ref: PrivateEndpointRef) => string;
}

/** Waits for every endpoint of `run.refs`, reports them, and returns the exit code. */
export async function waitForMany(run: WaitManyRun): Promise<ExitCode> {
  const { refs, stderr, stdout, now, startedAt } = run;
  const errColor = run.color && stderr.isTTY;
  const outColor = run.color && stdout.isTTY;
  const subjects = refs.map((ref) => describe(ref.cloudProvider, ref.endpointId));
  const width = Math.max(...subjects.map((s) => s.length));
  const elapsed = (): string => paint(errColor, 2, formatElapsed(now() - startedAt).padEnd(8));
  const results = await run.ops.waitMany(run.client, refs, {
    signal: run.signal,
    timeoutMs: run.timeoutMs,
    ...(run.pollIntervalMs === undefined ? {} : { pollIntervalMs: run.pollIntervalMs }),
    onStatus: ({ index, status }) => {
      stderr.write(
        `  ${elapsed()}${subjects[index]!.padEnd(width)}  ${paintStatus(errColor, status)}\n`,
      );
    },
  });
  let exit: ExitCode = EXIT.OK;
  const lines: string[] = [];
  const records: unknown[] = [];
  for (const result of results) {
    const subject = subjects[result.index]!;
    if (result.outcome === "available") {
      lines.push(
        `${outColor ? `${paint(true, 32, "✔")} ` : ""}${subject.padEnd(width)}  ${
          paintStatus(outColor, "AVAILABLE")
        }`,
      );
      records.push({ ...result.ref, outcome: result.outcome, endpoint: result.endpoint });
      continue;
    }
    const context: FailureContext = {
      baseUrl: run.baseUrl,
      subject,
      elapsedMs: now() - startedAt,
      lastStatus: result.lastStatus,
      resume: run.resume(result.ref),
    };
    const failure = classify(result.error, context);
    if (exit === EXIT.OK) exit = failure.exitCode;
    // The message names the endpoint when it is about the endpoint itself (REJECTED, timed out).
    const said = failure.message.includes(subject)
      ? failure.message
      : `${subject}: ${failure.message}`;
    lines.push(`${outColor ? `${paint(true, 31, "✖")} ` : ""}${said}`);
    records.push({
      ...result.ref,
      outcome: result.outcome,
      ...(result.endpoint === undefined ? {} : { endpoint: result.endpoint }),
      error: { kind: failure.kind, exitCode: failure.exitCode, message: failure.message },
    });
  }
  const available = results.filter((r) => r.outcome === "available").length;
  stderr.write(
    `${available} of ${results.length} private endpoints AVAILABLE after ${
      formatElapsed(now() - startedAt)
    }\n`,
  );
  stdout.write(run.json ? toJson(records) : `${lines.join("\n")}\n`);
  return exit;
}
