// deno-lint-ignore-file explicit-function-return-type explicit-module-boundary-types -- plain JS run by Node
// Shared by the runtime tests: their context, running a process and reading its JSON result, and
// the checks that Node and Bun share.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * What scripts/test_runtimes.ts hands a runtime test: the fresh consumer project, the pinned
 * tools, the package's name, its installed package.json and its `./testing` module.
 */
export async function consumerContext() {
  const { CONSUMER_DIR: dir, TOOLS_DIR: tools, TMP_DIR: tmp, NPM_NAME: name } = process.env;
  if (!dir || !tools || !tmp || !name) throw new Error("Run through scripts/test_runtimes.ts");
  const fromConsumer = createRequire(join(dir, "package.json"));
  const testing = await import(pathToFileURL(fromConsumer.resolve(`${name}/testing`)).href);
  const pkg = JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8"));
  return {
    dir,
    tmp,
    name,
    pkg,
    testing,
    /** `require` from the pinned tools (esbuild, miniflare). */
    fromTools: createRequire(join(tools, "package.json")),
    /** The path of a pinned tool's executable. */
    toolBin: (tool) => join(tools, "node_modules", ".bin", tool),
  };
}

/**
 * Runs `cmd args` and resolves with `{ code, stdout, stderr }` (never rejects on a non-zero
 * exit, so tests can assert on it).
 *
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function exec(cmd, args, options = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 16 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * The last line of `stdout` that parses as a JSON object: the result a consumer script prints.
 *
 * @param {string} stdout
 * @returns {Record<string, unknown>}
 */
export function resultOf(stdout) {
  const lines = stdout.trim().split("\n").reverse();
  for (const line of lines) {
    if (line.startsWith("{")) return JSON.parse(line);
  }
  throw new Error(`No JSON result line in:\n${stdout}`);
}

/**
 * Fails with the process's output when it did not exit 0.
 *
 * @param {{ code: number, stdout: string, stderr: string }} result
 * @param {string} what
 */
export function assertExitedOk(result, what) {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
}

/**
 * Checks the result line of consumer/main.ts: an AWS endpoint created, waited for until
 * AVAILABLE and read back through the typed client and Digest on the simulator over loopback;
 * a wrong key rejected with a typed error; the plain Digest fetch wrapper working too; and a
 * whole setup per provider ({@link SETUPS}), each in a project that had no endpoint service
 * ({@link assertSetup}).
 *
 * @param {Record<string, any>} observed
 */
export function assertFlow(observed) {
  const id = "vpce-0a1b2c3d4e5f60718";
  assert.deepEqual(observed.created, { endpointId: id, status: "PENDING_ACCEPTANCE" });
  assertLifeCycle(observed.statuses);
  assert.deepEqual(observed.read, { endpointId: id, cloudProvider: "AWS", status: "AVAILABLE" });
  assert.equal(observed.simulatorStatus, "AVAILABLE");
  assert.equal(observed.wrongKeyError, "AtlasApiError 401");
  assert.equal(observed.digestFetchStatus, 200);
  assert.equal(observed.setups?.length, SETUPS.length, "one setup per scenario");
  SETUPS.forEach((setup, i) => assertSetup(observed.setups[i], setup));
}

const GCP_PROJECT = "customer-project-123";
const GCP_ATTACHMENT = (region) =>
  new RegExp(
    `^https://www\\.googleapis\\.com/compute/v1/projects/[a-z0-9-]+/regions/${region}` +
      "/serviceAttachments/[a-z0-9-]+$",
  );
const AZURE_PE = "/subscriptions/3f2c9a4e-8d1b-4c6f-9e2a-7b5d1c0e4f3a/resourceGroups/rg-setup" +
  "/providers/Microsoft.Network/privateEndpoints/pe-setup";

/**
 * The whole setups the consumers and the setup worker run, one per provider (and Google Cloud
 * with port mapping): the scenario handed to consumer/setup.ts, and what it must observe that
 * differs by provider.
 */
