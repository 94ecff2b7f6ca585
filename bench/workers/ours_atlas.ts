// The headline Worker: our library creates an AWS private endpoint and waits until it settles,
// authenticated with an API key in the tree-shakable form (atlasClient + apiKey).
import { apiKey, atlasClient } from "../../mod.ts";
import { createAndWaitWith } from "./_ours_create_and_wait.ts";
import type { WorkerEnv } from "./_create_and_wait.ts";

export default {
  fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const client = atlasClient({
      auth: apiKey(env.ATLAS_PUBLIC_KEY, env.ATLAS_PRIVATE_KEY),
      baseUrl: env.ATLAS_BASE_URL,
    });
    return createAndWaitWith(client, env, request);
  },
};
