// The `Authorization: Digest ...` value (RFC 7616 §3.4): quoted-string parameters with `"` and `\`
// escaped, `algorithm`, `qop` and `nc` unquoted, `algorithm` echoed only when the server sent it,
// `opaque` echoed as received, `response` last.
import type { DigestChallenge } from "./_challenge.ts";
import { type BytesHash, type HashSteps, runHashSteps, utf8ByteString } from "./_hash.ts";
import { baseHashOf, digestResponseSteps } from "./_response.ts";

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

/** The steps of the `Authorization` header value (see {@linkcode runHashSteps}). */
export function* authorizationSteps(input: AuthorizationInput): HashSteps<string> {
  const { challenge, username, uri, cnonce } = input;
  const { realm, qop, opaque, userhash } = challenge;
  const nc = (input.nc + 0x100000000).toString(16).slice(1);
  const response = yield* digestResponseSteps({
    algorithm: challenge.algorithm,
    qop,
    username,
    password: input.password,
    ha1: input.ha1,
    realm,
    nonce: challenge.nonce,
    cnonce,
    nc,
    method: input.method,
    uri,
    body: input.body,
    owner: challenge,
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
    const algorithm = challenge.algorithmToken === undefined
      ? ""
      : `, algorithm=${challenge.algorithmToken}`;
    parts = {
      username,
      head: `${name}, realm=${quote(realm)}, nonce=${quote(challenge.nonce)}, uri=`,
      middle: qop ? `${algorithm}, qop=${qop}, nc=` : algorithm,
      tail: (opaque === undefined ? "" : `, opaque=${quote(opaque)}`) +
        (userhash ? ", userhash=true" : "") + ', response="',
    };
    partsOf.set(challenge, parts);
  }
  const counted = qop ? `${nc}, cnonce=${quote(cnonce)}` : "";
  return `${parts.head}${quote(uri)}${parts.middle}${counted}${parts.tail}${response}"`;
}

/** The constant parts of the header, per challenge (and username). */
const partsOf = new WeakMap<
  DigestChallenge,
  { username: string; head: string; middle: string; tail: string }
>();

/** Builds the `Authorization` header value. */
export async function buildAuthorization(input: AuthorizationInput): Promise<string> {
  return await runHashSteps(
    baseHashOf(input.challenge.algorithm),
    authorizationSteps(input),
    input.sha512_256,
  );
}
