/**
 * Test helpers for code that uses `@atlas-edge/private-endpoint`: a strict HTTP Digest verifier and
 * test server, and a loopback `serve()` that runs any fetch handler on Deno, Node and Bun.
 *
 * @example Serve a strict Digest test server on a loopback port
 * ```ts
 * import { createDigestTestServer, serve } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const digest = createDigestTestServer({ realm: "test", credentials: { alice: "secret" } });
 * const server = await serve(digest.fetch);
 * try {
 *   const response = await fetch(`${server.url}/hello`);
 *   assert.equal(response.status, 401);
 *   assert.match(response.headers.get("www-authenticate")!, /^Digest realm="test"/);
 *   await response.body?.cancel();
 * } finally {
 *   await server.close();
 * }
 * ```
 *
 * @module
 */
export * from "./atlas_simulator.ts";
export * from "./digest_verifier.ts";
export * from "./serve.ts";
