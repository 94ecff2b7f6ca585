// What our Workers do once they have a client: create the AWS endpoint named in the request body
// with createPrivateEndpoint and wait for it with waitForPrivateEndpoint. Shared so that they
// differ only in how they build the client.
import {
  type AtlasClient,
  createPrivateEndpoint,
  privateEndpointId,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import type { WorkerEnv } from "./_create_and_wait.ts";

/** Creates the endpoint named in the request body and waits until it is available. */
export async function createAndWaitWith(
  client: AtlasClient,
  env: WorkerEnv,
  request: Request,
): Promise<Response> {
  const { vpcEndpointId } = (await request.json()) as { vpcEndpointId: string };
  const service = {
    groupId: env.GROUP_ID,
    endpointServiceId: env.ENDPOINT_SERVICE_ID,
    cloudProvider: "AWS" as const,
  };
  const created = await createPrivateEndpoint(client, { ...service, id: vpcEndpointId });
  const endpoint = await waitForPrivateEndpoint(client, {
    ...service,
    endpointId: privateEndpointId(created),
  });
  return Response.json(endpoint);
}
