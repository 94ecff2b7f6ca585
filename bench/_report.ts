// Turns the measurements into Markdown: the summary table (printed and written), the detail
// tables, the target verdicts with their reasons, and the README block. Nothing here is typed by
// hand except the explanations of known peer behaviour, shown only when the numbers show it.
import { type AtlasCostRun, atlasCostTable, atlasCostVerdicts } from "./_atlas_cost.ts";
import type { BundleResult } from "./_bundle.ts";
import { type ApacheRun, apacheTable, apacheVerdicts } from "./_apache.ts";
import { type BulkResult, bulkTable, bulkVerdicts } from "./_bulk.ts";
import { BARE, type ClientCpuRun } from "./_client_cpu.ts";
import type { ColdStartResult } from "./_cold_start.ts";
import { M, N, type Scenario, type ScenarioRun, STALE_EVERY, type WarmRun } from "./_scenarios.ts";
import { readmeBlock } from "./_readme_block.ts";
import { median, percentile } from "./_stats.ts";

/** Everything one `deno task bench` measured. */
export interface BenchResults {
  date: string;
  environment: Record<string, string>;
  clients: { id: string; label: string }[];
  /** Why our client was not measured, when it was not. */
  oursMissing?: string;
  scenarios: Scenario[];
  /** The scenario runs at each latency (ms added per response). */
  byLatency: { latencyMs: number; runs: ScenarioRun[] }[];
  warm: WarmRun[];
  /** The same for a create (POST with a JSON body). */
  warmPost?: WarmRun[];
  /** The clients against Apache httpd (mod_auth_digest), or why Apache was not measured. */
  apache?: ApacheRun[] | string;
  /** The clients' own cost per request, in memory (no network, no server). */
  clientCpu: ClientCpuRun[];
  /** The Atlas layers' cost per create (in memory and on loopback). */
  atlasCost: AtlasCostRun[];
  bundles: BundleResult[];
  /** Many endpoints under the simulator's rate limit, and one alone (issue 15). */
  bulk?: BulkResult;
  cold: ColdStartResult[];
  /** Wall time of the whole benchmark, s. */
  durationS: number;
  /** Cores other work kept busy during the second before the run started. */
  busyCoresAtStart: number;
}

/** One target of the issue and how this run did against it. */
export interface Verdict {
  target: string;
  status: "met" | "missed" | "not measured";
  detail: string;
}

const OUR_CLIENTS = ["ours-middleware", "ours-fetch"];
const OUR_WORKER = "ours-atlas";
const BUNDLE_TARGET_BYTES = 10 * 1024;
const OVERHEAD_TARGET = 1.15;
const DURATION_TARGET_S = 180;

