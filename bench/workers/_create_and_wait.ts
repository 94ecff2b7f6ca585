// What a user writes by hand when the library only gives them an authenticated openapi-fetch
// client: create an AWS private endpoint, then poll it until it is AVAILABLE or has failed.
// Shared by the comparison workers so that they differ only in how they authenticate.
import type { Client } from "openapi-fetch";
import type { paths } from "../../gen/atlas.ts";

/** The bindings every comparison worker reads. */
export interface WorkerEnv {
  ATLAS_BASE_URL: string;
  ATLAS_PUBLIC_KEY: string;
  ATLAS_PRIVATE_KEY: string;
  GROUP_ID: string;
  ENDPOINT_SERVICE_ID: string;
}

/** Creates the endpoint named in the request body and waits until it settles. */
export async function createAndWait(
  client: Client<paths>,
  env: WorkerEnv,
  request: Request,
): Promise<Response> {
  const { vpcEndpointId } = (await request.json()) as { vpcEndpointId: string };
  const service = {
    groupId: env.GROUP_ID,
    cloudProvider: "AWS" as const,
    endpointServiceId: env.ENDPOINT_SERVICE_ID,
  };
  const created = await client.POST(
    "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint",
    { params: { path: service }, body: { id: vpcEndpointId } },
  );
  if (created.error) return Response.json(created.error, { status: created.response.status });
  for (let delayMs = 1_000;; delayMs = Math.min(delayMs * 2, 30_000)) {
    const read = await client.GET(
      "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}",
      { params: { path: { ...service, endpointId: vpcEndpointId } } },
    );
    if (read.error) return Response.json(read.error, { status: read.response.status });
    const endpoint = read.data;
    const status = endpoint.cloudProvider === "AWS" ? endpoint.connectionStatus : endpoint.status;
    if (status === "AVAILABLE") return Response.json(endpoint);
    if (status === "REJECTED" || status === "FAILED") {
      return Response.json(endpoint, { status: 502 });
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
