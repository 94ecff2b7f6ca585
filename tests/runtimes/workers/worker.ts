// A Cloudflare Worker that uses the library, as a user writes it (the runtime tests copy it into a
// fresh project importing "atlas-private-endpoint", bundle it with esbuild as Wrangler would, and
// run it on workerd through Miniflare). It answers one JSON object describing what it did.
import { DigestAuthError } from "@atlas-edge/private-endpoint";

/** The Worker's bindings. */
export interface Env {
  /** Where the Digest server listens (a loopback URL, or any URL when outboundService answers). */
  TARGET_URL: string;
}

/** What the Worker observed. */
export interface WorkerResult {
  challengeStatus: number;
  challenge: string;
  errorName: string;
}

const worker = {
  async fetch(_request: Request, env: Env): Promise<Response> {
    try {
      const response = await fetch(`${env.TARGET_URL}/api/atlas/v2/groups`);
      await response.body?.cancel();
      const result: WorkerResult = {
        challengeStatus: response.status,
        challenge: response.headers.get("www-authenticate") ?? "",
        errorName: new DigestAuthError("x", { code: "NO_DIGEST_CHALLENGE" }).name,
      };
      return Response.json(result);
    } catch (error) {
      const { name, message } = error as Error;
      return Response.json({ error: { name, message } }, { status: 500 });
    }
  },
};

export default worker;