const ms = (x: number | undefined): string =>
  x === undefined || Number.isNaN(x) ? "–" : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`;
const ratio = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x) ? "–" : `${x.toFixed(2)}×`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`;
const perSecond = (requests: number, wallMs: number): number => requests / (wallMs / 1000);
/** `name bytes, ...`, largest first. */
const ranked = (sizes: Record<string, number>, unit = ""): string =>
  Object.entries(sizes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}${unit}`).join(", ");

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function runOf(
  results: BenchResults,
  latencyMs: number,
  scenario: string,
  client: string,
): ScenarioRun | undefined {
  return results.byLatency.find((l) => l.latencyMs === latencyMs)?.runs.find((r) =>
    r.scenario === scenario && r.client === client
  );
}

function roundTripCell(run: ScenarioRun | undefined): string {
  if (!run) return "–";
  const rt = run.waveRoundTrips ? run.waveRoundTrips.join(" / ") : String(run.roundTrips);
  const of = run.repeats > 1 ? ` of ${run.requests * run.repeats}` : "";
  return run.failures > 0 ? `${rt} (**${run.failures}${of} failed**)` : rt;
}

/** Time of one run relative to the floor's run of the same scenario and latency. */
function vsFloor(
  results: BenchResults,
  latencyMs: number,
  scenario: string,
  client: string,
  measure: (run: ScenarioRun) => number,
): number | undefined {
  const run = runOf(results, latencyMs, scenario, client);
  const floor = runOf(results, latencyMs, scenario, "floor");
  return run && floor ? measure(run) / measure(floor) : undefined;
}

function warmRatio(results: BenchResults, client: string): number | undefined {
  const run = results.warm.find((w) => w.client === client);
  const floor = results.warm.find((w) => w.client === "floor");
  return run && floor ? median(run.latencies) / median(floor.latencies) : undefined;
}

function coldOf(results: BenchResults, client: string): ColdStartResult | undefined {
  const id = client.startsWith("ours") ? "ours" : client;
  return results.cold.find((c) => c.id === id);
}

const sizeCell = (bundle: BundleResult | undefined): string =>
  !bundle ? "–" : bundle.gzipped === undefined ? "cannot build" : kb(bundle.gzipped);

/** The one table: a row per client, the headline number of every part. */
export function summaryTable(results: BenchResults): string {
  const latency = results.byLatency[0]?.latencyMs ?? 0;
  const floorCold = results.cold.find((c) => c.id === "floor")?.totalMs;
  const header = [
    "Client",
    `RT: ${N} sequential (ideal ${N + 1})`,
    `RT: ${M} concurrent, cold (ideal ${M + 1})`,
    `RT: 3 waves of ${M}, strict nc (target ≤${3 * M} / ${M} / ${M})`,
    `RT: ${N} sequential, stale every ${STALE_EVERY} (ideal ${N + N / STALE_EVERY})`,
    `${N} sequential @${latency} ms: p50 (× floor)`,
    `${M} concurrent @${latency} ms: wall (× floor)`,
    "Warm, no latency: p50 per request (× floor)",
    "Worker, min+gzip",
    "Cold start: import + 1st call (× floor)",
  ];
  const rows = results.clients.map(({ id, label }) => {
    const seq = runOf(results, latency, "seq", id);
    const cold = runOf(results, latency, "cold", id);
    const warm = results.warm.find((w) => w.client === id);
    const coldStart = id === "ours-fetch" ? undefined : coldOf(results, id);
    const worker = id === "ours-middleware"
      ? `${sizeCell(results.bundles.find((b) => b.id === "ours-digest"))} (Atlas client: ${
        sizeCell(results.bundles.find((b) => b.id === OUR_WORKER))
      })`
      : id === "ours-fetch"
      ? "(same engine)"
      : sizeCell(results.bundles.find((b) => b.id === id));
    return [
      label,
      roundTripCell(runOf(results, latency, "seq", id)),
      roundTripCell(runOf(results, latency, "cold", id)),
      roundTripCell(runOf(results, latency, "strict", id)),
      roundTripCell(runOf(results, latency, "stale", id)),
      seq
        ? `${ms(median(seq.latencies))} (${
          ratio(vsFloor(results, latency, "seq", id, (r) => median(r.latencies)))
        })`
        : "–",
      cold
        ? `${ms(cold.wallMs)} (${ratio(vsFloor(results, latency, "cold", id, (r) => r.wallMs))})`
        : "–",
      warm ? `${ms(median(warm.latencies))} (${ratio(warmRatio(results, id))})` : "–",
      worker,
      coldStart === undefined
        ? "–"
        : coldStart.error
        ? `fails: ${coldStart.error}`
        : `${ms(coldStart.totalMs)} (${ratio((coldStart.totalMs ?? NaN) / (floorCold ?? NaN))})`,
    ];
  });
  return table(header, rows);
}

function scenarioTable(results: BenchResults): string {
  const header = [
    "Scenario",
    "Client",
    "Round trips (worst run)",
    "Failed (all runs)",
    "Server rejected (worst run)",
  ];
  for (const { latencyMs } of results.byLatency) {
    header.push(
      `@${latencyMs} ms: wall`,
      "p50",
      "p95",
      "req/s",
      "p50 × floor",
      "req/s × floor",
    );
  }
  const rows: string[][] = [];
  for (const scenario of results.scenarios) {
    for (const { id, label } of results.clients) {
      const first = runOf(results, results.byLatency[0]!.latencyMs, scenario.id, id);
      if (!first) continue;
      const rejected = Object.entries(first.rejected).map(([k, v]) => `${k}×${v}`).join(", ");
      const row = [
        `${scenario.label} (target: ${scenario.target})${
          scenario.repeats > 1 ? `, ${scenario.repeats} runs` : ""
        }`,
        label,
        first.waveRoundTrips
          ? `${first.roundTrips} (${first.waveRoundTrips.join(" / ")})`
          : String(first.roundTrips),
        first.failures > 0
          ? `**${first.failures}** of ${first.requests * first.repeats}: ${
            first.failureSamples.join("; ")
          }`
          : "0",
        rejected || "–",
      ];
      for (const { latencyMs } of results.byLatency) {
        const run = runOf(results, latencyMs, scenario.id, id)!;
        const tput = (r: ScenarioRun) => perSecond(r.requests, r.wallMs);
        row.push(
          ms(run.wallMs),
          ms(median(run.latencies)),
          ms(percentile(run.latencies, 95)),
          tput(run).toFixed(0),
          ratio(vsFloor(results, latencyMs, scenario.id, id, (r) => median(r.latencies))),
          ratio(vsFloor(results, latencyMs, scenario.id, id, tput)),
        );
      }
      rows.push(row);
    }
  }
  return table(header, rows);
}

function warmTable(results: BenchResults, runs: WarmRun[] = results.warm): string {
  const floor = runs.find((w) => w.client === "floor");
  return table(
    [
      "Client",
      "Requests",
      "Round trips per request",
      "Failed",
      "p50",
      "p95",
      "req/s",
      "p50 × floor",
      "req/s × floor",
      "Server handler per request",
    ],
    runs.map((w) => {
      const label = results.clients.find((c) => c.id === w.client)?.label ?? w.client;
      const tput = perSecond(w.requests, w.wallMs);
      return [
        label,
        String(w.requests),
        w.roundTripsPerRequest.toFixed(2),
        String(w.failures),
        ms(median(w.latencies)),
        ms(percentile(w.latencies, 95)),
        tput.toFixed(0),
        floor ? ratio(median(w.latencies) / median(floor.latencies)) : "–",
        floor ? ratio(tput / perSecond(floor.requests, floor.wallMs)) : "–",
        `${w.serverUsPerRequest.toFixed(0)} µs`,
      ];
    }),
  );
}

/** The in-memory run of a client for one method (GET by default). */
const cpuOf = (results: BenchResults, id: string, method = "GET"): ClientCpuRun | undefined =>
  results.clientCpu.find((c) => c.client === id && (c.method ?? "GET") === method);

function clientCpuTable(results: BenchResults): string {
  return table(
    [
      "Client",
      "Request",
      "Requests",
      "p50 per request",
      "p95 per request",
      "Added to the floor",
      "× floor",
    ],
    results.clientCpu.map((c) => {
      const floor = cpuOf(results, "floor", c.method);
      return [
        results.clients.find((k) => k.id === c.client)?.label ?? c.client,
        c.method === "POST" ? "POST create (JSON body)" : "GET",
        String(c.requests),
        `${c.p50Us.toFixed(1)} µs`,
        `${c.p95Us.toFixed(1)} µs`,
        floor && c.client !== "floor" ? `${(c.p50Us - floor.p50Us).toFixed(1)} µs` : "–",
        floor ? ratio(c.p50Us / floor.p50Us) : "–",
      ];
    }),
  );
}

/** In memory, warm: at most 1.3× plain openapi-fetch for a GET, 1.5× for a POST with a body. */
function clientCpuVerdicts(results: BenchResults): Verdict[] {
  return OUR_CLIENTS.flatMap((id) =>
    ([["GET", 1.3], ["POST", 1.5]] as const).map(([method, limit]) => {
      const target =
        `Client cost in memory, warm, ${id}, ${method}: ≤ ${limit}× openapi-fetch without auth`;
      const run = cpuOf(results, id, method);
      const floor = cpuOf(results, "floor", method);
      if (!run || !floor) return { target, status: "not measured" as const, detail: "no run" };
      const x = run.p50Us / floor.p50Us;
      // What the same entry point costs doing only the RFC's work, measured beside it.
      const bare = cpuOf(results, id === "ours-fetch" ? BARE.fetch : BARE.middleware, method);
      const bareNote = bare
        ? `; the bare RFC work alone (${
          id === "ours-fetch" ? "around fetch" : "in a middleware"
        })` +
          ` costs ${ratio(bare.p50Us / floor.p50Us)}`
        : "";
      return {
        target,
        status: x <= limit ? "met" as const : "missed" as const,
        detail: `p50 ${run.p50Us.toFixed(1)} µs vs ${floor.p50Us.toFixed(1)} µs = ${ratio(x)}` +
          bareNote,
      };
    })
  );
}

function bundleTable(results: BenchResults): string {
  const floor = results.bundles.find((b) => b.id === "floor")?.gzipped;
  return table(
    [
      "Worker",
      "Minified",
      "Min+gzip",
      "× floor",
      "Minified bytes by package",
    ],
    results.bundles.map((b) => [
      b.label + (b.note ? ` (${b.note})` : ""),
      b.minified === undefined ? "–" : `${b.minified} B`,
      b.gzipped === undefined ? `cannot build: ${b.error}` : `${b.gzipped} B (${kb(b.gzipped)})`,
      b.gzipped === undefined || floor === undefined ? "–" : ratio(b.gzipped / floor),
      ranked(b.byPackage ?? {}) || "–",
    ]),
  );
}

function libraryFileList(results: BenchResults): string {
  return results.bundles.filter((b) => b.libraryFiles).map((b) => {
    return `- ${b.label}: ${ranked(b.libraryFiles!).replaceAll("src/", "")}`;
  }).join("\n");
}

function coldTable(results: BenchResults): string {
  const floor = results.cold.find((c) => c.id === "floor")?.totalMs;
  return table(
    [
      "Variant",
      "Runs",
      "import()",
      "First call",
      "Import + first call",
      "× floor",
      "Process (spawn to exit)",
    ],
    results.cold.map((c) =>
      c.error ? [c.label, "0", `fails: ${c.error}`, "–", "–", "–", "–"] : [
        c.label,
        String(c.runs),
        ms(c.importMs),
        ms(c.firstCallMs),
        ms(c.totalMs),
        ratio((c.totalMs ?? NaN) / (floor ?? NaN)),
        ms(c.processMs),
      ]
    ),
  );
}

function describeRun(run: ScenarioRun): string {
  const rejected = Object.entries(run.rejected).map(([k, v]) => `${k}×${v}`).join(", ");
  return `${run.roundTrips} round trips${
    run.waveRoundTrips ? ` (${run.waveRoundTrips.join(" / ")})` : ""
  }, ${run.failures} of ${run.requests * run.repeats} failed${
    run.failureSamples.length ? ` (${run.failureSamples.join("; ")})` : ""
  }${rejected ? `; server rejected ${rejected}` : ""}`;
}

/**
 * The overhead target, judged twice: end to end on loopback (the issue's floor: the same server
 * with authentication switched off, so the test server's own verification counts against us),
 * and for the client's own cost (in memory) added to that loopback floor.
 */
function overheadVerdicts(results: BenchResults, id: string): Verdict[] {
  const run = results.warm.find((w) => w.client === id);
  const floor = results.warm.find((w) => w.client === "floor");
  const cpu = cpuOf(results, id);
  const cpuFloor = cpuOf(results, "floor");
  const target =
    `Per-request overhead once a nonce is known, ${id}: ≤ ${OVERHEAD_TARGET}× the no-auth floor`;
  if (!run || !floor || !cpu || !cpuFloor) {
    return [{ target, status: "not measured", detail: results.oursMissing ?? "no run" }];
  }
  const floorUs = median(floor.latencies) * 1000;
  const e2e = median(run.latencies) / median(floor.latencies);
  const serverExtra = run.serverUsPerRequest - floor.serverUsPerRequest;
  const clientExtra = cpu.p50Us - cpuFloor.p50Us;
  const clientOnly = (floorUs + clientExtra) / floorUs;
  const at = results.byLatency[0];
  const seqAt = at
    ? vsFloor(results, at.latencyMs, "seq", id, (r) => median(r.latencies))
    : undefined;
  const us = (x: number): string => `${x.toFixed(0)} µs`;
  const totalExtra = median(run.latencies) * 1000 - floorUs;
  const rest = totalExtra - serverExtra - clientExtra;
  const trips = run.roundTripsPerRequest.toFixed(2);
  const e2eDetail = [
    `p50 ${ms(median(run.latencies))} vs floor ${ms(median(floor.latencies))} = ${ratio(e2e)}`,
    `(+${us(totalExtra)}; ${trips} round trips per request, ${run.failures} failed).`,
    `Of that, the test server's handler takes ${us(serverExtra)} more per request`,
    `(Digest verification in JavaScript), the client ${us(clientExtra)} more (in memory),`,
    `and ${us(rest)} is not attributed (transport, most likely: the ~300-byte Authorization`,
    "header through fetch, node:http and the test server's Request copy).",
    `With ${at?.latencyMs ?? 0} ms of network latency: ${ratio(seqAt)}`,
  ].join(" ");
  const clientDetail = [
    `${cpu.p50Us.toFixed(1)} µs per request in memory vs ${cpuFloor.p50Us.toFixed(1)} µs`,
    `for the floor: +${clientExtra.toFixed(1)} µs on a ${us(floorUs)} loopback round trip`,
    `= ${ratio(clientOnly)}`,
  ].join(" ");
  return [{
    target: `${target}, end to end on loopback`,
    status: e2e <= OVERHEAD_TARGET && run.failures === 0 ? "met" : "missed",
    detail: e2eDetail,
  }, {
    target: `${target}, the client's own cost`,
    status: clientOnly <= OVERHEAD_TARGET ? "met" : "missed",
    detail: clientDetail,
  }];
}

