/**
 * Authentication with an Atlas service account (OAuth 2.0 client credentials).
 *
 * @module
 */
import { serviceAccountAuth } from "../auth/middleware.ts";
import { MAX_TIMER_MS, transportProblem } from "../shared/_checks.ts";
import { checkTimeout } from "./_call.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";
import type { AtlasAuth, AtlasAuthContext, AtlasAuthMiddleware } from "./auth.ts";

/**
 * A service account, for {@linkcode serviceAccount}.
 *
 * @example A service account with a test clock and a short token timeout
 * ```ts
 * import { type AtlasServiceAccount, serviceAccount } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const account: AtlasServiceAccount = {
 *   clientId: "mdb_sa_id_0123456789abcdef01234567",
 *   clientSecret: "mdb_sa_sk_not-a-real-secret",
 *   now: () => 0,
 *   tokenTimeoutMs: 10_000,
 * };
 * assert.equal(serviceAccount(account).kind, "serviceAccount");
 * ```
 */
export interface AtlasServiceAccount {
  /** The service account's client id (`mdb_sa_id_…`). */
  clientId: string;
  /** The service account's client secret. Never logged, never in errors. */
  clientSecret: string;
  /** Where tokens come from. Default `/api/oauth/token` on the origin of the client's `baseUrl`. */
  tokenUrl?: string | undefined;
  /** The clock token lifetimes are measured on, in milliseconds. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Gives up on a token request after this many milliseconds. Default 30_000. */
  tokenTimeoutMs?: number | undefined;
  /**
   * How long before its expiry a token is replaced, in milliseconds. Default 60_000, and never
   * more than half the token's lifetime.
   */
  refreshBeforeExpiryMs?: number | undefined;
}

const ACTION = "Cannot create Atlas client";

function invalid(field: string, rule: string): never {
  throw new AtlasValidationError(`${ACTION}: ${field} ${rule}`, { field });
}

/**
 * An Atlas service account, as the `auth` of {@linkcode atlasClient} or `createAtlasClient`:
 * every request carries a bearer token obtained with the OAuth 2.0 client-credentials grant (see
 * {@linkcode serviceAccountAuth} for caching, refresh and 401 handling). Bundles the token code
 * and not the Digest engine.
 *
 * @param account The client id and secret, and optionally the token URL, clock and time limits.
 * @returns The authentication, for `auth`.
 * @throws {AtlasValidationError} When an option is invalid (checked now; the token URL when the
 * client is created, against its `baseUrl`).
 *
 * @example A service account on the v2 API (here against the simulator)
 * ```ts
 * import { atlasClient, createPrivateEndpoint, serviceAccount } from "@atlas-edge/private-endpoint";
 * import {
 *   createAtlasSimulator,
 *   DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
 * } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const atlas = atlasClient({
 *   auth: serviceAccount(DEFAULT_SIMULATOR_SERVICE_ACCOUNT),
 *   apiVersion: "2023-01-01",
 *   baseUrl: `http://127.0.0.1${simulator.v2BasePath}`,
 *   fetch: simulator.fetch,
 * });
 * await createPrivateEndpoint(atlas, {
 *   groupId,
 *   endpointServiceId,
 *   cloudProvider: "AWS",
 *   id: "vpce-0123456789abcdef0",
 * });
 * assert.equal(simulator.stats.tokensIssued, 1);
 * ```
 */
export function serviceAccount(account: AtlasServiceAccount): AtlasAuth {
  if (typeof account !== "object" || account === null) invalid("auth", "must be an object");
  for (const field of ["clientId", "clientSecret"] as const) {
    const value: unknown = account[field];
    if (typeof value !== "string" || value === "") invalid(field, "must be a non-empty string");
    // The id and secret travel in a header (HTTP Basic of the token request).
    if (/[\r\n]/.test(value)) invalid(field, "must be a single-line string");
  }
  const { clientId, clientSecret, now, tokenTimeoutMs, refreshBeforeExpiryMs } = account;
  if (now !== undefined && typeof now !== "function") invalid("now", "must be a function");
  checkTimeout(ACTION, "tokenTimeoutMs", tokenTimeoutMs);
  const refresh: unknown = refreshBeforeExpiryMs;
  if (
    refresh !== undefined &&
    (typeof refresh !== "number" || !(refresh >= 0 && refresh <= MAX_TIMER_MS))
  ) {
    invalid(
      "refreshBeforeExpiryMs",
      `must be zero or a number of milliseconds up to ${MAX_TIMER_MS}`,
    );
  }
  return {
    kind: "serviceAccount",
    createMiddleware(context: AtlasAuthContext): AtlasAuthMiddleware {
      let tokenUrl: URL | undefined;
      try {
        tokenUrl = new URL(account.tokenUrl ?? "/api/oauth/token", context.baseUrl);
      } catch {
        invalid("tokenUrl", "must be an absolute URL");
      }
      const problem = transportProblem(tokenUrl, context.allowInsecureHttp);
      if (problem !== undefined) invalid("tokenUrl", problem);
      return serviceAccountAuth({
        clientId,
        clientSecret,
        tokenUrl: tokenUrl.href,
        allowInsecureHttp: context.allowInsecureHttp,
        userAgent: context.userAgent,
        ...(now === undefined ? {} : { now }),
        tokenTimeoutMs,
        refreshBeforeExpiryMs,
      });
    },
  };
}
