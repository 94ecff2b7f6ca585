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

/**
 * A hash input whose head repeats from one request to the next (`H(A1):nonce:`): MD5 keeps its
 * state after the head, per `owner` (the challenge), and hashes only the tail each time.
 */
export class Split {
  declare readonly owner: object;
  declare readonly head: string;
  declare readonly tail: string;
  constructor(owner: object, head: string, tail: string) {
    this.owner = owner;
    this.head = head;
    this.tail = tail;
  }
}

type Md5 = ReturnType<typeof md5.create>;
/** MD5 states after a Split's head, per owner: they live as long as the challenge. */
const heads = new WeakMap<object, { head: string; state: Md5 }>();

/** The MD5 state after `split.head`, computed once per owner and head. */
function md5Head(split: Split): Md5 {
  const kept = heads.get(split.owner);
  if (kept?.head === split.head) return kept.state;
  const state = md5.create();
  state.update(toBytes(split.head));
  heads.set(split.owner, { head: split.head, state });
  return state;
}

/**
 * Hex digest of `data` with the given base hash: at once for MD5 and SHA-512-256, a promise for
 * SHA-256 (Web Crypto). `sha512_256` must be given for SHA-512-256: callers check that before they
 * get here (selectChallenge, the verifier's options).
 */
export function hashHex(
  base: BaseHash,
  data: string | Uint8Array | Split,
  // deno-lint-ignore camelcase
  sha512_256?: BytesHash,
): string | Promise<string> {
  if (data instanceof Split) {
    if (base !== "MD5") return hashHex(base, data.head + data.tail, sha512_256);
    md5Head(data)._cloneInto(md5Work);
    md5Work.update(toBytes(data.tail));
    md5Work.digestInto(md5Out);
    return toHex(md5Out);
  }
  const bytes = toBytes(data) as Uint8Array<ArrayBuffer>;
  if (base === "SHA-256") {
    return crypto.subtle.digest(base, bytes.slice()).then((d) => toHex(new Uint8Array(d)));
  }
  if (base !== "MD5") return toHex(sha512_256!(bytes));
  md5Fresh._cloneInto(md5Work);
  md5Work.update(bytes);
  md5Work.digestInto(md5Out);
  return toHex(md5Out);
}

/**
 * The steps of a Digest computation: yields what to hash, receives its hex digest, returns the
 * result. One description, run at once for MD5 and SHA-512-256, or through Web Crypto's promises.
 */
export type HashSteps<T> = Generator<string | Uint8Array | Split, T, string>;

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
