// The library calls the CLI makes, behind one small interface so tests can replace them.

import {
  createAtlasClient,
  createPrivateEndpoint,
  deletePrivateEndpoint,
  getPrivateEndpoint,
  privateEndpointId,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import type { AtlasApiVersion, AtlasClient, PrivateEndpoint } from "../../mod.ts";
import type { CreateInput, EndpointRef } from "./_command.ts";
import type { EndpointLike } from "./_format.ts";

/** An API key pair or a service account. */
export type ClientCredentials =
  | { publicKey: string; privateKey: string; clientId?: undefined; clientSecret?: undefined }
  | { clientId: string; clientSecret: string; publicKey?: undefined; privateKey?: undefined };

/** Options of one call: cancellation and time limit. */
export interface CallOptions {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

/** A status change while waiting. */
export interface StatusEvent {
  readonly status: string;
  readonly endpoint: EndpointLike;
}

/** The operations, as the CLI uses them. */
export interface AtlasOps {
  createClient(
    options: ClientCredentials & {
      baseUrl?: string;
      apiVersion?: AtlasApiVersion;
      fetch?: (request: Request) => Promise<Response>;
      userAgent: string;
    },
  ): unknown;
  create(client: unknown, input: CreateInput, options: CallOptions): Promise<EndpointLike>;
  get(client: unknown, ref: EndpointRef, options: CallOptions): Promise<EndpointLike>;
  remove(client: unknown, ref: EndpointRef, options: CallOptions): Promise<void>;
  wait(
    client: unknown,
    ref: EndpointRef,
    options: CallOptions & {
      pollIntervalMs?: number;
      onStatus: (event: StatusEvent) => void;
    },
  ): Promise<EndpointLike>;
  endpointId(endpoint: EndpointLike): string;
}

/** The real library. */
export const libraryOps: AtlasOps = {
  createClient: (options) => createAtlasClient(options),
  create: (client, input, options) =>
    createPrivateEndpoint(client as AtlasClient, input, options) as Promise<never>,
  get: (client, ref, options) =>
    getPrivateEndpoint(client as AtlasClient, ref, options) as Promise<never>,
  remove: (client, ref, options) => deletePrivateEndpoint(client as AtlasClient, ref, options),
  wait: (client, ref, options) =>
    waitForPrivateEndpoint(client as AtlasClient, ref, {
      ...options,
      onStatus: (event) => options.onStatus(event as unknown as StatusEvent),
    }) as Promise<never>,
  endpointId: (endpoint) => privateEndpointId(endpoint as unknown as PrivateEndpoint),
};
