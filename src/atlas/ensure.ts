/**
 * Make it so, whatever is there already: the project's endpoint service in a region
 * ({@linkcode ensureEndpointService}), and a private endpoint that ends `AVAILABLE`
 * ({@linkcode ensurePrivateEndpoint}). Safe to run again, and from several places at once.
 *
 * @module
 */
import type { AtlasClient } from "./client.ts";
import { systemClock } from "./clock.ts";
import { checkRequestOptions, checkTimeout } from "./_call.ts";
import {
  ACTIONS,
  checkCreateInput,
  checkProjectRef,
  checkServiceBody,
  SERVICE_ACTIONS,
} from "./_validate.ts";
import { checkRegion } from "./_regions.ts";
import { inRegion, isRegionTaken, serviceInRegion } from "./_services.ts";
import { fieldOf, PROVIDERS, reportedId, requestedId } from "./_providers.ts";
import { AtlasApiError } from "./atlas_api_error.ts";
import { AtlasTimeoutError } from "./atlas_timeout_error.ts";
import { privateEndpointStatus } from "./endpoint.ts";
import { createPrivateEndpoint, deletePrivateEndpoint, getPrivateEndpoint } from "./operations.ts";
import { PrivateEndpointFailedError } from "./private_endpoint_failed_error.ts";
import {
  createEndpointService,
  endpointServiceTarget,
  getEndpointService,
  listEndpointServices,
} from "./services.ts";
import {
  DEFAULT_WAIT_TIMEOUT_MS,
  type DeletionWaitOptions,
  type EndpointServiceWaitOptions,
  waitForEndpointService,
  waitForEndpointServiceDeletion,
  waitForPrivateEndpoint,
  waitForPrivateEndpointDeletion,
  type WaitOptions,
} from "./wait.ts";
import type {
  CloudProvider,
  CreateEndpointServiceInput,
  CreatePrivateEndpointInput,
  CreatePrivateEndpointOptions,
  EndpointService,
  EndpointServiceTarget,
  PrivateEndpoint,
  PrivateEndpointRef,
  RequestOptions,
} from "./types.ts";

/** The input of {@linkcode ensureEndpointService}: that of {@linkcode createEndpointService}. */
export type EnsureEndpointServiceInput<P extends CloudProvider = CloudProvider> =
  & CreateEndpointServiceInput
  & { cloudProvider: P };

/**
 * What {@linkcode ensureEndpointService} returns: the ready service, whether this call created it
 * or reused the project's, and what to create on the cloud side, typed for the provider asked for.
 */
export interface EnsuredEndpointService<P extends CloudProvider = CloudProvider> {
  /** The service, ready for endpoints (`WAITING_FOR_USER` or `AVAILABLE`). */
  service: Extract<EndpointService, { cloudProvider: P }>;
  /** Its id: the `endpointServiceId` of the endpoints to create. */
  endpointServiceId: string;
  /** `"created"` when this call created it, `"reused"` when the region had it already. */
  outcome: "created" | "reused";
  /**
   * What to create on the cloud side: the AWS `endpointServiceName`, the Azure
   * `privateLinkServiceResourceId` and `privateLinkServiceName`, or the Google Cloud
   * `serviceAttachmentNames` (see {@linkcode endpointServiceTarget}).
   */
  target: Extract<EndpointServiceTarget, { cloudProvider: P }>;
}

/** How much of a call's time limit is left, on the wait's clock. */
interface Budget {
  /** The milliseconds left; throws AtlasTimeoutError when none are. */
  left(): number;
  /** The options of one step: the call's, with what is left of its time limit. */
  step<O extends RequestOptions>(options: O): O;
}

/**
 * The options of a deletion waited out on the way: the call's, with what is left of its time
 * limit, without its status callback (that reports the resource being made, not the one going).
 */
