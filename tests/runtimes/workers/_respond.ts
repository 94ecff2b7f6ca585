// What the test Workers answer: the JSON result of their flow, or the error it threw (name,
// message and, for an Atlas error, the HTTP status) with status 500.
import { AtlasApiError } from "@atlas-edge/private-endpoint";

/** Runs `flow` and answers its result as JSON, or its error with status 500. */
export async function respond(flow: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await flow());
  } catch (error) {
    const { name, message } = error as Error;
    const status = error instanceof AtlasApiError ? error.status : undefined;
    return Response.json({ error: { name, message, status } }, { status: 500 });
  }
}
