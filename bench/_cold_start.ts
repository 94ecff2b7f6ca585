// Cold start: fresh Deno processes that import a client and make its first call (bench/_cold_child.ts),
// round-robin over the variants so that drift hits all of them alike; medians of the timed runs.
import { BENCH_URL_PATH } from "./_clients.ts";
import type { BenchServer } from "./_protocol.ts";
import { median } from "./_stats.ts";

/** The variants, floor first. `auth: false` talks to the port without authentication. */
export const COLD_VARIANTS: { id: string; label: string; auth: boolean }[] = [
  { id: "floor", label: "floor: openapi-fetch, no auth", auth: false },
  { id: "ours", label: "ours: mod.ts + openapi-fetch + digestAuth", auth: true },
  { id: "digest-fetch", label: "digest-fetch", auth: true },
  { id: "urllib", label: "urllib", auth: true },
];

/** Medians over the timed runs of one variant, ms. */
export interface ColdStartResult {
  id: string;
  label: string;
  runs: number;
  /** import() of the library. */
  importMs?: number;
  /** The first call: challenge and authenticated request (one request for the floor). */
  firstCallMs?: number;
  /** import + first call, inside the process. */
  totalMs?: number;
  /** Spawn to exit, as seen from outside (runtime start-up included). */
  processMs?: number;
  /** Why it could not run. */
  error?: string;
}

/** Runs `runs` timed cold starts per variant (after one untimed run that fills Deno's caches). */
export async function measureColdStart(
  server: BenchServer,
  runs: number,
  variants: typeof COLD_VARIANTS = COLD_VARIANTS,
): Promise<ColdStartResult[]> {
  await server.configure({ latencyMs: 0, ncPolicy: "unique", opaque: "per-nonce" });
  const child = new URL("./_cold_child.ts", import.meta.url).pathname;
  const samples = new Map<
    string,
    { importMs: number[]; firstCallMs: number[]; totalMs: number[]; processMs: number[] }
  >();
  const errors = new Map<string, string>();
  for (let round = 0; round <= runs; round++) {
    for (const variant of variants) {
      if (errors.has(variant.id)) continue;
      const started = performance.now();
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          // bench/deno.lock pins the peers the child imports (deno.lock pins only the library's).
          `--lock=${new URL("./deno.lock", import.meta.url).pathname}`,
          "-A",
          child,
          variant.id,
          variant.auth ? server.authUrl : server.openUrl,
          BENCH_URL_PATH,
        ],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const processMs = performance.now() - started;
      const text = new TextDecoder().decode(stdout).trim();
      if (code !== 0 || !text.startsWith("{")) {
        const lines = new TextDecoder().decode(stderr).trim().split("\n");
        const detail = lines.find((line) => line.startsWith("error:")) ?? lines.at(-1) ?? "";
        errors.set(variant.id, `exit ${code}: ${detail.slice(0, 160)}`);
        continue;
      }
      const measured = JSON.parse(text) as {
        status: number;
        importMs: number;
        firstCallMs: number;
        totalMs: number;
      };
      if (measured.status !== 200) {
        errors.set(variant.id, `first call answered ${measured.status}`);
        continue;
      }
      if (round === 0) continue; // the untimed run
      const s = samples.get(variant.id) ??
        { importMs: [], firstCallMs: [], totalMs: [], processMs: [] };
      s.importMs.push(measured.importMs);
      s.firstCallMs.push(measured.firstCallMs);
      s.totalMs.push(measured.totalMs);
      s.processMs.push(processMs);
      samples.set(variant.id, s);
    }
  }
  return variants.map((variant) => {
    const error = errors.get(variant.id);
    if (error) return { id: variant.id, label: variant.label, runs: 0, error };
    const s = samples.get(variant.id)!;
    return {
      id: variant.id,
      label: variant.label,
      runs: s.totalMs.length,
      importMs: median(s.importMs),
      firstCallMs: median(s.firstCallMs),
      totalMs: median(s.totalMs),
      processMs: median(s.processMs),
    };
  });
}
