// What the benchmark's parent process and its server process (bench/_server.ts) share, and the
// parent's handle on that server.

/** The one account the bench server knows. Not a secret: a loopback test fixture. */
export const BENCH_CREDENTIALS = {
  realm: "MMS Public API",
  username: "bench-public-key",
  password: "bench-private-key-0123456789",
} as const;

/** How the Digest port behaves; the latency applies to both ports. */
export interface ServerConfig {
  /** Added to every response (401s included), as a network round trip would. */
  latencyMs: number;
  ncPolicy: "strict" | "unique" | "off";
  opaque: "per-client" | "per-nonce" | "none";
  /** A nonce goes stale after this many accepted uses. */
  maxNonceUses?: number;
  /**
   * Up to this many ms of random delay before a request reaches the verifier, as network jitter
   * would add, so that concurrent requests arrive out of order (seeded: the same every run).
   */
  jitterMs?: number;
}

/** Counted at the server, over both ports, since the last configuration. */
export interface ServerStats {
  /** Round trips: every HTTP request received. */
  requests: number;
  /** Requests that carried an Authorization header. */
  withAuthorization: number;
  /** Request body bytes received (Content-Length). */
  bodyBytes: number;
  /** Responses by status code. */
  byStatus: Record<string, number>;
  /** Time spent in the request handlers (verification and echo, not latency), ms. */
  handlerMs: number;
  /** The Digest verifier's rejections by reason (nc, stale, credentials, ...). */
  rejected: Record<string, number>;
}

/** The running bench server process. */
export interface BenchServer {
  /** Base URL of the Digest port. */
  readonly authUrl: string;
  /** Base URL of the port with authentication switched off. */
  readonly openUrl: string;
  /** Sets the behaviour, gives the Digest port a fresh state and zeroes the counters. */
  configure(config: ServerConfig): Promise<void>;
  /** The counters since the last `configure`. */
  stats(): Promise<ServerStats>;
  /** Ends the process. */
  close(): Promise<void>;
}

/** Starts bench/_server.ts as a child process and waits for its URLs. */
export async function startBenchServer(): Promise<BenchServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./_server.ts", import.meta.url).pathname],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let line = "";
  while (!line.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("The bench server exited before printing its URLs");
    line += value;
  }
  const { auth, open } = JSON.parse(line.slice(0, line.indexOf("\n"))) as {
    auth: string;
    open: string;
  };
  const control = async (path: string, init?: RequestInit): Promise<unknown> => {
    const response = await fetch(`${auth}/__bench/${path}`, init);
    if (!response.ok) throw new Error(`Bench server control ${path}: ${response.status}`);
    return await response.json();
  };
  return {
    authUrl: auth,
    openUrl: open,
    async configure(config): Promise<void> {
      await control("config", { method: "POST", body: JSON.stringify(config) });
    },
    async stats(): Promise<ServerStats> {
      return (await control("stats")) as ServerStats;
    },
    async close(): Promise<void> {
      await child.stdin.close();
      await reader.cancel().catch(() => {});
      await child.status;
    },
  };
}
