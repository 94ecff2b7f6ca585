// `deno task test:node`: the project's Deno test suite under Node, against the npm build, the way
// dnt runs it. Test files (and their local helpers) are transpiled with the pinned tsc into
// .tmp/node-test/; their imports of the package's own modules are rewritten to the compiled
// files in npm/esm/ (so the tests exercise what ships), and `node --test` runs them, each test
// file importing `Deno` from a small Deno.test -> node:test adapter
// (tests/runtimes/node/deno_test_shim.mjs), as dnt's test shim does.
// deno-lint-ignore-file no-console

import { dirname, join, relative, resolve } from "node:path";
import {
  denoExports,
  ensureTools,
  listFiles,
  NPM_DIR,
  npmInstall,
  npmPathOf,
  readDenoJson,
  remove,
  ROOT,
  run,
  TESTS_LOCK,
  TMP_DIR,
  toolBin,
} from "./_npm.ts";
import { buildNpm, localGraph } from "./build_npm.ts";

/**
 * Test files that cannot run under Node, each with the reason. Every other test file under
 * deno.json "test.include" runs; a file that uses a `Deno.*` API (other than `Deno.test`) and is
 * not listed here fails this step with a message asking to list it or make it portable.
 */
const NODE_EXCLUDED: Record<string, string> = {
  "tests/scripts/npm_build_test.ts": "tests the build scripts (scripts/*.ts), which run on Deno",
};

const OUT = join(TMP_DIR, "node-test");
const SHIM = join(ROOT, "tests", "runtimes", "node", "deno_test_shim.mjs");
const TEST_FILE = /(^|\/)([^/]*[_.])?test\.(ts|mts|tsx|js|mjs)$/;

/** The folders and files deno.json "test.include" names. */
async function testIncludes(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))) as {
    test?: { include?: string[] };
  };
  return config.test?.include ?? ["."];
}

async function testFiles(includes: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const include of includes) {
    const dir = join(ROOT, include);
    const stat = await Deno.stat(dir).catch(() => undefined);
    if (!stat?.isDirectory) continue;
    for (const file of await listFiles(dir)) {
      const rel = relative(ROOT, join(dir, file));
      if (TEST_FILE.test(rel) && !rel.startsWith("tests/runtimes/")) files.push(rel);
    }
  }
  return [...new Set(files)].sort();
}

/** `Deno.*` uses other than `Deno.test`, in code (not comments). */
function denoApis(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
  const apis = new Set<string>();
  for (const m of code.matchAll(/\bDeno\.([A-Za-z_]\w*)/g)) {
    if (m[1] !== "test") apis.add(`Deno.${m[1]}`);
  }
  return [...apis];
}

