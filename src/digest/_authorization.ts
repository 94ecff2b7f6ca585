// The `Authorization: Digest ...` value (RFC 7616 §3.4): quoted-string parameters with `"` and `\`
// escaped, `algorithm`, `qop` and `nc` unquoted, `algorithm` echoed only when the server sent it,
// `opaque` echoed as received, `response` last.
import type { DigestChallenge } from "./_challenge.ts";
import type { BytesHash } from "./_hash.ts";
import { computeDigestResponse, hashUsername } from "./_response.ts";

/** A quoted-string with `"` and `\` escaped. */
export function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

/** nc as 8 lowercase hex digits. */
export function formatNc(nc: number): string {
  return nc.toString(16).padStart(8, "0");
}

/** The request target as sent on the wire: path and query, no fragment. */
export function requestUri(url: URL): string {
  const rest = url.href.slice(url.origin.length);
  const hash = rest.indexOf("#");
  return hash === -1 ? rest : rest.slice(0, hash);
}

// A username that is not plain printable ASCII travels as `username*` (RFC 8187) when userhash is
// off, since a quoted-string cannot carry it reliably.
const PLAIN = /^[\x20-\x7e]*$/;
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;
const encoder = new TextEncoder();

/** RFC 8187 ext-value: `UTF-8''` and every byte outside attr-char percent-encoded. */
export function extValue(value: string): string {
  let out = "UTF-8''";
  for (const byte of encoder.encode(value)) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(c)
      ? c
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Everything that goes into one Authorization header. */
export interface AuthorizationInput {
  challenge: DigestChallenge;
  username: string;
  password: string;
  method: string;
  uri: string;
  /** The nonce count; ignored without qop. */
  nc: number;
  /** The client nonce; ignored without qop. */
  cnonce: string;
  /** The exact body bytes, for qop `auth-int`. */
  body?: Uint8Array;
  // deno-lint-ignore camelcase
  sha512_256?: BytesHash | undefined;
}

/** Builds the `Authorization` header value. */
export async function buildAuthorization(input: AuthorizationInput): Promise<string> {
  const { challenge } = input;
  const withQop = challenge.qop !== undefined;
  const nc = formatNc(input.nc);
  const response = await computeDigestResponse({
    algorithm: challenge.algorithm,
    qop: challenge.qop,
    username: input.username,
    password: input.password,
    realm: challenge.realm,
    nonce: challenge.nonce,
    cnonce: input.cnonce,
    nc,
    method: input.method,
    uri: input.uri,
    ...(input.body ? { body: input.body } : {}),
    ...(input.sha512_256 ? { sha512_256: input.sha512_256 } : {}),
  });
  const parts: string[] = [];
  if (challenge.userhash) {
    const hashed = await hashUsername(
      challenge.algorithm,
      input.username,
      challenge.realm,
      input.sha512_256,
    );
    parts.push(`username=${quote(hashed)}`);
  } else if (PLAIN.test(input.username)) {
    parts.push(`username=${quote(input.username)}`);
  } else {
    parts.push(`username*=${extValue(input.username)}`);
  }
  parts.push(
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(input.uri)}`,
  );
  if (challenge.algorithmToken !== undefined) parts.push(`algorithm=${challenge.algorithmToken}`);
  if (withQop) {
    parts.push(`qop=${challenge.qop}`, `nc=${nc}`, `cnonce=${quote(input.cnonce)}`);
  }
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  if (challenge.userhash) parts.push("userhash=true");
  parts.push(`response=${quote(response)}`);
  return `Digest ${parts.join(", ")}`;
}
