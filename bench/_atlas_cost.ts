// The Atlas layers' own cost per create, side by side in one run: a warm authenticated create as
// `createPrivateEndpoint` and as the low-level `atlas.POST`, against plain openapi-fetch POSTing the
// same body without authentication (the floor) and with only `digestAuth` (the Digest engine's
// share, which is not the Atlas layers'). In memory (an injected fetch answers at once: a challenge
// without Authorization, else a created endpoint) and on loopback against the bench server
// (Digest port; the floor on the port without authentication). Blocks interleaved; medians; in
// memory the process's CPU time, on loopback wall time.
import createClient from "openapi-fetch";
import process from "node:process";
import type { paths } from "../gen/atlas.ts";
import * as Library from "../mod.ts";
import { BENCH_PATH } from "./_clients.ts";
import { BENCH_CREDENTIALS, type BenchServer } from "./_protocol.ts";
import { median } from "./_stats.ts";

/** One way to create, measured in memory or on loopback. */
export interface AtlasCostRun {
  id: string;
  where: "memory" | "loopback";
  requests: number;
  /** Median over blocks of the mean time per create, µs (CPU time in memory, wall on loopback). */
  p50Us: number;
}

/** The targets of the Atlas layers (issue 12), as ratios to the floor of the same place. */
export const ATLAS_COST_TARGETS = {
  "memory:createPrivateEndpoint": 2,
  "memory:atlas.POST": 1.6,
  "loopback:atlas.POST": 1.25,
} as const;

const LABELS: Record<string, string> = {
  floor: "floor: openapi-fetch POST, no auth",
  digestAuth: "openapi-fetch + digestAuth POST (the Digest engine)",
  "atlas.POST": "createAtlasClient → atlas.POST",
  createPrivateEndpoint: "createAtlasClient → createPrivateEndpoint",
};

const CREATE_PATH =
  "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint" as const;
const SERVICE = {
  groupId: BENCH_PATH.params.groupId,
  cloudProvider: "AWS" as const,
  endpointServiceId: BENCH_PATH.params.endpointServiceId,
};
const BODY = { id: BENCH_PATH.params.endpointId };
const CREATED = JSON.stringify({
  interfaceEndpointId: BENCH_PATH.params.endpointId,
  connectionStatus: "PENDING_ACCEPTANCE",
});
const CHALLENGE = `Digest realm="${BENCH_CREDENTIALS.realm}", domain="", ` +
  'nonce="bWVtb3J5LW5vbmNlLTAwMDAwMDAwMDAwMDAwMDA=", opaque="6f70617175652d6d656d6f7279", ' +
  'qop="auth", algorithm=MD5, stale=false';
const API_KEY = {
  publicKey: BENCH_CREDENTIALS.username,
  privateKey: BENCH_CREDENTIALS.password,
};
const DIGEST = { username: BENCH_CREDENTIALS.username, password: BENCH_CREDENTIALS.password };

const created = (): Response =>
  new Response(CREATED, { status: 201, headers: { "content-type": "application/json" } });

function instantFetch(request: Request): Promise<Response> {
  return Promise.resolve(
    request.headers.has("authorization")
      ? created()
      : new Response(null, { status: 401, headers: { "www-authenticate": CHALLENGE } }),
  );
}

type Create = () => Promise<unknown>;

