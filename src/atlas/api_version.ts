/**
 * The Atlas Administration API versions this client speaks, and the deprecation notices Atlas
 * sends about them.
 *
 * @module
 */

/**
 * An Atlas Administration API version: `"v1.0"` (legacy, under `/api/atlas/v1.0`, plain
 * `application/json`) or `"2023-01-01"` (the v2 API under `/api/atlas/v2`, selected with the
 * media type `application/vnd.atlas.2023-01-01+json`).
 */
export type AtlasApiVersion = "v1.0" | "2023-01-01";

/**
 * Every {@linkcode AtlasApiVersion}, oldest first.
 *
 * @example Usage
 * ```ts
 * import { ATLAS_API_VERSIONS } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(ATLAS_API_VERSIONS, ["v1.0", "2023-01-01"]);
 * ```
 */
export const ATLAS_API_VERSIONS: readonly AtlasApiVersion[] = /* @__PURE__ */ Object.freeze(
  [
    "v1.0",
    "2023-01-01",
  ] as const,
);

/**
 * The Atlas Administration API v2 base URL, the default `baseUrl` with `apiVersion: "2023-01-01"`.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_ATLAS_V2_BASE_URL } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_ATLAS_V2_BASE_URL, "https://cloud.mongodb.com/api/atlas/v2");
 * ```
 */
export const DEFAULT_ATLAS_V2_BASE_URL: string = "https://cloud.mongodb.com/api/atlas/v2";

/**
 * The media type of a v2 API version, sent in `Accept` (and `Content-Type` with a body); for
 * `"v1.0"`, `application/json`.
 *
 * @param version The API version.
 * @returns The media type.
 *
 * @example Usage
 * ```ts
 * import { atlasMediaType } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(atlasMediaType("2023-01-01"), "application/vnd.atlas.2023-01-01+json");
 * assert.equal(atlasMediaType("v1.0"), "application/json");
 * ```
 */
export function atlasMediaType(version: AtlasApiVersion): string {
  return version === "v1.0" ? "application/json" : `application/vnd.atlas.${version}+json`;
}

/**
 * What Atlas said about the deprecation of the API version a client uses, from the `Deprecation`
 * (RFC 9745) and `Sunset` (RFC 8594) response headers; given to
 * `AtlasClientOptions.onDeprecation`.
 */
export interface AtlasDeprecationNotice {
  /** The API version the client asked for. */
  apiVersion: AtlasApiVersion;
  /** The raw `Deprecation` header, or undefined when only `Sunset` was sent. */
  deprecation: string | undefined;
  /** When the version was (or will be) deprecated, when the header gave a date. */
  deprecatedAt: Date | undefined;
  /** When the version stops being served (then requests get 410), when `Sunset` gave a date. */
  sunset: Date | undefined;
  /** The raw `Sunset` header, if any. */
  sunsetHeader: string | undefined;
  /** The `Link` with `rel="deprecation"` or `rel="sunset"`, if any: where to read more. */
  link: string | undefined;
  /** The method of the request whose answer carried the headers. */
  method: string;
  /** The URL of that request. */
  url: string;
}
