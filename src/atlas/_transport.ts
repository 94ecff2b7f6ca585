// Tells transport failures apart from everything else. The fetch that createAtlasClient hands to
// openapi-fetch marks what the network did: its rejections, and errors while reading a response
// body (a connection cut mid-way). Only marked errors become AtlasNetworkError and are retried; an
// error from building the Request or from a middleware is a bug or a bad argument, and propagates
// at once, as it is. Bodies are read through _bounded_body.ts: the request's signal ends them, and
// they are capped at the client's (or the call's) maxResponseBytes.
import { boundedResponse } from "./_bounded_body.ts";
import { DEFAULT_MAX_RESPONSE_BYTES } from "./atlas_response_too_large_error.ts";

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
