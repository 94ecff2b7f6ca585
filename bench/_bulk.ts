// Many endpoints under Atlas's rate limit (issue 15). 200 AWS endpoints across 2 projects on the
// simulator with its per-project limit on (100 per minute, a token bucket), all created and waited
// for from one client with its default request budget, on time scaled by the simulator's
// `timeScale` (life cycles and the limit's window alike): the 429s met, the endpoints that reached
// AVAILABLE, and the wall time against the ideal schedule at exactly the allowed rate under the same
// scale. Then one endpoint alone: how long after its change to AVAILABLE the wait sees it, with the
// budget and without it (the path before the budget existed).
import * as Library from "../mod.ts";
import { createAtlasSimulator, DEFAULT_SIMULATOR_API_KEY } from "../src/testing/mod.ts";
import { median } from "./_stats.ts";

/** What the bulk run and the lone waits measured. */
export interface BulkResult {
  endpoints: number;
  projects: number;
  timeScale: number;
  /** The simulator's bucket: capacity (= refill) per window, and the window, scaled. */
  limit: number;
  windowMs: number;
  /** Authenticated requests the simulator answered (Digest challenges take no token). */
  requests: number;
  rateLimited: number;
  available: number;
  wallMs: number;
  idealMs: number;
  /** One endpoint alone: ms from its change to AVAILABLE until the wait saw it, per run. */
  alone: { id: "budget" | "no budget"; pollIntervalMs: number; lagsMs: number[] }[];
}

const SCALE = 0.1;
const PER_PROJECT = 100;
const PROJECTS = 2;
const LIMIT = 100;
const WINDOW_MS = 60_000 * SCALE;
/** AWS in the simulator: PENDING_ACCEPTANCE 2 s, PENDING 3 s, then AVAILABLE. */
const LIFE_MS = 5_000 * SCALE;
const ALONE_RUNS = 3;
/** The lone waits run faster still: their endpoint is AVAILABLE after 100 ms. */
const ALONE_SCALE = 0.02;
const ALONE_POLL_MS = 50;

const vpce = (i: number): string => `vpce-${i.toString(16).padStart(17, "0")}`;

/**
 * The ideal schedule at exactly the allowed rate: each project needs a create and at least one
 * read per endpoint, the bucket gives `LIMIT` at once and `LIMIT` more per window, and no
 * endpoint is AVAILABLE before its life cycle has run.
 */
function idealMs(): number {
  const requests = 2 * PER_PROJECT;
  return Math.max(LIFE_MS, Math.ceil(Math.max(0, requests - LIMIT) / LIMIT) * WINDOW_MS);
}

async function bulk(): Promise<Omit<BulkResult, "alone">> {
  const simulator = createAtlasSimulator({ timeScale: SCALE, rateLimit: { limit: LIMIT } });
  const atlas = Library.createAtlasClient({ ...DEFAULT_SIMULATOR_API_KEY, fetch: simulator.fetch });
  const refs: Library.PrivateEndpointRef[] = [];
  for (let p = 0; p < PROJECTS; p++) {
    const { groupId, AWS: endpointServiceId } = simulator.seed();
    for (let i = 0; i < PER_PROJECT; i++) {
      refs.push({ groupId, endpointServiceId, cloudProvider: "AWS", endpointId: vpce(i) });
    }
  }
  const started = performance.now();
  await Promise.all(
    refs.map(({ groupId, endpointServiceId, endpointId }) =>
      Library.createPrivateEndpoint(atlas, {
        groupId,
        endpointServiceId,
        cloudProvider: "AWS",
        id: endpointId,
      })
    ),
  );
  const results = await Library.waitForPrivateEndpoints(atlas, refs, {
    pollIntervalMs: 5_000 * SCALE,
    maxPollIntervalMs: 60_000 * SCALE,
  });
  const wallMs = performance.now() - started;
  return {
    endpoints: refs.length,
    projects: PROJECTS,
    timeScale: SCALE,
    limit: LIMIT,
    windowMs: WINDOW_MS,
    requests: simulator.requestLog.filter((e) => e.authorization).length,
    rateLimited: simulator.stats.rateLimited,
    available: results.filter((r) => r.outcome === "available").length,
    wallMs,
    idealMs: idealMs(),
  };
}

