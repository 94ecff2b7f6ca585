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
//
// A successful answer to an API request is not wrapped when no middleware of the user's can read
// it first: openapi-fetch hands its body over as it is (`parseAs: "stream"`), and the call reads it
// with sendReading, within the same bounds, and parses it once. Wrapping a response (a prototype of
// bounded read methods) costs more than the read. Every other answer (errors, challenges,
// redirects, token answers, `envelope=true`) is wrapped by boundedResponse.
import {
  AtlasResponseTooLargeError,
  DEFAULT_MAX_RESPONSE_BYTES,
} from "./atlas_response_too_large_error.ts";
import { fail } from "./_validate.ts";

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
 * Where an attempt notes the last request it sent (as built, after every middleware): the one
 * Atlas answered, after a token request or a redirect followed by hand.
 */
export interface SentRequest {
  method: string;
  url: string;
}

/**
 * What a client made by createAtlasClient sends with (see markingFetch and sendReading), kept on
 * the client under {@linkcode TRANSPORT}.
 */
export interface Transport {
  /** The fetch it was given (undefined: the global one, looked up per request). */
  readonly send: Send;
  /** The client's base URL and a "/": API requests start with it (the wire middleware sees to it). */
  readonly prefix: string;
  /**
   * Whether the answers of API requests reach the caller untouched by middleware the user added
   * (false once they added one): then a successful answer's body is read by the call itself, with
   * the same bounds (`parseAs: "stream"` and sendReading), not through a bounded copy.
   */
  own: boolean;
}

/**
 * Wraps `send` (default: the global fetch, looked up per call) so that its failures are marked and
 * its bodies bounded; a body also ends when `signal` aborts. Each request it sends is noted in
 * `seen`. With `prefix`, a successful answer to an API request (its URL starts with `prefix`, no
 * `envelope=true`) is returned as it is: the caller reads it (sendReading).
 */
export function markingFetch(
  send: Send,
  maxBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
  signal?: AbortSignal,
  seen?: SentRequest,
  prefix?: string,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = request.url;
    if (seen !== undefined) {
      seen.method = request.method;
      seen.url = url;
    }
    let response: Response;
    try {
      response = await (send === undefined ? globalThis.fetch(request) : send(request));
    } catch (error) {
      throw mark(error);
    }
    if (
      prefix !== undefined && response.ok && url.startsWith(prefix) &&
      !url.includes("envelope=true")
    ) {
      return response;
    }
    return boundedResponse(response, request, maxBytes, mark, signal, send === undefined);
  };
}

/**
 * Where a client made by createAtlasClient keeps its {@linkcode Transport}, for the call path and
 * the low-level methods.
 */
export const TRANSPORT: unique symbol = Symbol("atlas-private-endpoint.transport");

/** A client as the call path reads its transport. */
export interface TransportClient {
  readonly [TRANSPORT]?: Transport;
  readonly defaults?: { readonly maxResponseBytes?: number | undefined } | undefined;
}

/**
 * Sends through openapi-fetch (`send` is given the fetch to put in the call's options, which must
 * also hold `parseAs: "stream"`) and reads a successful answer's body itself: at most `maxBytes`,
 * ended by `signal`, parsed as JSON once (undefined when empty). Bounded as boundedResponse bounds a
 * body: the error of a read the network cut is marked. For a transport whose `own` is true.
 */
export async function sendReading<R extends { data?: unknown; response: Response }>(
  transport: Transport,
  send: (fetch: (request: Request) => Promise<Response>) => Promise<R>,
  maxBytes: number,
  signal: AbortSignal | undefined,
  seen: SentRequest,
): Promise<R> {
  const network = transport.send === undefined;
  const answer = await send(markingFetch(transport.send, maxBytes, signal, seen, transport.prefix));
  const { response, data: body } = answer;
  if (response.ok) {
    let data: unknown;
    if (body instanceof ReadableStream) {
      const signals = signal ? [signal] : [];
      const bytes = await new BoundedBody(body, signals, maxBytes, response, seen, mark, network)
        .readAll();
      if (bytes.byteLength > 0) data = JSON.parse(decoder.decode(bytes));
    }
    answer.data = data;
  }
  return answer;
}

/** Checks a `maxResponseBytes` option: undefined, or a positive safe integer. */
export function checkMaxResponseBytes(action: string, value: unknown): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    fail(action, "maxResponseBytes", "must be a positive whole number of bytes");
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
 * response: defining four closures on every response cost about 2.5 µs a request. `network`: the
 * response is the runtime fetch's (its body a byte stream, read into one buffer).
 */
