// The job the library exists for, as a user writes it: create a private endpoint for an AWS
// endpoint service, then read it back, authenticating with HTTP Digest. Shared by the Node and
// Bun consumers (consumer/main.ts) and the Cloudflare Worker (workers/worker.ts); the runtime
// tests copy it into a fresh project that imports the npm package.
import { createDigestFetch } from "@atlas-edge/private-endpoint";

/** Where to create the endpoint, and with which API key. */
export interface FlowTarget {
  /** The API base URL, e.g. `http://127.0.0.1:41234/api/atlas/v1.0`. */
  baseUrl: string;
  /** The API key's public key (the Digest username). */
  publicKey: string;
  /** The API key's private key (the Digest password). */
  privateKey: string;
  /** The project id. */
  groupId: string;
  /** The AWS endpoint service id. */
  endpointServiceId: string;
  /** The AWS interface endpoint id to register. */
  vpcEndpointId: string;
  /** The fetch to wrap; default the global one. */
  fetch?: typeof fetch;
}

/** What the flow observed. */
export interface FlowResult {
  createStatus: number;
  created: Record<string, unknown>;
  readStatus: number;
  read: Record<string, unknown>;
}

/** Creates the AWS private endpoint, then reads it back. */
export async function createAndReadAwsEndpoint(target: FlowTarget): Promise<FlowResult> {
  const digestFetch = createDigestFetch({
    username: target.publicKey,
    password: target.privateKey,
    ...(target.fetch ? { fetch: target.fetch } : {}),
  });
  const endpoints = `${target.baseUrl}/groups/${target.groupId}/privateEndpoint/AWS` +
    `/endpointService/${target.endpointServiceId}/endpoint`;
  const created = await digestFetch(endpoints, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ id: target.vpcEndpointId }),
  });
  const createdBody = await created.json() as Record<string, unknown>;
  const read = await digestFetch(`${endpoints}/${target.vpcEndpointId}`, {
    headers: { accept: "application/json" },
  });
  const readBody = await read.json() as Record<string, unknown>;
  return {
    createStatus: created.status,
    created: createdBody,
    readStatus: read.status,
    read: readBody,
  };
}
