// A consumer of the npm package, as a user writes it (the runtime tests copy this file into a
// fresh project with the package installed, importing "atlas-private-endpoint"). Node runs it
// compiled by tsc; Bun runs it as is. It starts the package's Atlas simulator on a loopback port,
// creates and reads a private endpoint through it, prints one JSON line with what it observed,
// and exits 1 on any failed assertion.
import assert from "node:assert/strict";
import { createDigestFetch, DigestAuthError } from "@atlas-edge/private-endpoint";
import {
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  serve,
} from "@atlas-edge/private-endpoint/testing";
import { createAndReadAwsEndpoint, type FlowResult } from "./flow.ts";

/** What this consumer observed, printed as one JSON line. */
export interface ConsumerResult extends FlowResult {
  runtime: string;
  simulatorStatus: string | undefined;
  authenticatedRequests: number;
  wrongKeyError: string;
}

function runtimeName(): string {
  const g = globalThis as {
    Bun?: { version: string };
    Deno?: { version: { deno: string } };
    process?: { version: string };
  };
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  return `node ${g.process?.version ?? "?"}`;
}

async function main(): Promise<ConsumerResult> {
  const simulator = createAtlasSimulator({ timeScale: 0 });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const server = await serve(simulator.fetch);
  try {
    const baseUrl = server.url + simulator.basePath;
    const vpcEndpointId = "vpce-0a1b2c3d4e5f60718";
    const flow = await createAndReadAwsEndpoint({
      baseUrl,
      ...DEFAULT_SIMULATOR_API_KEY,
      groupId,
      endpointServiceId,
      vpcEndpointId,
    });
    assert.equal(flow.createStatus, 200);
    assert.equal(flow.readStatus, 200);
    assert.equal(flow.read.interfaceEndpointId, vpcEndpointId);
    const seen = simulator.getEndpoint({
      groupId,
      cloudProvider: "AWS",
      endpointServiceId,
      endpointId: vpcEndpointId,
    });
    assert.ok(seen, "the simulator holds the endpoint");

    // A wrong private key is rejected with a typed error (and no secret in it).
    const wrong = createDigestFetch({ username: "simulator-public-key", password: "wrong" });
    const error = await wrong(`${baseUrl}/groups/${groupId}/privateEndpoint/AWS/endpointService`)
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof DigestAuthError, String(error));
    assert.equal(error.code, "CREDENTIALS_REJECTED");
    assert.doesNotMatch(`${error.message} ${error.stack}`, /wrong/);

    return {
      runtime: runtimeName(),
      ...flow,
      simulatorStatus: seen.status,
      authenticatedRequests: simulator.stats.authenticated,
      wrongKeyError: `${error.name} ${error.code}`,
    };
  } finally {
    await server.close();
  }
}

// Types are real, not `any`: each line below must be a type error (never called).
export function typeErrors(): void {
  // @ts-expect-error: the code must be one of the documented codes
  new DigestAuthError("x", { code: "NOT_A_CODE" });
  // @ts-expect-error: serve() takes a fetch handler
  void serve("not a handler");
  // @ts-expect-error: a password is required
  createDigestFetch({ username: "u" });
}

// deno-lint-ignore no-console -- the result line the runtime tests read
console.log(JSON.stringify(await main()));
