// A user's whole setup, as a user writes it: ensure the project's AWS endpoint service in a region,
// read what to create on the cloud side (its endpointServiceName), ensure the private endpoint
// until it is AVAILABLE, list the service's endpoints, then tear it all down: delete the endpoint,
// wait until it is gone, and wait until Atlas has removed the service with its last endpoint. On
// the way, a second region's service is created, waited for and deleted explicitly, and deleting a
// service that still has an endpoint is refused. Shared by the Node and Bun consumers
// (consumer/main.ts) and the Cloudflare Worker (workers/setup_worker.ts); the runtime tests copy it
// into a fresh project that imports the npm package and assert what it returns.
import {
  AtlasApiError,
  createAtlasClient,
  createEndpointService,
  deleteEndpointService,
  deletePrivateEndpoint,
  ensureEndpointService,
  ensurePrivateEndpoint,
  getEndpointService,
  listEndpointServices,
  listPrivateEndpoints,
  privateEndpointId,
  type PrivateEndpointServiceRef,
  privateEndpointStatus,
  waitForEndpointService,
  waitForEndpointServiceDeletion,
  waitForPrivateEndpointDeletion,
} from "@atlas-edge/private-endpoint";

/** Where to run the setup, and with which API key. */
export interface SetupTarget {
  /** The API base URL, e.g. `http://127.0.0.1:41234/api/atlas/v1.0`. */
  baseUrl: string;
  /** The API key's public key (the Digest username). */
  publicKey: string;
  /** The API key's private key (the Digest password). */
  privateKey: string;
  /** The project id. */
  groupId: string;
  /** The AWS region of the service, as AWS names it (e.g. `us-east-1`). */
  region: string;
  /** Another AWS region, for the service created and deleted explicitly (e.g. `us-west-2`). */
  otherRegion: string;
  /** The AWS interface endpoint id to register. */
  vpcEndpointId: string;
  /** Milliseconds between status reads while waiting. */
  pollIntervalMs: number;
}

/** What the setup observed, step by step. */
export interface SetupResult {
  /** `ensureEndpointService` in `region`: what it did, the service, and the statuses it saw. */
  ensured: {
    outcome: string;
    endpointServiceId: string;
    regionName: string;
    status: string;
    /** The AWS name to create the interface endpoint against (the target). */
    endpointServiceName: string;
    statuses: string[];
  };
  /** `ensureEndpointService` again, with the region as Atlas names it. */
  ensuredAgain: { outcome: string; endpointServiceId: string };
  /** `createEndpointService` in `otherRegion`, then `waitForEndpointService`. */
  other: { created: string; ready: string; regionName: string };
  /** `listEndpointServices` with both services, by region. */
  listed: { id: string; regionName: string }[];
  /** `deleteEndpointService` of the other region's service, then the deletion wait's statuses. */
  otherDeletion: string[];
  /** `ensurePrivateEndpoint`: what it did, the final status, and the statuses it saw. */
  endpoint: { outcome: string; endpointId: string; status: string; statuses: string[] };
  /** `listPrivateEndpoints` of the service. */
  endpoints: { endpointId: string; status: string }[];
  /** `getEndpointService` once the endpoint is AVAILABLE. */
  serviceWithEndpoint: { status: string; interfaceEndpoints: string[] };
  /** `deleteEndpointService` while the endpoint exists: the typed error, as `name status code`. */
  deleteWithEndpoint: string;
  /** `deletePrivateEndpoint`, then the statuses `waitForPrivateEndpointDeletion` saw. */
  endpointDeletion: string[];
  /** The statuses `waitForEndpointServiceDeletion` saw after the last endpoint went. */
  serviceDeletion: string[];
  /** `listEndpointServices` at the end: the ids left. */
  remaining: string[];
}

