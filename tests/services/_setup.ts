// Shared setup of the endpoint service tests: a simulator on a clock the test moves, a client on
// it (in process, or over loopback HTTP), and a fetch spy that records what was sent.
import { type AtlasClient, createAtlasClient, type WaitClock } from "../../mod.ts";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  type RunningServer,
  serve,
} from "../../src/testing/mod.ts";

/** A simulator, a client on it, and the simulated time. */
export interface ServiceSetup {
  simulator: AtlasSimulator;
  atlas: AtlasClient;
  groupId: string;
  /** A wait clock on the simulator's time: sleeping moves the time on, without waiting. */
  clock: WaitClock;
  /** The request bodies sent, by method and path (as JSON text). */
  sent: { method: string; path: string; body: string }[];
  /** Closes the loopback server, when there is one. */
  close(): Promise<void>;
}

/** Options of {@linkcode setup}. */
export interface SetupOptions extends AtlasSimulatorOptions {
  /** Serve the simulator on a loopback port and talk HTTP to it. */
  loopback?: boolean;
}

/** Creates the simulator (its time starts at 0) and a client on it. */
export async function setup(options: SetupOptions = {}): Promise<ServiceSetup> {
  const { loopback, ...simulatorOptions } = options;
  let now = 0;
  const simulator = createAtlasSimulator({ now: () => now, ...simulatorOptions });
  const groupId = simulator.addGroup();
  const sent: ServiceSetup["sent"] = [];
  let server: RunningServer | undefined;
  let baseUrl: string | undefined;
  if (loopback) {
    server = await serve(simulator.fetch);
    baseUrl = `${server.url}${simulator.basePath}`;
  }
  const spy = async (request: Request): Promise<Response> => {
    const body = request.body === null ? "" : await request.clone().text();
    if (body !== "" || request.method !== "GET") {
      sent.push({ method: request.method, path: new URL(request.url).pathname, body });
    }
    return loopback ? await fetch(request) : await simulator.fetch(request);
  };
  const atlas = createAtlasClient({
    ...DEFAULT_SIMULATOR_API_KEY,
    fetch: spy,
    ...(baseUrl ? { baseUrl } : {}),
  });
  const clock: WaitClock = {
    now: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
  };
  return {
    simulator,
    atlas,
    groupId,
    clock,
    sent,
    close: async () => await server?.close(),
  };
}

/** A client whose fetch counts its calls and always fails the test if reached. */
export function unreachable(): { atlas: AtlasClient; calls: () => number } {
  let calls = 0;
  const atlas = createAtlasClient({
    ...DEFAULT_SIMULATOR_API_KEY,
    fetch: () => {
      calls++;
      return Promise.resolve(Response.json({}));
    },
  });
  return { atlas, calls: () => calls };
}
