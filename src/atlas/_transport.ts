// Tells transport failures apart from everything else. The fetch that createAtlasClient hands to
// openapi-fetch marks what the network did: its rejections, and errors while reading a response
// body (a connection cut mid-way). Only marked errors become AtlasNetworkError and are retried; an
// error from building the Request or from a middleware is a bug or a bad argument, and propagates
// at once, as it is.
//
// Every body is read under the call's control. Its request's signal (and the attempt's own, when
// given) ends the read at once: the download is cancelled (the connection released) and reading
// fails with the signal's reason. The runtime's own link from a signal to the body cannot be relied
// on: Deno and undici hold the original Response weakly (once a wrapped one is collected, an abort
// no longer reaches its body, which streams on), and undici links a Request's signal to the signal
// it follows weakly (once a Request in a chain of copies is collected, aborts stop there). And at
// most `maxBytes` are read: a body that announces more, or grows past it, is cancelled and fails
// with AtlasResponseTooLargeError.
import {
  AtlasResponseTooLargeError,
  DEFAULT_MAX_RESPONSE_BYTES,
} from "./atlas_response_too_large_error.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";

type Send = ((request: Request) => Response | Promise<Response>) | undefined;

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
 * Wraps `send` (default: the global fetch, looked up per call) so that its failures are marked and
 * its bodies bounded; a body also ends when `signal` aborts.
 */
export function markingFetch(
  send: Send,
  maxBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
  signal?: AbortSignal,
): (request: Request) => Promise<Response> {
  return async (request) => {
    let response: Response;
    try {
      response = await (send === undefined ? globalThis.fetch(request) : send(request));
    } catch (error) {
      throw mark(error);
    }
    return boundedResponse(response, request, maxBytes, mark, signal);
  };
}

/**
 * Where a client made by createAtlasClient keeps the fetch it was given (undefined: the global
 * one), for attemptFetch.
 */
export const TRANSPORT: unique symbol = Symbol("atlas-private-endpoint.transport");

/** A client as attemptFetch reads it. */
export interface TransportClient {
  readonly [TRANSPORT]?: Send;
  readonly defaults?: { readonly maxResponseBytes?: number | undefined } | undefined;
}

/**
 * The client's transport for one attempt of a call: bodies end when `signal` (the attempt's own)
 * aborts, whatever middleware did to the request and its signal, and are capped at `maxBytes`
 * (the call's option) or the client's limit. Undefined for a client not made by createAtlasClient.
 */
export function attemptFetch(
  client: TransportClient,
  signal: AbortSignal,
  maxBytes: number | undefined,
): ((request: Request) => Promise<Response>) | undefined {
  if (!(TRANSPORT in client)) return undefined;
  return markingFetch(
    client[TRANSPORT],
    maxBytes ?? client.defaults?.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    signal,
  );
}

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
 * marks them). The read methods openapi-fetch and the middleware use (`text`, `json`,
 * `arrayBuffer`) read the body themselves, which costs far less per request than piping every body
 * through another stream; `body` itself, read only by callers that stream (`parseAs: "stream"`),
 * becomes that bounded stream when first asked for. They come from a prototype put between the
 * response and its own (one per prototype, made once), and the read's state is one object on the
 * response: defining four closures on every response cost about 2.5 µs a request.
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
  const state = new BoundedBody(body, signals, maxBytes, response, request, onError);
  const proto: object | null = Object.getPrototypeOf(response);
  let bounded = proto === null ? undefined : BOUNDED_PROTOTYPES.get(proto);
  if (bounded === undefined) {
    bounded = Object.create(proto, BOUNDED_METHODS) as object;
    if (proto !== null) BOUNDED_PROTOTYPES.set(proto, bounded);
  }
  Object.setPrototypeOf(response, bounded);
  (response as BoundedResponse)[READ] = state;
  return response;
}

const READ: unique symbol = Symbol("atlas-private-endpoint.boundedBody");

/** A response that boundedResponse took over. */
interface BoundedResponse extends Response {
  [READ]: BoundedBody;
}

const decoder = /* @__PURE__ */ new TextDecoder();

/** A read method of a bounded response, as a property of its prototype. */
const method = (value: (this: BoundedResponse) => Promise<unknown>): PropertyDescriptor => ({
  configurable: true,
  writable: true,
  value,
});

