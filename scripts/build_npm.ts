// `deno task build:npm`: dnt's job without dnt. Writes npm/ (git-ignored): ESM JavaScript and
// .d.ts for every entry point in deno.json "exports" (the "./cli" entry also as the npm `bin`),
// package.json, README.md (from scripts/npm_readme.md, for Node users) and LICENSE. Driven by
// deno.json: name, version, exports, imports.
//
// 1. Stage the module graph of each entry (from `deno info --json`) into npm/source/.
// 2. `npm install` the npm: dependencies of deno.json into npm/node_modules, so that tsc resolves
//    bare specifiers the way Node and bundlers will.
// 3. Compile with the pinned TypeScript (scripts/tools/build: the only tools it installs) and
//    scripts/tsconfig.npm.json: isolatedDeclarations, nodenext, `.ts` imports rewritten to
//    `.js`. Entry points whose graph
//    has no `node:` import are type-checked a second time with no runtime types at all, which
//    proves they use only web-standard APIs (they must run on Workers).
// 4. Rewrite `.ts` specifiers left in the emitted .d.ts to `.js` (microsoft/TypeScript#61037).
// 5. Write package.json: dependencies are the deno.json imports that the emitted code uses.
// 6. Write the README from scripts/npm_readme.md and check it has nothing Deno-only in it.
// 7. Check that the npm exports match deno.json's (scripts/check_npm_exports.ts).
// deno-lint-ignore-file no-console

import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BIN_EXPORT,
  denoExports,
  type DenoJson,
  ensureTools,
  listFiles,
  NPM_DIR,
  npmInstall,
  npmPathOf,
  npmVersions,
  packageNameOf,
  readDenoJson,
  remove,
  ROOT,
  run,
  TMP_DIR,
  toolBin,
} from "./_npm.ts";
import { checkNpmExports } from "./check_npm_exports.ts";

/** The npm package's name (the JSR name is deno.json's "name"). */
export const NPM_NAME = "atlas-private-endpoint";

/** package.json fields that deno.json has no place for. */
const METADATA = {
  description: "Create and manage MongoDB Atlas private endpoints from TypeScript on Node, " +
    "Deno, Bun and Cloudflare Workers: a typed Atlas Administration API client with HTTP " +
    "Digest (RFC 7616) authentication as an openapi-fetch middleware, plus an Atlas simulator " +
    "for tests",
  keywords: [
    "mongodb",
    "atlas",
    "private-endpoint",
    "privatelink",
    "digest",
    "http-digest",
    "rfc7616",
    "openapi-fetch",
    "cloudflare-workers",
    "deno",
    "bun",
  ],
  repository: { type: "git", url: "git+https://github.com/atlas-edge/private-endpoint.git" },
};

/** The npm package's README, for Node users: `{{version}}` becomes deno.json's version. */
export const NPM_README: string = join(ROOT, "scripts", "npm_readme.md");

/** What a README for Node users must not say, with the reason. */
const DENO_ONLY: [RegExp, string][] = [
  [/\bDeno\./, "uses the Deno namespace (Node has `process.env`)"],
  [/\bjsr:/, "names a jsr: specifier"],
  [
    /\bdeno(@[\w.]+)? (task|add|install)\b/,
    "tells Node users to run a deno task or install with deno",
  ],
  [/\{\{\w+\}\}/, "has a placeholder left"],
];

/** The npm README from its template: `{{version}}` replaced. */
export function renderNpmReadme(template: string, version: string): string {
  return template.replaceAll("{{version}}", version);
}

/**
 * What is wrong with a README for Node users: Deno-only APIs, commands or specifiers, or an import
 * of the JSR name (npm users import `atlas-private-endpoint`). Empty when nothing is.
 */
export function npmReadmeProblems(readme: string, jsrName: string): string[] {
  const jsrImport = new RegExp(`["']${jsrName.replace(/[/.]/g, "\\$&")}["'/]`);
  const checks: [RegExp, string][] = [...DENO_ONLY, [jsrImport, "imports the JSR name"]];
  const lines = readme.split("\n");
  const problems: string[] = [];
  for (const [pattern, reason] of checks) {
    const line = lines.findIndex((text) => pattern.test(text));
    if (line >= 0) problems.push(`${reason} (line ${line + 1})`);
  }
  return problems;
}

const SOURCE_DIR = join(NPM_DIR, "source");
const ESM_DIR = join(NPM_DIR, "esm");
const BUILD_TMP = join(TMP_DIR, "npm-build");
const deno = Deno.execPath();

interface GraphModule {
  kind?: string;
  specifier: string;
}

