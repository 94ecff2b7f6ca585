// Bun (npm `bun`, pinned in scripts/tools/bun): the packed npm package installed into a fresh project
// (.tmp/consumer, prepared by scripts/test_runtimes.ts) and used the ways a Bun user uses it.
// Run by `node --test`; each test runs Bun as a separate process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  assertBinCreatesEndpoint,
  assertBinEnsuresService,
  assertExitedOk,
  assertFlow,
  consumerContext,
  exec,
  resultOf,
  SETUPS_JSON,
} from "./_exec.mjs";

const { dir, name, pkg, testing, toolBin } = await consumerContext();
const bun = toolBin("bun");
const version = (await exec(bun, ["--version"])).stdout.trim();

test(`bun ${version}: runs the TypeScript consumer: create, wait for and read a private endpoint, then a whole setup per provider (ensure service and endpoint, list, delete both) on the simulator`, async () => {
  const result = await exec(bun, ["consumer/main.ts", SETUPS_JSON], { cwd: dir });
  assertExitedOk(result, "bun consumer/main.ts");
  const observed = resultOf(result.stdout);
  assert.equal(observed.runtime, `bun ${version}`);
  assertFlow(observed);
});

test("bun: require() of the ESM-only package", async () => {
  const result = await exec(bun, ["consumer/require.cjs"], { cwd: dir });
  assertExitedOk(result, "bun consumer/require.cjs");
  const loaded = resultOf(result.stdout);
  assert.ok(loaded.main.includes("createDigestFetch"));
  assert.equal(loaded.readStatus, 200);
});

test("bun: the bin creates and waits for an endpoint on the simulator", {
  skip: pkg.bin ? false : "no ./cli export",
}, async () => {
  const bin = join(dir, "node_modules", name, pkg.bin[Object.keys(pkg.bin)[0]]);
  await assertBinCreatesEndpoint(bun, [bin], dir, testing);
});

test("bun: the bin's `simulate` serves the bin's `service ensure`: created, then reused", {
  skip: pkg.bin ? false : "no ./cli export",
}, async () => {
  const bin = join(dir, "node_modules", name, pkg.bin[Object.keys(pkg.bin)[0]]);
  await assertBinEnsuresService(bun, [bin], dir);
});
