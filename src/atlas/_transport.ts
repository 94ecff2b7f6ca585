// Tells transport failures apart from everything else. The fetch that createAtlasClient hands to
// openapi-fetch marks what the network did: its rejections, and errors while reading a response
// body (a connection cut mid-way). Only marked errors become AtlasNetworkError and are retried; an
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

/** The same response, with errors while reading its body marked. */
function markBody(response: Response): Response {
  const body = response.body;
  if (body === null) return response;
  const reader = body.getReader();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller): Promise<void> {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(mark(error));
      }
    },
    cancel(reason): Promise<void> {
      return reader.cancel(reason);
    },
  });
  const marked = new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(marked, "url", { value: response.url });
  return marked;
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