/** An entry point's graph: local files (repo-relative), npm packages, and `node:` use. */
interface LocalGraph {
  files: string[];
  /** The npm packages it imports, with the version Deno resolved for each. */
  npm: Map<string, string>;
  usesNode: boolean;
}

/**
 * The module graph of a local file, from `deno info --json`. `lock` names the lockfile to resolve
 * with: deno.lock by default (the package's own graph), the tests' lockfile for test files (they
 * import dev-only packages, which deno.lock must not pin).
 */
export async function localGraph(entry: string, lock?: string): Promise<LocalGraph> {
  const args = ["info", "--json", ...(lock ? [`--lock=${lock}`] : []), join(ROOT, entry)];
  const out = await run(deno, args, { capture: true });
  const info = JSON.parse(out) as { modules: GraphModule[] };
  const graph: LocalGraph = { files: [], npm: new Map(), usesNode: false };
  for (const module of info.modules) {
    const spec = module.specifier;
    if (spec.startsWith("file://")) graph.files.push(relative(ROOT, fileURLToPath(spec)));
    else if (spec.startsWith("node:")) graph.usesNode = true;
    else {
      // npm:/@noble/hashes@2.4.0/legacy.js -> @noble/hashes, 2.4.0
      const npm = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)@([^/_]+)/.exec(spec);
      if (npm) graph.npm.set(npm[1]!, npm[2]!);
    }
  }
  return graph;
}

function packageJsonBase(denoJson: DenoJson): Record<string, unknown> {
  return {
    name: NPM_NAME,
    version: denoJson.version,
    description: METADATA.description,
    keywords: METADATA.keywords,
    license: denoJson.license ?? "MIT",
    repository: METADATA.repository,
    type: "module",
    sideEffects: false,
    engines: { node: ">=20.19" },
  };
}

function writeJson(path: string, value: unknown): Promise<void> {
  return Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
}

/** Bare specifiers (not relative, not `node:`) in emitted JS or .d.ts text, outside comments. */
function bareSpecifiers(emitted: string): Set<string> {
  const found = new Set<string>();
  // tsc starts every comment it keeps on a line of its own (JSDoc examples import by name).
  const text = emitted.replace(/^\s*\/\*[\s\S]*?\*\//gm, "").replace(/^\s*\/\/.*$/gm, "");
  const re = /\bfrom\s*["']([^"']+)["']|\bimport\s*\(?\s*["']([^"']+)["']/g;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2]!;
    if (!spec.startsWith(".") && !spec.startsWith("/") && !spec.startsWith("node:")) {
      found.add(spec);
    }
  }
  return found;
}

/** `./x.ts` -> `./x.js` in relative specifiers of a .d.ts (microsoft/TypeScript#61037). */
export function rewriteDtsSpecifiers(text: string): string {
  return text.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.\.?\/[^"']*?)\.(m?)ts\2/g,
    (_all, lead: string, quote: string, path: string, m: string) =>
      `${lead}${quote}${path}.${m}js${quote}`,
  );
}

async function tsc(config: unknown, name: string): Promise<void> {
  await Deno.mkdir(BUILD_TMP, { recursive: true });
  const path = join(BUILD_TMP, name);
  await writeJson(path, config);
  await run(toolBin("build", "tsc"), ["-p", path]);
}

