// Hash functions for HTTP Digest (RFC 7616 §3.2): MD5 from @noble/hashes (no runtime has it in
// Web Crypto), SHA-256 through Web Crypto, SHA-512/256 only when the caller supplies it.
import { md5 } from "@noble/hashes/legacy.js";

/** A synchronous hash over bytes, such as `sha512_256` from `@noble/hashes/sha2.js`. */
export type BytesHash = (data: Uint8Array) => Uint8Array;

/** The base hash of a Digest algorithm, without its `-sess` suffix. */
export type BaseHash = "MD5" | "SHA-256" | "SHA-512-256";

const HEX = /* @__PURE__ */ Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
/** Character codes of the hex being built (reused: only the result string is allocated). */
const codes: number[] = [];

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  // In chunks, to stay within the argument limit of String.fromCharCode.
  for (let start = 0; start < bytes.length; start += 4096) {
    const end = Math.min(bytes.length, start + 4096);
    codes.length = (end - start) * 2;
    for (let i = start, j = 0; i < end; i++) {
      const byte = bytes[i]!;
      codes[j++] = HEX[byte >> 4]!;
      codes[j++] = HEX[byte & 15]!;
    }
    out += String.fromCharCode.apply(null, codes);
  }
  return out;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(512);

/**
 * The bytes of a string, or the bytes themselves. Strings here are ByteStrings, as header values
 * are: each char code is one byte, so a realm or nonce is hashed over the bytes the server sent
 * (user text goes through {@linkcode utf8ByteString} first). A string with a char above 0xFF is
 * no ByteString and is encoded as UTF-8. A string is written into a buffer shared by all calls:
 * use the bytes before the next call (every hash here reads its input at once).
 */
export function toBytes(data: string | Uint8Array): Uint8Array {
  if (typeof data !== "string") return data;
  const length = data.length;
  if (length * 3 > scratch.length) scratch = new Uint8Array(length * 3);
  for (let i = 0; i < length; i++) {
    const code = data.charCodeAt(i);
    if (code > 0xff) return scratch.subarray(0, encoder.encodeInto(data, scratch).written);
    scratch[i] = code;
  }
  return scratch.subarray(0, length);
}

/** User text (a username, a password) as the ByteString of its UTF-8 bytes. */
export function utf8ByteString(text: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let out = "";
  for (const byte of encoder.encode(text)) out += String.fromCharCode(byte);
  return out;
}

// MD5 runs on one reused instance (the work of one hash, without allocating a new one each time).
// Marked pure so that a bundle that never hashes (a service-account Worker) drops MD5 again.
const md5Fresh = /* @__PURE__ */ md5.create();
const md5Work = /* @__PURE__ */ md5.create();
const md5Out = new Uint8Array(16);

/** An MD5 state part way through an input (see {@linkcode md5Prefix}). */
export type Md5State = ReturnType<typeof md5.create>;

/**
 * The MD5 state after `head`: an input whose head repeats from one request to the next
 * (`H(A1):nonce:`) is then hashed from there, tail only ({@linkcode md5HexFrom}).
 */
export function md5Prefix(head: string): Md5State {
  return md5.create().update(toBytes(head));
}

/** Hex MD5 of the input that `state` began, continued with `tail`. */
export function md5HexFrom(state: Md5State, tail: string | Uint8Array): string {
  state._cloneInto(md5Work);
  md5Work.update(toBytes(tail));
  md5Work.digestInto(md5Out);
  return toHex(md5Out);
}

/**
 * Hex digest of `data` with the given base hash: at once for MD5 and SHA-512-256, a promise for
 * SHA-256 (Web Crypto). `sha512_256` must be given for SHA-512-256: callers check that before they
 * get here (selectChallenge, the verifier's options).
 */
export function hashHex(
  base: BaseHash,
  data: string | Uint8Array,
  // deno-lint-ignore camelcase
  sha512_256?: BytesHash,
): string | Promise<string> {
  if (base === "MD5") return md5HexFrom(md5Fresh, data);
  const bytes = toBytes(data) as Uint8Array<ArrayBuffer>;
  if (base === "SHA-256") {
    return crypto.subtle.digest(base, bytes.slice()).then((d) => toHex(new Uint8Array(d)));
  }
  return toHex(sha512_256!(bytes));
}

/**
 * The steps of a Digest computation: yields what to hash, receives its hex digest, returns the
 * result. One description, run at once for MD5 and SHA-512-256, or through Web Crypto's promises.
 */
export type HashSteps<T> = Generator<string | Uint8Array, T, string>;

/** Runs hash steps with one base hash: synchronously unless it is SHA-256. */
export function runHashSteps<T>(
  base: BaseHash,
  steps: HashSteps<T>,
  // deno-lint-ignore camelcase
  sha512_256?: BytesHash,
): T | Promise<T> {
  let step = steps.next();
  if (base !== "SHA-256") {
    while (!step.done) step = steps.next(hashHex(base, step.value, sha512_256) as string);
    return step.value;
  }
  return (async () => {
    while (!step.done) step = steps.next(await hashHex(base, step.value));
    return step.value;
  })();
}

const POOL = 512;
let pool = new Uint8Array(0);
let poolAt = 0;

/** Random bytes as lower-case hex, from `crypto.getRandomValues` (drawn in blocks). */
export function randomHex(byteLength: number): string {
  if (byteLength > POOL) return toHex(crypto.getRandomValues(new Uint8Array(byteLength)));
  if (poolAt + byteLength > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL));
    poolAt = 0;
  }
  const bytes = pool.subarray(poolAt, poolAt += byteLength);
  const hex = toHex(bytes);
  bytes.fill(0);
  return hex;
}

/** Two hex digits per byte value. */
const HEX_PAIRS = /* @__PURE__ */ Array.from(
  { length: 256 },
  (_, i) => (i + 256).toString(16).slice(1),
);

/** A nonce count as Digest sends it: 8 lower-case hex digits. */
export function ncHex(nc: number): string {
  return HEX_PAIRS[(nc >>> 24) & 255]! + HEX_PAIRS[(nc >>> 16) & 255]! +
    HEX_PAIRS[(nc >>> 8) & 255]! + HEX_PAIRS[nc & 255]!;
}

/** Client nonces yet to use: the hex of 4 KB of random bytes, 32 digits taken at a time. */
let cnonces = "";
let cnonceAt = 0;

/**
 * A client nonce: 32 random hex digits (128 bits) from `crypto.getRandomValues`. A cnonce travels
 * in the clear, so it is drawn from a pool made once per 128 of them; never use it for a secret
 * (see {@linkcode randomHex}).
 */
export function cnonceHex(): string {
  if (cnonceAt + 32 > cnonces.length) {
    cnonces = toHex(crypto.getRandomValues(new Uint8Array(4096)));
    cnonceAt = 0;
  }
  return cnonces.slice(cnonceAt, cnonceAt += 32);
}
