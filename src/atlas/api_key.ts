/**
 * Authentication with an Atlas programmatic API key (HTTP Digest).
 *
 * @module
 */
import { createDigestMiddleware } from "../digest/_middleware.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";
import type { AtlasAuth } from "./auth.ts";

/**
 * An Atlas programmatic API key, as the `auth` of {@linkcode atlasClient} or
 * `createAtlasClient`: every request is authenticated with HTTP Digest (RFC 7616, MD5 as Atlas
 * asks), one round trip per request once a nonce is known. Bundles the Digest engine and not the
 * service account code.
 *
 * @param publicKey The API key's public key: the Digest user name.
 * @param privateKey The API key's private key: the Digest password. Never logged, never in errors.
 * @returns The authentication, for `auth`.
 * @throws {AtlasValidationError} When a key is not a non-empty string.
 *
 * @example In a Cloudflare Worker (here against the simulator)
 * ```ts
 * import { apiKey, atlasClient, createPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const { publicKey, privateKey } = DEFAULT_SIMULATOR_API_KEY;
 * const atlas = atlasClient({ auth: apiKey(publicKey, privateKey), fetch: simulator.fetch });
 * const endpoint = await createPrivateEndpoint(atlas, {
 *   groupId,
 *   endpointServiceId,
 *   cloudProvider: "AWS",
 *   id: "vpce-0123456789abcdef0",
 * });
 * assert.equal(endpoint.cloudProvider, "AWS");
 * assert.throws(() => apiKey("abcdefgh", ""), { name: "AtlasValidationError", field: "privateKey" });
 * ```
 */
export function apiKey(publicKey: string, privateKey: string): AtlasAuth {
  const keys = { publicKey, privateKey };
  for (const [field, value] of Object.entries(keys)) {
    if (typeof value !== "string" || value === "") {
      throw new AtlasValidationError(
        `Cannot create Atlas client: ${field} must be a non-empty string`,
        { field },
      );
    }
  }
  return {
    kind: "apiKey",
    // The client makes its requests with `redirect: "manual"` (see atlasClient): the middleware
    // follows redirects by hand, and sends each request as it is, without a copy.
    createMiddleware: () =>
      createDigestMiddleware({ username: publicKey, password: privateKey }, true),
  };
}