/** The issue's targets, judged on this run, with the numbers behind each verdict. */
export function verdicts(results: BenchResults): Verdict[] {
  const out: Verdict[] = [];
  const latency = results.byLatency[0]?.latencyMs ?? 0;
  for (const scenario of results.scenarios) {
    const target = `${scenario.label}: ${scenario.target}`;
    const ours = OUR_CLIENTS.flatMap((id) =>
      results.byLatency.map((l) => ({
        id,
        latency: l.latencyMs,
        run: runOf(results, l.latencyMs, scenario.id, id),
      }))
    ).filter((x) => x.run !== undefined);
    if (ours.length === 0) {
      out.push({ target, status: "not measured", detail: results.oursMissing ?? "no run" });
      continue;
    }
    const missed = ours.filter((x) => !scenario.meetsTarget?.(x.run!));
    out.push({
      target,
      status: missed.length === 0 ? "met" : "missed",
      detail: (missed.length === 0 ? ours.filter((x) => x.latency === latency) : missed)
        .map((x) => `${x.id} @${x.latency} ms: ${describeRun(x.run!)}`).join(" · "),
    });
  }
  for (const id of OUR_CLIENTS) out.push(...overheadVerdicts(results, id));
  out.push(...clientCpuVerdicts(results), ...apacheVerdicts(results.apache));
  const worker = results.bundles.find((b) => b.id === OUR_WORKER);
  const bundleTarget = `Worker that creates and waits for a private endpoint: ≤ ${
    kb(BUNDLE_TARGET_BYTES)
  } min+gzip`;
  if (!worker || worker.gzipped === undefined) {
    out.push({
      target: bundleTarget,
      status: "not measured",
      detail: worker?.error ?? "no bundle",
    });
  } else {
    const floor = results.bundles.find((b) => b.id === "floor")?.gzipped ?? NaN;
    const files = ranked(worker.libraryFiles ?? {}, " B").replaceAll("src/", "").split(", ");
    out.push({
      target: bundleTarget,
      status: worker.gzipped <= BUNDLE_TARGET_BYTES ? "met" : "missed",
      detail: [
        `${worker.gzipped} B gzipped (${worker.minified} B minified: ${
          ranked(worker.byPackage ?? {}, " B")
        }).`,
        `The floor (openapi-fetch + noble MD5 + the same create-and-wait loop) is ${floor} B, so`,
        `this library adds ${worker.gzipped - floor} B gzipped against a budget of`,
        `${(BUNDLE_TARGET_BYTES - floor).toFixed(0)} B. Largest files (minified): ${
          files.slice(0, 6).join(", ")
        }`,
      ].join(" "),
    });
  }
  out.push(...atlasCostVerdicts(results.atlasCost));
  out.push(...bulkVerdicts(results.bulk));
  out.push({
    target: "`deno task bench` under 3 minutes on this machine",
    status: results.durationS < DURATION_TARGET_S ? "met" : "missed",
    detail: `${results.durationS.toFixed(0)} s`,
  });
  return out;
}

