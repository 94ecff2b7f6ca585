// `deno task demo`: the whole job on an embedded Atlas simulator, no account needed.
//
// Starts the simulator on a loopback port (near-realistic clock: a few seconds per status
// change) with an empty project, then runs the real command-line tool, as a user would, through
// the whole setup of each provider: `service ensure` (the region's endpoint service, ready, and
// what to create on the cloud side), then `create --wait` until the endpoint is AVAILABLE; plus
// one AWS endpoint the simulator rejects. Progress is the CLI's own (a live line on a terminal,
// plain lines otherwise). Ends with a summary table; exits 0 when every endpoint ended as
// expected (the rejected one included), 1 otherwise.
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

// Lifecycles at 0.7 of the simulator's realistic pace (services take 5 s to set up, endpoints a few
// seconds per status), so the whole setup of three providers shows in about 30 s.
const simulator = createAtlasSimulator({
  timeScale: 0.7,
  failEndpoints: { [REJECTED_VPCE]: REJECTION },
});
const groupId = simulator.addGroup();
const server = await serve(simulator.fetch);
const env = {
  MONGODB_ATLAS_PUBLIC_API_KEY: DEFAULT_SIMULATOR_API_KEY.publicKey,
  MONGODB_ATLAS_PRIVATE_API_KEY: DEFAULT_SIMULATOR_API_KEY.privateKey,
  MONGODB_ATLAS_BASE_URL: `${server.url}${simulator.basePath}`,
  MONGODB_ATLAS_PROJECT_ID: groupId,
};

/** One provider's whole setup: its service in a region, then one endpoint on it. */
interface Setup {
  title: string;
  provider: SimulatorCloudProvider;
  /** The region as the cloud names it (the CLI sends Atlas's name). */
  region: string;
  /** Extra flags of `service ensure`. */
  serviceFlags: string[];
  /** What the demo pretends to create on the cloud side, in words. */
  cloudSide: string;
  endpointId: string;
  /** The `create <provider>` flags after the service. */
  createFlags: string[];
  expectedCode: number;
  expectedStatus: string;
}

// A 1 s first poll (it backs off from there) so that each status change shows promptly.
const WAIT = ["--wait", "--poll-interval", "1s", "--timeout", "2m"];

