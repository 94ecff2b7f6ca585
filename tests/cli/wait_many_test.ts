// `wait` with several --endpoint, in-process against the simulator: a line per status change
// naming its endpoint, one result line per endpoint, the exit code of the first that did not
// become AVAILABLE, and JSON with one record per endpoint.
import assert from "node:assert/strict";
import { runCli } from "../../src/cli/main.ts";
import { createAtlasClient, createPrivateEndpoint } from "../../mod.ts";
import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "../../src/testing/mod.ts";
import { fakeIo } from "./_fakes.ts";

const IDS = ["vpce-0aaaaaaaaaaaaaaaa", "vpce-0bbbbbbbbbbbbbbbb", "vpce-0cccccccccccccccc"];

/** A simulator with IDS[0] on its way to AVAILABLE, IDS[1] to REJECTED, IDS[2] never created. */
async function simulated(): Promise<{
  fetch: (request: Request) => Promise<Response>;
  argv: string[];
  env: Record<string, string>;
}> {
  const simulator = createAtlasSimulator({
    timeScale: 0.002,
    failEndpoints: { [IDS[1]!]: "The endpoint was rejected in AWS" },
  });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const atlas = createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
  const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
  for (const id of IDS.slice(0, 2)) await createPrivateEndpoint(atlas, { ...service, id });
  return {
    fetch: simulator.fetch,
    argv: ["wait", "aws", "--group", groupId, "--service", endpointServiceId],
    env: {
      MONGODB_ATLAS_PUBLIC_API_KEY: DEFAULT_SIMULATOR_API_KEY.publicKey,
      MONGODB_ATLAS_PRIVATE_API_KEY: DEFAULT_SIMULATOR_API_KEY.privateKey,
    },
  };
}

Deno.test("cli wait with several --endpoint shows one line per endpoint and exits as the first that failed", async () => {
  const sim = await simulated();
  const io = fakeIo(sim.env, { fetch: sim.fetch });
  const endpoints = IDS.flatMap((id) => ["--endpoint", id]);
  const code = await runCli([...sim.argv, ...endpoints, "--poll-interval", "5ms"], io);
  const out = io.out.text();
  const err = io.err.text();
  assert.equal(code, 4, err); // IDS[1] REJECTED comes before IDS[2]'s 404 (exit 3)
  assert.match(err, /^Waiting for 3 private endpoints, up to 1h\n/);
  // A line for each status change, naming its endpoint.
  assert.match(err, new RegExp(`AWS private endpoint ${IDS[0]} +AVAILABLE\\n`));
  assert.match(err, new RegExp(`AWS private endpoint ${IDS[1]} +REJECTED\\n`));
  assert.match(err, /1 of 3 private endpoints AVAILABLE after \d+s\n$/);
  // One result line per endpoint, in the order given.
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 3, out);
  assert.match(lines[0]!, new RegExp(`^AWS private endpoint ${IDS[0]} +AVAILABLE$`));
  assert.match(
    lines[1]!,
    new RegExp(`^AWS private endpoint ${IDS[1]} is REJECTED .*rejected in AWS`),
  );
  assert.match(lines[2]!, new RegExp(`^AWS private endpoint ${IDS[2]}: Cannot get .*: 404 `));
});

Deno.test("cli wait --json with several --endpoint prints one record per endpoint", async () => {
  const sim = await simulated();
  const io = fakeIo(sim.env, { fetch: sim.fetch });
  const code = await runCli([
    ...sim.argv,
    "--endpoint",
    `${IDS[0]},${IDS[2]}`, // a list flag: commas work too
    "--poll-interval",
    "5ms",
    "--json",
  ], io);
  assert.equal(code, 3); // the 404 of IDS[2]
  const records = JSON.parse(io.out.text());
  assert.deepEqual(
    records.map((r: { endpointId: string; outcome: string }) => [r.endpointId, r.outcome]),
    [[IDS[0], "available"], [IDS[2], "failed"]],
  );
  assert.equal(records[0].endpoint.connectionStatus, "AVAILABLE");
  assert.equal(records[1].error.exitCode, 3);
});
