// The same Worker as digest_fetch.ts, with our digestAuth middleware instead: the like-for-like
// comparison of the Digest part alone.
import createClient from "openapi-fetch";
import { digestAuth } from "../../mod.ts";
import type { paths } from "../../gen/atlas.ts";
import { createAndWait, type WorkerEnv } from "./_create_and_wait.ts";

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const client = createClient<paths>({ baseUrl: env.ATLAS_BASE_URL });
    client.use(digestAuth({ username: env.ATLAS_PUBLIC_KEY, password: env.ATLAS_PRIVATE_KEY }));
    return await createAndWait(client, env, request);
  },
};
