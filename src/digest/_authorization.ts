// The `Authorization: Digest ...` value (RFC 7616 §3.4): quoted-string parameters with `"` and `\`
// escaped, `algorithm`, `qop` and `nc` unquoted, `algorithm` echoed only when the server sent it,
// `opaque` echoed as received, `response` last.
import type { DigestChallenge } from "./_challenge.ts";
import {
  type BytesHash,
  cnonceHex,
  type HashSteps,
  md5HexFrom,
  md5Prefix,
  type Md5State,
  ncHex,
  runHashSteps,
  utf8ByteString,
} from "./_hash.ts";
import { baseHashOf, type DigestQop, digestResponseSteps, md5Ha2 } from "./_response.ts";

/** A quoted-string with `"` and `\` escaped. */
function quote(value: string): string {
  return `"${/[\\"]/.test(value) ? value.replace(/[\\"]/g, "\\$&") : value}"`;
}

/** RFC 8187 ext-value: `UTF-8''` and every byte outside attr-char percent-encoded. */
function extValue(value: string): string {
  let out = "UTF-8''";
  for (const byte of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(byte);
    out += /[\w!#$&+\-.^`|~]/.test(c) ? c : `%${(byte | 256).toString(16).slice(1).toUpperCase()}`;
  }
  return out;
}

/** Everything that goes into one Authorization header. */
export interface AuthorizationInput {
  challenge: DigestChallenge;
  username: string;
  password: string;
  /** H(username:realm:password), when already known. */
  ha1?: string | undefined;
  method: string;
  uri: string;
  /** The nonce count; ignored without qop. */
  nc: number;
  /** The client nonce; ignored without qop. */
  cnonce: string;
  /** The exact body bytes, for qop `auth-int`. */
  body?: Uint8Array | undefined;
  // deno-lint-ignore camelcase
  sha512_256?: BytesHash | undefined;
}

/** The parts of the header that do not change from one request to the next on a nonce. */
interface Parts {
  username: string;
  head: string;
  middle: string;
  tail: string;
}

/** The constant parts of the header, per challenge (and username). */
const partsOf = new WeakMap<DigestChallenge, Parts>();

/**
 * What the warm path needs per challenge (MD5, no -sess, no auth-int): the header's constant parts
 * and the MD5 state after `H(A1):nonce:`. Module-private: the state stands for H(A1).
 */
const warmOf = new WeakMap<DigestChallenge, { username: string; parts: Parts; state: Md5State }>();

/** The header from its parts (`uri` comes quoted). */
function assemble(
  parts: Parts,
  uri: string,
  qop: DigestQop,
  nc: string,
  cnonce: string,
  response: string,
): string {
  // `cnonce` comes quoted.
  const counted = qop ? `${nc}, cnonce=${cnonce}` : "";
  return `${parts.head}${uri}${parts.middle}${counted}${parts.tail}${response}"`;
}

/** The steps of the `Authorization` header value (see {@linkcode runHashSteps}). */
export function* authorizationSteps(input: AuthorizationInput): HashSteps<string> {
  const { challenge, username, uri, cnonce, ha1 } = input;
  const { realm, qop, opaque, userhash, algorithm } = challenge;
  const nc = ncHex(input.nc);
  const response = yield* digestResponseSteps({
    algorithm,
    qop,
    username,
    password: input.password,
    ha1,
    realm,
    nonce: challenge.nonce,
    cnonce,
    nc,
    method: input.method,
    uri,
    body: input.body,
  });
  // What does not change from one request to the next on this nonce is built once.
  let parts = partsOf.get(challenge);
  if (parts?.username !== username) {
    // A username that is not plain printable ASCII travels as `username*` (RFC 8187) when
    // userhash is off, since a quoted-string cannot carry it reliably.
    const name = userhash
      ? `Digest username=${quote(yield `${utf8ByteString(username)}:${realm}`)}`
      : /^[\x20-\x7e]*$/.test(username)
      ? `Digest username=${quote(username)}`
      : `Digest username*=${extValue(username)}`;
    const algorithmPart = challenge.algorithmToken === undefined
      ? ""
      : `, algorithm=${challenge.algorithmToken}`;
    parts = {
      username,
      head: `${name}, realm=${quote(realm)}, nonce=${quote(challenge.nonce)}, uri=`,
      middle: qop ? `${algorithmPart}, qop=${qop}, nc=` : algorithmPart,
      tail: (opaque === undefined ? "" : `, opaque=${quote(opaque)}`) +
        (userhash ? ", userhash=true" : "") + ', response="',
    };
    partsOf.set(challenge, parts);
  }
  if (ha1 !== undefined && algorithm === "MD5" && qop !== "auth-int") {
    // From now on {@linkcode warmAuthorization} makes this challenge's headers at once.
    warmOf.set(challenge, { username, parts, state: md5Prefix(`${ha1}:${challenge.nonce}:`) });
  }
  return assemble(parts, quote(uri), qop, nc, quote(cnonce), response);
}

/** The request target of the last warm header: the next call often has the same. */
let last = { method: "", uri: "", ha2: "", quoted: "" };

/** H(A2) for MD5 and the quoted uri of a request target. */
function targetOf(method: string, uri: string): typeof last {
  return last = { method, uri, ha2: md5Ha2(method, uri), quoted: quote(uri) };
}

/**
 * The header at once, without steps, on the warm path: a challenge with MD5 (no -sess) and qop
 * `auth` or none, answered before by {@linkcode authorizationSteps} with H(A1) known. Undefined
 * otherwise: the steps then do the work (and prepare this for the next request).
 */
export function warmAuthorization(
  challenge: DigestChallenge,
  username: string,
  method: string,
  uri: string,
  nc: number,
): string | undefined {
  const warm = warmOf.get(challenge);
  if (warm?.username !== username) return undefined;
  const qop = challenge.qop;
  const target = last.method === method && last.uri === uri ? last : targetOf(method, uri);
  const { ha2, quoted } = target;
  const count = ncHex(nc);
  if (!qop) return assemble(warm.parts, quoted, qop, count, "", md5HexFrom(warm.state, ha2));
  // Ours, and hex: nothing in it to escape.
  const cnonce = cnonceHex();
  const response = md5HexFrom(warm.state, `${count}:${cnonce}:${qop}:${ha2}`);
  return assemble(warm.parts, quoted, qop, count, `"${cnonce}"`, response);
}

/** Builds the `Authorization` header value. */
export async function buildAuthorization(input: AuthorizationInput): Promise<string> {
  return await runHashSteps(
    baseHashOf(input.challenge.algorithm),
    authorizationSteps(input),
    input.sha512_256,
  );
}