/** One endpoint, created then waited for; ms from its change to AVAILABLE until the wait saw it. */
async function alone(rateLimit: false | undefined): Promise<number> {
  const simulator = createAtlasSimulator({ timeScale: ALONE_SCALE, rateLimit: { limit: LIMIT } });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const atlas = Library.createAtlasClient({
    ...DEFAULT_SIMULATOR_API_KEY,
    fetch: simulator.fetch,
    ...(rateLimit === false ? { rateLimit } : {}),
  });
  const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
  await Library.createPrivateEndpoint(atlas, { ...service, id: vpce(1) });
  const changedAt = Date.now() + 5_000 * ALONE_SCALE;
  let seenAt = NaN;
  await Library.waitForPrivateEndpoint(atlas, { ...service, endpointId: vpce(1) }, {
    pollIntervalMs: ALONE_POLL_MS,
    maxPollIntervalMs: ALONE_POLL_MS,
    onStatus: ({ status }) => {
      if (status === "AVAILABLE") seenAt = Date.now();
    },
  });
  return seenAt - changedAt;
}

/**
 * The lone waits with and without the budget, taking turns (after one untimed run of each, so
 * that neither pays for the first compile), then the bulk run.
 */
export async function measureBulk(): Promise<BulkResult> {
  await alone(undefined);
  await alone(false);
  const lags = { budget: [] as number[], "no budget": [] as number[] };
  for (let i = 0; i < ALONE_RUNS; i++) {
    const order = i % 2 === 0 ? [undefined, false] as const : [false, undefined] as const;
    for (const rateLimit of order) {
      lags[rateLimit === false ? "no budget" : "budget"].push(await alone(rateLimit));
    }
  }
  const result = await bulk();
  return {
    ...result,
    alone: (["budget", "no budget"] as const).map((id) => ({
      id,
      pollIntervalMs: ALONE_POLL_MS,
      lagsMs: lags[id],
    })),
  };
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** The Markdown of the runs. */
export function bulkTable(bulk: BulkResult | undefined): string {
  if (!bulk) return "Not measured.";
  const x = bulk.wallMs / bulk.idealMs;
  return [
    "| Endpoints | Projects | Limit per project | Requests | 429s | AVAILABLE | Time | Ideal | × ideal |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    `| ${bulk.endpoints} | ${bulk.projects} | ${bulk.limit} per ${
      s(bulk.windowMs)
    } | ${bulk.requests} | ${bulk.rateLimited} | ${bulk.available} | ${s(bulk.wallMs)} | ${
      s(bulk.idealMs)
    } | ${x.toFixed(2)}× |`,
    "",
    "| One endpoint alone | Poll interval | Seen after the change (median) | (max) |",
    "| --- | --- | --- | --- |",
    ...bulk.alone.map((a) =>
      `| ${
        a.id === "budget" ? "with the budget" : "without it (`rateLimit: false`)"
      } | ${a.pollIntervalMs} ms | ${median(a.lagsMs).toFixed(0)} ms | ${
        Math.max(...a.lagsMs).toFixed(0)
      } ms |`
    ),
  ].join("\n");
}

/** The targets of issue 15, judged on these runs. */
export function bulkVerdicts(
  bulk: BulkResult | undefined,
): { target: string; status: "met" | "missed" | "not measured"; detail: string }[] {
  const many =
    "200 endpoints across 2 projects under the simulator's per-project limit, from one client: all AVAILABLE, zero 429s, ≤ 1.2× the ideal schedule";
  const one = "One endpoint alone sees a status change within one poll interval";
  if (!bulk) {
    return [many, one].map((target) => ({
      target,
      status: "not measured" as const,
      detail: "no run",
    }));
  }
  const x = bulk.wallMs / bulk.idealMs;
  const ok = bulk.available === bulk.endpoints && bulk.rateLimited === 0 && x <= 1.2;
  const budget = bulk.alone.find((a) => a.id === "budget")!;
  const worst = Math.max(...budget.lagsMs);
  // The read that sees the change is sent at most one interval after it; its round trip is added.
  const allowance = budget.pollIntervalMs + 10;
  return [{
    target: many,
    status: ok ? "met" : "missed",
    detail: `${bulk.available}/${bulk.endpoints} AVAILABLE, ${bulk.rateLimited} 429s, ${
      s(bulk.wallMs)
    } against ${s(bulk.idealMs)} ideal (${
      x.toFixed(2)
    }×), ${bulk.requests} requests, time ×${bulk.timeScale}`,
  }, {
    target: one,
    status: worst <= allowance ? "met" : "missed",
    detail: `at most ${
      worst.toFixed(0)
    } ms after the change with a ${budget.pollIntervalMs} ms interval (${ALONE_RUNS} runs; without the budget at most ${
      Math.max(...bulk.alone.find((a) => a.id === "no budget")!.lagsMs).toFixed(0)
    } ms)`,
  }];
}