const setups: Setup[] = [
  {
    title: "AWS PrivateLink in us-east-1",
    provider: "AWS",
    region: "us-east-1",
    serviceFlags: [],
    cloudSide: "the interface endpoint vpce-0a1b2c3d4e5f60718 in your VPC",
    endpointId: "vpce-0a1b2c3d4e5f60718",
    createFlags: ["--id", "vpce-0a1b2c3d4e5f60718"],
    expectedCode: 0,
    expectedStatus: "AVAILABLE",
  },
  {
    title: "Azure Private Link in eastus2",
    provider: "AZURE",
    region: "eastus2",
    serviceFlags: [],
    cloudSide: "the private endpoint pe-atlas (10.0.0.4) in your VNet",
    endpointId: AZURE_ID,
    createFlags: ["--id", AZURE_ID, "--ip", "10.0.0.4"],
    expectedCode: 0,
    expectedStatus: "AVAILABLE",
  },
  {
    title: "GCP Private Service Connect in us-central1 (port-mapped)",
    provider: "GCP",
    region: "us-central1",
    serviceFlags: ["--port-mapping"],
    cloudSide: "the forwarding rule atlas-psc-0 (10.128.0.10) in your VPC",
    endpointId: "atlas-psc-0",
    // What `service ensure` prints as the next step: on a port-mapped service the rule names it.
    createFlags: [
      "--port-mapping",
      "--gcp-project-id",
      "my-gcp-project",
      "--endpoint",
      "atlas-psc-0@10.128.0.10",
    ],
    expectedCode: 0,
    expectedStatus: "AVAILABLE",
  },
  {
    title: "AWS again, with a vpce id that AWS cannot find: Atlas rejects it (expected)",
    provider: "AWS",
    region: "us-east-1",
    serviceFlags: [],
    cloudSide: "",
    endpointId: REJECTED_VPCE,
    createFlags: ["--id", REJECTED_VPCE],
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
  `Atlas simulator on ${server.url} (strict Digest, realistic timing), project ${groupId}\n` +
    dim(
      "The same commands work against real Atlas: set a service account's (or an API key's) " +
        "variables and your project id, drop the base URL.",
    ),
);
console.log(dim(
  `\nexport MONGODB_ATLAS_PUBLIC_API_KEY=${env.MONGODB_ATLAS_PUBLIC_API_KEY}\n` +
    "export MONGODB_ATLAS_PRIVATE_API_KEY=********\n" +
    `export MONGODB_ATLAS_BASE_URL=${env.MONGODB_ATLAS_BASE_URL}\n` +
    `export MONGODB_ATLAS_PROJECT_ID=${groupId}`,
));

/** Shows a command line, runs it, and returns its exit code. */
function step(args: string[]): Promise<number> {
  console.log(dim(`$ atlas-private-endpoint ${args.map(shellWord).join(" ")}`));
  return runCli(args);
}

/** The project's service of `provider` that the simulator has (the one `service ensure` made). */
function serviceOf(provider: SimulatorCloudProvider): { id: string; status: string } | undefined {
  const service = simulator.listEndpointServices().find((s) =>
    s.cloudProvider === provider && s.groupId === groupId
  );
  return service && { id: service.endpointServiceId!, status: service.status };
}

const rows: string[][] = [];
let allAsExpected = true;
try {
  for (const [index, setup] of setups.entries()) {
    const provider = setup.provider.toLowerCase();
    console.log(`\n${bold(`${index + 1}. ${setup.title}`)}`);
    const stepStarted = performance.now();
    let serviceOk = true;
    if (setup.cloudSide !== "") {
      console.log(
        dim(
          "The endpoint service of the region (reused if the project has it), then what to create on the cloud side:",
        ),
      );
      serviceOk = await step([
        "service",
        "ensure",
        provider,
        "--region",
        setup.region,
        ...setup.serviceFlags,
        "--poll-interval",
        "1s",
      ]) === 0;
      console.log(dim(`\n(The simulator plays the cloud: say you created ${setup.cloudSide}.)`));
    }
    const service = serviceOf(setup.provider);
    const code = await step([
      "create",
      provider,
      "--service",
      service?.id ?? "(missing)",
      ...setup.createFlags,
      ...WAIT,
    ]);
    const seconds = ((performance.now() - stepStarted) / 1000).toFixed(1);
    const endpoint = service && simulator.getEndpoint({
      groupId,
      cloudProvider: setup.provider,
      endpointServiceId: service.id,
      endpointId: setup.endpointId,
    });
    const status = endpoint?.status ?? "(missing)";
    const ok = serviceOk && code === setup.expectedCode && status === setup.expectedStatus;
    allAsExpected &&= ok;
    rows.push([
      setup.provider,
      setup.region,
      serviceOf(setup.provider)?.status ?? "(missing)",
      setup.endpointId.split("/").pop()!,
      status,
      String(code),
      `${seconds}s`,
      ok
        ? "as expected"
        : `UNEXPECTED (wanted ${setup.expectedStatus}, exit ${setup.expectedCode})`,
    ]);
  }
} finally {
  await server.close();
}

const header = ["Provider", "Region", "Service", "Endpoint", "Status", "Exit", "Time", "Result"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(`\n${bold("Summary")}`);
console.log(bold(line(header)));
for (const row of rows) {
  if (row[7] !== "as expected") {
    console.log(red(line(row)));
    continue;
  }
  // The endpoint's status in color: green AVAILABLE, red otherwise (the expected failure).
  const paint = row[4] === "AVAILABLE" ? green : red;
  console.log(row.map((c, i) => (i === 4 ? paint : String)(c.padEnd(widths[i]!))).join("  "));
}
const total = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `\n${allAsExpected ? green("Every endpoint behaved as expected") : red("Something went wrong")}` +
    ` (${total}s). Exit codes: 0 AVAILABLE, 4 REJECTED/FAILED; see atlas-private-endpoint --help.`,
);
Deno.exit(allAsExpected ? 0 : 1);