function deletion(
  options: WaitOptions | EndpointServiceWaitOptions,
  time: Budget,
): DeletionWaitOptions {
  const { onStatus: _, ...rest } = options;
  return { ...rest, timeoutMs: time.left() };
}

/** Checks a wait's options (before anything is sent) and starts its time limit. */
function budget(action: string, options: WaitOptions | EndpointServiceWaitOptions): Budget {
  checkRequestOptions(action, options);
  checkTimeout(action, "pollIntervalMs", options.pollIntervalMs);
  checkTimeout(action, "maxPollIntervalMs", options.maxPollIntervalMs);
  options.signal?.throwIfAborted();
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const deadline = started + (options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS);
  const left = (): number => {
    const ms = deadline - clock.now();
    if (ms <= 0) throw new AtlasTimeoutError({ action, elapsedMs: clock.now() - started });
    return ms;
  };
  // Requests retry on the wait's clock, as the wait's own reads do.
  const retry = options.retry === false || options.clock === undefined
    ? options.retry
    : { clock: options.clock, ...options.retry };
  const { signal, onRateLimit, maxResponseBytes } = options;
  return {
    left,
    step: (o) => ({ signal, onRateLimit, maxResponseBytes, ...o, retry, timeoutMs: left() }),
  };
}

/**
 * Makes sure the project has a private endpoint service for the provider in the region, ready for
 * endpoints, and says what to create on the cloud side: reuses the project's service in that
 * region when there is one (a project has at most one per provider and region), creates it
 * otherwise, then waits until it is ready ({@linkcode waitForEndpointService}). When another
 * process creates the region's service at the same time, Atlas's 409
 * `PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION` ends in reusing it, not in an error: run it
 * from every environment that shares the project.
 *
 * A service of the region that is being deleted is waited out, then the region's service is
 * created. The region is taken as Atlas names it or as the cloud does (see
 * {@linkcode createEndpointService}). A reused service keeps its own options: compare
 * `target.portMappingEnabled` (Google Cloud) with what you asked for. `timeoutMs` (one hour by
 * default) and `signal` bound the whole call: listing, creating and waiting.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param input The project, the provider, the region, and the provider's options for a new
 * service.
 * @param options Timeout, abort signal, retry settings, poll intervals, a status callback, and an
 * injectable clock, as for {@linkcode waitForEndpointService}.
 * @returns The ready service, `"created"` or `"reused"`, and what to create on the cloud side.
 * @throws {AtlasValidationError} When the input or an option is invalid; nothing was sent.
 * @throws {EndpointServiceFailedError} When the service failed, or is being deleted.
 * @throws {AtlasApiError} When Atlas answers with an error status, after retries.
 * @throws {AtlasNetworkError} When no usable answer came, after retries.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out.
 *
 * @example Ensure an AWS service, then create the interface endpoint against its name
 * ```ts
 * import { createAtlasClient, ensureEndpointService } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const groupId = simulator.addGroup();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 *
 * const first = await ensureEndpointService(atlas, { groupId, cloudProvider: "AWS", region: "us-east-1" });
 * assert.equal(first.outcome, "created");
 * // In AWS: create an interface endpoint for this service name in your VPC.
 * assert.match(first.target.endpointServiceName, /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/);
 *
 * // Another environment of the same project, in the same region: the same service.
 * const second = await ensureEndpointService(atlas, { groupId, cloudProvider: "AWS", region: "US_EAST_1" });
 * assert.equal(second.outcome, "reused");
 * assert.equal(second.endpointServiceId, first.endpointServiceId);
 * ```
 */
