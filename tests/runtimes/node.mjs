// Node: the packed npm package installed into a fresh project (.tmp/consumer, prepared by
// scripts/test_runtimes.ts), used the ways a Node user uses it. Run by `node --test`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
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
const tsc = toolBin("tsc");

test(`node ${process.version}: import() of every export of the installed package`, async () => {
  for (const subpath of Object.keys(pkg.exports)) {
    if (subpath === "./cli") continue; // runs the CLI: tested through the bin
    const specifier = subpath === "." ? name : `${name}/${subpath.slice(2)}`;
    const code = `const m = await import(${JSON.stringify(specifier)});` +
      "console.log(JSON.stringify(Object.keys(m)));";
    const result = await exec(process.execPath, ["--input-type=module", "-e", code], { cwd: dir });
    assertExitedOk(result, `import("${specifier}")`);
    const names = JSON.parse(result.stdout);
    assert.ok(names.length > 0, `${specifier} exports nothing`);
  }
});

test("node: require() of the ESM-only package works through require(esm)", async () => {
  const result = await exec(process.execPath, ["consumer/require.cjs"], { cwd: dir });
  assertExitedOk(result, "node consumer/require.cjs");
  const loaded = resultOf(result.stdout);
  assert.ok(loaded.main.includes("createDigestFetch"));
  assert.ok(loaded.testing.includes("serve"));
  assert.equal(loaded.readStatus, 200);
});

test("tsc (moduleResolution bundler) type-checks a consumer and a worker", async () => {
  const result = await exec(tsc, ["-p", "consumer/tsconfig.bundler.json"], { cwd: dir });
  assertExitedOk(result, "tsc -p consumer/tsconfig.bundler.json");
});

test("tsc (moduleResolution nodenext) type-checks a consumer; node runs it: create, wait for and read a private endpoint, then a whole setup per provider (ensure service and endpoint, list, delete both) on the simulator", async () => {
  const compiled = await exec(tsc, ["-p", "consumer/tsconfig.nodenext.json"], { cwd: dir });
  assertExitedOk(compiled, "tsc -p consumer/tsconfig.nodenext.json");
  const result = await exec(process.execPath, ["dist/main.js", SETUPS_JSON], { cwd: dir });
  assertExitedOk(result, "node dist/main.js");
  const observed = resultOf(result.stdout);
  assert.equal(observed.runtime, `node ${process.version}`);
  assertFlow(observed);
});

test("node: the npm README's examples parse, and its simulator example runs as written", async () => {
  const readme = readFileSync(join(dir, "node_modules", name, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  const offline = blocks.filter((code) => code.includes(`"${name}/testing"`));
  assert.ok(blocks.length >= 2 && offline.length >= 1, "the README has a simulator example");
  for (const [i, code] of blocks.entries()) {
    const file = join(dir, `readme-example-${i}.mjs`);
    writeFileSync(file, code);
    // Examples that need real Atlas keys are only parsed; the simulator's run.
    const args = offline.includes(code) ? [file] : ["--check", file];
    assertExitedOk(await exec(process.execPath, args, { cwd: dir }), `node ${args.join(" ")}`);
  }
});

const binSkip = pkg.bin ? false : "no ./cli export";

test("node: the package's bin prints its help", { skip: binSkip }, async () => {
  const bin = join(dir, "node_modules", ".bin", Object.keys(pkg.bin)[0]);
  const result = await exec(bin, ["--help"], { cwd: dir });
  assertExitedOk(result, `${bin} --help`);
  assert.match(result.stdout, /create/);
});

test(
  "node: the bin creates and waits for an endpoint on the simulator",
  { skip: binSkip },
  async () => {
    const bin = join(dir, "node_modules", ".bin", Object.keys(pkg.bin)[0]);
    await assertBinCreatesEndpoint(bin, [], dir, testing);
  },
);

test(
  "node: the bin's `simulate` serves the bin's `service ensure`: created, then reused",
  { skip: binSkip },
  async () => {
    const bin = join(dir, "node_modules", ".bin", Object.keys(pkg.bin)[0]);
    await assertBinEnsuresService(bin, [], dir);
  },
);
