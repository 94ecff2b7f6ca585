// Hostile servers on loopback, one per test case, on node:http (so the same tests run under Deno
// and Node): endless or oversized bodies that count the bytes handed to the socket, challenges
// and redirects as a broken or malicious server would send them. Everything is torn down by
// `close()`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import {
  type AtlasClient,
  type AtlasClientOptions,
  createAtlasClient,
  type PrivateEndpointRef,
} from "../../mod.ts";

export const USER = "hostile-public-key";
export const PASSWORD = "hostile-private-key";

/** A Digest challenge any Authorization answers (see {@linkcode HostileServer.open}). */
export const CHALLENGE = 'Digest realm="hostile", nonce="0123456789abcdef", qop="auth"';

/** What a hostile handler does with one request. */
export type HostileHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  server: HostileServer,
) => void;

export interface HostileServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The Atlas v1.0 base URL on this server. */
  baseUrl: string;
  /** The requests received, in order: method, target, Authorization. */
  seen: { method: string; target: string; authorization: string | undefined }[];
  /** Body bytes the server got onto the wire (accepted by the socket) so far. */
  bytes: number;
  /** Connections carrying a body that has not ended, right now. */
  open: number;
  /** Counts `res`'s connection in `open` until it closes. */
  track(res: ServerResponse): void;
  /** Resolves once `open` is zero, or rejects after `ms` milliseconds. */
  quiet(ms: number): Promise<void>;
  /** Closes every connection and the server. */
  close(): Promise<void>;
}

const CHUNK = new Uint8Array(64 * 1024).fill(0x20);

/**
 * Writes the rest of `res`'s body, without end or up to `total` bytes then `"}`, and counts what it
 * wrote in `server.bytes`: paced, 32 KiB per millisecond while the socket takes it; or `fast`, as
 * fast as the client reads. The connection counts as open (see `quiet`) until it closes.
 */
export function pour(
  res: ServerResponse,
  server: HostileServer,
  total = Infinity,
  fast = false,
): void {
  const size = fast ? CHUNK.length : 32 * 1024;
  let left = total;
  server.track(res);
  const write = (): boolean => {
    const chunk = CHUNK.subarray(0, Math.min(size, left));
    left -= chunk.length;
    server.bytes += chunk.length;
    const more = res.write(chunk);
    if (left <= 0) res.end('"}');
    return more;
  };
  if (fast) {
    const flow = (): void => {
      while (left > 0 && !res.destroyed) if (!write()) return void res.once("drain", flow);
    };
    return flow();
  }
  const timer = setInterval(() => {
    if (res.destroyed || left <= 0) return clearInterval(timer);
    if (!res.writableNeedDrain) write();
  }, 1);
  res.on("close", () => clearInterval(timer));
}

/**
 * Once the body has started, makes short-lived garbage for a while (yielding to the client between
 * rounds), so that the runtime collects what nothing holds any more while the download runs. A
 * collection mid-download, as happens in any busy process, is what cuts a weakly held link between
 * a signal and a body.
 */
export async function collectMidway(server: HostileServer): Promise<void> {
  while (server.bytes === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  let kept = 0;
  for (let round = 0; round < 40; round++) {
    const junk: { i: number }[] = [];
    for (let i = 0; i < 100_000; i++) junk.push({ i });
    kept += junk.length;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  if (kept !== 4_000_000) throw new Error("unreachable");
}

/** Starts a hostile server on 127.0.0.1, port 0. */
export async function hostile(handler: HostileHandler): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    state.seen.push({
      method: req.method ?? "",
      target: req.url ?? "",
      authorization: req.headers.authorization,
    });
    handler(req, res, state);
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const state: HostileServer = {
    url,
    baseUrl: `${url}/api/atlas/v1.0`,
    seen: [],
    bytes: 0,
    open: 0,
    track(res): void {
      // The socket, not the response: an unfinished body is only over when its connection is.
      state.open++;
      res.socket?.once("close", () => {
        if (--state.open === 0) { for (const wake of waiters) wake(); }
      });
    },
    quiet(ms): Promise<void> {
      if (state.open === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(`a connection is still open ${ms} ms later (${state.bytes} bytes sent)`),
          );
        }, ms);
        waiters.add(wake);
      });
    },
    close(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

/**
 * Answers a request without Authorization with {@linkcode CHALLENGE}; true when it did (the
 * handler is done with that request).
 */
export function challenged(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.headers.authorization !== undefined) return false;
  res.writeHead(401, { "www-authenticate": CHALLENGE, "content-length": "0" }).end();
  return true;
}

/** An API-key client for the server; extra options are passed as they are (typed or not). */
export function clientOf(server: HostileServer, extra: Record<string, unknown> = {}): AtlasClient {
  return createAtlasClient({
    publicKey: USER,
    privateKey: PASSWORD,
    baseUrl: server.baseUrl,
    retry: { maxAttempts: 1 },
    ...extra,
  } as AtlasClientOptions);
}

/** An endpoint reference on the server. */
export const REF: PrivateEndpointRef = {
  groupId: "32b6e34b3d91647abb20e7b8",
  endpointServiceId: "5f4fc14da2b47835a58c63a2",
  cloudProvider: "AWS",
  endpointId: "vpce-0123456789abcdef0",
};

/**
 * What `promise` rejects with and how long it took; a failure when it resolves or has not
 * settled within `ms`.
 */
export async function settles(
  promise: Promise<unknown>,
  ms: number,
): Promise<{ error: unknown; elapsedMs: number }> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
  const outcome = await Promise.race([
    promise.then(() => "resolved" as const, (error: unknown) => ({ error })),
    late,
  ]);
  clearTimeout(timer);
  if (outcome === "late") throw new Error(`did not settle within ${ms} ms`);
  if (outcome === "resolved") throw new Error("expected a rejection");
  return { error: outcome.error, elapsedMs: performance.now() - started };
}