export async function ensureEndpointService<P extends CloudProvider>(
  client: AtlasClient,
  input: EnsureEndpointServiceInput<P>,
  options: EndpointServiceWaitOptions = {},
): Promise<EnsuredEndpointService<P>> {
  const action = SERVICE_ACTIONS.ensure;
  checkProjectRef(action, input);
  const { groupId, cloudProvider, ...fields } = input;
  const { region } = checkServiceBody(action, cloudProvider, fields, checkRegion);
  const time = budget(action, options);
  const project = { groupId, cloudProvider };
  // The region's service; one being deleted is waited out (the region is taken until it is gone).
  const regionService = async (): Promise<EndpointService | undefined> => {
    const services = await listEndpointServices(client, project, time.step({}));
    const found = serviceInRegion(services, region);
    if (found !== undefined) return found;
    for (const leaving of services.filter((service) => inRegion(service, region))) {
      const ref = { ...project, endpointServiceId: String(leaving.id) };
      await waitForEndpointServiceDeletion(client, ref, deletion(options, time));
    }
    return undefined;
  };

  let outcome: "created" | "reused" = "reused";
  let service = await regionService();
  if (service === undefined) {
    try {
      service = await createEndpointService(client, input, time.step({}));
      outcome = "created";
    } catch (error) {
      // Another process created it meanwhile: reuse it.
      if (!isRegionTaken(error)) throw error;
      service = await regionService();
      if (service === undefined) throw error;
    }
  }
  const endpointServiceId = String(service.id);
  const ready = await waitForEndpointService(
    client,
    { groupId, cloudProvider, endpointServiceId },
    { ...options, timeoutMs: time.left() },
  );
  return {
    service: ready as Extract<EndpointService, { cloudProvider: P }>,
    endpointServiceId,
    outcome,
    // The wait returns only once the target is named.
    target: endpointServiceTarget(ready) as Extract<EndpointServiceTarget, { cloudProvider: P }>,
  };
}

/** What {@linkcode ensurePrivateEndpoint} returns: the available endpoint, and what it did. */
export interface EnsuredPrivateEndpoint {
  /** The endpoint, `AVAILABLE`. */
  endpoint: PrivateEndpoint;
  /**
   * `"created"`: there was none; `"reused"`: it existed with the same fields; `"replaced"`: it
   * existed but had failed (`REJECTED`, `FAILED`) or was being deleted, and was created again.
   */
  outcome: "created" | "reused" | "replaced";
}

/**
 * Makes sure the endpoint exists and is `AVAILABLE`: creates it, or reuses the same endpoint (same
 * id and fields) when it exists. When the existing one ended `REJECTED` or `FAILED`, it does what
 * Atlas advises: deletes it, waits until it is gone, creates it again and waits; one that is being
 * deleted is waited out and created again. An existing endpoint with the same id but other fields
 * is Atlas's 409, thrown as {@linkcode AtlasApiError}, as {@linkcode createPrivateEndpoint} throws
 * it.
 *
 * Atlas removes a service together with its last endpoint, so a failed endpoint that is its
 * service's only one is not replaced (the service would go, and the create fail): that is a
 * {@linkcode PrivateEndpointFailedError} saying so; delete the endpoint, then ensure the service
 * and the cloud-side endpoint again.
 *
 * `timeoutMs` (one hour by default) and `signal` bound the whole call: reading, deleting,
 * creating and waiting.
 *
 * @param client A client from {@linkcode createAtlasClient}.
 * @param input The service, the provider, and the provider's fields, as for
 * {@linkcode createPrivateEndpoint}.
 * @param options Timeout, abort signal, retry settings, poll intervals, a status callback, and an
 * injectable clock, as for {@linkcode waitForPrivateEndpoint}.
 * @returns The available endpoint, and `"created"`, `"reused"` or `"replaced"`.
 * @throws {AtlasValidationError} When the input or an option is invalid; nothing was sent.
 * @throws {PrivateEndpointFailedError} When the endpoint (the new one, or one it may not replace)
 * failed.
 * @throws {AtlasApiError} When Atlas answers with an error status (409: the id exists with other
 * fields), after retries.
 * @throws {AtlasNetworkError} When no usable answer came, after retries.
 * @throws {AtlasTimeoutError} When `timeoutMs` runs out.
 *
 * @example Create an endpoint, then ensure it again
 * ```ts
 * import { createAtlasClient, ensurePrivateEndpoint, privateEndpointStatus } from "@atlas-edge/private-endpoint";
 * import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const simulator = createAtlasSimulator({ timeScale: 0 });
 * const { groupId, AWS: endpointServiceId } = simulator.seed();
 * const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
 * const input = { groupId, endpointServiceId, cloudProvider: "AWS", id: "vpce-0123456789abcdef0" } as const;
 *
 * const first = await ensurePrivateEndpoint(atlas, input, { pollIntervalMs: 1 });
 * assert.equal(first.outcome, "created");
 * assert.equal(privateEndpointStatus(first.endpoint), "AVAILABLE");
 * const again = await ensurePrivateEndpoint(atlas, input, { pollIntervalMs: 1 });
 * assert.equal(again.outcome, "reused");
 * ```
 */