export const SETUPS = [
  {
    scenario: {
      region: "us-east-1",
      atlasRegion: "US_EAST_1",
      otherRegion: "us-west-2",
      endpoint: { cloudProvider: "AWS", id: "vpce-0c1d2e3f405162738" },
    },
    expected: {
      otherRegionName: "US_WEST_2",
      ready: "WAITING_FOR_USER",
      target: [/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/],
      endpointId: "vpce-0c1d2e3f405162738",
      lifeCycle: ["PENDING_ACCEPTANCE", "PENDING", "AVAILABLE"],
    },
  },
  {
    scenario: {
      region: "eastus2",
      atlasRegion: "US_EAST_2",
      otherRegion: "westeurope",
      endpoint: { cloudProvider: "AZURE", id: AZURE_PE, privateEndpointIPAddress: "10.0.0.7" },
    },
    expected: {
      otherRegionName: "EUROPE_WEST",
      ready: "WAITING_FOR_USER",
      target: [
        /^\/subscriptions\/[0-9a-f-]{36}\/resourcegroups\/[^/]+\/providers\/Microsoft\.Network\/privateLinkServices\/pls_[0-9a-f]{24}$/,
        /^pls_[0-9a-f]{24}$/,
      ],
      endpointId: AZURE_PE,
      lifeCycle: ["INITIATING", "AVAILABLE"],
    },
  },
  {
    scenario: {
      region: "us-central1",
      atlasRegion: "CENTRAL_US",
      otherRegion: "europe-west1",
      endpoint: {
        cloudProvider: "GCP",
        endpointGroupName: "atlas-setup-group",
        gcpProjectId: GCP_PROJECT,
        endpoints: [0, 1].map((i) => ({
          endpointName: `atlas-setup-rule-${i}`,
          ipAddress: `10.128.0.${5 + i}`,
        })),
      },
    },
    expected: {
      otherRegionName: "WESTERN_EUROPE",
      ready: "AVAILABLE",
      portMappingEnabled: false,
      // Without port mapping, Atlas makes one attachment per forwarding rule it may take (50).
      target: Array(50).fill(GCP_ATTACHMENT("us-central1")),
      endpointId: "atlas-setup-group",
      lifeCycle: ["INITIATING", "VERIFIED", "AVAILABLE"],
    },
  },
  {
    // Port-mapped: one attachment and one rule, whose name is the endpoint's id (Atlas ignores
    // the group name sent).
    scenario: {
      region: "us-east4",
      atlasRegion: "US_EAST_4",
      endpoint: {
        cloudProvider: "GCP",
        portMappingEnabled: true,
        endpointGroupName: "ignored-group-name",
        gcpProjectId: GCP_PROJECT,
        endpoints: [{ endpointName: "atlas-psc-rule", ipAddress: "10.150.0.5" }],
      },
    },
    expected: {
      ready: "AVAILABLE",
      portMappingEnabled: true,
      target: [GCP_ATTACHMENT("us-east4")],
      endpointId: "atlas-psc-rule",
      lifeCycle: ["INITIATING", "VERIFIED", "AVAILABLE"],
    },
  },
];

/** The scenarios of {@link SETUPS}, as JSON: the argument of consumer/main.ts. */
export const SETUPS_JSON = JSON.stringify(SETUPS.map((setup) => setup.scenario));

/**
 * Checks what consumer/setup.ts observed for one of {@link SETUPS} in a project that had no
 * endpoint service: the service ensured (created, then reused under Atlas's region name), named
 * for the cloud side; another region's service created, waited for, listed and deleted (when the
 * scenario has one); the endpoint ensured until AVAILABLE and listed, under the id Atlas keeps; a
 * service with an endpoint refused deletion with a typed 409; then the endpoint deleted and the
 * service gone with it, as Atlas removes a service with its last endpoint.
 *
 * @param {Record<string, any>} setup
 * @param {(typeof SETUPS)[number]} expectedSetup
 */
