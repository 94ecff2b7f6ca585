// The job the library exists for, as a user writes it: create a private endpoint for an AWS
// endpoint service, wait until it is AVAILABLE, and read it back, through the typed client with
// HTTP Digest. Shared by the Node and Bun consumers (consumer/main.ts) and the Cloudflare Worker
// (workers/worker.ts); the runtime tests copy it into a fresh project that imports the npm package.
import {
  createAtlasClient,
  createPrivateEndpoint,
  getPrivateEndpoint,
  privateEndpointId,
  type PrivateEndpointRef,
  privateEndpointStatus,
  waitForPrivateEndpoint,
} from "@atlas-edge/private-endpoint";

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
  /** Milliseconds between status reads while waiting. */
  pollIntervalMs: number;
}

/** What the flow observed. */
export interface FlowResult {
  /** The endpoint id and status the create answered. */
  created: { endpointId: string; status: string };
  /** Every status the wait saw, in order. */
  statuses: string[];
  /** The endpoint id, provider and status of a final read. */
  read: { endpointId: string; cloudProvider: string; status: string };
}

/** Creates the AWS private endpoint, waits until it is AVAILABLE, then reads it back. */
export async function createWaitAndRead(target: FlowTarget): Promise<FlowResult> {
  const client = createAtlasClient({
    publicKey: target.publicKey,
    privateKey: target.privateKey,
    baseUrl: target.baseUrl,
  });
  const created = await createPrivateEndpoint(client, {
    cloudProvider: "AWS",
    groupId: target.groupId,
    endpointServiceId: target.endpointServiceId,
    id: target.vpcEndpointId,
  });
  const ref: PrivateEndpointRef = {
    cloudProvider: "AWS",
    groupId: target.groupId,
    endpointServiceId: target.endpointServiceId,
    endpointId: privateEndpointId(created),
  };
  const statuses: string[] = [];
  await waitForPrivateEndpoint(client, ref, {
    pollIntervalMs: target.pollIntervalMs,
    maxPollIntervalMs: target.pollIntervalMs * 2,
    timeoutMs: 30_000,
    onStatus: (change) => statuses.push(change.status),
  });
  const read = await getPrivateEndpoint(client, ref);
  return {
    created: { endpointId: privateEndpointId(created), status: privateEndpointStatus(created) },
    statuses,
    read: {
      endpointId: privateEndpointId(read),
      cloudProvider: read.cloudProvider,
      status: privateEndpointStatus(read),
    },
  };
}