/** The read methods of a bounded response; see boundedResponse. */
const BOUNDED_METHODS: PropertyDescriptorMap = {
  text: /* @__PURE__ */ method(async function (): Promise<string> {
    return decoder.decode(await this[READ].readAll());
  }),
  json: /* @__PURE__ */ method(async function (): Promise<unknown> {
    return JSON.parse(decoder.decode(await this[READ].readAll()));
  }),
  arrayBuffer: /* @__PURE__ */ method(async function (): Promise<ArrayBuffer> {
    const bytes = await this[READ].readAll();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }),
  body: {
    configurable: true,
    get(this: BoundedResponse): ReadableStream<Uint8Array> {
      return this[READ].stream();
    },
  },
};

/** The bounded prototype made for each prototype of a response. */
const BOUNDED_PROTOTYPES = new WeakMap<object, object>();

/** The state of one bounded body: see boundedResponse. */
class BoundedBody {
  readonly #body: ReadableStream<Uint8Array>;
  readonly #signals: AbortSignal[];
  readonly #maxBytes: number;
  readonly #response: Response;
  readonly #request: Request;
  readonly #onError: (error: unknown) => unknown;
  readonly #declared: number;
  #stream: ReadableStream<Uint8Array> | undefined;

  constructor(
    body: ReadableStream<Uint8Array>,
    signals: AbortSignal[],
    maxBytes: number,
    response: Response,
    request: Request,
    onError: (error: unknown) => unknown,
  ) {
    this.#body = body;
    this.#signals = signals;
    this.#maxBytes = maxBytes;
    this.#response = response;
    this.#request = request;
    this.#onError = onError;
    this.#declared = Number(response.headers.get("content-length") ?? 0);
  }

  #tooLarge(): AtlasResponseTooLargeError {
    return new AtlasResponseTooLargeError({
      action: "Cannot read Atlas response",
      method: this.#request.method,
      url: this.#request.url,
      status: this.#response.status,
      limitBytes: this.#maxBytes,
    });
  }

  /** The body as the bounded stream (made when first asked for). */
  stream(): ReadableStream<Uint8Array> {
    return this.#stream ??= boundedStream(
      this.#body,
      this.#signals,
      this.#maxBytes,
      this.#declared,
      () => this.#tooLarge(),
      this.#onError,
    );
  }

  /**
   * The body read whole, straight from its reader: what the stream does, without a second stream
   * in between.
   */
  async readAll(): Promise<Uint8Array> {
    if (this.#stream !== undefined) return await collect(this.#stream.getReader());
    const signals = this.#signals;
    const maxBytes = this.#maxBytes;
    const reader = this.#body.getReader();
    const state: { stopped?: { reason: unknown } } = {};
    const stop = (reason: unknown): void => {
      if (state.stopped) return;
      state.stopped = { reason };
      reader.cancel(reason).catch(() => {});
    };
    /** Throws why the read was stopped, if it was. */
    const halt = (): void => {
      if (state.stopped) throw state.stopped.reason;
    };
    function onAbort(this: AbortSignal): void {
      stop(this.reason);
    }
    const aborted = signals.find((signal) => signal.aborted);
    if (aborted) stop(aborted.reason);
    else if (this.#declared > maxBytes) stop(this.#tooLarge());
    for (const signal of signals) signal.addEventListener("abort", onAbort, { once: true });
    try {
      const chunks: Uint8Array[] = [];
      let received = 0;
      for (;;) {
        halt();
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          halt();
          throw this.#onError(error);
        }
        halt();
        if (chunk.done) return join(chunks, received);
        received += chunk.value.byteLength;
        if (received > maxBytes) stop(this.#tooLarge());
        else chunks.push(chunk.value);
      }
    } finally {
      for (const signal of signals) signal.removeEventListener("abort", onAbort);
    }
  }
}

/** `body` read at most to `maxBytes`, ended by any of `signals`; see boundedResponse. */
function boundedStream(
  body: ReadableStream<Uint8Array>,
  signals: AbortSignal[],
  maxBytes: number,
  declared: number,
  tooLarge: () => AtlasResponseTooLargeError,
  onError: (error: unknown) => unknown,
): ReadableStream<Uint8Array> {
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
  function onAbort(this: AbortSignal): void {
    stop(this.reason);
  }
  return new ReadableStream<Uint8Array>({
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
}

/** The rest of a stream, as one array. */
async function collect(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return join(chunks, size);
    chunks.push(value);
    size += value.byteLength;
  }
}

function join(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}