export function boundedResponse(
  response: Response,
  request: Request,
  maxBytes: number,
  onError: (error: unknown) => unknown,
  attemptSignal?: AbortSignal,
  network = false,
): Response {
  const body = response.body;
  if (body === null) return response;
  const signals = [request.signal];
  if (attemptSignal && attemptSignal !== request.signal) signals.push(attemptSignal);
  const state = new BoundedBody(body, signals, maxBytes, response, request, onError, network);
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
    return JSON.parse(await this.text());
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
  readonly #signals: readonly AbortSignal[];
  readonly #maxBytes: number;
  readonly #response: Response;
  readonly #request: SentRequest;
  readonly #onError: (error: unknown) => unknown;
  readonly #declared: number;
  /** From the runtime's fetch: a byte stream (see readAll). */
  readonly #network: boolean;
  #stream: ReadableStream<Uint8Array> | undefined;

  constructor(
    body: ReadableStream<Uint8Array>,
    signals: readonly AbortSignal[],
    maxBytes: number,
    response: Response,
    request: SentRequest,
    onError: (error: unknown) => unknown,
    network: boolean,
  ) {
    this.#body = body;
    this.#signals = signals;
    this.#maxBytes = maxBytes;
    this.#response = response;
    this.#request = request;
    this.#onError = onError;
    this.#declared = Number(response.headers.get("content-length") ?? 0);
    this.#network = network;
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
    // Once `body` was asked for, the rest is read from that stream.
    const stream = this.#stream;
    const signals = this.#signals;
    const maxBytes = this.#maxBytes;
    const declared = this.#declared;
    // A byte stream (a network body) is read into one buffer, of the announced length and a byte
    // more (to see a longer body) or else 16 KiB, grown as needed up to a byte past the limit,
    // which the runtime fills directly: a default reader gets a fresh 64 KiB chunk per read in
    // Deno, about 100 µs a request on loopback.
    let buffer: Uint8Array<ArrayBuffer> | undefined;
    let byob: ReadableStreamBYOBReader | undefined;
    // Tried on the runtime's bodies and announced ones: a body built in memory is no byte stream.
    if (stream === undefined && (declared > 0 || this.#network) && declared <= maxBytes) {
      try {
        byob = this.#body.getReader({ mode: "byob" });
        buffer = new Uint8Array(Math.min(declared || 16384, maxBytes) + 1);
      } catch {
        // Not a byte stream: read as any other.
      }
    }
    const reader = byob ?? (stream ?? this.#body).getReader();
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
    const unwatch = watch(signals, stop);
    if (declared > maxBytes) stop(this.#tooLarge());
    try {
      const chunks: Uint8Array[] = [];
      let received = 0;
      for (;;) {
        halt();
        if (buffer !== undefined && received === buffer.length) {
          // Longer than announced: a bigger buffer, up to a byte past the limit.
          const grown = new Uint8Array(Math.min(2 * received, maxBytes + 1));
          grown.set(buffer);
          buffer = grown;
        }
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await (buffer === undefined
            ? (reader as ReadableStreamDefaultReader<Uint8Array>).read()
            : byob!.read(buffer.subarray(received)));
        } catch (error) {
          halt();
          throw this.#onError(error);
        }
        halt();
        const value = chunk.value;
        if (buffer !== undefined) {
          // The buffer comes back with the result (moved, not copied); without it only when our
          // reader cancelled the read, which halt() has thrown.
          buffer = new Uint8Array(value!.buffer as ArrayBuffer);
        }
        if (chunk.done) return buffer?.subarray(0, received) ?? join(chunks, received);
        received += value!.byteLength;
        if (received > maxBytes) stop(this.#tooLarge());
        else if (buffer === undefined) chunks.push(value!);
      }
    } finally {
      unwatch();
    }
  }
}

/**
 * Calls `stop` with the reason of the first of `signals` to abort: at once if one has, else when
 * one does, until the returned function is called.
 */
function watch(signals: readonly AbortSignal[], stop: (reason: unknown) => void): () => void {
  function onAbort(this: AbortSignal): void {
    stop(this.reason);
  }
  const aborted = signals.find((signal) => signal.aborted);
  if (aborted) stop(aborted.reason);
  else for (const signal of signals) signal.addEventListener("abort", onAbort, { once: true });
  return () => {
    for (const signal of signals) signal.removeEventListener("abort", onAbort);
  };
}

/** `body` read at most to `maxBytes`, ended by any of `signals`; see boundedResponse. */
function boundedStream(
  body: ReadableStream<Uint8Array>,
  signals: readonly AbortSignal[],
  maxBytes: number,
  declared: number,
  tooLarge: () => AtlasResponseTooLargeError,
  onError: (error: unknown) => unknown,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let received = 0;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let done = false;
  let unwatch: (() => void) | undefined;
  const finish = (): void => {
    done = true;
    unwatch?.();
  };
  /** Stops the download and fails the read with `error`. */
  const stop = (error: unknown): void => {
    if (done) return;
    finish();
    reader.cancel(error).catch(() => {});
    controller.error(error);
  };
  return new ReadableStream<Uint8Array>({
    start(c): void {
      controller = c;
      unwatch = watch(signals, stop);
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