export async function ensurePrivateEndpoint(
  client: AtlasClient,
  input: CreatePrivateEndpointInput,
  options: WaitOptions = {},
): Promise<EnsuredPrivateEndpoint> {
  const action = ACTIONS.ensure;
  const { service } = checkCreateInput(action, input);
  const time = budget(action, options);
  const provider = PROVIDERS[service.cloudProvider];
  const ref: PrivateEndpointRef = { ...service, endpointId: requestedId(input) };

  let outcome: EnsuredPrivateEndpoint["outcome"] = "created";
  let existing: PrivateEndpoint | undefined;
  try {
    existing = await getPrivateEndpoint(client, ref, time.step({}));
  } catch (error) {
    if (!(error instanceof AtlasApiError && error.status === 404)) throw error;
  }
  if (existing !== undefined) {
    const status = privateEndpointStatus(existing);
    const deleting = existing.deleteRequested === true || status === "DELETING";
    if (deleting || provider.ended.includes(status)) {
      if (!deleting) {
        await checkNotLast(client, ref, existing, status, time);
        await deletePrivateEndpoint(client, ref, time.step({}));
      }
      await waitForPrivateEndpointDeletion(client, ref, deletion(options, time));
      outcome = "replaced";
    } else {
      outcome = "reused";
    }
  }
  // Creates it, or (reused) meets Atlas's 409 and returns the existing one when it is the same:
  // also one the read above missed (a port-mapped GCP endpoint under its rule's name, when the
  // input does not say so) or that another caller created meanwhile.
  const create: CreatePrivateEndpointOptions = {
    idempotent: true,
    onExisting: () => {
      if (outcome === "created") outcome = "reused";
    },
  };
  const created = await createPrivateEndpoint(client, input, time.step(create));
  // The id Atlas keeps (on a port-mapped GCP service, the one rule's name).
  const endpoint = await waitForPrivateEndpoint(client, {
    ...ref,
    endpointId: reportedId(created) ?? ref.endpointId,
  }, {
    ...options,
    timeoutMs: time.left(),
  });
  return { endpoint, outcome };
}

/**
 * Throws PrivateEndpointFailedError when the failed endpoint is its service's last one: Atlas
 * would remove the service with it.
 */
async function checkNotLast(
  client: AtlasClient,
  ref: PrivateEndpointRef,
  endpoint: PrivateEndpoint,
  status: string,
  time: Budget,
): Promise<void> {
  const service = await getEndpointService(client, ref, time.step({}));
  const ids = fieldOf(service, PROVIDERS[ref.cloudProvider].service.endpoints);
  const others = Array.isArray(ids)
    ? ids.filter((id) => String(id).toLowerCase() !== ref.endpointId.toLowerCase())
    : [];
  if (others.length > 0) return;
  throw new PrivateEndpointFailedError({
    action: ACTIONS.ensure,
    endpoint,
    status,
    endpointId: ref.endpointId,
    hint: "it is its service's only endpoint, and Atlas removes a service with its last " +
      "endpoint: delete it, then ensure the service and the cloud-side endpoint again",
  });
}
