// digest-fetch alone, no typed client: one authenticated GET, for its own size.
import DigestClient from "digest-fetch";
import type { WorkerEnv } from "./_create_and_wait.ts";

export default {
  async fetch(_request: Request, env: WorkerEnv): Promise<Response> {
    const digest = new DigestClient(env.ATLAS_PUBLIC_KEY, env.ATLAS_PRIVATE_KEY);
    return await digest.fetch(`${env.ATLAS_BASE_URL}/groups/${env.GROUP_ID}`, {});
  },
};
