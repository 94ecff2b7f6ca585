// One sweep for leaked secrets: run the whole fault matrix, the CLI (in-process, against the
// simulator, with faults and with a wrong key) and the callbacks, collect everything they produce
// (error messages, stacks, cause chains, JSON.stringify, util.inspect of errors, events and the
// client, CLI stdout and stderr), and search it all for the private key and Digest header values.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  type AtlasClient,
  createPrivateEndpoint,
  deletePrivateEndpoint,
  getPrivateEndpoint,
  waitForPrivateEndpoint,
} from "../../mod.ts";
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
      // Without the budget, which would wait for the refill instead of meeting the 429.
      rateLimit: false,
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
  // The CLI redacts its own output: a leak there would show as "[redacted]", not as the key.
  assert.ok(!all.includes("[redacted]"), "a secret reached the output (redacted on the way)");
  assert.ok(!all.includes(PRIVATE_KEY), "the private key leaked");
  assert.ok(!all.includes(PRIVATE_KEY.slice(0, 12)), "part of the private key leaked");
  assert.ok(!/Digest\s+username=/i.test(all), "an Authorization header leaked");
  assert.ok(!/\bresponse="[0-9a-f]{32}"/.test(all), "a Digest response leaked");
  assert.ok(!/\bcnonce="/.test(all), "a Digest cnonce leaked");
});

const SA_ID = "mdb_sa_id_0123456789abcdef0123reli";
const SA_SECRET = "mdb_sa_sk_REL-s3cr3t-7d1e9a";

Deno.test("service account secrets and bearer tokens never appear in errors, events or CLI output across faults", async () => {
  const tokens: string[] = [];
  const env = await simulated(
    { serviceAccounts: { [SA_ID]: SA_SECRET } },
    async (request, forward) => {
      const response = await forward();
      if (new URL(request.url).pathname === "/api/oauth/token" && response.ok) {
        const body = await response.clone().json();
        tokens.push(body.access_token);
      }
      return response;
    },
  );
  const seen: string[] = [];
  const collect = async (run: () => Promise<unknown>): Promise<void> => {
    try {
      seen.push(...views(await run()));
    } catch (error) {
      seen.push(...views(error));
    }
  };
  try {
    const events: unknown[] = [];
    const client = (secret = SA_SECRET): AtlasClient =>
      env.client({
        publicKey: undefined,
        privateKey: undefined,
        clientId: SA_ID,
        clientSecret: secret,
        onRateLimit: (e: unknown) => events.push(e),
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 0 },
      } as never);
    const atlas = client();
    seen.push(...views(atlas));
    // Unknown outcome (recovered by the read-back), server errors, then revoked
    // tokens, a removed account's wrong secret, a wait that fails.
    env.sim.injectFault({ kind: "drop-response", operation: "create" });
    await collect(() => createPrivateEndpoint(atlas, env.input("AWS")));
    env.sim.injectFault({ kind: "server-error", method: "GET", count: 9 });
    await collect(() => getPrivateEndpoint(atlas, env.ref("AWS")));
    env.sim.revokeTokens();
    await collect(() => deletePrivateEndpoint(atlas, env.ref("AWS", "vpce-ffffffffffffffff0")));
    await collect(() =>
      waitForPrivateEndpoint(atlas, env.ref("GCP"), { timeoutMs: 50, pollIntervalMs: 10 })
    );
    await collect(() => getPrivateEndpoint(client(`${SA_SECRET}-wrong`), env.ref("AWS")));
    seen.push(...views(events));

    // The CLI with the service account, right and wrong.
    const cliEnv = (secret: string): Record<string, string> => ({
      MONGODB_ATLAS_CLIENT_ID: SA_ID,
      MONGODB_ATLAS_CLIENT_SECRET: secret,
      MONGODB_ATLAS_BASE_URL: env.baseUrl,
    });
    const service = ["--group", env.project.groupId, "--service", env.project.AWS];
    env.sim.injectFault({ kind: "server-error", method: "DELETE", count: 1 });
    for (
      const [argv, secret] of [
        [["get", "aws", ...service, "--endpoint", VPCE, "--json"], SA_SECRET],
        [["get", "aws", ...service, "--endpoint", VPCE], `${SA_SECRET}-wrong`],
        [["delete", "aws", ...service, "--endpoint", VPCE, "--json"], SA_SECRET],
      ] as const
    ) {
      const io = fakeIo(cliEnv(secret), { fetch: (request) => fetch(request) });
      await runCli([...argv], io);
      seen.push(io.out.text(), io.err.text());
    }
  } finally {
    await env.close();
  }

  assert.ok(tokens.length >= 2, `${tokens.length} tokens issued`);
  // Bearer tokens were really sent (so there was something to leak).
  assert.ok(env.seen.filter((s) => s.authorization?.startsWith("Bearer ")).length > 5);
  const all = seen.join("\n");
  assert.ok(all.length > 5_000, `swept ${all.length} characters`);
  const basic = btoa(`${SA_ID}:${SA_SECRET}`);
  assert.ok(!all.includes("[redacted]"), "a secret reached the output (redacted on the way)");
  assert.ok(!all.includes(SA_SECRET), "the client secret leaked");
  assert.ok(!all.includes(SA_SECRET.slice(0, 16)), "part of the client secret leaked");
  assert.ok(!all.includes(basic.slice(0, 24)), "the Basic credentials leaked");
  for (const token of tokens) assert.ok(!all.includes(token), "a bearer token leaked");
  assert.ok(!/Bearer\s+\S{8,}/.test(all), "an Authorization header leaked");
});
