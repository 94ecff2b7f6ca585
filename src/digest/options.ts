/**
 * Options of the HTTP Digest client (`digestAuth` and `createDigestFetch`).
 *
 * @module
 */
/**
 * Options of `digestAuth` and `createDigestFetch`. Checked when the middleware
 * or wrapper is created: an empty username or password is a `TypeError`.
 *
 * @example Options with SHA-512-256 enabled
 * ```ts
 * import type { DigestAuthOptions } from "@atlas-edge/private-endpoint";
 * import { sha512_256 } from "@noble/hashes/sha2.js";
 * import assert from "node:assert/strict";
 *
 * const options: DigestAuthOptions = { username: "public-key", password: "private-key", sha512_256 };
 * assert.equal(typeof options.sha512_256, "function");
 * ```
 */
export interface DigestAuthOptions {
  /** The user name; for Atlas, the API key's public key. */
  username: string;
  /** The password; for Atlas, the API key's private key. Never logged or put in an error. */
  password: string;
  /**
   * SHA-512/256, for servers that ask for `SHA-512-256` or `SHA-512-256-sess`: pass `sha512_256`
   * from `@noble/hashes/sha2.js`. Left out by default to keep bundles small (the SHA-512 code is
   * about 2 KB gzipped); a server that offers only SHA-512-256 then gets a `DigestAuthError`
   * (`UNSUPPORTED_CHALLENGE`) that names this option.
   */
  // deno-lint-ignore camelcase
  sha512_256?: (data: Uint8Array) => Uint8Array;
  /**
   * The largest number of nonces (lanes) kept per origin for servers that check `nc` strictly in
   * order (each carries one request at a time there; about 0.5 KB each); further requests wait
   * for a free one. Lanes are built only by requests the server already rejected, so the burst
   * that shows an origin to be strict costs at most two round trips per request, and every later
   * request one.
   * @default {32}
   */
  maxNonces?: number;
}
