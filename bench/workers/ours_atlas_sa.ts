// The headline Worker with a service account (atlasClient + serviceAccount): no Digest engine.
import { atlasClient, serviceAccount } from "../../mod.ts";
import { createAndWaitWith } from "./_ours_create_and_wait.ts";
import type { WorkerEnv } from "./_create_and_wait.ts";

export default {
  fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const client = atlasClient({
      auth: serviceAccount({ clientId: env.ATLAS_PUBLIC_KEY, clientSecret: env.ATLAS_PRIVATE_KEY }),
      baseUrl: env.ATLAS_BASE_URL,
    });
    return createAndWaitWith(client, env, request);
  },
};
