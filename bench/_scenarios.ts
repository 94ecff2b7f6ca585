// The workloads. Each runs on a fresh (cold) client against a freshly configured server, and
// reports what the server counted and what the caller saw.
import { BENCH_CREATE, BENCH_URL_PATH, type ClientKind } from "./_clients.ts";
import type { BenchServer, ServerConfig } from "./_protocol.ts";

/** Sizes from the issue. */
export const N = 100;
export const M = 50;
export const WAVES = 3;
export const STALE_EVERY = 10;

/** What one client did in one scenario. */
export interface ScenarioRun {
  scenario: string;
  client: string;
  /** Requests the caller made in one run. */
  requests: number;
  /** How many runs were merged (round trips: the worst run; failures: all runs). */
  repeats: number;
  /** Round trips counted at the server (all waves). */
  roundTrips: number;
  /** Round trips per wave, for the wave scenario. */
  waveRoundTrips?: number[];
  /** Requests that ended in a non-2xx status or a thrown error. */
  failures: number;
  /** A few distinct failure descriptions. */
  failureSamples: string[];
  /** Wall time of the whole scenario, ms. */
  wallMs: number;
  /** Per-request latency (call to body read), ms. */
  latencies: number[];
  /** Why the server rejected requests (Digest verifier reasons), and how often. */
  rejected: Record<string, number>;
}

/** A workload and the server it needs. */
export interface Scenario {
  id: string;
  label: string;
  /** The best a Digest client can do (round trips), as text, or the issue's target. */
  target: string;
  /** Checks the round trips against the target (for the verdicts). */
  meetsTarget?: (run: ScenarioRun) => boolean;
  server: Omit<ServerConfig, "latencyMs">;
  /** Groups of requests sent together: sequential is 1,1,1...; a wave is M. */
  plan: number[][];
  /** Fresh runs of the whole scenario (short concurrent ones repeat, to tame noise). */
  repeats: number;
  /** Random inbound delay as a share of the added latency, so requests arrive out of order. */
  jitter?: number;
}

const sequential = (n: number): number[][] => [Array.from({ length: n }, () => 1)];

