// A response body read under the call's control. Its request's signal (and the attempt's own, when
// given) ends the read at once: the download is cancelled (the connection released) and reading
// fails with the signal's reason. The runtime's own link from a signal to the body cannot be relied
// on: Deno and undici hold the original Response weakly (once a wrapped one is collected, an abort
// no longer reaches its body, which streams on), and undici links a Request's signal to the signal
// it follows weakly (once a Request in a chain of copies is collected, aborts stop there). And at
// most `maxBytes` are read: a body that announces more, or grows past it, is cancelled and fails
// with AtlasResponseTooLargeError.
import { AtlasResponseTooLargeError } from "./atlas_response_too_large_error.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";

/** Checks a `maxResponseBytes` option: undefined, or a positive safe integer. */
export function checkMaxResponseBytes(action: string, value: unknown): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    throw new AtlasValidationError(
      `${action}: maxResponseBytes must be a positive whole number of bytes`,
      { field: "maxResponseBytes" },
    );
  }
}

/**
 * The same response, its body read at most to `maxBytes` and ended by `request.signal` or
 * `attemptSignal`; errors the runtime raises while reading go through `onError` (the transport
 * marks them).
 */
export function boundedResponse(
  response: Response,
  request: Request,
  maxBytes: number,
  onError: (error: unknown) => unknown,
  attemptSignal?: AbortSignal,
): Response {
  const body = response.body;
  if (body === null) return response;
  const signals = [request.signal];
  if (attemptSignal && attemptSignal !== request.signal) signals.push(attemptSignal);
  const declared = Number(response.headers.get("content-length") ?? 0);
  const reader = body.getReader();
  let received = 0;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let done = false;
  const finish = (): void => {
    done = true;
    for (const signal of signals) signal.removeEventListener("abort", onAbort);
  };
  /** Stops the download and fails the read with `error`. */
  const stop = (error: unknown): void => {
    if (done) return;
    finish();
    reader.cancel(error).catch(() => {});
    controller.error(error);
  };
  const tooLarge = (): AtlasResponseTooLargeError =>
    new AtlasResponseTooLargeError({
      action: "Cannot read Atlas response",
      method: request.method,
      url: request.url,
      status: response.status,
      limitBytes: maxBytes,
    });
  function onAbort(this: AbortSignal): void {
    stop(this.reason);
  }
  const stream = new ReadableStream<Uint8Array>({
    start(c): void {
      controller = c;
      const aborted = signals.find((signal) => signal.aborted);
      if (aborted) return stop(aborted.reason);
      for (const signal of signals) signal.addEventListener("abort", onAbort, { once: true });
    },
    async pull(): Promise<void> {
      if (declared > maxBytes) return stop(tooLarge());
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (!done) {
          finish();
          controller.error(onError(error));
        }
        return;
      }
      if (done) return;
      if (chunk.done) {
        finish();
        controller.close();
        return;
      }
      received += chunk.value.byteLength;
      if (received > maxBytes) return stop(tooLarge());
      controller.enqueue(chunk.value);
    },
    cancel(reason): Promise<void> {
      finish();
      return reader.cancel(reason);
    },
  });
  const bounded = new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(bounded, "url", { value: response.url });
  return bounded;
}
