// `deno task bench`: our Digest client against the peers a user would otherwise pick, side by
// side, in one run: round trips, throughput and latency (with and without added network latency),
// per-request overhead once a nonce is known, Worker bundle size, cold start. Prints the summary
// table and the target verdicts, writes bench/results.md, and refreshes the README block between
// `<!-- bench:start -->` and `<!-- bench:end -->` when the README has those markers.
// A benchmark, not a test: nothing here asserts a timing.
// deno-lint-ignore-file no-console
import { measureApache } from "./_apache.ts";
import { importMapVersions, measureBundles } from "./_bundle.ts";
import { measureAtlasCost } from "./_atlas_cost.ts";
import { measureBulk } from "./_bulk.ts";
import { measureClientCpu } from "./_client_cpu.ts";
import { clientKinds, loadOurs } from "./_clients.ts";
import { measureColdStart } from "./_cold_start.ts";
import { startBenchServer } from "./_protocol.ts";
import {
  type BenchResults,
  loadWarning,
  renderReadmeBlock,
  renderResults,
  summaryTable,
  updateReadme,
  verdicts,
} from "./_report.ts";
import { measureWarm, runScenario, type ScenarioRun, SCENARIOS } from "./_scenarios.ts";

/** Added to every response in the headline run; then a run with none, for CPU cost. */
const LATENCIES_MS = [20, 0];
// Warm-up long enough for the JIT to settle (the first few hundred requests run 2-3x slower).
const WARM = { warmup: 300, rounds: 10, perBlock: 200 };
const CLIENT_CPU = { warmup: 500, blocks: 30, perBlock: 200 };
const COLD_RUNS = 7;
const ATLAS_COST = {
  memory: { warmup: 500, blocks: 20, perBlock: 200 },
  loopback: { warmup: 200, blocks: 10, perBlock: 100 },
};

const progress = (text: string): void => {
  console.error(`bench: ${text}`);
};

async function machine(): Promise<string> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? Deno.build.arch;
  return `${model}, ${navigator.hardwareConcurrency} cores`;
}

/** Cores kept busy by other work over one second (from /proc/stat; 0 where it is missing). */
async function busyCores(): Promise<number> {
  const sample = async (): Promise<number[]> => {
    const text = await Deno.readTextFile("/proc/stat").catch(() => "");
    return (/^cpu\s+(.+)$/m.exec(text)?.[1] ?? "").trim().split(/\s+/).map(Number);
  };
  const a = await sample();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const b = await sample();
  const delta = b.map((v, i) => v - (a[i] ?? 0));
  const total = delta.reduce((sum, v) => sum + v, 0);
  const idle = (delta[3] ?? 0) + (delta[4] ?? 0);
  return total > 0 ? ((total - idle) / total) * navigator.hardwareConcurrency : 0;
}

const started = performance.now();
const busyAtStart = await busyCores();
const oursOrReason = await loadOurs();
const ours = typeof oursOrReason === "string" ? undefined : oursOrReason;
if (!ours) progress(`our client is not measured: ${oursOrReason}`);
const versions = await importMapVersions();
const kinds = clientKinds(ours, versions);

const server = await startBenchServer();
const byLatency: BenchResults["byLatency"] = [];
let warm: BenchResults["warm"];
let warmPost: BenchResults["warmPost"];
let cold: BenchResults["cold"];
let atlasCost: BenchResults["atlasCost"];
try {
  for (const latencyMs of LATENCIES_MS) {
    const runs: ScenarioRun[] = [];
    for (const scenario of SCENARIOS) {
      progress(`${scenario.label}, ${latencyMs} ms added per response`);
      for (const kind of kinds) runs.push(await runScenario(scenario, kind, server, latencyMs));
    }
    byLatency.push({ latencyMs, runs });
  }
  progress("per-request overhead on warm clients");
  warm = await measureWarm(kinds, server, WARM);
  progress("per-request overhead on warm clients, creates (POST with a JSON body)");
  warmPost = await measureWarm(kinds, server, { ...WARM, rounds: WARM.rounds / 2 }, "POST");
  progress("the Atlas layers per create, in memory and on loopback");
  atlasCost = await measureAtlasCost(server, ATLAS_COST);
  progress(`cold start, ${COLD_RUNS} runs per variant`);
  cold = await measureColdStart(server, COLD_RUNS);
} finally {
  await server.close();
}
progress("client cost per request, in memory");
const clientCpu = await measureClientCpu(ours, CLIENT_CPU);
progress("Apache httpd (mod_auth_digest), NcCheck Off and On");
const apache = await measureApache(kinds);
progress("Worker bundles");
const bundles = await measureBundles();
progress("200 endpoints across 2 projects under the simulator's rate limit, time scaled");
const bulk = await measureBulk();

const results: BenchResults = {
  date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
  environment: {
    machine: await machine(),
    Deno: `${Deno.version.deno} (V8 ${Deno.version.v8})`,
    "openapi-fetch": versions["openapi-fetch"] ?? "?",
    "@noble/hashes": versions["@noble/hashes"] ?? "?",
    "digest-fetch": versions["digest-fetch"] ?? "?",
    urllib: versions["urllib"] ?? "?",
    esbuild: versions["esbuild"] ?? "?",
  },
  busyCoresAtStart: busyAtStart,
  clients: kinds.map(({ id, label }) => ({ id, label })),
  ...(ours ? {} : { oursMissing: oursOrReason as string }),
  scenarios: SCENARIOS,
  byLatency,
  warm,
  warmPost,
  apache,
  clientCpu,
  atlasCost,
  bundles,
  bulk,
  cold,
  durationS: (performance.now() - started) / 1000,
};

const root = new URL("../", import.meta.url);
await Deno.writeTextFile(new URL("bench/results.md", root), renderResults(results));
const readme = await updateReadme(new URL("README.md", root), renderReadmeBlock(results));
// Generated Markdown goes through `deno fmt` like every other file (CI runs `deno fmt --check`).
await new Deno.Command(Deno.execPath(), {
  args: ["fmt", "--quiet", "bench/results.md", ...(readme ? ["README.md"] : [])],
  cwd: root,
}).output();

console.log(summaryTable(results));
const warning = loadWarning(results).trim();
if (warning) console.log(`\n${warning}`);
console.log("");
for (const v of verdicts(results)) {
  console.log(`${v.status.toUpperCase()}: ${v.target}. ${v.detail}`);
}
console.log(
  `\nWrote bench/results.md${readme ? " and the README's bench block" : ""} in ${
    results.durationS.toFixed(0)
  } s.`,
);
