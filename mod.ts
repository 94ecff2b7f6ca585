/**
 * Create and manage MongoDB Atlas private endpoints from TypeScript, on Deno, Node, Bun and
 * Cloudflare Workers.
 *
 * - {@linkcode createAtlasClient}: an openapi-fetch client typed from the OpenAPI fragment in
 *   `spec/`, for API version v1.0 or v2 (`apiVersion: "2023-01-01"`), authenticated with a
 *   service account (OAuth 2.0, {@linkcode serviceAccountAuth}) or an API key (HTTP Digest), with
 *   input checked before anything is sent.
 * - {@linkcode createPrivateEndpoint}, {@linkcode getPrivateEndpoint},
 *   {@linkcode deletePrivateEndpoint}, {@linkcode waitForPrivateEndpoint},
 *   {@linkcode ensurePrivateEndpoint}, {@linkcode listPrivateEndpoints}: the job, typed per cloud provider (AWS, AZURE, GCP), with
 *   typed errors.
 * - {@linkcode ensureEndpointService}, {@linkcode createEndpointService},
 *   {@linkcode getEndpointService}, {@linkcode listEndpointServices},
 *   {@linkcode deleteEndpointService}, {@linkcode waitForEndpointService}: the endpoint service an
 *   endpoint needs first, one per provider and region of a project.
 * - {@linkcode waitForPrivateEndpoints}: many endpoints at once, one result each, within Atlas's
 *   rate limit: every client keeps a request budget per project (its `rateLimit` option).
 * - {@linkcode digestAuth} and {@linkcode createDigestFetch}: a complete RFC 7616 Digest client,
 *   as an openapi-fetch middleware or a fetch wrapper, one round trip per request once a nonce is
 *   known.
 *
 * The embedded Atlas simulator for tests is in `@atlas-edge/private-endpoint/testing`.
 *
 * @example Create an AWS private endpoint and wait until it is available
 * ```ts
 * import {
 *   createAtlasClient,
 *   createPrivateEndpoint,
 *   privateEndpointId,
 *   privateEndpointStatus,
 *   waitForPrivateEndpoint,
 * } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * // Against real Atlas, leave out `fetch` and pass your API key pair instead.
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 *
 * const created = await createPrivateEndpoint(atlas, {
 *   groupId,
 *   endpointServiceId,
 *   cloudProvider: "AWS",
 *   id: "vpce-0123456789abcdef0",
 * });
 * const ready = await waitForPrivateEndpoint(atlas, {
 *   groupId,
 *   endpointServiceId,
 *   cloudProvider: "AWS",
 *   endpointId: privateEndpointId(created),
 * }, { pollIntervalMs: 1 });
 * assert.equal(privateEndpointStatus(ready), "AVAILABLE");
 * ```
 *
 * @module
 */
export * from "./src/digest/digest_auth_error.ts";
export * from "./src/digest/fetch.ts";
export * from "./src/digest/middleware.ts";
export * from "./src/digest/options.ts";
export * from "./src/auth/middleware.ts";
export * from "./src/auth/options.ts";
export * from "./src/auth/service_account_token_error.ts";
export * from "./src/atlas/api_key.ts";
export * from "./src/atlas/api_version.ts";
export * from "./src/atlas/atlas_api_error.ts";
export * from "./src/atlas/atlas_network_error.ts";
export * from "./src/atlas/atlas_response_too_large_error.ts";
export * from "./src/atlas/atlas_timeout_error.ts";
export * from "./src/atlas/atlas_validation_error.ts";
export * from "./src/atlas/auth.ts";
export * from "./src/atlas/client.ts";
export * from "./src/atlas/clock.ts";
export * from "./src/atlas/endpoint.ts";
export * from "./src/atlas/endpoint_service_failed_error.ts";
export * from "./src/atlas/ensure.ts";
export * from "./src/atlas/operations.ts";
export * from "./src/atlas/private_endpoint_failed_error.ts";
export * from "./src/atlas/rate_limit.ts";
export * from "./src/atlas/retry.ts";
export * from "./src/atlas/schema.ts";
export * from "./src/atlas/service_account.ts";
export * from "./src/atlas/service_endpoints.ts";
export * from "./src/atlas/services.ts";
export * from "./src/atlas/types.ts";
export * from "./src/atlas/wait.ts";
export * from "./src/atlas/wait_many.ts";