async function main(): Promise<void> {
  const started = performance.now();
  const denoJson = readDenoJson();
  await ensureTools("build");
  if (!await Deno.stat(join(NPM_DIR, "package.json")).catch(() => undefined)) await buildNpm();
  const built = new Set(await listFiles(join(NPM_DIR, "source")));

  // Which tests run, and which local files they need besides the built ones.
  const run_: string[] = [];
  const toTranspile = new Set<string>();
  const npmNeeded = new Map<string, string>();
  const problems: string[] = [];
  for (const file of await testFiles(await testIncludes())) {
    if (file in NODE_EXCLUDED) {
      console.log(`# skip ${file}: ${NODE_EXCLUDED[file]}`);
      continue;
    }
    const graph = await localGraph(file, TESTS_LOCK);
    const apis: string[] = [];
    for (const local of graph.files) {
      if (built.has(local)) continue;
      toTranspile.add(local);
      apis.push(...denoApis(await Deno.readTextFile(join(ROOT, local))));
    }
    if (apis.length > 0) {
      problems.push(
        `${file} uses ${[...new Set(apis)].join(", ")}, which Node lacks: make it portable ` +
          "(node:child_process, node:fs, ...) or list it in NODE_EXCLUDED in scripts/test_node.ts " +
          "with the reason",
      );
    }
    for (const [name, version] of graph.npm) npmNeeded.set(name, version);
    run_.push(file);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  if (run_.length === 0) throw new Error("No test file to run under Node");

  // A harness project: the tests' own npm dependencies at the versions Deno resolved.
  await remove(OUT);
  await Deno.mkdir(OUT, { recursive: true });
  const dependencies = Object.fromEntries([...npmNeeded].sort());
  await Deno.writeTextFile(
    join(OUT, "package.json"),
    JSON.stringify({ private: true, type: "module", dependencies }, null, 2) + "\n",
  );
  if (Object.keys(dependencies).length > 0) {
    await npmInstall(OUT);
  }

  // Transpile only (no type check: `deno check` does that), one file at a time semantics.
  const tsconfig = join(OUT, "tsconfig.json");
  await Deno.writeTextFile(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        target: "es2022",
        module: "esnext",
        moduleResolution: "bundler",
        noCheck: true,
        noResolve: true,
        allowImportingTsExtensions: true,
        rewriteRelativeImportExtensions: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        types: [],
        rootDir: ROOT,
        outDir: OUT,
      },
      files: [...toTranspile].map((f) => join(ROOT, f)),
    }),
  );
  await run(toolBin("build", "tsc"), ["-p", tsconfig]);

  // .tmp/node-test mirrors the repository: the tests' JavaScript at their own paths, every other
  // tracked file that is not code linked at its path (deno.json, fixtures), and npm/ linked, so
  // paths a test derives from its location or from the repository root still resolve.
  const tracked = await run("git", ["ls-files"], { capture: true });
  for (const file of tracked.split("\n")) {
    if (file === "" || /\.(m?tsx?|js|mjs|cjs)$/.test(file) || file === "package.json") continue;
    const link = join(OUT, file);
    await Deno.mkdir(dirname(link), { recursive: true });
    await Deno.symlink(join(ROOT, file), link);
  }
  await Deno.symlink(NPM_DIR, join(OUT, "npm"));

  // Point imports of the package's own modules at npm/esm/.
  const exports = denoExports(denoJson);
  for (const rel of toTranspile) {
    const jsRel = rel.replace(/\.m?tsx?$/, ".js");
    const jsPath = join(OUT, jsRel);
    const text = await Deno.readTextFile(jsPath);
    let rewritten = text.replace(
      /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"']+)\2/g,
      (all, lead: string, quote: string, spec: string) => {
        let target: string | undefined;
        // npm:fast-check@4.11.0 -> fast-check, from the harness's node_modules.
        const npm = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)(?:@[^/]*)?(\/.*)?$/.exec(spec);
        if (npm) return `${lead}${quote}${npm[1]}${npm[2] ?? ""}${quote}`;
        if (spec.startsWith(".")) {
          const source = relative(ROOT, resolve(ROOT, dirname(rel), spec)).replace(/\.js$/, ".ts");
          if (built.has(source)) target = join(NPM_DIR, npmPathOf(`./${source}`));
        } else if (spec === denoJson.name || spec.startsWith(`${denoJson.name}/`)) {
          const sub = "." + spec.slice(denoJson.name.length);
          const path = exports[sub];
          if (path === undefined) throw new Error(`${rel}: ${spec} is not an export`);
          target = join(NPM_DIR, npmPathOf(path));
        }
        if (target === undefined) return all;
        let to = relative(dirname(jsPath), target);
        if (!to.startsWith(".")) to = `./${to}`;
        return `${lead}${quote}${to}${quote}`;
      },
    );
    // `Deno.test` comes from the shim as a module binding, not a global, so code that detects
    // Deno through `globalThis.Deno` still sees Node.
    if (/\bDeno\.test\b/.test(rewritten)) {
      let shim = relative(dirname(jsPath), SHIM);
      if (!shim.startsWith(".")) shim = `./${shim}`;
      rewritten = `import { Deno } from ${JSON.stringify(shim)};\n${rewritten}`;
    }
    if (rewritten !== text) await Deno.writeTextFile(jsPath, rewritten);
  }

  // Modules the tests import that no export reaches cannot come from npm/esm: say so.
  const fromSource = [...toTranspile].filter((f) => !TEST_FILE.test(f) && !f.startsWith("tests/"));
  if (fromSource.length > 0) {
    console.log(
      `# note: not in the package's exports, transpiled from source: ${fromSource.join(", ")}`,
    );
  }
  const files = run_.map((f) => join(OUT, f.replace(/\.m?tsx?$/, ".js")));
  console.log(
    `# node ${(await run("node", ["--version"], { capture: true })).trim()}: ` +
      `${files.length} test files against npm/esm (prepared in ` +
      `${((performance.now() - started) / 1000).toFixed(1)}s)`,
  );
  await run("node", ["--test", "--test-reporter=tap", ...files], { cwd: OUT });
}

await main();
