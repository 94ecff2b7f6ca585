// A consumer of the npm package, as a user writes it (the runtime tests copy this file into a
// fresh project with the package installed, importing "atlas-private-endpoint"). Node runs it
// compiled by tsc; Bun runs it as is. It starts the package's Atlas simulator on a loopback port,
// creates and reads a private endpoint through it, runs a whole setup (consumer/setup.ts) for each
// scenario given as JSON in its first argument (one per provider), each at the same time in a
// project with no endpoint service yet, prints one JSON line with what it observed, and exits 1
// on any failed assertion.
import assert from "node:assert/strict";
import {
  AtlasApiError,
  createAtlasClient,
  createDigestFetch,
  createPrivateEndpoint,
  DigestAuthError,
} from "@atlas-edge/private-endpoint";
import {
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  serve,
} from "@atlas-edge/private-endpoint/testing";
import { createWaitAndRead, type FlowResult } from "./flow.ts";
import { type SetupResult, type SetupScenario, wholeSetup } from "./setup.ts";

/** What this consumer observed, printed as one JSON line. */
export interface ConsumerResult extends FlowResult {
  runtime: string;
  simulatorStatus: string | undefined;
  wrongKeyError: string;
  digestFetchStatus: number;
  /** The whole setup of each scenario, in the order given, each in a project of its own. */
  setups: SetupResult[];
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
  // Life cycles 20 times faster than Atlas: AWS is AVAILABLE after 250 ms.
  const simulator = createAtlasSimulator({ timeScale: 0.05 });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const server = await serve(simulator.fetch);
  try {
    const baseUrl = server.url + simulator.basePath;
    const vpcEndpointId = "vpce-0a1b2c3d4e5f60718";
    const flow = await createWaitAndRead({
      baseUrl,
      ...DEFAULT_SIMULATOR_API_KEY,
      groupId,
      endpointServiceId,
      vpcEndpointId,
      pollIntervalMs: 10,
    });
    const seen = simulator.getEndpoint({
      groupId,
      cloudProvider: "AWS",
      endpointServiceId,
      endpointId: vpcEndpointId,
    });
    assert.ok(seen, "the simulator holds the endpoint");

    // A wrong private key is rejected with a typed error, and the key is in no message.
    const wrongClient = createAtlasClient({
      publicKey: DEFAULT_SIMULATOR_API_KEY.publicKey,
      privateKey: "wrong-private-key",
      baseUrl,
    });
    const error = await createPrivateEndpoint(wrongClient, {
      cloudProvider: "AWS",
      groupId,
      endpointServiceId,
      id: "vpce-0a1b2c3d4e5f60719",
    }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof AtlasApiError || error instanceof DigestAuthError, String(error));
    assert.doesNotMatch(`${error.message} ${error.stack}`, /wrong-private-key/);
    const code = error instanceof AtlasApiError ? error.status : error.code;

    // The plain fetch wrapper, for calls the typed client does not cover.
    const digestFetch = createDigestFetch({
      username: DEFAULT_SIMULATOR_API_KEY.publicKey,
      password: DEFAULT_SIMULATOR_API_KEY.privateKey,
    });
    const raw = await digestFetch(
      `${baseUrl}/groups/${groupId}/privateEndpoint/AWS/endpointService/${endpointServiceId}` +
        `/endpoint/${vpcEndpointId}`,
    );
    assert.equal((await raw.json()).connectionStatus, "AVAILABLE");

    // A user's whole setup per scenario, each in a project with no endpoint service yet.
    const scenarios = JSON.parse(process.argv[2] ?? "[]") as SetupScenario[];
    const setups = await Promise.all(scenarios.map((scenario) =>
      wholeSetup({
        ...scenario,
        baseUrl,
        ...DEFAULT_SIMULATOR_API_KEY,
        groupId: simulator.addGroup(),
        pollIntervalMs: 10,
      })
    ));

    return {
      runtime: runtimeName(),
      ...flow,
      simulatorStatus: seen.status,
      wrongKeyError: `${error.name} ${code}`,
      digestFetchStatus: raw.status,
      setups,
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
  // @ts-expect-error: an AWS endpoint needs its vpce id (`id`)
  void createPrivateEndpoint(createAtlasClient({ publicKey: "p", privateKey: "k" }), {
    cloudProvider: "AWS",
    groupId: "g",
    endpointServiceId: "s",
  });
}

// deno-lint-ignore no-console -- the result line the runtime tests read
console.log(JSON.stringify(await main()));