/** The scenarios of the issue, in order. */
export const SCENARIOS: Scenario[] = [
  {
    id: "seq",
    label: `N=${N} sequential`,
    target: `N+1 = ${N + 1}`,
    meetsTarget: (r) => r.failures === 0 && r.roundTrips <= N + 1,
    server: { ncPolicy: "unique", opaque: "per-nonce" },
    plan: sequential(N),
    repeats: 1,
  },
  {
    id: "cold",
    label: `M=${M} concurrent, cold client`,
    target: `M+1 = ${M + 1}`,
    meetsTarget: (r) => r.failures === 0 && r.roundTrips <= M + 1,
    server: { ncPolicy: "unique", opaque: "per-nonce" },
    plan: [[M]],
    repeats: 5,
  },
  {
    id: "strict",
    label: `${WAVES} waves of M=${M}, strict nc, per-client opaque, inbound jitter ≤ latency/4`,
    target: `all succeed; waves <= ${3 * M} / ${M} / ${M}`,
    meetsTarget: (r) =>
      r.failures === 0 && (r.waveRoundTrips ?? []).every((rt, i) => rt <= (i === 0 ? 3 * M : M)),
    server: { ncPolicy: "strict", opaque: "per-client" },
    jitter: 0.25,
    plan: Array.from({ length: WAVES }, () => [M]),
    repeats: 5,
  },
  {
    id: "stale",
    label: `N=${N} sequential, nonce stale every ${STALE_EVERY} uses`,
    target: `N+N/${STALE_EVERY} = ${N + N / STALE_EVERY}`,
    meetsTarget: (r) => r.failures === 0 && r.roundTrips <= N + N / STALE_EVERY,
    server: { ncPolicy: "unique", opaque: "per-nonce", maxNonceUses: STALE_EVERY },
    plan: sequential(N),
    repeats: 1,
  },
];

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === "string" ? ` ${code}` : ""}: ${
      error.message.slice(0, 120)
    }`;
  }
  return String(error).slice(0, 120);
}

/**
 * Runs a scenario `repeats` times, each on a fresh client and server state, and merges the runs:
 * the worst round-trip counts, all failures and latencies, the median wall time.
 */
export async function runScenario(
  scenario: Scenario,
  kind: ClientKind,
  server: BenchServer,
  latencyMs: number,
): Promise<ScenarioRun> {
  const runs: ScenarioRun[] = [];
  for (let i = 0; i < scenario.repeats; i++) {
    runs.push(await runOnce(scenario, kind, server, latencyMs));
  }
  const worst = runs.reduce((a, b) => (b.roundTrips > a.roundTrips ? b : a));
  const walls = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  return {
    ...worst,
    repeats: runs.length,
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
    failureSamples: [...new Set(runs.flatMap((r) => r.failureSamples))].slice(0, 3),
    wallMs: walls[Math.floor((walls.length - 1) / 2)]!,
    latencies: runs.flatMap((r) => r.latencies),
  };
}

/** Runs one scenario once with one client kind and returns what happened. */
async function runOnce(
  scenario: Scenario,
  kind: ClientKind,
  server: BenchServer,
  latencyMs: number,
): Promise<ScenarioRun> {
  const jitterMs = latencyMs * (scenario.jitter ?? 0);
  await server.configure({ latencyMs, ...scenario.server, ...(jitterMs ? { jitterMs } : {}) });
  const client = kind.create(kind.auth ? server.authUrl : server.openUrl);
  const latencies: number[] = [];
  const samples = new Set<string>();
  const waveRoundTrips: number[] = [];
  let failures = 0;
  let requests = 0;
  const one = async (): Promise<void> => {
    const start = performance.now();
    try {
      const status = await client.get(BENCH_URL_PATH);
      if (status < 200 || status > 299) {
        failures++;
        samples.add(`HTTP ${status}`);
      }
    } catch (error) {
      failures++;
      samples.add(describe(error));
    }
    latencies.push(performance.now() - start);
  };
  const started = performance.now();
  try {
    let before = 0;
    for (const wave of scenario.plan) {
      for (const size of wave) {
        requests += size;
        await Promise.all(Array.from({ length: size }, one));
      }
      if (scenario.plan.length > 1) {
        const now = (await server.stats()).requests;
        waveRoundTrips.push(now - before);
        before = now;
      }
    }
  } finally {
    await client.close();
  }
  const wallMs = performance.now() - started;
  const stats = await server.stats();
  return {
    scenario: scenario.id,
    client: kind.id,
    requests,
    repeats: 1,
    roundTrips: stats.requests,
    ...(waveRoundTrips.length > 0 ? { waveRoundTrips } : {}),
    failures,
    failureSamples: [...samples].slice(0, 3),
    wallMs,
    latencies,
    rejected: stats.rejected,
  };
}

/** Per-request cost once a nonce is known: sequential requests on warm clients. */
export interface WarmRun {
  client: string;
  requests: number;
  /** Round trips per request over the measured requests (1 = nonce reused every time). */
  roundTripsPerRequest: number;
  failures: number;
  latencies: number[];
  /** Sum of the measured blocks' wall time, ms. */
  wallMs: number;
  /** Time the server spent in its handler per request (Digest verification included), µs. */
  serverUsPerRequest: number;
}

/**
 * Warms one client of each kind (its nonce known), then measures `rounds` blocks of `perBlock`
 * sequential requests per client, the clients taking turns so that drift hits all alike. The
 * server keeps one configuration (nc unique, no staleness) for the whole measurement.
 */
export async function measureWarm(
  kinds: ClientKind[],
  server: BenchServer,
  options: { warmup: number; rounds: number; perBlock: number },
  method: "GET" | "POST" = "GET",
): Promise<WarmRun[]> {
  const body = JSON.stringify(BENCH_CREATE.body);
  const path = BENCH_URL_PATH.slice(0, BENCH_URL_PATH.lastIndexOf("/"));
  await server.configure({ latencyMs: 0, ncPolicy: "unique", opaque: "per-nonce" });
  const clients = kinds.map((kind) => ({
    kind,
    client: kind.create(kind.auth ? server.authUrl : server.openUrl),
    run: {
      client: kind.id,
      requests: 0,
      roundTripsPerRequest: 0,
      failures: 0,
      latencies: [] as number[],
      wallMs: 0,
      serverUsPerRequest: 0,
    },
    roundTrips: 0,
    serverMs: 0,
  }));
  const send = async (c: (typeof clients)[number], count: number, record: boolean) => {
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      let ok = false;
      try {
        const status = method === "GET"
          ? await c.client.get(BENCH_URL_PATH)
          : await c.client.post(path, body);
        ok = status >= 200 && status <= 299;
      } catch {
        ok = false;
      }
      if (record) {
        c.run.latencies.push(performance.now() - start);
        if (!ok) c.run.failures++;
      }
    }
  };
  try {
    for (const c of clients) await send(c, options.warmup, false);
    for (let round = 0; round < options.rounds; round++) {
      // Rotate who goes first each round.
      for (let i = 0; i < clients.length; i++) {
        const c = clients[(i + round) % clients.length]!;
        const before = await server.stats();
        const started = performance.now();
        await send(c, options.perBlock, true);
        c.run.wallMs += performance.now() - started;
        const after = await server.stats();
        c.roundTrips += after.requests - before.requests;
        c.serverMs += after.handlerMs - before.handlerMs;
        c.run.requests += options.perBlock;
      }
    }
  } finally {
    for (const c of clients) await c.client.close();
  }
  return clients.map((c) => ({
    ...c.run,
    roundTripsPerRequest: c.roundTrips / c.run.requests,
    serverUsPerRequest: (c.serverMs * 1000) / c.run.requests,
  }));
}
