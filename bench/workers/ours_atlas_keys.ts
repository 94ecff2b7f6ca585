// The same Worker with the convenience form createAtlasClient({ publicKey, privateKey }), which
// brings the service account code along.
import { createAtlasClient } from "../../mod.ts";
import { createAndWaitWith } from "./_ours_create_and_wait.ts";
import type { WorkerEnv } from "./_create_and_wait.ts";

export default {
  fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const client = createAtlasClient({
      publicKey: env.ATLAS_PUBLIC_KEY,
      privateKey: env.ATLAS_PRIVATE_KEY,
      baseUrl: env.ATLAS_BASE_URL,
    });
    return createAndWaitWith(client, env, request);
  },
};
