// Runs one `service` command: the library calls, progress on stderr, the result on stdout. Errors
// are left to the caller (runCli), which words them from what `state` says was going on.

import { alreadyGone, deleteUnlessGone, goneLine } from "./_gone.ts";
import type { AtlasOps, CallOptions } from "./_atlas.ts";
import { formatDuration, formatElapsed } from "./_duration.ts";
import type { FailureContext } from "./_errors.ts";
import { EXIT, type ExitCode } from "./_exit_codes.ts";
import { toJson } from "./_format.ts";
import type { CliStream } from "./_io.ts";
import { GONE, paint, paintStatus, type Progress } from "./_progress.ts";
import type { ServiceCommand } from "./_service_command.ts";
import {
  cloudSideSteps,
  describeService,
  formatEndpointList,
  formatService,
  formatServiceFields,
  formatServiceList,
  serviceStatus,
} from "./_service_format.ts";
import { shellWord } from "./_shell.ts";
import { PROGRAM } from "./_specs.ts";
import type { AtlasClient, EndpointService, PrivateEndpointServiceRef } from "../../mod.ts";

/** What a running service command is doing, for the message if it fails. */
export interface ServiceState {
  /** Where it is, for the error message. */
  context: FailureContext;
  /** The progress display, if one runs (stopped on failure). */
  progress: Progress | undefined;
  /** The service as last read, for `--json`'s error output after a timeout. */
  last: EndpointService | undefined;
}

/** What runCli gives a service command. */
export interface ServiceDeps {
  readonly client: AtlasClient;
  readonly ops: AtlasOps;
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Colors on stdout. */
  readonly outColor: boolean;
  readonly now: () => number;
  readonly startedAt: number;
  /** The command's time limit. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly baseUrl: string;
  /** The time left, for the next call. */
  remaining(): number;
  /** Starts the progress display on stderr. */
  startProgress(subject: string): Progress;
}

/** The command line that runs `service <verb>` on `ref`. */
function serviceCommand(verb: "get" | "wait" | "delete", ref: PrivateEndpointServiceRef): string {
  return [
    PROGRAM,
    "service",
    verb,
    ref.cloudProvider.toLowerCase(),
    ref.endpointServiceId,
    "--group",
    ref.groupId,
    ...(verb === "delete" ? ["--wait"] : []),
  ].map(shellWord).join(" ");
}

/**
 * Runs a parsed `service` command.
 *
 * @param command The command.
 * @param deps Client, streams, clock and limits.
 * @param state Updated as it goes, for the caller's error message.
 * @returns The exit code (failures are thrown).
 */