export function assertSetup(setup, { scenario, expected }) {
  const { cloudProvider } = scenario.endpoint;
  assert.ok(setup, `no setup result for ${cloudProvider}`);
  const what = `${cloudProvider} in ${scenario.region}`;
  assert.equal(setup.cloudProvider, cloudProvider);
  const { ensured } = setup;
  assert.equal(ensured.outcome, "created", `${what}: the project had no service in the region`);
  assert.match(ensured.endpointServiceId, /^[0-9a-f]{24}$/);
  assert.equal(ensured.regionName, scenario.atlasRegion, what);
  assert.equal(ensured.status, expected.ready, what);
  assert.equal(ensured.portMappingEnabled, expected.portMappingEnabled, what);
  assert.equal(ensured.target.length, expected.target.length, `${what}: ${ensured.target}`);
  ensured.target.forEach((name, i) => assert.match(name, expected.target[i], what));
  assertInOrder(ensured.statuses, ["INITIATING", expected.ready]);
  assert.deepEqual(setup.ensuredAgain, {
    outcome: "reused",
    endpointServiceId: ensured.endpointServiceId,
  });

  if (scenario.otherRegion === undefined) {
    assert.equal(setup.other, undefined, what);
  } else {
    assert.deepEqual(setup.other, {
      created: "INITIATING",
      ready: expected.ready,
      regionName: expected.otherRegionName,
    });
    const regions = [scenario.atlasRegion, expected.otherRegionName];
    assert.deepEqual(setup.listed.map((s) => s.regionName), regions.toSorted(), what);
    const ids = Object.fromEntries(setup.listed.map((s) => [s.regionName, s.id]));
    assert.equal(ids[scenario.atlasRegion], ensured.endpointServiceId, what);
    assert.notEqual(ids[expected.otherRegionName], ensured.endpointServiceId, what);
    assertInOrder(setup.otherDeletion, [expected.ready, "DELETING", "DELETED"]);
  }

  const id = expected.endpointId;
  assert.deepEqual(
    { ...setup.endpoint, statuses: undefined },
    { outcome: "created", endpointId: id, status: "AVAILABLE", statuses: undefined },
    what,
  );
  assertInOrder(setup.endpoint.statuses, expected.lifeCycle);
  assert.deepEqual(setup.endpoints, [{ endpointId: id, status: "AVAILABLE" }], what);
  // An endpoint connected: the service is AVAILABLE and lists it.
  assert.deepEqual(setup.serviceWithEndpoint, { status: "AVAILABLE", endpoints: [id] }, what);
  assert.equal(
    setup.deleteWithEndpoint,
    "AtlasApiError 409 CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS",
    what,
  );

  assertInOrder(setup.endpointDeletion, ["AVAILABLE", "DELETING", "DELETED"]);
  assertInOrder(setup.serviceDeletion, ["AVAILABLE", "WAITING_FOR_USER", "DELETING", "DELETED"]);
  assert.deepEqual(setup.remaining, [], `${what}: the service went with its last endpoint`);
}

/**
 * Statuses a wait saw: some of `order`, in that order, each once, ending with its last (which
 * of the earlier ones a poll catches depends on timing).
 *
 * @param {string[]} statuses
 * @param {string[]} order
 */
function assertInOrder(statuses, order) {
  const positions = statuses.map((status) => order.indexOf(status));
  assert.equal(statuses.at(-1), order.at(-1), statuses.join(" -> "));
  assert.ok(
    positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1])),
    statuses.join(" -> "),
  );
}

/**
 * The statuses a wait saw: AWS's life cycle in order, each once, ending AVAILABLE (which of the
 * earlier ones a poll catches depends on timing).
 *
 * @param {string[]} statuses
 */
export function assertLifeCycle(statuses) {
  assertInOrder(statuses, ["PENDING_ACCEPTANCE", "PENDING", "AVAILABLE"]);
}

/**
 * Runs the package's CLI (`runner args...`) against a fresh simulator on loopback: `create aws
 * --wait --json` with the keys and base URL in the environment, as a user would. Checks the
 * exit code, the JSON on stdout, and the endpoint in the simulator.
 *
 * @param {string} runner e.g. `node_modules/.bin/atlas-private-endpoint`, or `bun`
 * @param {string[]} args arguments before the command, e.g. the bin's path for bun
 * @param {string} cwd
 * @param {any} testing the package's `./testing` module, from the installed package
 */
export async function assertBinCreatesEndpoint(runner, args, cwd, testing) {
  const simulator = testing.createAtlasSimulator({ timeScale: 0.05 });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const server = await testing.serve(simulator.fetch);
  try {
    const vpce = "vpce-0bbbbbbbbbbbbbbbb";
    const result = await exec(runner, [
      ...args,
      "create",
      "aws",
      "--group",
      groupId,
      "--service",
      endpointServiceId,
      "--id",
      vpce,
      "--wait",
      "--poll-interval",
      "20ms",
      "--timeout",
      "30s",
      "--json",
    ], {
      cwd,
      env: {
        MONGODB_ATLAS_PUBLIC_API_KEY: testing.DEFAULT_SIMULATOR_API_KEY.publicKey,
        MONGODB_ATLAS_PRIVATE_API_KEY: testing.DEFAULT_SIMULATOR_API_KEY.privateKey,
        MONGODB_ATLAS_BASE_URL: server.url + simulator.basePath,
        NO_COLOR: "1",
      },
    });
    assertExitedOk(result, `${runner} ${args.join(" ")} create aws --wait --json`);
    // `--json` prints one JSON document on stdout (progress goes to stderr).
    const printed = JSON.parse(result.stdout);
    assert.match(JSON.stringify(printed), /"AVAILABLE"/);
    assert.match(JSON.stringify(printed), new RegExp(vpce));
    assert.equal(printed.outcome, "created");
    assert.doesNotMatch(result.stdout + result.stderr, /simulator-private-key/);
    const ref = { groupId, cloudProvider: "AWS", endpointServiceId, endpointId: vpce };
    assert.equal(simulator.getEndpoint(ref)?.status, "AVAILABLE");
  } finally {
    await server.close();
  }
}

