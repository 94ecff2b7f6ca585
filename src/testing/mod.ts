/**
 * Test helpers for code that uses `@atlas-edge/private-endpoint`, shipped for your own tests:
 *
 * - {@linkcode createAtlasSimulator}: an embedded Atlas Administration API for private endpoints
 *   (strict Digest as Atlas announces it, AWS/Azure/GCP life cycles on a controllable clock,
 *   Atlas-shaped errors, `pretty` and `envelope`, fault injection, a request log). It is a fetch
 *   handler: pass it as the client's `fetch`, serve it with {@linkcode serve}, or export it from a
 *   Worker.
 * - {@linkcode createDigestVerifier} and {@linkcode createDigestTestServer}: a strict server-side
 *   HTTP Digest (RFC 7616) verifier, to test any Digest client.
 * - {@linkcode serve}: runs a fetch handler on a loopback port in Deno, Node and Bun.
 *
 * @example Run the simulator on a loopback port and talk to it with the client
 * ```ts
 * import { createAtlasClient, createPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import {
 *   createAtlasSimulator,
 *   DEFAULT_SIMULATOR_API_KEY,
 *   serve,
 * } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 }); // endpoints settle at once
 * const { groupId, AZURE: endpointServiceId } = simulator.seed();
 * const server = await serve(simulator.fetch);
 * try {
 *   const client = createAtlasClient({
 *     ...DEFAULT_SIMULATOR_API_KEY,
 *     baseUrl: `${server.url}${simulator.basePath}`,
 *   });
 *   const endpoint = await createPrivateEndpoint(client, {
 *     groupId,
 *     endpointServiceId,
 *     cloudProvider: "AZURE",
 *     id: "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe1",
 *     privateEndpointIPAddress: "10.0.0.4",
 *   });
 *   assert.equal(endpoint.cloudProvider, "AZURE");
 *   assert.equal(simulator.listEndpoints()[0]!.status, "AVAILABLE");
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
