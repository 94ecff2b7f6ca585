// deno-lint-ignore-file explicit-function-return-type -- plain JS run by Node
// Cloudflare Workers: a Worker importing the installed npm package (.tmp/consumer, prepared by
// scripts/test_runtimes.ts) is bundled with esbuild the way Wrangler bundles it, then run on
// workerd through Miniflare, calling servers from the package's testing entry. Run by `node --test`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { assertLifeCycle, assertSetup, consumerContext, SETUPS } from "./_exec.mjs";

const { dir, tmp, name, testing, fromTools } = await consumerContext();
const esbuild = fromTools("esbuild");
const { Miniflare } = fromTools("miniflare");
const workerd = fromTools("workerd/package.json").version;

/** Set for every run: Miniflare's default date is far in the past. */
const COMPATIBILITY_DATE = "2026-07-01";
const outDir = join(dir, "dist-worker");
const bundlePath = join(outDir, "worker.js");
const setupBundlePath = join(outDir, "setup_worker.js");
let bundle;

/** Bundles workers/<name>.ts to `outfile` as Wrangler would. */
function bundleWorker(name, outfile) {
  return esbuild.build({
    entryPoints: [join(dir, "workers", `${name}.ts`)],
    absWorkingDir: dir,
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    minify: true,
    metafile: true,
    outfile,
    logLevel: "warning",
  });
}

before(async () => {
  mkdirSync(outDir, { recursive: true });
  [bundle] = await Promise.all([
    bundleWorker("worker", bundlePath),
    bundleWorker("setup_worker", setupBundlePath),
  ]);
});

/**
 * Starts Miniflare on a bundle (the create-and-wait worker unless `options.scriptPath` says
 * otherwise) with `options`, runs `fn`, and disposes of it.
 */
async function withWorker(options, fn) {
  const mf = new Miniflare({
    modules: true,
    scriptPath: bundlePath,
    modulesRoot: outDir,
    compatibilityDate: COMPATIBILITY_DATE,
    ...options,
  });
  try {
    return await fn(mf);
  } finally {
    await mf.dispose();
  }
}

test("esbuild bundles the worker for workerd with no node: import; size recorded", () => {
  const inputs = Object.keys(bundle.metafile.inputs);
  assert.ok(inputs.some((path) => path.includes(`node_modules/${name}/esm/`)), inputs.join("\n"));
  for (const output of Object.values(bundle.metafile.outputs)) {
    const external = output.imports.filter((i) => i.external).map((i) => i.path);
    assert.deepEqual(external, [], "the bundle must not import anything at run time");
  }
  const code = readFileSync(bundlePath);
  const size = {
    entry: "tests/runtimes/workers/worker.ts",
    minifiedBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    esbuild: esbuild.version,
    workerd,
    compatibilityDate: COMPATIBILITY_DATE,
    inputs: inputs.filter((path) => path.includes("node_modules/")).length,
  };
  // scripts/test_runtimes.ts prints it; the benchmark can read it.
  mkdirSync(join(tmp, "runtimes"), { recursive: true });
  writeFileSync(
    join(tmp, "runtimes", "worker-bundle-size.json"),
    JSON.stringify(size, null, 2) + "\n",
  );
  assert.ok(size.gzipBytes > 0 && size.gzipBytes < size.minifiedBytes);
});

/** A simulator with one seeded project; life cycles 20 times faster than Atlas (250 ms for AWS). */
function simulatorWithProject() {
  const simulator = testing.createAtlasSimulator({ timeScale: 0.05 });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const bindings = {
    ATLAS_PUBLIC_KEY: testing.DEFAULT_SIMULATOR_API_KEY.publicKey,
    ATLAS_PRIVATE_KEY: testing.DEFAULT_SIMULATOR_API_KEY.privateKey,
    GROUP_ID: groupId,
    ENDPOINT_SERVICE_ID: endpointServiceId,
  };
  const ref = (endpointId) => ({ groupId, cloudProvider: "AWS", endpointServiceId, endpointId });
  return { simulator, bindings, ref };
}

/** Asks the worker to create and read endpoint `vpce`; returns its JSON answer. */
async function createThroughWorker(mf, vpce) {
  const response = await mf.dispatchFetch(`http://worker.test/?vpce=${vpce}`);
  const result = await response.json();
  assert.equal(response.status, 200, JSON.stringify(result));
  return result;
}

