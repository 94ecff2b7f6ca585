// The Digest clients against Apache httpd 2.4 (mod_auth_digest), a server nobody here wrote, with
// AuthDigestNcCheck Off (lenient) and On (strict): sequential, cold concurrent and waves of
// creates, round trips counted in Apache's access log.
import { type Apache, startApache } from "../tests/digest/_apache.ts";
import { BENCH_CREATE, type ClientKind } from "./_clients.ts";
import { BENCH_CREDENTIALS } from "./_protocol.ts";

/** One client in one scenario against one Apache. */
export interface ApacheRun {
  ncCheck: boolean;
  client: string;
  label: string;
  scenario: "seq" | "cold" | "waves";
  requests: number;
  succeeded: number;
  /** Round trips (per wave for waves). */
  roundTrips: number[];
  /** Requests Apache rejected for their nc (per wave for waves). */
  ncRejected: number[];
  /** Final statuses of the requests that failed (0: threw), counted. */
  failures: Record<string, number>;
}

const SEQ = 50;
const COLD = 20;
const WAVE = 20;
const WAVES = 3;

const OUR_CLIENTS = ["ours-middleware", "ours-fetch"];

async function counts(apache: Apache): Promise<[number, number]> {
  const nc = (await apache.errors()).split("\n")
    .filter((l) => l.includes("nonce-count check failed")).length;
  return [(await apache.requests()).length, nc];
}

/**
 * Runs batches one after another, each all at once (or, with `sequential`, one batch of requests
 * one after another); round trips and nc rejections per batch.
 */
async function batches(
  apache: Apache,
  sizes: number[],
  send: (i: number) => Promise<number>,
  sequential = false,
): Promise<Pick<ApacheRun, "succeeded" | "roundTrips" | "ncRejected" | "failures">> {
  let succeeded = 0;
  const failures: Record<string, number> = {};
  const roundTrips: number[] = [];
  const ncRejected: number[] = [];
  for (const size of sizes) {
    const [rt, nc] = await counts(apache);
    const statuses: number[] = [];
    const one = (i: number) =>
      send(i).catch((error) => {
        failures[String(error).slice(0, 80)] = (failures[String(error).slice(0, 80)] ?? 0) + 1;
        return 0;
      });
    if (sequential) { for (let i = 0; i < size; i++) statuses.push(await one(i)); }
    else statuses.push(...await Promise.all(Array.from({ length: size }, (_, i) => one(i))));
    for (const s of statuses) {
      if (s >= 200 && s <= 299) succeeded++;
      else if (s) failures[s] = (failures[s] ?? 0) + 1;
    }
    const [rt2, nc2] = await counts(apache);
    roundTrips.push(rt2 - rt);
    ncRejected.push(nc2 - nc);
  }
  return { succeeded, roundTrips, ncRejected, failures };
}

/** Every Digest client against Apache, lenient then strict; a reason when Apache cannot run. */
export async function measureApache(kinds: ClientKind[]): Promise<ApacheRun[] | string> {
  const runs: ApacheRun[] = [];
  const body = JSON.stringify(BENCH_CREATE.body);
  for (const ncCheck of [false, true]) {
    let apache: Apache;
    try {
      apache = await startApache({ ...BENCH_CREDENTIALS, ncCheck });
    } catch (error) {
      return String(error).slice(0, 300);
    }
    try {
      for (const kind of kinds.filter((k) => k.auth)) {
        const run = async (
          scenario: ApacheRun["scenario"],
          sizes: number[],
          send: (client: ReturnType<ClientKind["create"]>, i: number) => Promise<number>,
        ) => {
          const client = kind.create(apache.origin);
          try {
            const r = await batches(apache, sizes, (i) => send(client, i), scenario === "seq");
            const requests = sizes.reduce((a, b) => a + b);
            runs.push({ ncCheck, client: kind.id, label: kind.label, scenario, requests, ...r });
          } finally {
            await client.close();
          }
        };
        await run("seq", [SEQ], (c, i) => c.get(`/api/atlas/v2/seq/${i}`));
        await run("cold", [COLD], (c, i) => c.get(`/api/atlas/v2/cold/${i}`));
        await run("waves", Array(WAVES).fill(WAVE), (c, i) => c.post(`/api/atlas/v2/c/${i}`, body));
      }
    } finally {
      await apache.close();
    }
  }
  return runs;
}