/**
 * Starts the package's CLI `simulate` (`runner args... simulate --port 0 --json`), as a user
 * serves the simulator for other tools, and resolves with its printed settings and a `stop()`
 * that sends Ctrl-C (SIGINT) and resolves with the exit code.
 *
 * @param {string} runner
 * @param {string[]} args
 * @param {string} cwd
 */
function startSimulate(runner, args, cwd) {
  const child = spawn(runner, [
    ...args,
    "simulate",
    "--port",
    "0",
    "--time-scale",
    "0.05",
    "--json",
  ], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal))
  );
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk) => stderr += chunk);
  const stop = async () => {
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  const settings = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`simulate printed no settings:\n${stdout}\n${stderr}`)),
      30_000,
    );
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      try {
        resolve(JSON.parse(stdout));
        clearTimeout(timer);
      } catch {
        // Not all of it yet.
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`simulate exited ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return { settings, stop };
}

/**
 * Runs the package's CLI `service ensure aws` twice against the CLI's own `simulate` on loopback,
 * with the settings it printed in the environment, as a user would: the first run creates the
 * region's service in the simulator's project (which has none) and prints it ready with its AWS
 * service name and `"outcome": "created"`, the second (the region as Atlas names it) reuses it
 * (`"reused"`). Then Ctrl-C stops `simulate` with exit 130.
 *
 * @param {string} runner e.g. `node_modules/.bin/atlas-private-endpoint`, or `bun`
 * @param {string[]} args arguments before the command, e.g. the bin's path for bun
 * @param {string} cwd
 */
export async function assertBinEnsuresService(runner, args, cwd) {
  const simulate = startSimulate(runner, args, cwd);
  let stopped = false;
  try {
    const settings = await simulate.settings;
    const env = {
      MONGODB_ATLAS_PUBLIC_API_KEY: settings.publicKey,
      MONGODB_ATLAS_PRIVATE_API_KEY: settings.privateKey,
      MONGODB_ATLAS_BASE_URL: settings.baseUrl,
      MONGODB_ATLAS_PROJECT_ID: settings.groupId,
      NO_COLOR: "1",
    };
    const ensure = async (region) => {
      const command = ["service", "ensure", "aws", "--region", region, "--json"];
      const result = await exec(runner, [
        ...args,
        ...command,
        "--poll-interval",
        "20ms",
        "--timeout",
        "30s",
      ], { cwd, env });
      assertExitedOk(result, `${runner} ${args.join(" ")} ${command.join(" ")}`);
      assert.doesNotMatch(result.stdout + result.stderr, new RegExp(settings.privateKey));
      return { service: JSON.parse(result.stdout), stderr: result.stderr };
    };
    const first = await ensure("us-east-1");
    assert.match(first.stderr, /^Created /m);
    assert.equal(first.service.outcome, "created");
    assert.equal(first.service.regionName, "US_EAST_1");
    assert.equal(first.service.status, "WAITING_FOR_USER");
    assert.match(first.service.id, /^[0-9a-f]{24}$/);
    assert.match(
      first.service.endpointServiceName,
      /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/,
    );
    const again = await ensure("US_EAST_1");
    assert.match(again.stderr, /^Reused /m);
    assert.equal(again.service.outcome, "reused");
    assert.equal(again.service.id, first.service.id);
    assert.equal(again.service.endpointServiceName, first.service.endpointServiceName);
    stopped = true;
    assert.equal(await simulate.stop(), 130, "simulate stops on Ctrl-C with exit 130");
  } finally {
    if (!stopped) await simulate.stop();
  }
}
