// The Digest `response` value (RFC 7616 §3.4.1-3.4.3, RFC 2617, RFC 2069), shared by the client
// and by the simulator's verifier so both sides compute it one way.
import { type BaseHash, type BytesHash, hashHex } from "./_hash.ts";

/** Digest algorithms this package implements. */
export type DigestAlgorithm =
  | "MD5"
  | "MD5-sess"
  | "SHA-256"
  | "SHA-256-sess"
  | "SHA-512-256"
  | "SHA-512-256-sess";

/** Quality of protection: `auth`, `auth-int`, or none (RFC 2069 form). */
export type DigestQop = "auth" | "auth-int" | undefined;

const ALGORITHMS: Record<string, DigestAlgorithm> = {
  "md5": "MD5",
  "md5-sess": "MD5-sess",
  "sha-256": "SHA-256",
  "sha-256-sess": "SHA-256-sess",
  "sha-512-256": "SHA-512-256",
  "sha-512-256-sess": "SHA-512-256-sess",
};

/** The canonical name of an algorithm token (any case), or undefined when unsupported. */
export function canonicalAlgorithm(token: string): DigestAlgorithm | undefined {
  return ALGORITHMS[token.toLowerCase()];
}

/** The base hash of an algorithm. */
export function baseHashOf(algorithm: DigestAlgorithm): BaseHash {
  return algorithm.replace(/-sess$/, "") as BaseHash;
}

/** Everything that goes into a Digest response. */
export interface DigestInput {
  algorithm: DigestAlgorithm;
  qop: DigestQop;
  username: string;
  password: string;
  realm: string;
  nonce: string;
  /** Required with a qop or a -sess algorithm. */
  cnonce?: string;
  /** 8 lowercase hex digits; required with a qop. */
  nc?: string;
  method: string;
  /** The request target exactly as sent (path and query). */
  uri: string;
  /** The entity body bytes, for qop `auth-int`. */
  body?: Uint8Array;
  /** SHA-512/256, for the SHA-512-256 algorithms. */
  // deno-lint-ignore camelcase
  sha512_256?: BytesHash;
}

/** Computes the hex `response` of RFC 7616 §3.4.1. */
export async function computeDigestResponse(input: DigestInput): Promise<string> {
  const base = baseHashOf(input.algorithm);
  const h = (data: string | Uint8Array) => hashHex(base, data, input.sha512_256);
  let ha1 = await h(`${input.username}:${input.realm}:${input.password}`);
  if (input.algorithm.endsWith("-sess")) {
    ha1 = await h(`${ha1}:${input.nonce}:${input.cnonce ?? ""}`);
  }
  const a2 = input.qop === "auth-int"
    ? `${input.method}:${input.uri}:${await h(input.body ?? new Uint8Array())}`
    : `${input.method}:${input.uri}`;
  const ha2 = await h(a2);
  if (input.qop === undefined) return await h(`${ha1}:${input.nonce}:${ha2}`);
  return await h(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`);
}

/** The hashed username of RFC 7616 §3.4.4: `H(username ":" realm)`. */
export function hashUsername(
  algorithm: DigestAlgorithm,
  username: string,
  realm: string,
  // deno-lint-ignore camelcase
  sha512_256?: BytesHash,
): Promise<string> {
  return hashHex(baseHashOf(algorithm), `${username}:${realm}`, sha512_256);
}