/** What the failures were, e.g. `HTTP 400 ×57`. */
const describe = (runs: ApacheRun[]): string =>
  runs.flatMap((r) => Object.entries(r.failures))
    .map(([k, v]) => `${/^\d+$/.test(k) ? `HTTP ${k}` : k} ×${v}`).join(", ");

const merge = (runs: ApacheRun[], scenario: ApacheRun["scenario"]): number[] =>
  runs.find((r) => r.scenario === scenario)?.roundTrips ?? [];

/** The Markdown section: one row per client and Apache mode. */
export function apacheTable(apache: ApacheRun[] | string | undefined): string {
  if (apache === undefined) return "";
  const head = `## Apache httpd 2.4 (mod_auth_digest)

A real Digest server nobody here wrote, on a loopback port, with \`AuthDigestNcCheck Off\` (lenient)
and \`On\` (strict: nc must rise per opaque). A fresh client per scenario; round trips and nc
rejections from Apache's own logs. Waves are creates (POST with a JSON body).

`;
  if (typeof apache === "string") return `${head}Not measured: ${apache}\n\n`;
  const rows: string[] = [];
  const keys = [...new Set(apache.map((r) => `${r.ncCheck} ${r.client}`))];
  for (const key of keys) {
    const runs = apache.filter((r) => `${r.ncCheck} ${r.client}` === key);
    const first = runs[0]!;
    const failed = runs.reduce((a, r) => a + r.requests - r.succeeded, 0);
    const waves = runs.find((r) => r.scenario === "waves");
    rows.push(
      `| ${first.ncCheck ? "On" : "Off"} | ${first.label} | ${
        merge(runs, "seq").reduce((a, b) => a + b, 0)
      } | ${merge(runs, "cold").join("")} | ${merge(runs, "waves").join(" / ")} (nc rejected ${
        waves?.ncRejected.join(" / ") ?? "–"
      }) | ${failed ? `**${failed}**: ${describe(runs)}` : "0"} |`,
    );
  }
  return `${head}| NcCheck | Client | RT: ${SEQ} sequential (ideal ${
    SEQ + 1
  }) | RT: ${COLD} concurrent, cold (ideal ${
    COLD + 1
  }) | RT: ${WAVES} waves of ${WAVE} creates | Failed |\n| --- | --- | --- | --- | --- | --- |\n${
    rows.join("\n")
  }\n\n`;
}

/** The issue's Apache targets for our two clients. */
export function apacheVerdicts(
  apache: ApacheRun[] | string | undefined,
): { target: string; status: "met" | "missed" | "not measured"; detail: string }[] {
  const targets = [
    "Apache NcCheck Off: 50 sequential in 51, 20 cold concurrent in 21",
    "Apache NcCheck On, 3 waves of 20 creates from one cold client: 60/60 succeed, last wave 20, ≤ 80 in all",
  ];
  if (apache === undefined || typeof apache === "string") {
    return targets.map((target) => ({
      target,
      status: "not measured",
      detail: apache ?? "no run",
    }));
  }
  return targets.map((target, strict) => {
    const details: string[] = [];
    let met = true;
    for (const id of OUR_CLIENTS) {
      const runs = apache.filter((r) => r.client === id && r.ncCheck === !!strict);
      if (!runs.length) continue;
      const waves = runs.find((r) => r.scenario === "waves")!;
      const failed = runs.reduce((a, r) => a + r.requests - r.succeeded, 0);
      const seq = merge(runs, "seq").reduce((a, b) => a + b, 0);
      const cold = merge(runs, "cold")[0];
      const total = waves.roundTrips.reduce((a, b) => a + b, 0);
      const ok = strict
        ? waves.succeeded === 60 && waves.roundTrips[2] === 20 && total <= 80
        : seq === 51 && cold === 21 && failed === 0;
      met &&= ok;
      details.push(
        `${id}: ${seq} sequential, ${cold} cold, waves ${
          waves.roundTrips.join(" / ")
        } (nc rejected ${waves.ncRejected.join(" / ")}), ${failed} failed`,
      );
    }
    return { target, status: met ? "met" : "missed", detail: details.join(" · ") };
  });
}
