/**
 * Create and manage MongoDB Atlas private endpoints from TypeScript, on Deno, Node, Bun and
 * Cloudflare Workers: a typed client for the Atlas Administration API, and a correct, fast
 * HTTP Digest (RFC 7616) client as an openapi-fetch middleware.
 *
 * @example Authenticate any fetch with Digest
 * ```ts
 * import { DigestAuthError } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new DigestAuthError("x", { code: "NO_DIGEST_CHALLENGE" }).name, "DigestAuthError");
 * ```
 *
 * @module
 */
export * from "./src/digest/digest_auth_error.ts";
export * from "./src/digest/fetch.ts";
export * from "./src/digest/middleware.ts";
export * from "./src/digest/options.ts";
