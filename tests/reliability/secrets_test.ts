// One sweep for leaked secrets: run the whole fault matrix, the CLI (in-process, against the
// simulator, with faults and with a wrong key) and the callbacks, collect everything they produce
// (error messages, stacks, cause chains, JSON.stringify, util.inspect of errors, events and the
// client, CLI stdout and stderr), and search it all for the private key and Digest header values.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { createPrivateEndpoint, getPrivateEndpoint } from "../../mod.ts";
import { runCli } from "../../src/cli/main.ts";
import { fakeIo } from "../cli/_fakes.ts";
import { SCENARIOS, SIMULATOR_SCENARIOS } from "./_faults.ts";
import { PRIVATE_KEY, PUBLIC_KEY, simulated, VPCE } from "./_setup.ts";

/** Everything a person or a log could see of `value`. */
function views(value: unknown): string[] {
  const out = [inspect(value, { depth: 20, showHidden: true, getters: true })];
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch (error) {
    out.push(String(error));
  }
  for (let e = value, depth = 0; e instanceof Error && depth < 10; depth++) {
    out.push(e.message, e.stack ?? "", String(e));
    e = e.cause;
  }
  if (value instanceof AggregateError) { for (const e of value.errors) out.push(...views(e)); }
  return out;
}

Deno.test("secrets never appear in errors, causes, events, the client or CLI output across the fault suite", async () => {
  const seen: string[] = [];
  let errors = 0;
  for (const scenario of [...SCENARIOS, ...SIMULATOR_SCENARIOS]) {
    const outcome = await scenario.run();
    if (outcome.error !== undefined) errors++;
    seen.push(...views(outcome.error), ...views(outcome.value));
    for (const event of outcome.retries) seen.push(...views(event));
  }
  assert.ok(errors >= 10, `${errors} scenarios ended in an error`);

  // The client itself, and callbacks' events, inspected.
  const env = await simulated({ rateLimit: { limit: 1 } });
  try {
    const events: unknown[] = [];
    const client = env.client({
      onRateLimit: (e) => events.push(e),
      // The 429's Retry-After (up to a minute) is above maxRetryAfterMs: thrown, not waited.
      retry: { maxAttempts: 2, maxRetryAfterMs: 0, onRetry: (e) => events.push(e) },
    });
    seen.push(...views(client));
    seen.push(...views(await createPrivateEndpoint(client, env.input("AWS"))));
    await getPrivateEndpoint(client, env.ref("AWS")).catch((e) => seen.push(...views(e)));
    assert.ok(events.length >= 2);
    seen.push(...views(events));
  } finally {
    await env.close();
  }

  // The CLI, in-process against the simulator: a fault it recovers from, one it does not, a
  // wrong key, JSON output.
  const cli = await simulated();
  try {
    const env = (privateKey: string): Record<string, string> => ({
      MONGODB_ATLAS_PUBLIC_API_KEY: PUBLIC_KEY,
      MONGODB_ATLAS_PRIVATE_API_KEY: privateKey,
      MONGODB_ATLAS_BASE_URL: cli.baseUrl,
    });
    const service = ["--group", cli.project.groupId, "--service", cli.project.AWS];
    const runs: [string[], string][] = [
      [["create", "aws", ...service, "--id", VPCE], PRIVATE_KEY],
      [["get", "aws", ...service, "--endpoint", VPCE, "--json"], PRIVATE_KEY],
      [["get", "aws", ...service, "--endpoint", VPCE], `${PRIVATE_KEY}-wrong`],
      [
        ["delete", "aws", ...service, "--endpoint", "vpce-ffffffffffffffff0", "--json"],
        PRIVATE_KEY,
      ],
    ];
    cli.sim.injectFault({ kind: "drop-response", operation: "create" });
    cli.sim.injectFault({ kind: "server-error", method: "DELETE", count: 9 });
    const codes: number[] = [];
    for (const [argv, key] of runs) {
      const io = fakeIo(env(key), { fetch: (request) => fetch(request) });
      codes.push(await runCli(argv, io));
      seen.push(io.out.text(), io.err.text());
    }
    assert.deepEqual(codes.map((c) => c === 0), [true, true, false, false], `exit codes ${codes}`);
  } finally {
    await cli.close();
  }

  const all = seen.join("\n");
  assert.ok(all.length > 10_000, `swept ${all.length} characters`);
  // The sweep would see a key hidden in a cause or a field.
  const planted = new Error("x", { cause: { detail: { key: PRIVATE_KEY } } });
  assert.ok(views(planted).join("\n").includes(PRIVATE_KEY));
  assert.ok(!all.includes(PRIVATE_KEY), "the private key leaked");
  assert.ok(!all.includes(PRIVATE_KEY.slice(0, 12)), "part of the private key leaked");
  assert.ok(!/Digest\s+username=/i.test(all), "an Authorization header leaked");
  assert.ok(!/\bresponse="[0-9a-f]{32}"/.test(all), "a Digest response leaked");
  assert.ok(!/\bcnonce="/.test(all), "a Digest cnonce leaked");
});
