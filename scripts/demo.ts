// `deno task demo`: the whole job on an embedded Atlas simulator, no account needed.
//
// Starts the simulator on a loopback port (realistic clock: a few seconds per status change),
// then runs the real command-line tool, as a user would, once per provider with `create --wait`,
// plus one AWS endpoint the simulator rejects. Progress is the CLI's own (a live line on a
// terminal, plain lines otherwise). Ends with a summary table; exits 0 when every endpoint ended
// as expected (the rejected one included), 1 otherwise.
// deno-lint-ignore-file no-console

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  serve,
  type SimulatorCloudProvider,
} from "../src/testing/mod.ts";
import { shellWord } from "../src/cli/_shell.ts";

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const tty = Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
const bold = (text: string): string => (tty ? `\x1b[1m${text}\x1b[0m` : text);
const dim = (text: string): string => (tty ? `\x1b[2m${text}\x1b[0m` : text);
const green = (text: string): string => (tty ? `\x1b[32m${text}\x1b[0m` : text);
const red = (text: string): string => (tty ? `\x1b[31m${text}\x1b[0m` : text);

const REJECTED_VPCE = "vpce-0badc0ffee0000bad";
const REJECTION = `Interface endpoint ${REJECTED_VPCE} was not found`;
const AZURE_ID = "/subscriptions/3f2c9a4e-8d1b-4c6f-9e2a-7b5d1c0e4f3a/resourceGroups/app-rg" +
  "/providers/Microsoft.Network/privateEndpoints/pe-atlas";

const simulator = createAtlasSimulator({ failEndpoints: { [REJECTED_VPCE]: REJECTION } });
const project = simulator.seed();
const server = await serve(simulator.fetch);
const env = {
  MONGODB_ATLAS_PUBLIC_API_KEY: DEFAULT_SIMULATOR_API_KEY.publicKey,
  MONGODB_ATLAS_PRIVATE_API_KEY: DEFAULT_SIMULATOR_API_KEY.privateKey,
  MONGODB_ATLAS_BASE_URL: `${server.url}${simulator.basePath}`,
};

interface Step {
  title: string;
  provider: SimulatorCloudProvider;
  endpointId: string;
  args: string[];
  expectedCode: number;
  expectedStatus: string;
}

const service = (provider: SimulatorCloudProvider): string[] => [
  "--group",
  project.groupId,
  "--service",
  project[provider],
];
// A 1 s first poll (it backs off from there) so that each status change shows promptly.
const WAIT = ["--wait", "--poll-interval", "1s", "--timeout", "2m"];

const steps: Step[] = [
  {
    title: "AWS PrivateLink: an interface endpoint",
    provider: "AWS",
    endpointId: "vpce-0a1b2c3d4e5f60718",
    args: ["create", "aws", ...service("AWS"), "--id", "vpce-0a1b2c3d4e5f60718", ...WAIT],
    expectedCode: 0,
    expectedStatus: "AVAILABLE",
  },
  {
    title: "Azure Private Link: a private endpoint",
    provider: "AZURE",
    endpointId: AZURE_ID,
    args: ["create", "azure", ...service("AZURE"), "--id", AZURE_ID, "--ip", "10.0.0.4", ...WAIT],
    expectedCode: 0,
    expectedStatus: "AVAILABLE",
  },
  {
    title: "GCP Private Service Connect: an endpoint group",
    provider: "GCP",
    endpointId: "atlas-psc",
    args: [
      "create",
      "gcp",
      ...service("GCP"),
      "--endpoint-group-name",
      "atlas-psc",
      "--gcp-project-id",
      "my-gcp-project",
      "--endpoint",
      "atlas-psc-0@10.128.0.10",
      ...WAIT,
    ],
    expectedCode: 0,
    expectedStatus: "AVAILABLE",
  },
  {
    title: "AWS again, with a vpce id that AWS cannot find: Atlas rejects it (expected)",
    provider: "AWS",
    endpointId: REJECTED_VPCE,
    args: ["create", "aws", ...service("AWS"), "--id", REJECTED_VPCE, ...WAIT],
    expectedCode: 4,
    expectedStatus: "REJECTED",
  },
];

/** Runs the CLI with the terminal passed through, so its progress is exactly what a user sees. */
function runCli(args: string[]): Promise<number> {
  const child = spawn(Deno.execPath(), ["run", "-A", "--quiet", CLI, ...args], {
    cwd: ROOT,
    env: { ...Deno.env.toObject(), ...env },
    stdio: "inherit",
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
}

const started = performance.now();
console.log(bold("atlas-private-endpoint demo"));
console.log(
  `Atlas simulator on ${server.url} (strict Digest, realistic timing), project ${project.groupId}\n` +
    dim("The same commands work against real Atlas: set the API key variables, drop the base URL."),
);
console.log(dim(
  `\nexport MONGODB_ATLAS_PUBLIC_API_KEY=${env.MONGODB_ATLAS_PUBLIC_API_KEY}\n` +
    "export MONGODB_ATLAS_PRIVATE_API_KEY=********\n" +
    `export MONGODB_ATLAS_BASE_URL=${env.MONGODB_ATLAS_BASE_URL}`,
));

const rows: string[][] = [];
let allAsExpected = true;
try {
  for (const [index, step] of steps.entries()) {
    console.log(`\n${bold(`${index + 1}. ${step.title}`)}`);
    console.log(dim(`$ atlas-private-endpoint ${step.args.map(shellWord).join(" ")}`));
    const stepStarted = performance.now();
    const code = await runCli(step.args);
    const seconds = ((performance.now() - stepStarted) / 1000).toFixed(1);
    const endpoint = simulator.getEndpoint({
      groupId: project.groupId,
      cloudProvider: step.provider,
      endpointServiceId: project[step.provider],
      endpointId: step.endpointId,
    });
    const status = endpoint?.status ?? "(missing)";
    const ok = code === step.expectedCode && status === step.expectedStatus;
    allAsExpected &&= ok;
    rows.push([
      step.provider,
      step.endpointId.split("/").pop()!,
      status,
      String(code),
      `${seconds}s`,
      ok ? "as expected" : `UNEXPECTED (wanted ${step.expectedStatus}, exit ${step.expectedCode})`,
    ]);
  }
} finally {
  await server.close();
}

const header = ["Provider", "Endpoint", "Status", "Exit", "Time", "Result"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(`\n${bold("Summary")}`);
console.log(bold(line(header)));
for (const row of rows) {
  const text = line(row);
  console.log(
    row[5] === "as expected"
      ? text.replace(row[2]!, (s) => row[2] === "AVAILABLE" ? green(s) : red(s))
      : red(text),
  );
}
const total = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `\n${allAsExpected ? green("Every endpoint behaved as expected") : red("Something went wrong")}` +
    ` (${total}s). Exit codes: 0 AVAILABLE, 4 REJECTED/FAILED; see atlas-private-endpoint --help.`,
);
Deno.exit(allAsExpected ? 0 : 1);
