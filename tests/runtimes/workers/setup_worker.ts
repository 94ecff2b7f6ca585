// A Cloudflare Worker that runs a user's whole setup (consumer/setup.ts) for the scenario in its
// query (`?groupId=...&scenario=<JSON>`, one provider's): ensures the project's endpoint service in
// a region, ensures the private endpoint until AVAILABLE, lists it, and tears both down, answering
// JSON with what each step observed. The runtime tests bundle it with esbuild as Wrangler would,
// apart from workers/worker.ts (whose bundle size they record), and run it on workerd through
// Miniflare.
import { type SetupScenario, wholeSetup } from "../consumer/setup.ts";
import { respond } from "./_respond.ts";
import type { Env as WorkerEnv } from "./worker.ts";

/** The Worker's bindings: the API's and its key's of workers/worker.ts (the query names the rest). */
export type Env = Omit<WorkerEnv, "ENDPOINT_SERVICE_ID" | "GROUP_ID">;

const worker = {
  async fetch(request: Request, env: Env): Promise<Response> {
    const query = new URL(request.url).searchParams;
    return await respond(() =>
      wholeSetup({
        ...JSON.parse(query.get("scenario") ?? "{}") as SetupScenario,
        baseUrl: env.ATLAS_BASE_URL,
        publicKey: env.ATLAS_PUBLIC_KEY,
        privateKey: env.ATLAS_PRIVATE_KEY,
        groupId: query.get("groupId") ?? "",
        pollIntervalMs: 10,
      })
    );
  },
};

export default worker;
