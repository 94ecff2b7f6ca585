// Shared by the npm build (scripts/build_npm.ts), its checks and the runtime tests: where things
// are, how to read deno.json, how to run a command, and how to install the pinned dev tools.
// deno-lint-ignore-file no-console

import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the npm package is written (git-ignored). */
export const NPM_DIR: string = join(ROOT, "npm");
/** Scratch space for builds and runtime tests (git-ignored). */
export const TMP_DIR: string = join(ROOT, ".tmp");
/**
 * The tests' lockfile (`deno task check`, `deno task test:deno`): the library's npm packages and
 * the tests' own (fast-check). deno.lock pins only the library's, because `deno task` installs all
 * that deno.lock pins before any task, `deno task demo` on a new machine included.
 */
export const TESTS_LOCK: string = join(ROOT, "scripts", "tools", "deno.lock");
/** The pinned dev tools: one folder per group, each with its own package.json and lock. */
export const TOOLS_DIR: string = join(ROOT, "scripts", "tools");

/**
 * The groups of dev tools, each installed only by the commands that use it: `build` (tsc and the
 * Node types), `package` (publint, arethetypeswrong), `workers` (esbuild, Miniflare), `bun`.
 */
export type ToolGroup = "build" | "package" | "workers" | "bun";

/** The folder of a tool group: scripts/tools/<group>. */
export function toolsDir(group: ToolGroup): string {
  return join(TOOLS_DIR, group);
}

/** The parts of deno.json the build reads. */
export interface DenoJson {
  name: string;
  version: string;
  license?: string;
  exports: string | Record<string, string>;
  imports?: Record<string, string>;
}

/** Reads deno.json. */
export function readDenoJson(): DenoJson {
  const json = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))) as DenoJson;
  if (!json.name || !json.version || !json.exports) {
    throw new Error("Cannot build the npm package: deno.json needs name, version and exports");
  }
  return json;
}

/** The JSR exports as a map, `"."` first: `{ ".": "./mod.ts", "./testing": "./src/testing/mod.ts" }`. */
export function denoExports(deno: DenoJson): Record<string, string> {
  return typeof deno.exports === "string" ? { ".": deno.exports } : deno.exports;
}

/** The subpath that becomes the npm `bin` instead of only an export. */
export const BIN_EXPORT = "./cli";

/** `./src/cli.ts` -> `./esm/src/cli.js`; `.d.ts` with `types`. */
export function npmPathOf(denoPath: string, types = false): string {
  const rel = denoPath.replace(/^\.\//, "");
  if (!/\.(ts|mts)$/.test(rel)) {
    throw new Error(`Cannot map export ${denoPath} to npm: only .ts entry points are supported`);
  }
  const base = rel.replace(/\.m?ts$/, "");
  return `./esm/${base}${types ? ".d.ts" : ".js"}`;
}

/** An npm dependency named by deno.json "imports". */
export interface NpmImport {
  /** The bare specifier (or prefix, ending in `/`) the source uses. */
  key: string;
  /** The npm package name. */
  name: string;
  /** The exact version or range after `@`. */
  version: string;
  /** The subpath after the version, e.g. `/legacy.js` (or `/` for a prefix entry). */
  subpath: string;
}

/** The `npm:` entries of deno.json "imports", parsed. Local and other entries are left out. */
export function npmImports(deno: DenoJson): NpmImport[] {
  const out: NpmImport[] = [];
  for (const [key, target] of Object.entries(deno.imports ?? {})) {
    const m = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)@([^/]+)(\/.*)?$/.exec(target);
    if (!m) continue;
    out.push({ key, name: m[1]!, version: m[2]!, subpath: m[3] ?? "" });
  }
  return out;
}

/** The package a bare specifier belongs to: `@noble/hashes/legacy.js` -> `@noble/hashes`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/**
 * One version per npm package, from deno.json "imports". Fails when an entry's key is not the
 * name npm consumers would resolve (an alias), or two entries pin different versions.
 */
export function npmVersions(deno: DenoJson): Map<string, string> {
  const versions = new Map<string, string>();
  for (const dep of npmImports(deno)) {
    if (!(dep.key === dep.name + dep.subpath || dep.key === dep.name)) {
      throw new Error(
        `Cannot build the npm package: import map entry "${dep.key}" aliases npm:${dep.name}` +
          `${dep.subpath}; npm consumers would not resolve it (use the package's own name)`,
      );
    }
    const seen = versions.get(dep.name);
    if (seen !== undefined && seen !== dep.version) {
      throw new Error(
        `Cannot build the npm package: ${dep.name} is pinned twice (${seen} and ${dep.version})`,
      );
    }
    versions.set(dep.name, dep.version);
  }
  return versions;
}

/** Options of {@linkcode run}. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Capture stdout and return it instead of printing it. */
  capture?: boolean;
}

/** Runs a command; throws with its exit code when it fails. Returns captured stdout. */
export async function run(cmd: string, args: string[], options: RunOptions = {}): Promise<string> {
  const where = options.cwd ? ` (in ${relative(ROOT, options.cwd) || "."})` : "";
  console.error(`$ ${[cmd, ...args].map((a) => relative(ROOT, a) || a).join(" ")}${where}`);
  const child = new Deno.Command(cmd, {
    args,
    cwd: options.cwd ?? ROOT,
    ...(options.env ? { env: options.env } : {}),
    stdin: "null",
    stdout: options.capture ? "piped" : "inherit",
    stderr: "inherit",
  });
  const output = await child.output();
  if (output.code !== 0) {
    throw new Error(`Command failed with exit code ${output.code}: ${cmd} ${args.join(" ")}`);
  }
  return options.capture ? new TextDecoder().decode(output.stdout) : "";
}

/**
 * `npm install` in `cwd` (of `packages`, or of its package.json), from npm's cache when it can,
 * without a lockfile, audit or funding noise.
 */
export async function npmInstall(cwd: string, packages: string[] = []): Promise<void> {
  await run("npm", [
    "install",
    ...packages,
    "--no-package-lock",
    "--prefer-offline",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
  ], { cwd });
}

/** The path of a pinned tool's executable in scripts/tools/<group>/node_modules/.bin. */
export function toolBin(group: ToolGroup, name: string): string {
  return join(toolsDir(group), "node_modules", ".bin", name);
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Installs one group of pinned dev tools with `npm ci` unless its node_modules already matches its
 * package-lock.json; returns the group's folder. `--prefer-offline` reuses npm's cache; a fresh
 * machine downloads.
 */
export async function ensureTools(group: ToolGroup): Promise<string> {
  const dir = toolsDir(group);
  const lock = await Deno.readTextFile(join(dir, "package-lock.json"));
  const stampPath = join(dir, "node_modules", ".installed-lock-sha256");
  const want = await sha256(lock);
  const have = await Deno.readTextFile(stampPath).catch(() => "");
  if (have === want) return dir;
  await run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir });
  await Deno.writeTextFile(stampPath, want);
  return dir;
}

/** Removes a path if it exists. */
export async function remove(path: string): Promise<void> {
  await Deno.remove(path, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}

/** Every file under `dir` (relative paths, `/`-separated), skipping `node_modules`. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory && entry.name !== "node_modules") out.push(...await listFiles(dir, rel));
    else if (entry.isFile) out.push(rel);
  }
  return out.sort();
}