function verdictList(results: BenchResults): string {
  const icon = { met: "✅ met", missed: "❌ missed", "not measured": "⚠️ not measured" };
  return verdicts(results).map((v) => `- ${icon[v.status]}: ${v.target}. ${v.detail}`).join("\n");
}

/** Known peer behaviour, shown only when this run shows it (DIGEST_CLIENT_FACTS.md §1-2). */
function peerNotes(results: BenchResults): string {
  const notes: string[] = [];
  const all = results.byLatency.flatMap((l) => l.runs);
  const failedWith = (client: string, reason: string) =>
    all.some((r) => r.client === client && r.failures > 0 && (r.rejected[reason] ?? 0) > 0);
  const seq = runOf(results, results.byLatency[0]!.latencyMs, "seq", "urllib");
  if (seq && seq.roundTrips >= 2 * seq.requests) {
    notes.push(
      "urllib never reuses a nonce: every request is sent without credentials first, then again " +
        "with them (two round trips per request; a request body goes over the wire twice).",
    );
  }
  if (failedWith("urllib", "nc")) {
    notes.push(
      "urllib counts `nc` with one module-global decimal counter across all nonces, so a fresh " +
        "nonce arrives with nc > 1, which a strict-order server rejects.",
    );
  }
  if (failedWith("digest-fetch", "nc")) {
    notes.push(
      "digest-fetch keeps one nonce, cnonce and nc per client, shared by concurrent calls (they " +
        "send the same nc), formats nc in decimal (the 10th use reads as hex 0x10) and never resets " +
        "it on a new nonce; after a failed retry it returns the 401.",
    );
  }
  const cold = all.find((r) => r.client === "digest-fetch" && r.scenario === "cold");
  if (cold && cold.roundTrips >= 2 * cold.requests) {
    notes.push(
      "digest-fetch from a cold client: every concurrent call gets its own 401 and retries " +
        "(2M round trips), since nothing makes them wait for one challenge.",
    );
  }
  return notes.map((n) => `- ${n}`).join("\n");
}

