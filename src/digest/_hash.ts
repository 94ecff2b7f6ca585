// Hash functions for HTTP Digest (RFC 7616 §3.2): MD5 from @noble/hashes (no runtime has it in
// Web Crypto), SHA-256 through Web Crypto, SHA-512/256 only when the caller supplies it.
import { md5 } from "@noble/hashes/legacy.js";

/** A synchronous hash over bytes, such as `sha512_256` from `@noble/hashes/sha2.js`. */
export type BytesHash = (data: Uint8Array) => Uint8Array;

/** The base hash of a Digest algorithm, without its `-sess` suffix. */
export type BaseHash = "MD5" | "SHA-256" | "SHA-512-256";

const HEX = Array.from({ length: 256 }, (_, i) => (i | 256).toString(16).slice(1));

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += HEX[byte];
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

/**
 * Hex digest of `data` with the given base hash. `sha512_256` must be given for SHA-512-256:
 * callers check that before they get here (selectChallenge, the verifier's options).
 */
export async function hashHex(
  base: BaseHash,
  data: string | Uint8Array,
  // deno-lint-ignore camelcase
  sha512_256?: BytesHash,
): Promise<string> {
  const bytes = toBytes(data) as Uint8Array<ArrayBuffer>;
  if (base === "SHA-256") {
    return toHex(new Uint8Array(await crypto.subtle.digest(base, bytes.slice())));
  }
  return toHex((base === "MD5" ? md5 : sha512_256!)(bytes));
}

/** Random bytes as lower-case hex, from `crypto.getRandomValues`. */
export function randomHex(byteLength: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(byteLength)));
}
