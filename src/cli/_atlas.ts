// The library calls the CLI makes, behind one small interface so tests can replace them.

import {
  createAtlasClient,
  createEndpointService,
  createPrivateEndpoint,
  deleteEndpointService,
  deletePrivateEndpoint,
  ensureEndpointService,
  getEndpointService,
  getPrivateEndpoint,
  listEndpointServices,
  listPrivateEndpoints,
  privateEndpointId,
  waitForEndpointService,
  waitForEndpointServiceDeletion,
  waitForPrivateEndpoint,
  waitForPrivateEndpointDeletion,
  waitForPrivateEndpoints,
} from "../../mod.ts";
import type {
  AtlasApiVersion,
  AtlasClient,
  CloudProvider,
  CreateEndpointServiceInput,
  CreatePrivateEndpointInput,
  EndpointService,
  EndpointStatusChange,
  PrivateEndpoint,
  PrivateEndpointRef,
  PrivateEndpointServiceRef,
  PrivateEndpointWaitResult,
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
  waitMany(
    client: AtlasClient,
    refs: readonly PrivateEndpointRef[],
    options: CallOptions & {
      pollIntervalMs?: number;
      onStatus: (change: EndpointStatusChange) => void;
    },
  ): Promise<PrivateEndpointWaitResult[]>;
  /** Reads the endpoint until Atlas answers 404 (after a delete). */
  waitGone(
    client: AtlasClient,
    ref: PrivateEndpointRef,
    options: CallOptions & { pollIntervalMs?: number; onStatus: (status: string) => void },
  ): Promise<void>;
  endpointId(endpoint: PrivateEndpoint): string;
  createService(
    client: AtlasClient,
    input: CreateEndpointServiceInput,
    options: CallOptions,
  ): Promise<EndpointService>;
  /** Reuses the region's service or creates it, then waits until it is ready. */
  ensureService(
    client: AtlasClient,
    input: CreateEndpointServiceInput,
    options: CallOptions & ServiceWatch,
  ): Promise<{ service: EndpointService; created: boolean }>;
  getService(
    client: AtlasClient,
    ref: PrivateEndpointServiceRef,
    options: CallOptions,
  ): Promise<EndpointService>;
  listServices(
    client: AtlasClient,
    ref: { groupId: string; cloudProvider: CloudProvider },
    options: CallOptions,
  ): Promise<EndpointService[]>;
  deleteService(
    client: AtlasClient,
    ref: PrivateEndpointServiceRef,
    options: CallOptions,
  ): Promise<void>;
  waitService(
    client: AtlasClient,
    ref: PrivateEndpointServiceRef,
    options: CallOptions & ServiceWatch,
  ): Promise<EndpointService>;
  /** Reads the service until Atlas answers 404 (after a delete). */
  waitServiceGone(
    client: AtlasClient,
    ref: PrivateEndpointServiceRef,
    options: CallOptions & { pollIntervalMs?: number; onStatus: (status: string) => void },
  ): Promise<void>;
  /** A service's endpoints, with their statuses. */
  listServiceEndpoints(
    client: AtlasClient,
    ref: PrivateEndpointServiceRef,
    options: CallOptions,
  ): Promise<PrivateEndpoint[]>;
}

/** Progress options of the service waits. */
export interface ServiceWatch {
  readonly pollIntervalMs?: number;
  /** Called for the first status seen, then for every change. */
  readonly onStatus: (status: string, service: EndpointService) => void;
}

/** The real library. */
export const libraryOps: AtlasOps = {
  createClient: createAtlasClient,
  create: createPrivateEndpoint,
  get: getPrivateEndpoint,
  remove: deletePrivateEndpoint,
  wait: waitForPrivateEndpoint,
  waitMany: waitForPrivateEndpoints,
  waitGone: (client, ref, options) =>
    waitForPrivateEndpointDeletion(client, ref, {
      ...options,
      onStatus: ({ status }) => options.onStatus(status),
    }),
  endpointId: privateEndpointId,
  createService: createEndpointService,
  ensureService: async (client, input, options) => {
    const { service, outcome } = await ensureEndpointService(client, input, {
      ...options,
      onStatus: ({ status, service }) => options.onStatus(status, service),
    });
    return { service, created: outcome === "created" };
  },
  getService: getEndpointService,
  listServices: listEndpointServices,
  deleteService: deleteEndpointService,
  waitService: (client, ref, options) =>
    waitForEndpointService(client, ref, {
      ...options,
      onStatus: ({ status, service }) => options.onStatus(status, service),
    }),
  waitServiceGone: (client, ref, options) =>
    waitForEndpointServiceDeletion(client, ref, {
      ...options,
      onStatus: ({ status }) => options.onStatus(status),
    }),
  listServiceEndpoints: listPrivateEndpoints,
};
