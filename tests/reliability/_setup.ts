// The reliability suite's fixtures: the Atlas simulator served on loopback (with an optional
// interceptor in front of it to play proxies and broken networks), a client with fast retries, and
// a few small helpers. Everything is torn down by `close()`.
import {
  type AtlasClient,
  type AtlasClientOptions,
  createAtlasClient,
  type CreatePrivateEndpointInput,
  type PrivateEndpointRef,
  type RetryOptions,
  type WaitClock,
} from "../../mod.ts";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  createAtlasSimulator,
  type RunningServer,
  type SeededProject,
  serve,
} from "../../src/testing/mod.ts";

export const PUBLIC_KEY = "reliability-public-key";
/** The key the secrets sweep searches for: it must never show up anywhere. */
export const PRIVATE_KEY = "rel-SECRET-9f2c7e41-private";
export const VPCE = "vpce-0a1b2c3d4e5f60718";
export const AZURE_ID =
  "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rel-rg/providers/Microsoft.Network/privateEndpoints/rel-pe";
export const GCP_GROUP = "rel-endpoint-group";

/** Fast retries for tests: three attempts, pauses of a few milliseconds. */
export const FAST: RetryOptions = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 4 };

/** One request as it reached the loopback server. */
export interface Seen {
  method: string;
  /** The raw path and query. */
  target: string;
  authorization: string | null;
}

/** Decides what to do with a request before the simulator sees it. */
export type Interceptor = (
  request: Request,
  forward: () => Promise<Response>,
  seen: Seen,
) => Response | Promise<Response>;

export interface Env {
  sim: AtlasSimulator;
  project: SeededProject;
  server: RunningServer;
  baseUrl: string;
  /** Every request the server received, in order. */
  seen: Seen[];
  /** A client for this server; `retry` defaults to {@linkcode FAST}. */
  client(options?: Partial<AtlasClientOptions>): AtlasClient;
  /** A create input for a provider's seeded service. */
  input(provider: "AWS" | "AZURE" | "GCP", id?: string): CreatePrivateEndpointInput;
  /** The reference of what {@linkcode input} creates. */
  ref(provider: "AWS" | "AZURE" | "GCP", id?: string): PrivateEndpointRef;
  /** Requests with Authorization, by method ("POST", "GET", "DELETE"). */
  authenticated(method?: string): number;
  close(): Promise<void>;
}

/** The simulator on loopback, without keep-alive (so a dropped connection is never resent). */
export async function simulated(
  options: AtlasSimulatorOptions = {},
  intercept?: Interceptor,
  keepAlive = false,
): Promise<Env> {
  const sim = createAtlasSimulator({
    apiKeys: { [PUBLIC_KEY]: PRIVATE_KEY },
    timeScale: 0,
    ...options,
  });
  const project = sim.seed();
  const seen: Seen[] = [];
  const server = await serve(async (request) => {
    const entry: Seen = {
      method: request.method,
      target: new URL(request.url).pathname,
      authorization: request.headers.get("authorization"),
    };
    seen.push(entry);
    const forward = () => sim.fetch(request);
    return intercept ? await intercept(request, forward, entry) : await forward();
  }, { keepAlive });
  const baseUrl = `${server.url}${sim.basePath}`;
  const service = (provider: "AWS" | "AZURE" | "GCP") => ({
    groupId: project.groupId,
    endpointServiceId: project[provider],
  });
  return {
    sim,
    project,
    server,
    baseUrl,
    seen,
    client: (options = {}) =>
      createAtlasClient({
        publicKey: PUBLIC_KEY,
        privateKey: PRIVATE_KEY,
        baseUrl,
        retry: FAST,
        ...options,
      } as AtlasClientOptions),
    input(provider, id): CreatePrivateEndpointInput {
      if (provider === "AWS") return { ...service("AWS"), cloudProvider: "AWS", id: id ?? VPCE };
      if (provider === "AZURE") {
        return {
          ...service("AZURE"),
          cloudProvider: "AZURE",
          id: id ?? AZURE_ID,
          privateEndpointIPAddress: "10.0.0.4",
        };
      }
      return {
        ...service("GCP"),
        cloudProvider: "GCP",
        endpointGroupName: id ?? GCP_GROUP,
        gcpProjectId: "customer-project-123",
        endpoints: [{ endpointName: "rel-rule-0", ipAddress: "10.142.0.5" }],
        // A group on a legacy service, said so: one rule alone could be a port-mapped endpoint,
        // which a read-back after an unknown outcome also looks for under the rule's name.
        portMappingEnabled: false,
      };
    },
    ref(provider, id): PrivateEndpointRef {
      const endpointId = id ??
        (provider === "AWS" ? VPCE : provider === "AZURE" ? AZURE_ID : GCP_GROUP);
      return { ...service(provider), cloudProvider: provider, endpointId };
    },
    authenticated: (method) =>
      seen.filter((s) => s.authorization !== null && (method === undefined || s.method === method))
        .length,
    close: () => server.close(),
  };
}

/** Whether a request carries Authorization (the Digest handshake itself is never faulted). */
export function authed(request: Request): boolean {
  return request.headers.has("authorization");
}

/** A clock that never really sleeps and records the pauses. */
export function recordingClock(start = 1_000_000): WaitClock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep(ms, signal): Promise<void> {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

/** A promise and its resolver, to hold a server's answer until the test lets it go. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** The rejection of `promise`, or a failure when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** A body that sends `head`, then breaks the connection (serve() destroys the socket). */
export function brokenBody(head: string): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    pull(controller): void {
      if (!sent) {
        sent = true;
        controller.enqueue(new TextEncoder().encode(head));
      } else controller.error(new Error("connection reset mid-response"));
    },
  });
}
