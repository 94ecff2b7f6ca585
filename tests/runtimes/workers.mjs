// deno-lint-ignore-file explicit-function-return-type -- plain JS run by Node
// Cloudflare Workers: a Worker importing the installed npm package (.tmp/consumer, prepared by
// scripts/test_runtimes.ts) is bundled with esbuild the way Wrangler bundles it, then run on
// workerd through Miniflare, calling servers from the package's testing entry. Run by `node --test`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const dir = process.env.CONSUMER_DIR;
const tools = process.env.TOOLS_DIR;
const tmp = process.env.TMP_DIR;
const name = process.env.NPM_NAME;
if (!dir || !tools || !tmp || !name) throw new Error("Run through scripts/test_runtimes.ts");

const fromTools = createRequire(join(tools, "package.json"));
const esbuild = fromTools("esbuild");
const { Miniflare } = fromTools("miniflare");
const workerd = fromTools("workerd/package.json").version;
const fromConsumer = createRequire(join(dir, "package.json"));
const testing = await import(pathToFileURL(fromConsumer.resolve(`${name}/testing`)).href);

/** Set for every run: Miniflare's default date is far in the past. */
const COMPATIBILITY_DATE = "2026-07-01";
const outDir = join(tmp, "runtimes");
const bundlePath = join(outDir, "worker.js");
let bundle;

before(async () => {
  mkdirSync(outDir, { recursive: true });
  bundle = await esbuild.build({
    entryPoints: [join(dir, "workers", "worker.ts")],
    absWorkingDir: dir,
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    minify: true,
    metafile: true,
    outfile: bundlePath,
    logLevel: "warning",
  });
});

/** Starts Miniflare on the bundle with `options`, runs `fn`, and disposes of it. */
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
  // scripts/test_runtimes.ts prints it; the benchmark reads it.
  writeFileSync(join(outDir, "worker-bundle-size.json"), JSON.stringify(size, null, 2) + "\n");
  assert.ok(size.gzipBytes > 0 && size.gzipBytes < size.minifiedBytes);
});

test(`workerd ${workerd}: the worker calls a Digest server over loopback`, async () => {
  const digest = testing.createDigestTestServer({
    realm: "MMS Public API",
    credentials: { pk: "sk" },
  });
  const server = await testing.serve(digest.fetch);
  try {
    await withWorker({ bindings: { TARGET_URL: server.url } }, async (mf) => {
      const response = await mf.dispatchFetch("http://worker.test/");
      const result = await response.json();
      assert.equal(response.status, 200, JSON.stringify(result));
      assert.equal(result.challengeStatus, 401);
      assert.match(result.challenge, /^Digest realm="MMS Public API"/);
      assert.equal(result.errorName, "DigestAuthError");
    });
    assert.equal(digest.requests, 1, "the request reached the server on loopback");
  } finally {
    await server.close();
  }
});

test("workerd: the worker's fetch() is answered in-process through outboundService", async () => {
  const digest = testing.createDigestTestServer({
    realm: "MMS Public API",
    credentials: { pk: "sk" },
  });
  const outboundService = (request) => digest.fetch(request);
  await withWorker(
    { bindings: { TARGET_URL: "https://cloud.mongodb.example" }, outboundService },
    async (mf) => {
      const response = await mf.dispatchFetch("http://worker.test/");
      const result = await response.json();
      assert.equal(response.status, 200, JSON.stringify(result));
      assert.equal(result.challengeStatus, 401);
    },
  );
  assert.equal(digest.requests, 1);
});

after(() => esbuild.stop?.());
