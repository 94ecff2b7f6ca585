// The command-line tool as a function: argv and an I/O object in, an exit code out. src/cli.ts
// calls it with the real process; tests call it with fakes or run src/cli.ts as a process.

import { booleanFlag } from "./_args.ts";
import { type AtlasOps, libraryOps } from "./_atlas.ts";
import { type Command, parseCommand } from "./_command.ts";
import { formatDuration, formatElapsed } from "./_duration.ts";
import { API_VERSION_VAR, readSettings } from "./_env.ts";
import { classify, type CliFailure, type FailureContext, interrupted } from "./_errors.ts";
import { EXIT, type ExitCode } from "./_exit_codes.ts";
import { describe, formatEndpoint, formatFields, toJson } from "./_format.ts";
import { helpText } from "./_help.ts";
import type { CliIo, CliStream } from "./_io.ts";
import {
  createProgress,
  type Every,
  GONE,
  paint,
  paintStatus,
  type Progress,
} from "./_progress.ts";
import { PROGRAM } from "./_specs.ts";
import { CliUsageError } from "./_usage_error.ts";
import { shellWord } from "./_shell.ts";
import { runSimulate } from "./_simulate.ts";
import { isServiceCommand } from "./_service_command.ts";
import { runService, type ServiceState } from "./_service_run.ts";
import { waitForMany } from "./_wait_many.ts";
import { alreadyGone, deleteUnlessGone, goneLine } from "./_gone.ts";
import { reportedId, requestedId } from "../atlas/_providers.ts";
import {
  DEFAULT_ATLAS_BASE_URL,
  DEFAULT_ATLAS_V2_BASE_URL,
  DEFAULT_WAIT_TIMEOUT_MS,
  type PrivateEndpoint,
  type PrivateEndpointRef,
  privateEndpointStatus,
  VERSION,
} from "../../mod.ts";

/** What a library error may carry about the endpoint, to print with `--json`. */
interface ErrorWith {
  readonly endpoint?: unknown;
  readonly service?: unknown;
  readonly conflict?: { readonly existing?: unknown } | undefined;
}

