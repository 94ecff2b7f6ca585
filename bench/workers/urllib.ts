// urllib (what mongodb-atlas-api-client uses) in a Worker: the bundle is attempted to show
// whether it can be built for Workers at all (urllib targets Node: undici, node:http).
import { request as urllibRequest } from "urllib";
import type { WorkerEnv } from "./_create_and_wait.ts";

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const { vpcEndpointId } = (await request.json()) as { vpcEndpointId: string };
    const base =
      `${env.ATLAS_BASE_URL}/groups/${env.GROUP_ID}/privateEndpoint/AWS/endpointService/${env.ENDPOINT_SERVICE_ID}/endpoint`;
    const digestAuth = `${env.ATLAS_PUBLIC_KEY}:${env.ATLAS_PRIVATE_KEY}`;
    await urllibRequest(base, {
      method: "POST",
      digestAuth,
      data: { id: vpcEndpointId },
      contentType: "json",
    });
    for (let delayMs = 1_000;; delayMs = Math.min(delayMs * 2, 30_000)) {
      const read = await urllibRequest(`${base}/${vpcEndpointId}`, {
        digestAuth,
        dataType: "json",
      });
      const status = (read.data as { connectionStatus?: string }).connectionStatus;
      if (status === "AVAILABLE" || status === "REJECTED") return Response.json(read.data);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  },
};
