// Every operation through both API versions, with both ways to authenticate, against the
// simulator over loopback: create, get, wait and delete for AWS, Azure and GCP; the media types
// sent and received.
import assert from "node:assert/strict";
import {
  type AtlasApiVersion,
  createAtlasClient,
  createPrivateEndpoint,
  type CreatePrivateEndpointInput,
  deletePrivateEndpoint,
  getPrivateEndpoint,
  privateEndpointId,
  privateEndpointStatus,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import {
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
  serve,
} from "../../src/testing/mod.ts";

const AZURE_ID =
  "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/app-rg/providers/Microsoft.Network/privateEndpoints/atlas-pe";

function inputFor(
  provider: "AWS" | "AZURE" | "GCP",
  service: { groupId: string; endpointServiceId: string },
): CreatePrivateEndpointInput {
  if (provider === "AWS") return { ...service, cloudProvider: "AWS", id: "vpce-0123456789abcdef0" };
  if (provider === "AZURE") {
    return {
      ...service,
      cloudProvider: "AZURE",
      id: AZURE_ID,
      privateEndpointIPAddress: "10.0.0.4",
    };
  }
  return {
    ...service,
    cloudProvider: "GCP",
    endpointGroupName: "atlas-group-1",
    gcpProjectId: "customer-project-123",
    endpoints: [{ endpointName: "atlas-rule-0", ipAddress: "10.142.0.5" }],
  };
}

interface Seen {
  method: string;
  path: string;
  accept: string | null;
  contentType: string | null;
  authorization: string;
  status: number;
  responseType: string | null;
}

const VERSIONS: readonly AtlasApiVersion[] = ["v1.0", "2023-01-01"];
const AUTH = {
  "API key": DEFAULT_SIMULATOR_API_KEY,
  "service account": DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
} as const;

for (const apiVersion of VERSIONS) {
  for (const [authName, credentials] of Object.entries(AUTH)) {
    for (const provider of ["AWS", "AZURE", "GCP"] as const) {
      Deno.test(`createPrivateEndpoint(), getPrivateEndpoint(), waitForPrivateEndpoint() and deletePrivateEndpoint() work on API ${apiVersion} with ${authName} credentials for ${provider} over loopback`, async () => {
        let now = 0;
        const sim = createAtlasSimulator({ now: () => now });
        const { groupId, ...services } = sim.seed();
        const server = await serve(sim.fetch);
        const seen: Seen[] = [];
        try {
          const v2 = apiVersion !== "v1.0";
          const client = createAtlasClient({
            ...credentials,
            apiVersion,
            baseUrl: `${server.url}${v2 ? sim.v2BasePath : sim.basePath}`,
            fetch: async (request: Request) => {
              const entry = {
                method: request.method,
                path: new URL(request.url).pathname,
                accept: request.headers.get("accept"),
                contentType: request.headers.get("content-type"),
                authorization: (request.headers.get("authorization") ?? "").split(" ")[0]!,
              };
              const response = await fetch(request);
              seen.push({
                ...entry,
                status: response.status,
                responseType: response.headers.get("content-type"),
              });
              return response;
            },
          } as never);
          const service = { groupId, endpointServiceId: services[provider] };
          const created = await createPrivateEndpoint(client, inputFor(provider, service));
          assert.equal(created.cloudProvider, provider);
          const ref = {
            ...service,
            cloudProvider: provider,
            endpointId: privateEndpointId(created),
          };
          const read = await getPrivateEndpoint(client, ref);
          assert.equal(privateEndpointId(read), privateEndpointId(created));
          const ready = await waitForPrivateEndpoint(client, ref, {
            pollIntervalMs: 1_000,
            clock: { now: () => now, sleep: (ms) => Promise.resolve(void (now += ms)) },
          });
          assert.equal(privateEndpointStatus(ready), "AVAILABLE");
          await deletePrivateEndpoint(client, ref);
          assert.equal(sim.getEndpoint(ref)?.deleteRequested, true);

          const api = seen.filter((s) => s.path.includes("/api/atlas/"));
          const prefix = v2 ? "/api/atlas/v2/" : "/api/atlas/v1.0/";
          assert.ok(api.every((s) => s.path.startsWith(prefix)));
          const mediaType = v2 ? "application/vnd.atlas.2023-01-01+json" : "application/json";
          assert.ok(api.every((s) => s.accept === mediaType), JSON.stringify(api));
          const posts = api.filter((s) => s.method === "POST");
          assert.ok(posts.length >= 1 && posts.every((s) => s.contentType === mediaType));
          assert.ok(api.filter((s) => s.method !== "POST").every((s) => s.contentType === null));
          const ok = api.filter((s) => s.status === 200);
          assert.ok(ok.length >= 3);
          assert.ok(ok.every((s) => s.responseType === mediaType), JSON.stringify(ok));
          const deleted = api.find((s) => s.method === "DELETE" && s.status < 300)!;
          assert.equal(deleted.status, v2 ? 204 : 200);
          const scheme = authName === "API key" ? "Digest" : "Bearer";
          assert.ok(api.filter((s) => s.status < 300).every((s) => s.authorization === scheme));
        } finally {
          await server.close();
        }
      });
    }
  }
}
