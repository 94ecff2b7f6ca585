/**
 * Serve a fetch handler (such as the Atlas simulator's) on a loopback port, with the same code in
 * Deno, Node and Bun (through `node:http`). In a Cloudflare Worker, export the handler instead:
 * `node:http` is only loaded when `serve()` is called, so importing this module is safe anywhere.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** A handler in the shape of a Worker's `fetch`. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Options of {@linkcode serve}. */
export interface ServeOptions {
  /** The interface to listen on. Default `127.0.0.1`. */
  hostname?: string;
  /** The port; 0 (the default) picks a free one. */
  port?: number;
  /**
   * Keep connections open between requests (HTTP keep-alive). Default true. With false every
   * response closes its connection, so a dropped connection is never on a reused one: some clients
   * (Deno's fetch) silently resend a request, even a POST, when a reused connection drops.
   */
  keepAlive?: boolean;
}

/** A running server, as returned by {@linkcode serve}. */
export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The port the server listens on. */
  readonly port: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
  /** Lets `await using server = await serve(...)` close the server at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Thrown (or returned as a rejection) by a handler to make {@linkcode serve} drop the connection
 * without any response, as a broken network or a crashed proxy would. It is a `TypeError`, like the
 * error `fetch` rejects with on a network failure, so a handler used in-process (as a client's
 * `fetch`) fails the same way the network would.
 *
 * @example Drop a connection
 * ```ts
 * import { DropConnection, serve } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const server = await serve(() => {
 *   throw new DropConnection();
 * });
 * try {
 *   await assert.rejects(fetch(server.url), TypeError);
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export class DropConnection extends TypeError {
  /** Always `"DropConnection"`. */
  override readonly name: "DropConnection" = "DropConnection" as const;
  /** Creates the signal. */
  constructor() {
    super("Connection dropped on purpose (simulated network failure)");
  }
}

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  const method = req.method ?? "GET";
  let body: Uint8Array<ArrayBuffer> | null = null;
  if (method !== "GET" && method !== "HEAD") {
    const chunks: Uint8Array[] = [];
    for await (const chunk of req) chunks.push(chunk as Uint8Array);
    const size = chunks.reduce((sum, c) => sum + c.length, 0);
    body = new Uint8Array(size);
    let offset = 0;
    for (const c of chunks) {
      body.set(c, offset);
      offset += c.length;
    }
  }
  // Keep the request target exactly as sent: Digest's `uri` must match it byte for byte.
  const request = new Request(new URL(req.url ?? "/", base), { method, headers, body });
  Object.defineProperty(request, "rawTarget", { value: req.url ?? "/" });
  return request;
}

/**
 * The request target exactly as the client sent it (path and query, not normalised), for
 * requests that {@linkcode serve} built; otherwise the URL's path and query.
 *
 * @param request A request given to a handler.
 * @returns The raw request target.
 */
export function requestTarget(request: Request): string {
  const raw = (request as Request & { rawTarget?: string }).rawTarget;
  if (raw !== undefined) return raw;
  const url = new URL(request.url);
  return url.pathname + url.search;
}

async function writeResponse(
  res: ServerResponse,
  response: Response,
  keepAlive: boolean,
): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  if (!keepAlive) headers.connection = "close";
  response.headers.forEach((value, key) => {
    if (key === "set-cookie") headers[key] = response.headers.getSetCookie();
    else headers[key] = value;
  });
  res.writeHead(response.status, response.statusText, headers);
  if (response.body) {
    for await (const chunk of response.body) res.write(chunk);
  }
  res.end();
}

/**
 * Serves `handler` over HTTP/1.1 on a loopback port.
 *
 * @param handler The fetch handler, e.g. `simulator.fetch`.
 * @param options Host and port.
 * @returns The running server; call `close()` when done.
 *
 * @example Serve a handler on a free port
 * ```ts
 * import { serve } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const server = await serve(() => new Response("hello"));
 * try {
 *   const response = await fetch(server.url);
 *   assert.equal(await response.text(), "hello");
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export async function serve(
  handler: FetchHandler,
  options: ServeOptions = {},
): Promise<RunningServer> {
  // Loaded here, not at the top, so that Workers and browsers can import this module.
  const { createServer } = await import("node:http");
  const hostname = options.hostname ?? "127.0.0.1";
  const keepAlive = options.keepAlive ?? true;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const base = `http://${req.headers.host ?? hostname}`;
    (async () => {
      let response: Response;
      try {
        response = await handler(await toRequest(req, base));
      } catch (error) {
        if (error instanceof DropConnection) {
          req.socket.destroy();
          return;
        }
        response = new Response("Internal error in handler", { status: 500 });
      }
      await writeResponse(res, response, keepAlive);
    })().catch(() => req.socket.destroy());
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, hostname, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const host = hostname.includes(":") ? `[${hostname}]` : hostname;
      const close = (): Promise<void> =>
        new Promise<void>((done) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => done());
        });
      resolve({ url: `http://${host}:${port}`, port, close, [Symbol.asyncDispose]: close });
    });
  });
}
