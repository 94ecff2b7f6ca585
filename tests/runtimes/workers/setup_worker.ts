// A Cloudflare Worker that runs a user's whole setup (consumer/setup.ts): ensures the project's AWS
// endpoint service in a region, ensures the private endpoint until AVAILABLE, lists it, and tears
// both down, answering JSON with what each step observed. The runtime tests bundle it with esbuild
// as Wrangler would, apart from workers/worker.ts (whose bundle size they record), and run it on
// workerd through Miniflare.
import { wholeSetup } from "../consumer/setup.ts";
import { respond } from "./_respond.ts";
import type { Env as WorkerEnv } from "./worker.ts";

/** The Worker's bindings: those of workers/worker.ts but the service, which the setup ensures. */
export type Env = Omit<WorkerEnv, "ENDPOINT_SERVICE_ID">;

const worker = {
  async fetch(request: Request, env: Env): Promise<Response> {
    const query = new URL(request.url).searchParams;
    return await respond(() =>
      wholeSetup({
        baseUrl: env.ATLAS_BASE_URL,
        publicKey: env.ATLAS_PUBLIC_KEY,
        privateKey: env.ATLAS_PRIVATE_KEY,
        groupId: env.GROUP_ID,
        region: query.get("region") ?? "",
        otherRegion: query.get("otherRegion") ?? "",
        vpcEndpointId: query.get("vpce") ?? "",
        pollIntervalMs: 10,
      })
    );
  },
};

export default worker;