/** Builds npm/. Returns the package.json it wrote. */
export async function buildNpm(): Promise<Record<string, unknown>> {
  const started = performance.now();
  const denoJson = readDenoJson();
  const exports = denoExports(denoJson);
  const versions = npmVersions(denoJson);
  const tools = await ensureTools("build");

  // Keep npm/node_modules between builds (the install is then a no-op); drop the rest.
  await Deno.mkdir(NPM_DIR, { recursive: true });
  for await (const entry of Deno.readDir(NPM_DIR)) {
    if (entry.name !== "node_modules") await remove(join(NPM_DIR, entry.name));
  }

  // 1. Stage the local module graph of every entry point.
  const staged = new Set<string>();
  const graphNpm = new Set<string>();
  const portable: string[] = []; // entries whose graph has no node: import
  for (const [key, path] of Object.entries(exports)) {
    const graph = await localGraph(path);
    for (const file of graph.files) staged.add(file);
    for (const name of graph.npm.keys()) graphNpm.add(name);
    if (!graph.usesNode) portable.push(path);
    else console.error(`note: export "${key}" (${path}) imports node: modules`);
  }
  for (const file of staged) {
    const target = join(SOURCE_DIR, file);
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.copyFile(join(ROOT, file), target);
  }

  // 2. Install the npm packages the entry points' graph uses, at deno.json's versions.
  await writeJson(join(NPM_DIR, "package.json"), {
    ...packageJsonBase(denoJson),
    private: true,
    dependencies: Object.fromEntries([...versions].filter(([name]) => graphNpm.has(name))),
  });
  await npmInstall(NPM_DIR);

  // 3. Compile.
  const base = join(ROOT, "scripts", "tsconfig.npm.json");
  const entryFiles = Object.values(exports).map((p) => join(SOURCE_DIR, p));
  await tsc({
    extends: base,
    compilerOptions: {
      rootDir: SOURCE_DIR,
      outDir: ESM_DIR,
      typeRoots: [join(tools, "node_modules", "@types")],
      types: ["node"],
    },
    files: entryFiles,
  }, "tsconfig.emit.json");
  if (portable.length > 0) {
    await tsc({
      extends: base,
      compilerOptions: { rootDir: SOURCE_DIR, noEmit: true, types: [] },
      files: portable.map((p) => join(SOURCE_DIR, p)),
    }, "tsconfig.portable.json");
  }

  // 4 and 5. Fix .d.ts specifiers, and the package name in the doc examples (npm users import
  // "atlas-private-endpoint", not the JSR name); collect the bare specifiers the output uses.
  const used = new Set<string>();
  const jsrName = new RegExp(`(["'])${denoJson.name.replace(/[/.]/g, "\\$&")}(?=["'/])`, "g");
  for (const file of await listFiles(ESM_DIR)) {
    const path = join(ESM_DIR, file);
    const original = await Deno.readTextFile(path);
    let text = original.replace(jsrName, `$1${NPM_NAME}`);
    if (file.endsWith(".d.ts")) text = rewriteDtsSpecifiers(text);
    if (text !== original) await Deno.writeTextFile(path, text);
    for (const spec of bareSpecifiers(text)) used.add(spec);
  }
  const dependencies: Record<string, string> = {};
  for (const spec of [...used].sort()) {
    const name = packageNameOf(spec);
    const version = versions.get(name);
    if (version === undefined) {
      throw new Error(
        `Cannot build the npm package: the output imports "${spec}", which deno.json "imports" ` +
          "does not pin",
      );
    }
    dependencies[name] = version;
  }

  const npmExports: Record<string, { types: string; default: string }> = {};
  let bin: Record<string, string> | undefined;
  for (const [key, path] of Object.entries(exports)) {
    npmExports[key] = { types: npmPathOf(path, true), default: npmPathOf(path) };
    if (key === BIN_EXPORT) {
      bin = { [NPM_NAME]: npmPathOf(path) };
      const binPath = join(NPM_DIR, npmPathOf(path));
      const js = await Deno.readTextFile(binPath);
      const body = js.startsWith("#!") ? js.slice(js.indexOf("\n") + 1) : js;
      await Deno.writeTextFile(binPath, `#!/usr/bin/env node\n${body}`);
      await Deno.chmod(binPath, 0o755);
    }
  }

  const packageJson = {
    ...packageJsonBase(denoJson),
    // The library modules are pure; the CLI entry runs the CLI when imported.
    sideEffects: bin ? Object.values(bin) : false,
    exports: npmExports,
    ...(bin ? { bin } : {}),
    files: ["esm/"],
    dependencies,
  };
  await writeJson(join(NPM_DIR, "package.json"), packageJson);
  await Deno.copyFile(join(ROOT, "LICENSE"), join(NPM_DIR, "LICENSE"));

  // 6. The README for Node users.
  const readme = renderNpmReadme(await Deno.readTextFile(NPM_README), denoJson.version);
  const readmeProblems = npmReadmeProblems(readme, denoJson.name);
  if (readmeProblems.length > 0) {
    throw new Error(
      `Cannot build the npm package: ${relative(ROOT, NPM_README)} ${readmeProblems.join("; ")}`,
    );
  }
  await Deno.writeTextFile(join(NPM_DIR, "README.md"), readme);

  // 7. The exports must match deno.json's.
  const problems = checkNpmExports();
  if (problems.length > 0) throw new Error(problems.join("\n"));

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `npm/: ${NPM_NAME}@${denoJson.version}, exports ${Object.keys(npmExports).join(", ")}` +
      `${bin ? `, bin ${Object.keys(bin).join(", ")}` : ""}; dependencies ` +
      `${JSON.stringify(dependencies)}; built in ${seconds}s`,
  );
  return packageJson;
}

if (import.meta.main) await buildNpm();