/** A warning when other work competed for the CPU during the run. */
export function loadWarning(results: BenchResults): string {
  return results.busyCoresAtStart >= 0.5
    ? `\n> **Other work was using the CPU when this run started** (${
      results.busyCoresAtStart.toFixed(1)
    } of ${navigator.hardwareConcurrency} cores busy): timings may be noisy. Round trips, failures and bundle sizes are not affected.\n`
    : "";
}

/** bench/results.md. */
export function renderResults(results: BenchResults): string {
  const env = Object.entries(results.environment).map(([k, v]) => `${k} ${v}`).join(", ") +
    `, ${results.busyCoresAtStart.toFixed(1)} cores busy with other work at the start`;
  const notes = peerNotes(results);
  return `<!-- Generated by \`deno task bench\` (bench/main.ts). Do not edit by hand. -->
# Benchmark results

Run ${results.date} in ${results.durationS.toFixed(0)} s. ${env}.
${loadWarning(results)}
Every client talks to the same loopback server, in the same run, with a fresh (cold) client per
scenario. Round trips (RT) are counted at the server. A failure is a request whose final status,
after the client's own retries, is not 2xx, or that threw. "× floor" compares with plain
openapi-fetch (no authentication) doing the same work against the same server with authentication
switched off. The short concurrent scenarios run ${
    Math.max(...results.scenarios.map((x) => x.repeats))
  } times each (fresh client and server state each time): round trips are from the worst run,
failures are counted over all runs, wall time is the median run. The summary's timings are with ${
    results.byLatency[0]?.latencyMs ?? 0
  } ms added to every response by the server, as a network would; the detail
tables also show the run without added latency (CPU cost).

## Summary

${summaryTable(results)}

## Targets

${verdictList(results)}
${notes ? `\n## Peers: what the numbers show\n\n${notes}\n` : ""}
## Round trips, throughput and latency per scenario

${scenarioTable(results)}

## Per-request overhead once a nonce is known (no added latency)

Warm clients (nonce known), sequential requests, the clients taking turns in blocks. "Server
handler" is the time the bench server spent handling each request (for Digest clients it includes
verifying the digest), measured in the server process.

