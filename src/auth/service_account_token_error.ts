/**
 * The error thrown when a service account token cannot be obtained.
 *
 * @module
 */

/**
 * Why a service account token could not be obtained.
 *
 * @example A wrong secret, against the simulator
 * ```ts
 * import {
 *   createAtlasClient,
 *   getPrivateEndpoint,
 *   ServiceAccountTokenError,
 *   type ServiceAccountTokenErrorCode,
 * } from "@atlas-edge/private-endpoint";
 * import {
 *   createAtlasSimulator,
 *   DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
 * } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const atlas = createAtlasClient({
 *   clientId: DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientId,
 *   clientSecret: "mdb_sa_sk_wrong",
 *   baseUrl: `http://127.0.0.1${simulator.basePath}`,
 *   fetch: simulator.fetch,
 * });
 * let code: ServiceAccountTokenErrorCode | undefined;
 * try {
 *   await getPrivateEndpoint(atlas, {
 *     groupId,
 *     endpointServiceId,
 *     cloudProvider: "AWS",
 *     endpointId: "vpce-0123456789abcdef0",
 *   });
 * } catch (error) {
 *   if (error instanceof ServiceAccountTokenError) code = error.code;
 * }
 * assert.equal(code, "CREDENTIALS_REJECTED");
 * ```
 */
export type ServiceAccountTokenErrorCode =
  /** The token endpoint rejected the client id and secret (401 or 400 `invalid_client`). */
  | "CREDENTIALS_REJECTED"
  /** The token endpoint answered with another error status. */
  | "TOKEN_ENDPOINT_ERROR"
  /** The token endpoint answered 2xx, but not with a usable bearer token. */
  | "INVALID_TOKEN_RESPONSE"
  /** The token endpoint could not be reached, or did not answer in time. */
  | "NETWORK_ERROR";

/**
 * Options of {@linkcode ServiceAccountTokenError}.
 *
 * @example A network failure, with a detail
 * ```ts
 * import { ServiceAccountTokenError, type ServiceAccountTokenErrorOptions } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const options: ServiceAccountTokenErrorOptions = {
 *   code: "NETWORK_ERROR",
 *   tokenUrl: "https://cloud.mongodb.com/api/oauth/token",
 *   detail: "no response within 30000 ms",
 * };
 * const error = new ServiceAccountTokenError(options);
 * assert.equal(
 *   error.message,
 *   "Cannot obtain service account token: the token endpoint could not be reached: no response within 30000 ms (POST https://cloud.mongodb.com/api/oauth/token)",
 * );
 * assert.equal(error.status, undefined);
 * ```
 */
export interface ServiceAccountTokenErrorOptions {
  /** Why the token could not be obtained. */
  code: ServiceAccountTokenErrorCode;
  /** The token endpoint's URL. */
  tokenUrl: string;
  /** The HTTP status of the token endpoint's answer, when there was one. */
  status?: number | undefined;
  /** The OAuth 2.0 `error` of the answer (RFC 6749 §5.2), e.g. `invalid_client`. */
  oauthError?: string | undefined;
  /** The OAuth 2.0 `error_description` of the answer, when there was one. */
  oauthErrorDescription?: string | undefined;
  /** More about an invalid answer or a network failure (never a secret or a token). */
  detail?: string | undefined;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Thrown when a service account's access token cannot be obtained from the token endpoint:
 * rejected credentials (e.g. a revoked secret), another error status, an answer without a usable
 * token, or a network failure.
 *
 * The message names the action and the token URL, e.g.
 * `Cannot obtain service account token: 401 invalid_client: Invalid client credentials (POST https://cloud.mongodb.com/api/oauth/token)`.
 * It never contains the client secret or a token.
 *
 * @example Usage
 * ```ts
 * import { ServiceAccountTokenError } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const error = new ServiceAccountTokenError({
 *   code: "CREDENTIALS_REJECTED",
 *   tokenUrl: "https://cloud.mongodb.com/api/oauth/token",
 *   status: 401,
 *   oauthError: "invalid_client",
 * });
 * assert.equal(error.name, "ServiceAccountTokenError");
 * assert.equal(
 *   error.message,
 *   "Cannot obtain service account token: 401 invalid_client (POST https://cloud.mongodb.com/api/oauth/token)",
 * );
 * ```
 */
export class ServiceAccountTokenError extends Error {
  /** Always `"ServiceAccountTokenError"`, also across realms. */
  override readonly name: "ServiceAccountTokenError" = "ServiceAccountTokenError" as const;
  /** Why the token could not be obtained. */
  readonly code: ServiceAccountTokenErrorCode;
  /** The token endpoint's URL. */
  readonly tokenUrl: string;
  /** The HTTP status of the token endpoint's answer, when there was one. */
  readonly status: number | undefined;
  /** The OAuth 2.0 `error` of the answer, e.g. `invalid_client`. */
  readonly oauthError: string | undefined;
  /** The OAuth 2.0 `error_description` of the answer. */
  readonly oauthErrorDescription: string | undefined;

  /**
   * Creates a ServiceAccountTokenError; the message is built from the options.
   *
   * @param options The reason and the token endpoint's answer.
   */
  constructor(options: ServiceAccountTokenErrorOptions) {
    const parts = [
      options.status === undefined ? undefined : String(options.status),
      options.oauthError,
    ].filter((part) => part !== undefined && part !== "");
    const fromServer = options.code === "CREDENTIALS_REJECTED" ||
      options.code === "TOKEN_ENDPOINT_ERROR";
    const what = fromServer && parts.length > 0 ? parts.join(" ") : REASONS[options.code];
    const more = options.oauthErrorDescription ?? options.detail;
    const detail = more ? `: ${more}` : "";
    super(
      `Cannot obtain service account token: ${what}${detail} (POST ${options.tokenUrl})`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = options.code;
    this.tokenUrl = options.tokenUrl;
    this.status = options.status;
    this.oauthError = options.oauthError;
    this.oauthErrorDescription = options.oauthErrorDescription;
  }
}

const REASONS: Readonly<Record<ServiceAccountTokenErrorCode, string>> = {
  CREDENTIALS_REJECTED: "the client id and secret were rejected",
  TOKEN_ENDPOINT_ERROR: "the token endpoint answered with an error",
  INVALID_TOKEN_RESPONSE: "the answer holds no usable bearer token",
  NETWORK_ERROR: "the token endpoint could not be reached",
};
