// `simulate`: the embedded Atlas simulator served on a loopback port for other tools (curl,
// scripts, this CLI, the Atlas CLI, Terraform), until Ctrl-C. It prints what a client needs as
// shell exports (or JSON) on stdout and logs each request on stderr.

import type { SimulateCommand } from "./_command.ts";
import { BASE_URL_VAR, PRIVATE_KEY_VARS, PROJECT_ID_VAR, PUBLIC_KEY_VARS } from "./_env.ts";
import { EXIT, type ExitCode } from "./_exit_codes.ts";
import { toJson } from "./_format.ts";
import type { CliStream } from "./_io.ts";
import { CliUsageError } from "./_usage_error.ts";
import {
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  requestTarget,
  type RunningServer,
  serve,
} from "../testing/mod.ts";

/** What `simulate` needs from the process. */
export interface SimulateIo {
  /** Where the settings go. */
  readonly stdout: CliStream;
  /** Where requests are logged. */
  readonly stderr: CliStream;
  /** Aborted on Ctrl-C: the server then stops. */
  readonly signal: AbortSignal;
}

/** The settings a client needs, as printed. */
interface Settings {
  url: string;
  baseUrl: string;
  v2BaseUrl: string;
  publicKey: string;
  privateKey: string;
  groupId: string;
  timeScale: number;
  endpointServices?: { AWS: string; AZURE: string; GCP: string };
}

function listenError(error: unknown, port: number): Error {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE" || code === "EACCES") {
    return new CliUsageError(
      `Cannot start the Atlas simulator: port ${port} on 127.0.0.1 is ${
        code === "EADDRINUSE" ? "in use" : "not allowed"
      } (${code}); choose another --port, or 0 for a free one`,
      "simulate",
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function exports(settings: Settings): string {
  const services = settings.endpointServices;
  return [
    `# Atlas simulator on ${settings.url} (time scale ${settings.timeScale}); ` +
    `the v2 API is at ${settings.v2BaseUrl}. Ctrl-C stops it.`,
    `export ${BASE_URL_VAR}=${settings.baseUrl}`,
    `export ${PUBLIC_KEY_VARS[0]}=${settings.publicKey}`,
    `export ${PRIVATE_KEY_VARS[0]}=${settings.privateKey}`,
    `export ${PROJECT_ID_VAR}=${settings.groupId}`,
    ...(services === undefined ? [] : [
      `# Endpoint services, ready: AWS ${services.AWS} (US_EAST_1), ` +
      `AZURE ${services.AZURE} (US_EAST_2), GCP ${services.GCP} (CENTRAL_US)`,
    ]),
    "",
  ].join("\n");
}

/**
 * Serves the simulator until `io.signal` aborts.
 *
 * @param command The parsed `simulate` command.
 * @param io Streams and the stop signal.
 * @returns {@linkcode EXIT.INTERRUPTED} once stopped.
 * @throws {CliUsageError} When the port cannot be listened on.
 */
export async function runSimulate(command: SimulateCommand, io: SimulateIo): Promise<ExitCode> {
  const simulator = createAtlasSimulator({ timeScale: command.timeScale });
  const seeded = command.seed
    ? simulator.seed(command.groupId === undefined ? {} : { groupId: command.groupId })
    : undefined;
  const groupId = seeded?.groupId ?? simulator.addGroup(command.groupId);
  let server: RunningServer;
  try {
    server = await serve(async (request) => {
      const response = await simulator.fetch(request);
      const time = new Date().toISOString().slice(11, 19);
      io.stderr.write(`${time} ${request.method} ${requestTarget(request)} ${response.status}\n`);
      return response;
    }, { port: command.port });
  } catch (error) {
    throw listenError(error, command.port);
  }
  try {
    const settings: Settings = {
      url: server.url,
      baseUrl: `${server.url}${simulator.basePath}`,
      v2BaseUrl: `${server.url}${simulator.v2BasePath}`,
      ...DEFAULT_SIMULATOR_API_KEY,
      groupId,
      timeScale: command.timeScale,
      ...(seeded === undefined
        ? {}
        : { endpointServices: { AWS: seeded.AWS, AZURE: seeded.AZURE, GCP: seeded.GCP } }),
    };
    io.stdout.write(command.json ? toJson(settings) : exports(settings));
    if (!io.signal.aborted) {
      await new Promise<void>((resolve) =>
        io.signal.addEventListener("abort", () => resolve(), { once: true })
      );
    }
    io.stderr.write("Atlas simulator stopped\n");
    return EXIT.INTERRUPTED;
  } finally {
    await server.close();
  }
}
