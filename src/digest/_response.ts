// The Digest `response` value (RFC 7616 §3.4.1-3.4.3, RFC 2617, RFC 2069), shared by the client
// and by the simulator's verifier so both sides compute it one way.
import {
  type BaseHash,
  type BytesHash,
  hashHex,
  type HashSteps,
  runHashSteps,
  utf8ByteString,
} from "./_hash.ts";

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

/** Every algorithm this package implements. */
export const ALGORITHMS: readonly DigestAlgorithm[] =
  "MD5 MD5-sess SHA-256 SHA-256-sess SHA-512-256 SHA-512-256-sess".split(" ") as DigestAlgorithm[];

/**
 * The canonical name of an algorithm token (any ASCII case), or undefined when unsupported. Only
 * ASCII letters are folded: a Unicode case mapping would take `MD5-seß` for `MD5-SESS`, and the
 * token, echoed back as sent, would then not be a token at all.
 */
export function canonicalAlgorithm(token: string): DigestAlgorithm | undefined {
  if (!/^[A-Za-z0-9-]+$/.test(token)) return undefined;
  token = token.toUpperCase().replace(/-SESS$/, "-sess");
  return ALGORITHMS.includes(token as DigestAlgorithm) ? token as DigestAlgorithm : undefined;
}

/** The base hash of an algorithm. */
export function baseHashOf(algorithm: DigestAlgorithm): BaseHash {
  return (algorithm.endsWith("-sess") ? algorithm.slice(0, -5) : algorithm) as BaseHash;
}

/** Everything that goes into a Digest response. */
export interface DigestInput {
  algorithm: DigestAlgorithm;
  qop: DigestQop;
  username: string;
  password: string;
  /** H(username:realm:password), when already known (then username and password go unused). */
  ha1?: string | undefined;
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
  body?: Uint8Array | undefined;
  /** SHA-512/256, for the SHA-512-256 algorithms. */
  // deno-lint-ignore camelcase
  sha512_256?: BytesHash | undefined;
}

/** H(A2) values (not secret) by algorithm and A2, for the next request with the same A2. */
const recent = new Map<string, string>();

/** Keeps H(A2) for `key` (algorithm and A2), a bounded number of them. */
function keep(key: string, ha2: string): string {
  if (recent.size >= 64) recent.clear();
  recent.set(key, ha2);
  return ha2;
}

/** H(A2) of `method:uri` with MD5 and qop `auth` or none, at once (kept for the next request). */
export function md5Ha2(method: string, uri: string): string {
  const a2 = `${method}:${uri}`;
  const key = "MD5" + a2;
  return recent.get(key) ?? keep(key, hashHex("MD5", a2) as string);
}

/**
 * The input of H(A1) for `username:realm:password`: the user's text as UTF-8, the realm as the
 * bytes the server sent.
 */
export function secretInput(username: string, realm: string, password: string): string {
  return `${utf8ByteString(username)}:${realm}:${utf8ByteString(password)}`;
}

/** The steps of the hex `response` of RFC 7616 §3.4.1 (see {@linkcode runHashSteps}). */
export function* digestResponseSteps(input: DigestInput): HashSteps<string> {
  const { algorithm, qop, nonce, cnonce } = input;
  let ha1 = input.ha1 ?? (yield secretInput(input.username, input.realm, input.password));
  if (algorithm.endsWith("-sess")) ha1 = yield `${ha1}:${nonce}:${cnonce ?? ""}`;
  let a2 = `${input.method}:${input.uri}`;
  if (qop === "auth-int") a2 += `:${yield input.body ?? new Uint8Array()}`;
  // H(A2) (not secret) is kept for the next request with the same A2.
  const key = algorithm + a2;
  const ha2 = recent.get(key) ?? keep(key, yield a2);
  return yield `${ha1}:${nonce}:${qop ? `${input.nc}:${cnonce}:${qop}:${ha2}` : ha2}`;
}

/** Computes the hex `response` of RFC 7616 §3.4.1. */
export async function computeDigestResponse(input: DigestInput): Promise<string> {
  return await runHashSteps(
    baseHashOf(input.algorithm),
    digestResponseSteps(input),
    input.sha512_256,
  );
}

/** The hashed username of RFC 7616 §3.4.4: `H(username ":" realm)`. */
export async function hashUsername(
  algorithm: DigestAlgorithm,
  username: string,
  realm: string,
  // deno-lint-ignore camelcase
  sha512_256?: BytesHash,
): Promise<string> {
  return await hashHex(baseHashOf(algorithm), `${utf8ByteString(username)}:${realm}`, sha512_256);
}
