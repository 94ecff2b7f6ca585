// The floor: openapi-fetch and noble's MD5 alone, the least any Digest Worker on openapi-fetch
// must ship. It hashes in a middleware so that the bundler keeps MD5.
import createClient from "openapi-fetch";
import { md5 } from "@noble/hashes/legacy.js";
import type { paths } from "../../gen/atlas.ts";
import { createAndWait, type WorkerEnv } from "./_create_and_wait.ts";

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const client = createClient<paths>({ baseUrl: env.ATLAS_BASE_URL });
    client.use({
      onRequest({ request }): Request {
        const digest = md5(new TextEncoder().encode(request.url));
        request.headers.set("x-md5", Array.from(digest, (b) => b.toString(16)).join(""));
        return request;
      },
    });
    return await createAndWait(client, env, request);
  },
};