/** CPU time of this process so far, µs. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function openapiPost(
  baseUrl: string,
  fetch?: (r: Request) => Promise<Response>,
  auth = false,
): Create {
  const client = createClient<paths>({ baseUrl, ...(fetch ? { fetch } : {}) });
  if (auth) client.use(Library.digestAuth(DIGEST));
  return async () => {
    const { response } = await client.POST(CREATE_PATH, { params: { path: SERVICE }, body: BODY });
    if (!response.ok) throw new Error(`POST answered ${response.status}`);
  };
}

function ways(
  baseUrl: { open: string; auth: string },
  fetch?: (r: Request) => Promise<Response>,
): Record<string, Create> {
  // A request budget that never runs dry: its fast path, a token taken at once, is measured.
  const rateLimit = { requestsPerMinute: 1e12, burst: 1e12 };
  const options = {
    ...API_KEY,
    baseUrl: `${baseUrl.auth}/api/atlas/v1.0`,
    retry: false as const,
    rateLimit,
  };
  const atlas = Library.createAtlasClient(fetch ? { ...options, fetch } : options);
  const out: Record<string, Create> = {
    floor: openapiPost(
      `${baseUrl.open}/api/atlas/v1.0`,
      fetch ? () => Promise.resolve(created()) : undefined,
    ),
    digestAuth: openapiPost(`${baseUrl.auth}/api/atlas/v1.0`, fetch, true),
    "atlas.POST": async () => {
      const { error, response } = await atlas.POST(CREATE_PATH, {
        params: { path: SERVICE },
        body: BODY,
      });
      if (error !== undefined) throw new Error(`atlas.POST answered ${response.status}`);
    },
  };
  // On loopback the bench server echoes the request: an object, which the create completes.
  out.createPrivateEndpoint = () =>
    Library.createPrivateEndpoint(atlas, { ...SERVICE, ...BODY }, { idempotent: false });
  return out;
}

async function measure(
  where: AtlasCostRun["where"],
  creates: Record<string, Create>,
  options: { warmup: number; blocks: number; perBlock: number },
): Promise<AtlasCostRun[]> {
  const entries = Object.entries(creates).map(([id, create]) => ({
    id,
    create,
    blocks: [] as number[],
  }));
  // Back to the event loop before every block, as a network would between requests: an injected
  // fetch that answers at once makes one endless microtask job, in which V8 keeps every WeakRef's
  // target (Deno makes one per Request with a signal) alive until the job ends.
  const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
  for (const e of entries) {
    for (let i = 0; i < options.warmup; i++) {
      if (i % 100 === 0) await turn();
      await e.create();
    }
  }
  for (let block = 0; block < options.blocks; block++) {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[(i + block) % entries.length]!;
      await turn();
      // In memory, this process's CPU time (steadier than wall time while other work runs); on
      // loopback, wall time (the server's work counts).
      const started = where === "memory" ? cpuMicros() : performance.now() * 1000;
      for (let n = 0; n < options.perBlock; n++) await e.create();
      const ended = where === "memory" ? cpuMicros() : performance.now() * 1000;
      e.blocks.push((ended - started) / options.perBlock);
    }
  }
  return entries.map((e) => ({
    id: e.id,
    where,
    requests: options.blocks * options.perBlock,
    p50Us: median(e.blocks),
  }));
}

/** Measures in memory, then on loopback when a bench server is given. */
export async function measureAtlasCost(
  server: BenchServer | undefined,
  options: {
    memory: { warmup: number; blocks: number; perBlock: number };
    loopback: { warmup: number; blocks: number; perBlock: number };
  },
): Promise<AtlasCostRun[]> {
  const base = { open: "https://atlas.invalid", auth: "https://atlas.invalid" };
  const runs = await measure("memory", ways(base, instantFetch), options.memory);
  if (server) {
    await server.configure({ latencyMs: 0, ncPolicy: "unique", opaque: "per-nonce" });
    const loopback = ways({ open: server.openUrl, auth: server.authUrl });
    runs.push(...await measure("loopback", loopback, options.loopback));
  }
  return runs;
}

/** The ratio of a run to the floor of the same place. */
export function atlasCostRatio(
  runs: AtlasCostRun[],
  where: string,
  id: string,
): number | undefined {
  const floor = runs.find((r) => r.where === where && r.id === "floor");
  const run = runs.find((r) => r.where === where && r.id === id);
  return floor && run ? run.p50Us / floor.p50Us : undefined;
}

/** The Markdown table of the runs. */
export function atlasCostTable(runs: AtlasCostRun[]): string {
  const rows = runs.map((r) => {
    const x = atlasCostRatio(runs, r.where, r.id);
    return `| ${r.where} | ${LABELS[r.id] ?? r.id} | ${r.requests} | ${r.p50Us.toFixed(1)} µs | ${
      x === undefined ? "–" : `${x.toFixed(2)}×`
    } |`;
  });
  return [
    "| Where | Create | Requests | p50 per create | × floor |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ]
    .join("\n");
}

/** The targets, judged on these runs. */
export function atlasCostVerdicts(
  runs: AtlasCostRun[],
): { target: string; status: "met" | "missed" | "not measured"; detail: string }[] {
  return Object.entries(ATLAS_COST_TARGETS).map(([key, limit]) => {
    const [where, id] = key.split(":") as [string, string];
    const target =
      `A warm authenticated create, ${id} ${
        where === "memory" ? "in memory" : "on loopback"
      }: ≤ ${limit}× ` +
      "plain openapi-fetch POST without auth";
    const x = atlasCostRatio(runs, where, id);
    if (x === undefined) return { target, status: "not measured" as const, detail: "no run" };
    const digest = atlasCostRatio(runs, where, "digestAuth");
    return {
      target,
      status: x <= limit ? "met" as const : "missed" as const,
      detail: `${x.toFixed(2)}× (openapi-fetch + digestAuth alone: ${digest?.toFixed(2) ?? "–"}×)`,
    };
  });
}