/** Test hooks of {@linkcode runCli}. */
export interface RunOptions {
  /** The library calls; defaults to the real ones. */
  readonly ops?: AtlasOps | undefined;
  /** The progress timer; defaults to setInterval. */
  readonly every?: Every | undefined;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 2 * 60_000;

/** Hides `secret` in everything written to `stream`. */
function redacting(stream: CliStream, secrets: readonly string[]): CliStream {
  const hidden = secrets.filter((s) => s.length >= 4);
  if (hidden.length === 0) return stream;
  return {
    get isTTY(): boolean {
      return stream.isTTY;
    },
    get columns(): number | undefined {
      return stream.columns;
    },
    write(text: string): void {
      let safe = text;
      for (const secret of hidden) safe = safe.split(secret).join("[redacted]");
      stream.write(safe);
    },
  };
}

/** The command line that runs `verb` (get, wait or delete --wait) on the endpoint `ref`. */
function refCommand(verb: "get" | "wait" | "delete", ref: PrivateEndpointRef): string {
  return [
    PROGRAM,
    verb,
    ref.cloudProvider.toLowerCase(),
    "--group",
    ref.groupId,
    "--service",
    ref.endpointServiceId,
    "--endpoint",
    ref.endpointId,
    ...(verb === "delete" ? ["--wait"] : []),
  ].map(shellWord).join(" ");
}

/**
 * Runs the command line `argv`.
 *
 * @param argv The arguments after the program name.
 * @param io Streams, environment, interrupt hook, optional fetch and clock.
 * @param options Test hooks.
 * @returns The exit code (see `--help`).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  options: RunOptions = {},
): Promise<ExitCode> {
  const now = io.now ?? Date.now;
  const startedAt = now();
  const noColor = (io.env("NO_COLOR") ?? "") !== "";
  let stdout = io.stdout;
  let stderr = io.stderr;
  // Before parsing (a usage error still answers in JSON), read as the parser reads it.
  let json = booleanFlag(argv, "json");
  let context: FailureContext = { baseUrl: DEFAULT_ATLAS_BASE_URL, elapsedMs: 0 };
  let lastEndpoint: PrivateEndpoint | undefined;
  let progress: Progress | undefined;
  let service: ServiceState | undefined;
  let created: boolean | undefined;
  // create --json: whether this run created the endpoint (as ensurePrivateEndpoint's `outcome`).
  let outcome: { outcome: "created" | "reused" } | undefined;
  let command: string | undefined;
  const controller = new AbortController();
  const removeInterrupt = io.onInterrupt(() => controller.abort());

  const fail = (failure: CliFailure, endpoint?: unknown): ExitCode => {
    progress?.stop();
    const hint = failure.kind === "usage"
      ? `. Run '${PROGRAM}${command === undefined ? "" : ` ${command}`} --help' for usage`
      : "";
    stderr.write(`${paint(!noColor && stderr.isTTY, 31, "Error:")} ${failure.message}${hint}\n`);
    if (json) {
      stdout.write(toJson({
        error: {
          kind: failure.kind,
          exitCode: failure.exitCode,
          message: failure.message,
          ...failure.details,
        },
        ...(endpoint === undefined
          ? {}
          : { [service === undefined ? "endpoint" : "service"]: endpoint }),
      }));
    }
    return failure.exitCode;
  };

  try {
    let parsed: Command;
    try {
      parsed = parseCommand(argv, io.env);
    } catch (error) {
      if (error instanceof CliUsageError) command = error.command;
      throw error;
    }
    if (parsed.kind === "help") {
      stdout.write(helpText(parsed.spec));
      return EXIT.OK;
    }
    if (parsed.kind === "version") {
      stdout.write(`${VERSION}\n`);
      return EXIT.OK;
    }
    json = parsed.json;
    if (parsed.kind === "simulate") {
      command = "simulate";
      return await runSimulate(parsed, { stdout, stderr, signal: controller.signal });
    }
    command = parsed.kind === "create"
      ? `create ${parsed.input.cloudProvider.toLowerCase()}`
      : parsed.kind;
    const flagVersion = parsed.apiVersion;
    const settings = readSettings(
      flagVersion === undefined
        ? io.env
        : (name) => (name === API_VERSION_VAR ? flagVersion : io.env(name)),
    );
    const secret = settings.clientSecret ?? settings.privateKey;
    stdout = redacting(io.stdout, [secret]);
    stderr = redacting(io.stderr, [secret]);
    const v2 = settings.apiVersion !== undefined && settings.apiVersion !== "v1.0";
    const baseUrl = settings.baseUrl ?? (v2 ? DEFAULT_ATLAS_V2_BASE_URL : DEFAULT_ATLAS_BASE_URL);
    const ops = options.ops ?? libraryOps;
    const client = ops.createClient({
      ...(settings.clientId === undefined
        ? { publicKey: settings.publicKey, privateKey: settings.privateKey }
        : { clientId: settings.clientId, clientSecret: settings.clientSecret }),
      ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
      ...(settings.apiVersion === undefined ? {} : { apiVersion: settings.apiVersion }),
      ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
      userAgent: `${PROGRAM}/${VERSION}`,
    });

    const waiting = parsed.kind === "wait" || parsed.kind === "service wait" ||
      ("wait" in parsed && parsed.wait);
    const timeoutMs = parsed.timeoutMs ??
      (waiting ? DEFAULT_WAIT_TIMEOUT_MS : DEFAULT_REQUEST_TIMEOUT_MS);
    const deadline = startedAt + timeoutMs;
    const signal = controller.signal;
    const remaining = (): number => Math.max(1, deadline - now());
    const outColor = !noColor && stdout.isTTY;
    const startProgress = (subject: string): Progress =>
      createProgress({
        stream: stderr,
        now,
        startedAt,
        subject,
        color: !noColor,
        every: options.every,
      });

    if (isServiceCommand(parsed)) {
      service = { context: { baseUrl, elapsedMs: 0 }, progress: undefined, last: undefined };
      const deps = { client, ops, stdout, stderr, outColor, now, startedAt, timeoutMs, signal };
      return await runService(parsed, { ...deps, baseUrl, remaining, startProgress }, service);
    }

    let ref: PrivateEndpointRef;
    if (parsed.kind === "create") {
      const input = parsed.input;
      const subject = describe(input.cloudProvider, requestedId(input));
      const check = refCommand("get", {
        groupId: input.groupId,
        endpointServiceId: input.endpointServiceId,
        cloudProvider: input.cloudProvider,
        endpointId: requestedId(input),
      });
      context = { baseUrl, subject, elapsedMs: 0, check };
      if (parsed.wait) {
        stderr.write(
          `Creating ${subject} on endpoint service ${input.endpointServiceId} ` +
            `(project ${input.groupId}), waiting up to ${formatDuration(timeoutMs)}\n`,
        );
      }
      created = false;
      let existed = false;
      const endpoint = await ops.create(client, input, {
        signal,
        timeoutMs: remaining(),
        onExisting: () => void (existed = true),
      });
      created = true;
      lastEndpoint = endpoint;
      // The id Atlas answered (a port-mapped GCP endpoint's is its rule's name); the one asked
      // for when the answer leaves it out, as the library no longer fills it in.
      ref = {
        groupId: input.groupId,
        endpointServiceId: input.endpointServiceId,
        cloudProvider: input.cloudProvider,
        endpointId: reportedId(endpoint) === undefined
          ? requestedId(input)
          : ops.endpointId(endpoint),
      };
      const note = `${subject} already existed with the same fields: nothing was created`;
      outcome = { outcome: existed ? "reused" : "created" };
      if (existed && (json || parsed.wait)) stderr.write(`${note}\n`);
      if (!parsed.wait) {
        stdout.write(
          json
            ? toJson({ ...outcome, ...endpoint })
            : existed
            ? `${note}\n${formatFields(endpoint, ref, outColor)}`
            : `Created ${formatEndpoint(endpoint, ref, outColor)}` +
              `Whether your cloud accepts it shows later; to wait: ${refCommand("wait", ref)}\n`,
        );
        return EXIT.OK;
      }
    } else {
      ref = parsed.ref;
      const subject = describe(ref.cloudProvider, ref.endpointId);
      context = { baseUrl, subject, elapsedMs: 0 };
      if (parsed.kind === "get") {
        const endpoint = await ops.get(client, ref, { signal, timeoutMs: remaining() });
        stdout.write(json ? toJson(endpoint) : formatEndpoint(endpoint, ref, outColor));
        return EXIT.OK;
      }
      if (parsed.kind === "delete") {
        if (parsed.wait) {
          stderr.write(
            `Deleting ${subject} from endpoint service ${ref.endpointServiceId} ` +
              `(project ${ref.groupId}), waiting up to ${formatDuration(timeoutMs)}\n`,
          );
        }
        const there = await deleteUnlessGone(
          () => ops.remove(client, ref, { signal, timeoutMs: remaining() }),
          parsed.wait,
        );
        if (!there) stderr.write(alreadyGone(subject, "--endpoint"));
        if (parsed.wait && there) {
          context = {
            ...context,
            subject: `${subject} to be deleted`,
            resume: refCommand("delete", ref),
            ongoing: "Atlas keeps deleting it in the background",
          };
          progress = startProgress(subject);
          await ops.waitGone(client, ref, {
            signal,
            timeoutMs: remaining(),
            ...(parsed.pollIntervalMs === undefined
              ? {}
              : { pollIntervalMs: parsed.pollIntervalMs }),
            onStatus: (status) => {
              context = { ...context, lastStatus: status };
              progress?.status(status);
            },
          });
          progress.status(GONE);
          progress.stop();
        }
        const took = formatElapsed(now() - startedAt);
        stdout.write(
          json
            ? toJson({ deleted: true, ...ref })
            : parsed.wait
            ? `${outColor ? `${paint(true, 32, "✔")} ` : ""}${goneLine(subject, there, took)}`
            : `Deleted ${subject}: Atlas removes it in the background (DELETING)\n`,
        );
        return EXIT.OK;
      }
      const refs = parsed.refs ?? [ref];
      if (refs.length > 1) {
        stderr.write(
          `Waiting for ${refs.length} private endpoints, up to ${formatDuration(timeoutMs)}\n`,
        );
        context = { baseUrl, elapsedMs: 0 };
        return await waitForMany({
          ops,
          client,
          refs,
          stdout,
          stderr,
          json,
          color: !noColor,
          now,
          startedAt,
          signal,
          timeoutMs: remaining(),
          pollIntervalMs: parsed.pollIntervalMs,
          baseUrl,
          resume: (one) => refCommand("wait", one),
        });
      }
      stderr.write(`Waiting for ${subject}, up to ${formatDuration(timeoutMs)}\n`);
    }

    // create --wait, or wait
    const subject = describe(ref.cloudProvider, ref.endpointId);
    context = {
      baseUrl,
      subject,
      elapsedMs: 0,
      resume: refCommand("wait", ref),
      lastStatus: lastEndpoint === undefined ? undefined : privateEndpointStatus(lastEndpoint),
    };
    progress = startProgress(subject);
    if (lastEndpoint !== undefined) progress.status(privateEndpointStatus(lastEndpoint));
    const endpoint = await ops.wait(client, ref, {
      signal,
      timeoutMs: remaining(),
      ...(parsed.pollIntervalMs === undefined ? {} : { pollIntervalMs: parsed.pollIntervalMs }),
      onStatus: (event) => {
        lastEndpoint = event.endpoint;
        context = { ...context, lastStatus: event.status };
        progress?.status(event.status);
      },
    });
    progress.status(privateEndpointStatus(endpoint));
    progress.stop();
    const took = formatElapsed(now() - startedAt);
    if (json) {
      stdout.write(toJson({ ...outcome, ...endpoint }));
    } else {
      const mark = outColor ? `${paint(true, 32, "✔")} ` : "";
      stdout.write(
        `${mark}${subject} is ${
          paintStatus(outColor, privateEndpointStatus(endpoint))
        } after ${took}\n` +
          formatFields(endpoint, ref, outColor),
      );
    }
    return EXIT.OK;
  } catch (error) {
    if (service !== undefined) progress = service.progress;
    const ctx = { ...(service?.context ?? context), elapsedMs: now() - startedAt };
    const last = lastEndpoint ?? service?.last;
    if (controller.signal.aborted) return fail(interrupted(ctx, created), last);
    const failure = classify(error, ctx, created);
    const fields = typeof error === "object" && error !== null ? error as ErrorWith : {};
    const endpoint = fields.endpoint ?? fields.service ?? fields.conflict?.existing ??
      (failure.kind === "timeout" ? last : undefined);
    return fail(failure, endpoint);
  } finally {
    progress?.stop();
    service?.progress?.stop();
    removeInterrupt();
  }
}
