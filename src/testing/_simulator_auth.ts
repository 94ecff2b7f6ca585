// Authentication of the simulator's API requests: HTTP Digest exactly as Atlas announces it (API
// keys), or a service account's bearer token; the OAuth token and revocation endpoints; the
// default credentials; and the Atlas errors for a refused request.
import { randomHex } from "../digest/_hash.ts";
import { createDigestVerifier, type NcPolicy } from "./digest_verifier.ts";
import { resetDigestStats } from "./_digest_stats.ts";
import { atlasError, type SimulatedError, unauthorized } from "./_simulator_errors.ts";
import type { AuthStats } from "./_simulator_log.ts";
import { createServiceAccountStore, REVOKE_PATH, TOKEN_PATH } from "./_simulator_oauth.ts";

/**
 * The API key a simulator accepts when no `apiKeys` option is given (not a secret: use it only
 * with the simulator).
 *
 * @example Authenticate with the default key
 * ```ts
 * import { createAtlasClient, getPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator();
 * const { groupId, GCP: endpointServiceId } = simulator.seed();
 * const client = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const ref = { groupId, endpointServiceId, cloudProvider: "GCP" as const, endpointId: "group-1" };
 * await assert.rejects(getPrivateEndpoint(client, ref), { name: "AtlasApiError", status: 404 });
 * assert.equal(simulator.stats.authenticated, 1);
 * ```
 */
export const DEFAULT_SIMULATOR_API_KEY: {
  readonly publicKey: string;
  readonly privateKey: string;
} = Object.freeze({ publicKey: "simulator-public-key", privateKey: "simulator-private-key" });

/**
 * The service account a simulator accepts when no `serviceAccounts` option is given (not a
 * secret: use it only with the simulator).
 *
 * @example Authenticate with the default service account
 * ```ts
 * import { createAtlasClient, getPrivateEndpoint } from "@atlas-edge/private-endpoint";
 * import {
 *   createAtlasSimulator,
 *   DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
 * } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator();
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const client = createAtlasClient({
 *   ...DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
 *   baseUrl: `http://127.0.0.1${simulator.basePath}`,
 *   fetch: simulator.fetch,
 * });
 * const ref = { groupId, endpointServiceId, cloudProvider: "AWS" as const, endpointId: "vpce-0123456789abcdef0" };
 * await assert.rejects(getPrivateEndpoint(client, ref), { name: "AtlasApiError", status: 404 });
 * assert.equal(simulator.stats.tokensIssued, 1);
 * ```
 */
export const DEFAULT_SIMULATOR_SERVICE_ACCOUNT: {
  readonly clientId: string;
  readonly clientSecret: string;
} = Object.freeze({
  clientId: "mdb_sa_id_simulator0000000000000000",
  clientSecret: "mdb_sa_sk_simulator-client-secret",
});

/** The authentication options of the simulator (see `AtlasSimulatorOptions`). */
export interface SimulatorAuthOptions {
  apiKeys: Record<string, string> | undefined;
  serviceAccounts: Record<string, string> | undefined;
  tokenLifetimeMs: number | undefined;
  ncPolicy: NcPolicy | undefined;
  nonceLifetimeMs: number | undefined;
  now: () => number;
}

/** The simulator's authentication: credentials, checks and counters. */
export interface SimulatorAuth {
  /** The answer of the OAuth token or revocation endpoint, or undefined for other paths. */
  oauth(rawPath: string, request: Request, body: Uint8Array): Response | undefined;
  /** Undefined when the request authenticates, else the Atlas error to answer. */
  authenticate(request: Request, body: Uint8Array): Promise<SimulatedError | undefined>;
  addServiceAccount(account?: { clientId?: string; clientSecret?: string }): {
    clientId: string;
    clientSecret: string;
  };
  removeServiceAccount(clientId: string): boolean;
  revokeTokens(clientId?: string): number;
  /** A snapshot of the counters. */
  stats(): AuthStats;
  /** Zeroes the counters. */
  reset(): void;
}

/** Creates the simulator's authentication. */
export function createSimulatorAuth(options: SimulatorAuthOptions): SimulatorAuth {
  const verifier = createDigestVerifier({
    realm: "MMS Public API",
    credentials: {
      ...(options.apiKeys ?? {
        [DEFAULT_SIMULATOR_API_KEY.publicKey]: DEFAULT_SIMULATOR_API_KEY.privateKey,
      }),
    },
    algorithms: ["MD5"],
    qop: ["auth"],
    opaque: "none",
    extraChallengeParams: 'domain=""',
    explicitStale: true,
    ncPolicy: options.ncPolicy ?? "unique",
    nonceLifetimeMs: options.nonceLifetimeMs ?? 300_000,
    now: options.now,
  });
  const serviceAccounts = createServiceAccountStore({
    accounts: options.serviceAccounts ?? {
      [DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientId]: DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientSecret,
    },
    lifetimeMs: options.tokenLifetimeMs ?? 3_600_000,
    now: options.now,
  });
  let bearerRejected = 0;

  return {
    oauth(rawPath: string, request: Request, body: Uint8Array): Response | undefined {
      if (rawPath === TOKEN_PATH) return serviceAccounts.token(request, body);
      if (rawPath === REVOKE_PATH) return serviceAccounts.revoke(request, body);
      return undefined;
    },
    async authenticate(request: Request, body: Uint8Array): Promise<SimulatedError | undefined> {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
      if (bearer !== undefined) {
        if (serviceAccounts.verify(bearer) === "ok") return undefined;
        bearerRejected++;
        return unauthorized({ "www-authenticate": 'Bearer error="invalid_token"' });
      }
      const verdict = await verifier.verify(request, body);
      if (verdict.ok) return undefined;
      if (verdict.status === 400) {
        const detail = verdict.reason === "uri"
          ? "The Digest uri does not match the request target."
          : "The Digest Authorization header is malformed.";
        return atlasError(400, "INVALID_AUTHORIZATION_HEADER", detail);
      }
      return unauthorized({ "www-authenticate": verdict.wwwAuthenticate! });
    },
    addServiceAccount(
      account: { clientId?: string; clientSecret?: string } = {},
    ): { clientId: string; clientSecret: string } {
      const clientId = account.clientId ?? `mdb_sa_id_${randomHex(12)}`;
      const clientSecret = account.clientSecret ?? `mdb_sa_sk_${crypto.randomUUID()}`;
      if (clientId === "" || clientId.includes(":") || clientSecret === "") {
        throw new RangeError(
          "Cannot add service account: clientId must be non-empty without ':' and clientSecret non-empty",
        );
      }
      serviceAccounts.add(clientId, clientSecret);
      return { clientId, clientSecret };
    },
    removeServiceAccount: (clientId: string): boolean => serviceAccounts.remove(clientId),
    revokeTokens: (clientId?: string): number => serviceAccounts.revokeTokens(clientId),
    stats(): AuthStats {
      const digest = verifier.stats;
      return {
        tokensIssued: serviceAccounts.counters.issued,
        tokenRequestsRejected: serviceAccounts.counters.rejected,
        bearerRejected,
        digest: { ...digest, rejected: { ...digest.rejected } },
      };
    },
    reset(): void {
      serviceAccounts.counters.issued = 0;
      serviceAccounts.counters.rejected = 0;
      bearerRejected = 0;
      resetDigestStats(verifier.stats);
    },
  };
}