/** Runs the whole setup and its teardown against `target`; returns what each step observed. */
export async function wholeSetup(target: SetupTarget): Promise<SetupResult> {
  const client = createAtlasClient({
    publicKey: target.publicKey,
    privateKey: target.privateKey,
    baseUrl: target.baseUrl,
  });
  const poll = {
    pollIntervalMs: target.pollIntervalMs,
    maxPollIntervalMs: target.pollIntervalMs * 2,
    timeoutMs: 30_000,
  };
  const project = { groupId: target.groupId, cloudProvider: "AWS" } as const;
  /** Waits until a service is gone; returns the statuses seen. */
  const gone = async (ref: PrivateEndpointServiceRef): Promise<string[]> => {
    const statuses: string[] = [];
    await waitForEndpointServiceDeletion(client, ref, {
      ...poll,
      onStatus: (change) => statuses.push(change.status),
    });
    return statuses;
  };

  // The service: reused when the region has one, created otherwise; ready for endpoints.
  const serviceStatuses: string[] = [];
  const ensured = await ensureEndpointService(client, { ...project, region: target.region }, {
    ...poll,
    onStatus: (change) => serviceStatuses.push(change.status),
  });
  const service = { ...project, endpointServiceId: ensured.endpointServiceId };
  // In AWS, the user now creates the interface endpoint against this name.
  const { endpointServiceName } = ensured.target;
  const atlasRegionName = target.region.toUpperCase().replaceAll("-", "_");
  const again = await ensureEndpointService(client, { ...project, region: atlasRegionName }, poll);

  // Another region's service, step by step, then deleted explicitly.
  const created = await createEndpointService(client, { ...project, region: target.otherRegion });
  const other = { ...project, endpointServiceId: String(created.id) };
  const ready = await waitForEndpointService(client, other, poll);
  const listed = (await listEndpointServices(client, project))
    .map((s) => ({ id: String(s.id), regionName: String(s.regionName) }))
    .sort((a, b) => a.regionName.localeCompare(b.regionName));
  await deleteEndpointService(client, other);
  const otherDeletion = await gone(other);

  // The endpoint, until AVAILABLE; the service's endpoints with their statuses.
  const endpointStatuses: string[] = [];
  const { endpoint, outcome } = await ensurePrivateEndpoint(client, {
    ...service,
    id: target.vpcEndpointId,
  }, { ...poll, onStatus: (change) => endpointStatuses.push(change.status) });
  const endpoints = await listPrivateEndpoints(client, service);
  const withEndpoint = await getEndpointService(client, service);

  // A service with endpoints cannot be deleted: a typed 409.
  const refused = await deleteEndpointService(client, service).then(
    () => "deleted",
    (error: unknown) =>
      error instanceof AtlasApiError
        ? `${error.name} ${error.status} ${error.errorCode}`
        : String(error),
  );

  // Teardown: the endpoint, then the service goes with its last endpoint.
  const ref = { ...service, endpointId: target.vpcEndpointId };
  await deletePrivateEndpoint(client, ref);
  const endpointDeletion: string[] = [];
  await waitForPrivateEndpointDeletion(client, ref, {
    ...poll,
    onStatus: (change) => endpointDeletion.push(change.status),
  });
  const serviceDeletion = await gone(service);
  const remaining = (await listEndpointServices(client, project)).map((s) => String(s.id));

  return {
    ensured: {
      outcome: ensured.outcome,
      endpointServiceId: ensured.endpointServiceId,
      regionName: String(ensured.service.regionName),
      status: String(ensured.service.status),
      endpointServiceName,
      statuses: serviceStatuses,
    },
    ensuredAgain: { outcome: again.outcome, endpointServiceId: again.endpointServiceId },
    other: {
      created: String(created.status),
      ready: String(ready.status),
      regionName: String(ready.regionName),
    },
    listed,
    otherDeletion,
    endpoint: {
      outcome,
      endpointId: privateEndpointId(endpoint),
      status: privateEndpointStatus(endpoint),
      statuses: endpointStatuses,
    },
    endpoints: endpoints.map((e) => ({
      endpointId: privateEndpointId(e),
      status: privateEndpointStatus(e),
    })),
    serviceWithEndpoint: {
      status: String(withEndpoint.status),
      interfaceEndpoints: withEndpoint.cloudProvider === "AWS"
        ? [...withEndpoint.interfaceEndpoints ?? []]
        : [],
    },
    deleteWithEndpoint: refused,
    endpointDeletion,
    serviceDeletion,
    remaining,
  };
}
