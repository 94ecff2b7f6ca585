// The library calls the CLI makes, behind one small interface so tests can replace them.

import {
  createAtlasClient,
  createPrivateEndpoint,
  deletePrivateEndpoint,
  getPrivateEndpoint,
  privateEndpointId,
  privateEndpointStatus,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import { waitUntilGone } from "./_gone.ts";
import type {
  AtlasApiVersion,
  AtlasClient,
  CreatePrivateEndpointInput,
  PrivateEndpoint,
  PrivateEndpointRef,
  StatusChange,
} from "../../mod.ts";

/** An API key pair or a service account. */
export type ClientCredentials =
  | { publicKey: string; privateKey: string; clientId?: undefined; clientSecret?: undefined }
  | { clientId: string; clientSecret: string; publicKey?: undefined; privateKey?: undefined };

/** Options of one call: cancellation and time limit. */
export interface CallOptions {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

/** The operations, as the CLI uses them (the library's signatures, narrowed to what it passes). */
export interface AtlasOps {
  createClient(
    options: ClientCredentials & {
      baseUrl?: string;
      apiVersion?: AtlasApiVersion;
      fetch?: (request: Request) => Promise<Response>;
      userAgent: string;
    },
  ): AtlasClient;
  create(
    client: AtlasClient,
    input: CreatePrivateEndpointInput,
    options: CallOptions & { onExisting: (endpoint: PrivateEndpoint) => void },
  ): Promise<PrivateEndpoint>;
  get(client: AtlasClient, ref: PrivateEndpointRef, options: CallOptions): Promise<PrivateEndpoint>;
  remove(client: AtlasClient, ref: PrivateEndpointRef, options: CallOptions): Promise<void>;
  wait(
    client: AtlasClient,
    ref: PrivateEndpointRef,
    options: CallOptions & {
      pollIntervalMs?: number;
      onStatus: (change: StatusChange) => void;
    },
  ): Promise<PrivateEndpoint>;
  /** Reads the endpoint until Atlas answers 404 (after a delete). */
  waitGone(
    client: AtlasClient,
    ref: PrivateEndpointRef,
    options: CallOptions & { pollIntervalMs?: number; onStatus: (status: string) => void },
  ): Promise<void>;
  endpointId(endpoint: PrivateEndpoint): string;
}

/** The real library. */
export const libraryOps: AtlasOps = {
  createClient: createAtlasClient,
  create: createPrivateEndpoint,
  get: getPrivateEndpoint,
  remove: deletePrivateEndpoint,
  wait: waitForPrivateEndpoint,
  waitGone: (client, ref, options) =>
    waitUntilGone(
      async (call) => privateEndpointStatus(await getPrivateEndpoint(client, ref, call)),
      { ...options, action: "Cannot wait for private endpoint deletion" },
    ),
  endpointId: privateEndpointId,
};
