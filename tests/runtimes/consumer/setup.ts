// A user's whole setup, as a user writes it, for any provider: ensure the project's endpoint
// service in a region, read what to create on the cloud side (the AWS endpoint service name, the
// Azure Private Link service, the Google Cloud service attachments), ensure the private endpoint
// until it is AVAILABLE, list the service's endpoints, then tear it all down: delete the endpoint,
// wait until it is gone, and wait until Atlas has removed the service with its last endpoint. On
// the way, a second region's service is created, waited for and deleted explicitly (when the
// scenario names one), and deleting a service that still has an endpoint is refused. Shared by the
// Node and Bun consumers (consumer/main.ts) and the Cloudflare Worker (workers/setup_worker.ts);
// the runtime tests copy it into a fresh project that imports the npm package, hand it each
// provider's scenario (tests/runtimes/_exec.mjs SETUPS) and assert what it returns.
import {
  AtlasApiError,
  createAtlasClient,
  type CreateAwsPrivateEndpointInput,
  type CreateAzurePrivateEndpointInput,
  createEndpointService,
  type CreateGcpPrivateEndpointInput,
  type CreatePrivateEndpointInput,
  deleteEndpointService,
  deletePrivateEndpoint,
  type EndpointService,
  type EndpointServiceTarget,
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

/** An endpoint's create input without its service (which the setup ensures). */
type EndpointFields<I> = Omit<I, "groupId" | "endpointServiceId">;

/** What to set up: the regions, and the endpoint of one provider. */
export interface SetupScenario {
  /** The service's region, as the cloud names it (e.g. `us-east-1`, `eastus2`, `us-central1`). */
  region: string;
  /** The same region as Atlas names it (e.g. `US_EAST_1`), for the second ensure. */
  atlasRegion: string;
  /** Another region, for a service created and deleted explicitly; none to skip that part. */
  otherRegion?: string | undefined;
  /**
   * The endpoint to ensure, with its provider (for Google Cloud, `portMappingEnabled` also makes
   * the service port-mapped).
   */
  endpoint:
    | EndpointFields<CreateAwsPrivateEndpointInput>
    | EndpointFields<CreateAzurePrivateEndpointInput>
    | EndpointFields<CreateGcpPrivateEndpointInput>;
}

/** Where to run the setup, and with which API key. */
export interface SetupTarget extends SetupScenario {
  /** The API base URL, e.g. `http://127.0.0.1:41234/api/atlas/v1.0`. */
  baseUrl: string;
  /** The API key's public key (the Digest username). */
  publicKey: string;
  /** The API key's private key (the Digest password). */
  privateKey: string;
  /** The project id. */
  groupId: string;
  /** Milliseconds between status reads while waiting. */
  pollIntervalMs: number;
}

/** What the setup observed, step by step. */
export interface SetupResult {
  /** The provider set up. */
  cloudProvider: string;
  /** `ensureEndpointService` in `region`: what it did, the service, and the statuses it saw. */
  ensured: {
    outcome: string;
    endpointServiceId: string;
    regionName: string;
    status: string;
    portMappingEnabled: boolean | undefined;
    /**
     * What to create on the cloud side (the target): the AWS endpoint service name; the Azure
     * Private Link service's resource id and name; the Google Cloud service attachments.
     */
    target: string[];
    statuses: string[];
  };
  /** `ensureEndpointService` again, with the region as Atlas names it. */
  ensuredAgain: { outcome: string; endpointServiceId: string };
  /** `createEndpointService` in `otherRegion`, then `waitForEndpointService` (when asked). */
  other?: { created: string; ready: string; regionName: string };
  /** `listEndpointServices` with both services, by region. */
  listed: { id: string; regionName: string }[];
  /** `deleteEndpointService` of the other region's service, then the deletion wait's statuses. */
  otherDeletion: string[];
  /** `ensurePrivateEndpoint`: what it did, the final status, and the statuses it saw. */
  endpoint: { outcome: string; endpointId: string; status: string; statuses: string[] };
  /** `listPrivateEndpoints` of the service. */
  endpoints: { endpointId: string; status: string }[];
  /**
   * `getEndpointService` once the endpoint is AVAILABLE, with the ids of its endpoints (AWS
   * `interfaceEndpoints`, Azure `privateEndpoints`, Google Cloud `endpointGroupNames`).
   */
  serviceWithEndpoint: { status: string; endpoints: string[] };
  /** `deleteEndpointService` while the endpoint exists: the typed error, as `name status code`. */
  deleteWithEndpoint: string;
  /** `deletePrivateEndpoint`, then the statuses `waitForPrivateEndpointDeletion` saw. */
  endpointDeletion: string[];
  /** The statuses `waitForEndpointServiceDeletion` saw after the last endpoint went. */
  serviceDeletion: string[];
  /** `listEndpointServices` at the end: the ids left. */
  remaining: string[];
}

/** The names to create the cloud side against, from a ready service's target. */
function targetNames(target: EndpointServiceTarget): string[] {
  switch (target.cloudProvider) {
    case "AWS":
      return [target.endpointServiceName];
    case "AZURE":
      return [target.privateLinkServiceResourceId, target.privateLinkServiceName];
    case "GCP":
      return [...target.serviceAttachmentNames];
  }
}

/** The ids of a service's endpoints, as the service lists them. */
function serviceEndpoints(service: EndpointService): string[] {
  switch (service.cloudProvider) {
    case "AWS":
      return [...service.interfaceEndpoints ?? []];
    case "AZURE":
      return [...service.privateEndpoints ?? []];
    case "GCP":
      return [...service.endpointGroupNames ?? []];
  }
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
  const { cloudProvider } = target.endpoint;
  const project = { groupId: target.groupId, cloudProvider };
  const portMapped = target.endpoint.cloudProvider === "GCP" &&
    target.endpoint.portMappingEnabled === true;
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
  const ensured = await ensureEndpointService(client, {
    ...project,
    region: target.region,
    ...(portMapped ? { portMappingEnabled: true } : {}),
  }, { ...poll, onStatus: (change) => serviceStatuses.push(change.status) });
  const service = { ...project, endpointServiceId: ensured.endpointServiceId };
  // In the cloud, the user now creates the endpoint against these names.
  const names = targetNames(ensured.target);
  const again = await ensureEndpointService(
    client,
    { ...project, region: target.atlasRegion },
    poll,
  );

  // Another region's service, step by step, then deleted explicitly.
  let other: SetupResult["other"];
  let listed: SetupResult["listed"] = [];
  let otherDeletion: string[] = [];
  if (target.otherRegion !== undefined) {
    const created = await createEndpointService(client, { ...project, region: target.otherRegion });
    const ref = { ...project, endpointServiceId: String(created.id) };
    const ready = await waitForEndpointService(client, ref, poll);
    other = {
      created: String(created.status),
      ready: String(ready.status),
      regionName: String(ready.regionName),
    };
    listed = (await listEndpointServices(client, project))
      .map((s) => ({ id: String(s.id), regionName: String(s.regionName) }))
      .sort((a, b) => a.regionName.localeCompare(b.regionName));
    await deleteEndpointService(client, ref);
    otherDeletion = await gone(ref);
  }

  // The endpoint, until AVAILABLE; the service's endpoints with their statuses.
  const endpointStatuses: string[] = [];
  const input = { ...target.endpoint, ...service } as CreatePrivateEndpointInput;
  const { endpoint, outcome } = await ensurePrivateEndpoint(client, input, {
    ...poll,
    onStatus: (change) => endpointStatuses.push(change.status),
  });
  const endpointId = privateEndpointId(endpoint);
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
  const ref = { ...service, endpointId };
  await deletePrivateEndpoint(client, ref);
  const endpointDeletion: string[] = [];
  await waitForPrivateEndpointDeletion(client, ref, {
    ...poll,
    onStatus: (change) => endpointDeletion.push(change.status),
  });
  const serviceDeletion = await gone(service);
  const remaining = (await listEndpointServices(client, project)).map((s) => String(s.id));

  return {
    cloudProvider,
    ensured: {
      outcome: ensured.outcome,
      endpointServiceId: ensured.endpointServiceId,
      regionName: String(ensured.service.regionName),
      status: String(ensured.service.status),
      portMappingEnabled: ensured.service.cloudProvider === "GCP"
        ? ensured.service.portMappingEnabled ?? undefined
        : undefined,
      target: names,
      statuses: serviceStatuses,
    },
    ensuredAgain: { outcome: again.outcome, endpointServiceId: again.endpointServiceId },
    ...(other === undefined ? {} : { other }),
    listed,
    otherDeletion,
    endpoint: {
      outcome,
      endpointId,
      status: privateEndpointStatus(endpoint),
      statuses: endpointStatuses,
    },
    endpoints: endpoints.map((e) => ({
      endpointId: privateEndpointId(e),
      status: privateEndpointStatus(e),
    })),
    serviceWithEndpoint: {
      status: String(withEndpoint.status),
      endpoints: serviceEndpoints(withEndpoint),
    },
    deleteWithEndpoint: refused,
    endpointDeletion,
    serviceDeletion,
    remaining,
  };
}
