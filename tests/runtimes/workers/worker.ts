// A Cloudflare Worker that uses the library, as a user writes it (the runtime tests copy it into a
// fresh project importing "atlas-private-endpoint", bundle it with esbuild as Wrangler would, and
// run it on workerd through Miniflare). It creates a private endpoint, waits until it is AVAILABLE,
// reads it, and answers JSON.
import { createWaitAndRead } from "../consumer/flow.ts";
import { respond } from "./_respond.ts";

/** The Worker's bindings (secrets in production: `wrangler secret put ATLAS_PRIVATE_KEY`). */
export interface Env {
  /** The API base URL (the simulator's on loopback in the tests). */
  ATLAS_BASE_URL: string;
  /** The API key's public key. */
  ATLAS_PUBLIC_KEY: string;
  /** The API key's private key. */
  ATLAS_PRIVATE_KEY: string;
  /** The project id. */
  GROUP_ID: string;
  /** The AWS endpoint service id. */
  ENDPOINT_SERVICE_ID: string;
}

const worker = {
  async fetch(request: Request, env: Env): Promise<Response> {
    const vpcEndpointId = new URL(request.url).searchParams.get("vpce") ?? "";
    return await respond(() =>
      createWaitAndRead({
        baseUrl: env.ATLAS_BASE_URL,
        publicKey: env.ATLAS_PUBLIC_KEY,
        privateKey: env.ATLAS_PRIVATE_KEY,
        groupId: env.GROUP_ID,
        endpointServiceId: env.ENDPOINT_SERVICE_ID,
        vpcEndpointId,
        pollIntervalMs: 10,
      })
    );
  },
};

export default worker;
