// A simulator with a seeded project, a manual clock and a test Digest client, for the tests.
import assert from "node:assert/strict";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  type SeededProject,
  type SimulatorCloudProvider,
} from "../../src/testing/atlas_simulator.ts";
import { createTestDigestClient, type TestFetch } from "./_digest_helper.ts";

export const AWS_ID = "vpce-0123456789abcdef0";
export const AZURE_ID =
  "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/app-rg/providers/Microsoft.Network/privateEndpoints/atlas-pe";
export const GCP_GROUP = "atlas-endpoint-group";

export const BODIES: Record<SimulatorCloudProvider, Record<string, unknown>> = {
  AWS: { id: AWS_ID },
  AZURE: { id: AZURE_ID, privateEndpointIPAddress: "10.0.0.4" },
  GCP: {
    endpointGroupName: GCP_GROUP,
    gcpProjectId: "customer-project-123",
    endpoints: [
      { endpointName: "atlas-endpoint-0", ipAddress: "10.142.0.5" },
      { endpointName: "atlas-endpoint-1", ipAddress: "10.142.0.6" },
    ],
  },
};

/** The body of Atlas's 401, as live Atlas sends it: no errorCode, no parameters. */
export const UNAUTHORIZED_BODY = {
  error: 401,
  reason: "Unauthorized",
  detail: "You are not authorized for this resource.",
};

export const IDS: Record<SimulatorCloudProvider, string> = {
  AWS: AWS_ID,
  AZURE: AZURE_ID,
  GCP: GCP_GROUP,
};

export interface Fixture {
  sim: AtlasSimulator;
  project: SeededProject;
  client: TestFetch;
  /** The collection path of a provider's seeded service. */
  collection(provider: SimulatorCloudProvider): string;
  /** The item path of an endpoint (the id percent-encoded as one segment). */
  item(provider: SimulatorCloudProvider, endpointId?: string): string;
  /** POSTs a provider's default body (or `body`) and returns the response. */
  create(provider: SimulatorCloudProvider, body?: unknown): Promise<Response>;
  advance(ms: number): void;
}

export function fixture(options: AtlasSimulatorOptions = {}): Fixture {
  let t = 1_700_000_000_000;
  const sim = createAtlasSimulator({ now: () => t, ...options });
  const project = sim.seed();
  const client = createTestDigestClient(
    sim.fetch,
    `http://127.0.0.1${sim.basePath}`,
    DEFAULT_SIMULATOR_API_KEY.publicKey,
    DEFAULT_SIMULATOR_API_KEY.privateKey,
  );
  const collection = (provider: SimulatorCloudProvider) =>
    `/groups/${project.groupId}/privateEndpoint/${provider}/endpointService/${
      project[provider]
    }/endpoint`;
  return {
    sim,
    project,
    client,
    collection,
    item: (provider, endpointId = IDS[provider]) =>
      `${collection(provider)}/${encodeURIComponent(endpointId)}`,
    create: (provider, body = BODIES[provider]) =>
      client(collection(provider), { method: "POST", body: JSON.stringify(body) }),
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface ExpectedError {
  status: number;
  errorCode: string;
  parameters?: unknown[];
}

/** Asserts an Atlas error answer: status, JSON content type, no rate headers, Atlas's fields. */
export async function assertAtlasError(response: Response, expected: ExpectedError): Promise<void> {
  assert.equal(response.status, expected.status);
  assert.equal(response.headers.get("content-type"), "application/json");
  assert.equal(
    response.headers.get("ratelimit-limit"),
    null,
    "rate headers only on success (without rateLimit)",
  );
  const body = await response.json();
  assert.deepEqual(Object.keys(body).sort(), [
    "detail",
    "error",
    "errorCode",
    "parameters",
    "reason",
  ]);
  assert.equal(body.error, expected.status);
  assert.equal(body.errorCode, expected.errorCode);
  assert.equal(typeof body.detail, "string");
  assert.equal(typeof body.reason, "string");
  if (expected.parameters) assert.deepEqual(body.parameters, expected.parameters);
}
