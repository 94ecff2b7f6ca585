// Hash functions for HTTP Digest (RFC 7616 §3.2): MD5 from @noble/hashes (no runtime has it in
// Web Crypto), SHA-256 through Web Crypto, SHA-512/256 only when the caller supplies it.
import { md5 } from "@noble/hashes/legacy.js";

/** A synchronous hash over bytes, such as `sha512_256` from `@noble/hashes/sha2.js`. */
export type BytesHash = (data: Uint8Array) => Uint8Array;

/** The base hash of a Digest algorithm, without its `-sess` suffix. */
export type BaseHash = "MD5" | "SHA-256" | "SHA-512-256";

const encoder = new TextEncoder();

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    out += (bytes[i]! < 16 ? "0" : "") + bytes[i]!.toString(16);
  }
  return out;
}

/** UTF-8 bytes of a string, or the bytes themselves. */
export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data;
}

/**
 * Hex digest of `data` with the given base hash. `sha512_256` must be given for SHA-512-256;
 * callers check that before they get here.
 */
export async function hashHex(
  base: BaseHash,
  data: string | Uint8Array,
  // deno-lint-ignore camelcase
  sha512_256?: BytesHash,
): Promise<string> {
  const bytes = toBytes(data);
  switch (base) {
    case "MD5":
      return toHex(md5(bytes));
    case "SHA-256":
      return toHex(
        new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)),
      );
    case "SHA-512-256":
      if (!sha512_256) throw new TypeError("Cannot hash with SHA-512-256: no implementation given");
      return toHex(sha512_256(bytes));
  }
}

/** Random bytes as lower-case hex, from `crypto.getRandomValues`. */
export function randomHex(byteLength: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(byteLength)));
}