${warmTable(results)}
${
    results.warmPost
      ? `\nThe same for a create: POST with a JSON body.\n\n${
        warmTable(results, results.warmPost)
      }\n`
      : ""
  }
The clients' own cost per request, in memory: an injected fetch answers at once (a challenge
without Authorization, else a canned 200; nothing verified), so no network and no server count.
Medians over interleaved blocks. The "reference" rows are not clients: they do only the work RFC
7616 asks of a warm request (one MD5 over \`H(A1):nonce:nc:cnonce:qop:H(A2)\` with both H known, a
counter, a cnonce, the Authorization header set on the request; bench/_bare_digest.ts), with no
retry, lanes or checks: the least any Digest client costs here with openapi-fetch and noble's MD5.

${clientCpuTable(results)}

${apacheTable(results.apache)}
## The Atlas layers per create

A warm authenticated create (an AWS endpoint: a POST with a body) through our Atlas client, next
to plain openapi-fetch POSTing the same body without authentication (the floor) and with only
\`digestAuth\` (the Digest engine's share). In memory, an injected fetch answers at once; on
loopback, the bench server (Digest port; the floor on the port without authentication) echoes.

${atlasCostTable(results.atlasCost)}

## Many endpoints under the rate limit

200 AWS endpoints across 2 projects on the simulator with its per-project limit on (a token
bucket of 100 per minute, as Atlas documents per project), all created and then waited for
(\`waitForPrivateEndpoints\`) from one client with its default request budget, on time scaled by
the simulator's \`timeScale\` (life cycles, the limit's window and the polls alike). The ideal is
the schedule at exactly the allowed rate: a create and one read per endpoint, the bucket's 100 at
once and 100 more per window. Then one endpoint alone, with the budget and without it: how long
after its change to AVAILABLE the wait saw it.

${bulkTable(results.bulk)}

## Worker bundle size

Each Worker in \`bench/workers/\` bundled as Wrangler does (esbuild, ESM, browser platform,
\`workerd\`/\`worker\`/\`browser\` conditions), minified, gzip level 9. KB = 1024 bytes.

${bundleTable(results)}

This library's minified bytes by file:

${libraryFileList(results)}

## Cold start

A fresh Deno process per run imports the client and makes its first call (for Digest clients:
the challenge and the authenticated request); medians of the timed runs, after one untimed run
that fills Deno's caches.

${coldTable(results)}
`;
}

/**
 * The README section between `<!-- bench:start -->` and `<!-- bench:end -->`: a comment and three
 * short lines (how many targets held and when, how many did not, where the figures are), each
 * under the 100 columns `deno fmt` wraps at (see {@linkcode readmeBlock}).
 */
export function renderReadmeBlock(results: BenchResults): string {
  const all = verdicts(results);
  return readmeBlock({
    date: results.date,
    machine: results.environment.machine,
    met: all.filter((v) => v.status === "met").length,
    total: all.length,
    notMeasured: all.filter((v) => v.status === "not measured").length,
  });
}

/** Replaces the text between the bench markers of a README; false when it has no markers. */
export async function updateReadme(path: URL, block: string): Promise<boolean> {
  const text = await Deno.readTextFile(path).catch(() => "");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) return false;
  const updated = `${text.slice(0, i + start.length)}\n${block}\n${text.slice(j)}`;
  if (updated !== text) await Deno.writeTextFile(path, updated);
  return true;
}