export async function runService(
  command: ServiceCommand,
  deps: ServiceDeps,
  state: ServiceState,
): Promise<ExitCode> {
  const { client, ops, stdout, stderr, outColor, json, signal } = { ...deps, ...command };
  const call = (): CallOptions => ({ signal, timeoutMs: deps.remaining() });
  const poll = command.pollIntervalMs === undefined
    ? {}
    : { pollIntervalMs: command.pollIntervalMs };
  const mark = outColor ? `${paint(true, 32, "✔")} ` : "";
  const took = (): string => formatElapsed(deps.now() - deps.startedAt);
  const limit = formatDuration(deps.timeoutMs);

  /** Progress from here on, for `subject`, starting at `service`'s status if known. */
  const follow = (subject: string, service?: EndpointService): (status: string) => void => {
    const progress = deps.startProgress(subject);
    state.progress = progress;
    const report = (status: string): void => {
      state.context = { ...state.context, lastStatus: status };
      progress.status(status);
    };
    if (service !== undefined) report(serviceStatus(service));
    return report;
  };
  /** The result of a wait that ended ready: the service, then what to do on the cloud side. */
  const ready = (
    service: EndpointService,
    groupId: string,
    extra = "",
    /** Fields the JSON carries before the service's own (ensure's `outcome`). */
    head: Record<string, unknown> = {},
  ): ExitCode => {
    state.progress?.status(serviceStatus(service));
    state.progress?.stop();
    const subject = describeService(service.cloudProvider, service.id);
    const steps = cloudSideSteps(service, groupId);
    stdout.write(
      json
        ? toJson({ ...head, ...service })
        : `${mark}${subject} is ${
          paintStatus(outColor, serviceStatus(service))
        }${extra} after ${took()}\n${formatServiceFields(service, groupId, outColor)}` +
          (steps === "" ? "" : `\n${steps}`),
    );
    return EXIT.OK;
  };

  if (command.kind === "service list") {
    const { groupId, cloudProvider } = command;
    state.context = { ...state.context, subject: `the ${describeService(cloudProvider)}s` };
    const services = await ops.listServices(client, { groupId, cloudProvider }, call());
    stdout.write(json ? toJson(services) : formatServiceList(services, cloudProvider));
    return EXIT.OK;
  }

  if (command.kind === "service create" || command.kind === "service ensure") {
    const { input } = command;
    const where = `in ${input.region} (project ${input.groupId})`;
    const subject = describeService(input.cloudProvider);
    state.context = { ...state.context, subject: `the ${subject} ${where}` };
    if (command.kind === "service ensure") {
      const again = [PROGRAM, "service", "ensure", input.cloudProvider.toLowerCase()]
        .concat(["--region", input.region, "--group", input.groupId])
        .concat(input.portMappingEnabled ? ["--port-mapping"] : [])
        .concat(
          input.supportedRemoteRegions?.length
            ? ["--remote-region", input.supportedRemoteRegions.join(",")]
            : [],
        );
      state.context = { ...state.context, resume: again.map(shellWord).join(" ") };
      stderr.write(`Ensuring the ${subject} ${where} is ready, waiting up to ${limit}\n`);
      const report = follow(`${subject} ${input.region}`);
      const { service, created } = await ops.ensureService(client, input, {
        ...call(),
        ...poll,
        onStatus: (status, service) => {
          state.last = service;
          report(status);
        },
      });
      if (json) {
        stderr.write(
          `${created ? "Created" : "Reused"} ${describeService(input.cloudProvider, service.id)}\n`,
        );
      }
      // One service per region: asking for port mapping does not change the one there is.
      if (
        input.portMappingEnabled && service.cloudProvider === "GCP" &&
        service.portMappingEnabled !== true
      ) {
        stderr.write(
          `Note: the region's service is not port-mapped, though --port-mapping asked for one; ` +
            "a project has one service per region, so create endpoints as that service needs " +
            "(or delete it and ensure again)\n",
        );
      }
      const extra = created ? " (created)" : " (it existed: reused)";
      return ready(service, input.groupId, extra, { outcome: created ? "created" : "reused" });
    }
    if (command.wait) {
      stderr.write(`Creating the ${subject} ${where}, waiting up to ${limit}\n`);
    }
    const service = await ops.createService(client, input, call());
    state.last = service;
    const ref = {
      groupId: input.groupId,
      cloudProvider: input.cloudProvider,
      endpointServiceId: service.id ?? "",
    };
    if (!command.wait) {
      stdout.write(
        json ? toJson(service) : `Created ${formatService(service, input.groupId, outColor)}` +
          `Atlas sets it up in the background; to wait: ${serviceCommand("wait", ref)}\n`,
      );
      return EXIT.OK;
    }
    return ready(await waitFor(ref, service), input.groupId);
  }

  const ref = (command as Extract<ServiceCommand, { ref: unknown }>).ref;
  const subject = describeService(ref.cloudProvider, ref.endpointServiceId);
  state.context = { ...state.context, subject };

  async function waitFor(
    ref: PrivateEndpointServiceRef,
    service?: EndpointService,
  ): Promise<EndpointService> {
    const subject = describeService(ref.cloudProvider, ref.endpointServiceId);
    state.context = {
      ...state.context,
      subject,
      resume: serviceCommand("wait", ref),
      ongoing: "the service exists and Atlas keeps setting it up",
    };
    const report = follow(subject, service);
    return await ops.waitService(client, ref, {
      ...call(),
      ...poll,
      onStatus: (status, service) => {
        state.last = service;
        report(status);
      },
    });
  }

  switch (command.kind) {
    case "service get": {
      const service = await ops.getService(client, ref, call());
      const waiting = serviceStatus(service) === "WAITING_FOR_USER";
      const steps = waiting ? cloudSideSteps(service, ref.groupId) : "";
      stdout.write(
        json
          ? toJson(service)
          : formatService(service, ref.groupId, outColor) + (steps === "" ? "" : `\n${steps}`),
      );
      return EXIT.OK;
    }
    case "service endpoints": {
      const endpoints = await ops.listServiceEndpoints(client, ref, call());
      stdout.write(json ? toJson(endpoints) : formatEndpointList(endpoints, ref.cloudProvider));
      return EXIT.OK;
    }
    case "service wait": {
      stderr.write(`Waiting for ${subject}, up to ${limit}\n`);
      return ready(await waitFor(ref), ref.groupId);
    }
    case "service delete": {
      if (command.wait) {
        stderr.write(
          `Deleting ${subject} (project ${ref.groupId}), waiting up to ${limit}\n`,
        );
      }
      const there = await deleteUnlessGone(
        () => ops.deleteService(client, ref, call()),
        command.wait,
      );
      if (!there) stderr.write(alreadyGone(subject, "the service id"));
      if (command.wait && there) {
        state.context = {
          ...state.context,
          subject: `${subject} to be deleted`,
          resume: serviceCommand("delete", ref),
          ongoing: "Atlas keeps deleting it in the background",
        };
        const report = follow(subject);
        await ops.waitServiceGone(client, ref, { ...call(), ...poll, onStatus: report });
        state.progress?.status(GONE);
        state.progress?.stop();
      }
      stdout.write(
        json
          ? toJson({ deleted: true, ...ref })
          : command.wait
          ? `${mark}${goneLine(subject, there, took())}`
          : `Deleted ${subject}: Atlas removes it in the background (DELETING)\n`,
      );
      return EXIT.OK;
    }
  }
}
