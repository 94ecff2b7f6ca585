/**
 * The typed low-level Atlas client: openapi-fetch over the generated `paths`, with input checks
 * and HTTP Digest authentication installed.
 *
 * @module
 */
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../gen/atlas.ts";
import { digestAuth } from "../digest/middleware.ts";
import { atlasGuard } from "./_middleware.ts";
import { checkTransport } from "./_validate.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";

/**
 * The Atlas Administration API v1.0 base URL, the default `baseUrl`.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_ATLAS_BASE_URL } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_ATLAS_BASE_URL, "https://cloud.mongodb.com/api/atlas/v1.0");
 * ```
 */
export const DEFAULT_ATLAS_BASE_URL: string = "https://cloud.mongodb.com/api/atlas/v1.0";

/**
 * This package's version, sent in the default `User-Agent`.
 *
 * @example Usage
 * ```ts
 * import { VERSION } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.match(VERSION, /^\d+\.\d+\.\d+/);
 * ```
 */
export const VERSION: string = "0.1.0";

/**
 * The `User-Agent` sent unless {@linkcode AtlasClientOptions.userAgent} says otherwise.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_USER_AGENT, VERSION } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_USER_AGENT, `atlas-private-endpoint/${VERSION}`);
 * ```
 */
export const DEFAULT_USER_AGENT: string = `atlas-private-endpoint/${VERSION}`;

/** Options of {@linkcode createAtlasClient}. */
export interface AtlasClientOptions {
  /** The API key's public key: the Digest user name. */
  publicKey: string;
  /** The API key's private key: the Digest password. Never logged, never in errors. */
  privateKey: string;
  /** The API base URL. Default {@linkcode DEFAULT_ATLAS_BASE_URL}. */
  baseUrl?: string | undefined;
  /** The fetch to send requests with, e.g. a simulator's `fetch`. Default `globalThis.fetch`. */
  fetch?: ((request: Request) => Response | Promise<Response>) | undefined;
  /** The `User-Agent` header. Default {@linkcode DEFAULT_USER_AGENT}. */
  userAgent?: string | undefined;
  /**
   * Allows a plain-http `baseUrl` on a host that is not loopback. Default false: Digest does not
   * encrypt anything, so plain http is only accepted for 127.0.0.0/8, `[::1]` and `localhost`.
   */
  allowInsecureHttp?: boolean | undefined;
}

/**
 * The typed Atlas client: an openapi-fetch `Client` over the generated `paths` of `spec/`, with
 * `GET`, `POST` and `DELETE` methods that resolve to `{ data, error, response }`, and `use()` to
 * add middleware.
 *
 * (Tagged internal only so that `deno doc --lint` does not descend into openapi-fetch's own,
 * partly undocumented declarations; it is public and stable.)
 *
 * @internal
 */
export type AtlasClient = Client<paths>;

/**
 * Creates a typed Atlas client with Digest authentication installed.
 *
 * Every call is checked before it is sent (ids' formats, the provider, the body's shape for that
 * provider, the URL's scheme) and rejected with an {@linkcode AtlasValidationError}; Azure
 * resource ids in paths are percent-encoded into one segment; `envelope=true` responses are
 * unwrapped; endpoints always carry `cloudProvider`. Atlas errors are returned, not thrown, as
 * openapi-fetch does; the high-level functions such as {@linkcode createPrivateEndpoint} throw
 * them as {@linkcode AtlasApiError}.
 *
 * @param options Credentials, and optionally the base URL, a fetch, a User-Agent.
 * @returns The client.
 * @throws {AtlasValidationError} When an option is invalid (e.g. an http `baseUrl` that is not
 * loopback).
 *
 * @example Create an AWS endpoint with the low-level client
 * ```ts
 * import { createAtlasClient } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const seen: string[] = [];
 * const atlas = createAtlasClient({
 *   publicKey: "abcdefgh",
 *   privateKey: "00000000-0000-0000-0000-000000000000",
 *   fetch: async (request) => {
 *     seen.push(`${request.method} ${new URL(request.url).pathname}`);
 *     const body = await request.json();
 *     return Response.json({ interfaceEndpointId: body.id, connectionStatus: "PENDING_ACCEPTANCE" });
 *   },
 * });
 * const { data, error } = await atlas.POST(
 *   "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint",
 *   {
 *     params: {
 *       path: {
 *         groupId: "32b6e34b3d91647abb20e7b8",
 *         cloudProvider: "AWS",
 *         endpointServiceId: "5f4fc14da2b47835a58c63a2",
 *       },
 *     },
 *     body: { id: "vpce-0123456789abcdef0" },
 *   },
 * );
 * assert.equal(error, undefined);
 * assert.equal(data?.cloudProvider, "AWS"); // filled in from the path
 * assert.deepEqual(seen, [
 *   "POST /api/atlas/v1.0/groups/32b6e34b3d91647abb20e7b8/privateEndpoint/AWS/endpointService/5f4fc14da2b47835a58c63a2/endpoint",
 * ]);
 * ```
 */
export function createAtlasClient(options: AtlasClientOptions): AtlasClient {
  const action = "Cannot create Atlas client";
  const invalid = (field: string, rule: string): never => {
    throw new AtlasValidationError(`${action}: ${field} ${rule}`, { field });
  };
  if (typeof options !== "object" || options === null) invalid("options", "must be an object");
  if (typeof options.publicKey !== "string" || options.publicKey === "") {
    invalid("publicKey", "must be a non-empty string");
  }
  if (typeof options.privateKey !== "string" || options.privateKey === "") {
    invalid("privateKey", "must be a non-empty string");
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    invalid("fetch", "must be a function");
  }
  if (
    options.userAgent !== undefined &&
    (typeof options.userAgent !== "string" || /[\r\n]/.test(options.userAgent))
  ) {
    invalid("userAgent", "must be a single-line string");
  }
  const baseUrl = options.baseUrl ?? DEFAULT_ATLAS_BASE_URL;
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    invalid("baseUrl", "must be an absolute URL");
  }
  const allowInsecureHttp = options.allowInsecureHttp === true;
  checkTransport(action, "baseUrl", url!, allowInsecureHttp);
  if (url!.search !== "" || url!.hash !== "") {
    invalid("baseUrl", "must not have a query or fragment");
  }

  const customFetch = options.fetch;
  const client = createClient<paths>({
    baseUrl,
    headers: {
      "Accept": "application/json",
      "User-Agent": options.userAgent ?? DEFAULT_USER_AGENT,
    },
    ...(customFetch === undefined
      ? {}
      : { fetch: async (request: Request) => await customFetch(request) }),
  });
  client.use(atlasGuard({ allowInsecureHttp }));
  // Last, so that it signs the final request and is the first to see a 401 challenge.
  client.use(digestAuth({ username: options.publicKey, password: options.privateKey }));
  return client;
}
