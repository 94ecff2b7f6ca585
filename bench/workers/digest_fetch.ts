// The comparison Worker: openapi-fetch authenticated with digest-fetch, create and wait by hand.
// digest-fetch reads a Request's URL but not its method, headers or body, so the adapter passes
// them as options. Bundled with `node-fetch` external (digest-fetch imports it when there is no
// global fetch; a Worker always has one).
import createClient from "openapi-fetch";
import DigestClient from "digest-fetch";
import type { paths } from "../../gen/atlas.ts";
import { createAndWait, type WorkerEnv } from "./_create_and_wait.ts";

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const digest = new DigestClient(env.ATLAS_PUBLIC_KEY, env.ATLAS_PRIVATE_KEY);
    const client = createClient<paths>({
      baseUrl: env.ATLAS_BASE_URL,
      fetch: async (req) =>
        await digest.fetch(req.url, {
          method: req.method,
          headers: req.headers,
          body: req.body ? await req.text() : undefined,
        }),
    });
    return await createAndWait(client, env, request);
  },
};
