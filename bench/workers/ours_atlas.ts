// The headline Worker: our library creates an AWS private endpoint and waits until it settles.
import {
  createAtlasClient,
  createPrivateEndpoint,
  privateEndpointId,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import type { WorkerEnv } from "./_create_and_wait.ts";

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const { vpcEndpointId } = (await request.json()) as { vpcEndpointId: string };
    const client = createAtlasClient({
      publicKey: env.ATLAS_PUBLIC_KEY,
      privateKey: env.ATLAS_PRIVATE_KEY,
      baseUrl: env.ATLAS_BASE_URL,
    });
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
  },
};
