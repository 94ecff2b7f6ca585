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
export * from "./src/atlas/atlas_api_error.ts";
export * from "./src/atlas/atlas_timeout_error.ts";
export * from "./src/atlas/atlas_validation_error.ts";
export * from "./src/atlas/client.ts";
export * from "./src/atlas/endpoint.ts";
export * from "./src/atlas/operations.ts";
export * from "./src/atlas/private_endpoint_failed_error.ts";
export * from "./src/atlas/types.ts";
export * from "./src/atlas/wait.ts";
