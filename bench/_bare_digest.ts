// A reference for the in-memory rows, not a client: the bare work RFC 7616 asks of a warm request
// (one MD5 over `H(A1):nonce:nc:cnonce:qop:H(A2)` with H(A1) and H(A2) known, a counter, a cnonce,
// one Authorization header), with nothing else: no retry, no lanes, no checks. It shows how close
// to the floor any Digest client can come in this runtime with openapi-fetch and noble's MD5.
import type { Middleware } from "openapi-fetch";
import { md5 } from "@noble/hashes/legacy.js";

const HEX = Array.from({ length: 256 }, (_, i) => (i + 256).toString(16).slice(1));
const hex = (bytes: Uint8Array): string => {
  let out = "";
  for (const byte of bytes) out += HEX[byte];
  return out;
};
const encoder = new TextEncoder();
const md5Hex = (text: string): string => hex(md5(encoder.encode(text)));

/** The challenge the in-memory fetch sends, as the bare client knows it after the first 401. */
export interface BareChallenge {
  realm: string;
  nonce: string;
  opaque: string;
}

/**
 * Sets Authorization on `request` (a copy that does not follow redirects when `copy`), computing
 * only what the RFC needs for this request.
 */
export function bareDigest(
  credentials: { username: string; password: string },
  challenge: BareChallenge,
): (request: Request, copy: boolean) => Request {
  const ha1 = md5Hex(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  const ha2s = new Map<string, string>();
  const head = `Digest username="${credentials.username}", realm="${challenge.realm}", ` +
    `nonce="${challenge.nonce}", uri="`;
  const tail = `", opaque="${challenge.opaque}", response="`;
  let nc = 0;
  const cnonce = hex(crypto.getRandomValues(new Uint8Array(16)));
  return (request, copy) => {
    const url = request.url;
    const uri = url.slice(url.indexOf("/", url.indexOf("//") + 2));
    const key = `${request.method}:${uri}`;
    let ha2 = ha2s.get(key);
    if (ha2 === undefined) ha2s.set(key, ha2 = md5Hex(key));
    const count = (++nc + 0x100000000).toString(16).slice(1);
    const response = md5Hex(`${ha1}:${challenge.nonce}:${count}:${cnonce}:auth:${ha2}`);
    const sent = copy
      ? new Request(request, { redirect: "manual", signal: request.signal })
      : request;
    sent.headers.set(
      "authorization",
      `${head}${uri}", algorithm=MD5, qop=auth, nc=${count}, cnonce="${cnonce}${tail}${response}"`,
    );
    return sent;
  };
}

/** The bare work as an openapi-fetch middleware (`copy`: as a client following redirects must). */
export function bareMiddleware(
  sign: (request: Request, copy: boolean) => Request,
  copy: boolean,
): Middleware {
  return {
    onRequest({ request }): Request | undefined {
      const sent = sign(request, copy);
      return sent === request ? undefined : sent;
    },
  };
}
