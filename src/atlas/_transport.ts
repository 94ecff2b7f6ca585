// Tells transport failures apart from everything else. The fetch that createAtlasClient hands to
// openapi-fetch marks what the network did: its rejections, and errors while reading a response
// body through its read methods (a connection cut mid-way). Only marked errors become AtlasNetworkError and are retried; an
// error from building the Request or from a middleware is a bug or a bad argument, and propagates
// at once, as it is.

const failures = new WeakSet<object>();

function mark(error: unknown): unknown {
  if (typeof error === "object" && error !== null) failures.add(error);
  return error;
}

/** Whether `error` is a rejection of the network (see the file comment). */
export function isTransportFailure(error: unknown): boolean {
  return typeof error === "object" && error !== null && failures.has(error);
}

/**
 * The read methods whose failures are marked: those openapi-fetch reads JSON answers and error
 * bodies with, which is how the calls of this library read (only they look for the mark).
 */
const READERS = ["json", "text"] as const;

/**
 * The same response, with errors while reading its body marked: its read methods are replaced on
 * the instance (cheaper than piping the body through another stream, which doubled the cost of a
 * request in memory).
 */
function markBody(response: Response): Response {
  if (response.body === null) return response;
  for (const name of READERS) {
    const read = response[name] as (() => Promise<unknown>) | undefined;
    if (typeof read !== "function") continue;
    Object.defineProperty(response, name, {
      configurable: true,
      writable: true,
      value: (): Promise<unknown> =>
        read.call(response).catch((error: unknown) => {
          throw mark(error);
        }),
    });
  }
  return response;
}

/** Wraps `send` (default: the global fetch, looked up per call) so that its failures are marked. */
export function markingFetch(
  send: ((request: Request) => Response | Promise<Response>) | undefined,
): (request: Request) => Promise<Response> {
  return async (request) => {
    let response: Response;
    try {
      response = await (send === undefined ? globalThis.fetch(request) : send(request));
    } catch (error) {
      throw mark(error);
    }
    return markBody(response);
  };
}
