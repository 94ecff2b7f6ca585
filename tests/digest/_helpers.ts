// Shared helpers for the Digest client tests: a recording fetch around any handler, and the
// Authorization parameters of a request.
import { parseAuthHeader } from "../../src/digest/_auth_params.ts";

/** What a handler saw of one request. */
export interface Seen {
  method: string;
  url: string;
  authorization: string | null;
  contentType: string | null;
  body: Uint8Array;
  redirect: RequestRedirect;
  headers: Headers;
}

/** A fetch that records every request (with its body bytes) and hands it to `handler`. */
export function recordingFetch(
  handler: (request: Request, seen: Seen) => Response | Promise<Response>,
): { fetch: (request: Request) => Promise<Response>; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    async fetch(request: Request): Promise<Response> {
      const copy = request.clone();
      const entry: Seen = {
        method: request.method,
        url: request.url,
        authorization: request.headers.get("authorization"),
        contentType: request.headers.get("content-type"),
        body: new Uint8Array(await copy.arrayBuffer()),
        redirect: request.redirect,
        headers: new Headers(request.headers),
      };
      seen.push(entry);
      return await handler(request, entry);
    },
  };
}

/** The parameters of a Digest Authorization header. */
export function authParams(header: string | null): Map<string, string> {
  if (header === null) throw new Error("no Authorization header");
  const [credentials] = parseAuthHeader(header);
  if (!credentials || credentials.scheme !== "Digest") throw new Error(`not Digest: ${header}`);
  return credentials.params;
}

/** A handler that answers 401 with `challenge` unless `accept(authorization)` holds. */
export function challengeHandler(
  challenge: string | (() => string),
  accept: (authorization: string) => boolean = () => true,
): (request: Request) => Response {
  return (request) => {
    const authorization = request.headers.get("authorization");
    if (authorization !== null && accept(authorization)) {
      return new Response("ok", { status: 200 });
    }
    return new Response("unauthorized", {
      status: 401,
      headers: { "www-authenticate": typeof challenge === "string" ? challenge : challenge() },
    });
  };
}

/** Bytes as text, for comparisons in messages. */
export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