test(`workerd ${workerd}: the worker creates, waits for and reads an endpoint over loopback`, async () => {
  const { simulator, bindings, ref } = simulatorWithProject();
  const server = await testing.serve(simulator.fetch);
  try {
    const ATLAS_BASE_URL = server.url + simulator.basePath;
    await withWorker({ bindings: { ...bindings, ATLAS_BASE_URL } }, async (mf) => {
      const vpce = "vpce-0123456789abcdef0";
      const result = await createThroughWorker(mf, vpce);
      assert.deepEqual(result.created, { endpointId: vpce, status: "PENDING_ACCEPTANCE" });
      assertLifeCycle(result.statuses);
      assert.deepEqual(result.read, {
        endpointId: vpce,
        cloudProvider: "AWS",
        status: "AVAILABLE",
      });
      assert.equal(simulator.getEndpoint(ref(vpce))?.status, "AVAILABLE");
    });
    // One challenge; every later request reuses the nonce: a single 401 in all.
    const { requests, authenticated } = simulator.stats;
    assert.equal(requests - authenticated, 1, JSON.stringify(simulator.stats));
  } finally {
    await server.close();
  }
});

test("workerd: a worker runs a whole setup per provider over loopback: ensure the service, ensure the endpoint, list, delete both", async () => {
  const simulator = testing.createAtlasSimulator({ timeScale: 0.05 });
  const server = await testing.serve(simulator.fetch);
  try {
    const bindings = {
      ATLAS_BASE_URL: server.url + simulator.basePath,
      ATLAS_PUBLIC_KEY: testing.DEFAULT_SIMULATOR_API_KEY.publicKey,
      ATLAS_PRIVATE_KEY: testing.DEFAULT_SIMULATOR_API_KEY.privateKey,
    };
    await withWorker({ scriptPath: setupBundlePath, bindings }, async (mf) => {
      // One request per provider at the same time, each in a project with no service yet.
      await Promise.all(SETUPS.map(async (setup) => {
        const query = new URLSearchParams({
          groupId: simulator.addGroup(),
          scenario: JSON.stringify(setup.scenario),
        });
        const response = await mf.dispatchFetch(`http://worker.test/?${query}`);
        const result = await response.json();
        assert.equal(response.status, 200, JSON.stringify(result));
        assertSetup(result, setup);
      }));
    });
    assert.deepEqual(simulator.listEndpointServices(), []);
    assert.deepEqual(simulator.listEndpoints(), []);
  } finally {
    await server.close();
  }
});

test("workerd: a wrong private key fails in the worker with a typed 401 error", async () => {
  const { simulator, bindings } = simulatorWithProject();
  const server = await testing.serve(simulator.fetch);
  try {
    const ATLAS_BASE_URL = server.url + simulator.basePath;
    const wrong = { ...bindings, ATLAS_BASE_URL, ATLAS_PRIVATE_KEY: "not-the-key" };
    await withWorker({ bindings: wrong }, async (mf) => {
      const response = await mf.dispatchFetch("http://worker.test/?vpce=vpce-0123456789abcdef1");
      const result = await response.json();
      assert.equal(response.status, 500);
      assert.equal(result.error.name, "AtlasApiError");
      assert.equal(result.error.status, 401);
      assert.doesNotMatch(result.error.message, /not-the-key/);
    });
    assert.equal(simulator.listEndpoints().length, 0);
  } finally {
    await server.close();
  }
});

test("workerd: the worker's fetch() is answered in-process through outboundService", async () => {
  const { simulator, bindings, ref } = simulatorWithProject();
  const ATLAS_BASE_URL = "https://cloud.mongodb.com" + simulator.basePath;
  const outboundService = (request) => simulator.fetch(request);
  await withWorker({ bindings: { ...bindings, ATLAS_BASE_URL }, outboundService }, async (mf) => {
    const vpce = "vpce-0123456789abcdef2";
    const result = await createThroughWorker(mf, vpce);
    assert.equal(result.read.status, "AVAILABLE");
  });
  assert.equal(simulator.getEndpoint(ref("vpce-0123456789abcdef2"))?.status, "AVAILABLE");
});

after(() => esbuild.stop?.());
