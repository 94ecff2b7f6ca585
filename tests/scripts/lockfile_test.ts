// The lockfiles. `deno task` installs every package deno.lock pins before it runs any task, so
// deno.lock must pin only the library's runtime dependencies (deno.json "imports"): then
// `deno task demo` on a new machine downloads only what the demo runs. The dev tasks name their own
// lockfile with `--lock`, so each downloads only what it uses: the tests' (fast-check), the
// benchmark's (its peers and esbuild), the spec tools' (openapi-typescript, Redocly).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface Lock {
  specifiers: Record<string, string>;
  npm: Record<
    string,
    { integrity: string; dependencies?: string[]; optionalDependencies?: string[] }
  >;
}

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const readJson = <T>(path: string): T => JSON.parse(readFileSync(root(path), "utf8")) as T;

/** `npm:@noble/hashes@2.4.0/legacy.js` -> `npm:@noble/hashes@2.4.0`. */
function packageSpecifier(target: string): string {
  const match = /^npm:((?:@[^/@]+\/)?[^/@]+@[^/]+)/.exec(target);
  assert.ok(match, `${target} is an npm specifier with an exact version`);
  return `npm:${match[1]}`;
}

/** The lock's packages reachable from its top-level specifiers. */
function reachable(lock: Lock): Set<string> {
  const byName = new Map<string, string[]>();
  for (const key of Object.keys(lock.npm)) {
    const name = key.slice(0, key.indexOf("@", 1));
    byName.set(name, [...(byName.get(name) ?? []), key]);
  }
  const resolve = (dep: string): string => {
    if (dep in lock.npm) return dep;
    const keys = byName.get(dep) ?? [];
    assert.equal(keys.length, 1, `one version of ${dep} in the lock`);
    return keys[0]!;
  };
  const todo = Object.entries(lock.specifiers).map(([spec, version]) =>
    `${spec.slice("npm:".length, spec.lastIndexOf("@"))}@${version}`
  );
  const seen = new Set<string>();
  while (todo.length > 0) {
    const key = todo.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const entry = lock.npm[key];
    todo.push(...[...entry?.dependencies ?? [], ...entry?.optionalDependencies ?? []].map(resolve));
  }
  return seen;
}

Deno.test("deno.lock pins only the npm packages of deno.json imports and their dependencies", () => {
  const config = readJson<{ imports: Record<string, string> }>("deno.json");
  const lock = readJson<Lock>("deno.lock");
  const imported = new Set(Object.values(config.imports).map(packageSpecifier));
  assert.deepEqual(new Set(Object.keys(lock.specifiers)), imported);
  assert.deepEqual(new Set(Object.keys(lock.npm)), reachable(lock));
});

/** Each dev lockfile and a package only it pins. */
const DEV_LOCKS: [string, string][] = [
  ["scripts/tools/deno.lock", "npm:fast-check@4.11.0"],
  ["bench/deno.lock", "npm:digest-fetch@3.1.1"],
  ["spec/deno.lock", "npm:openapi-typescript@7.13.0"],
];

Deno.test("each dev lockfile pins deno.lock's packages alike, its own, and nothing unreachable", () => {
  const lock = readJson<Lock>("deno.lock");
  for (const [path, own] of DEV_LOCKS) {
    const dev = readJson<Lock>(path);
    for (const [key, entry] of Object.entries(lock.npm)) {
      assert.equal(dev.npm[key]?.integrity, entry.integrity, `${key} in ${path} as in deno.lock`);
    }
    assert.ok(own in dev.specifiers, `${own} in ${path}`);
    assert.deepEqual(new Set(Object.keys(dev.npm)), reachable(dev), `${path} has no leftovers`);
  }
});

Deno.test("the dev tasks name their own lockfile; the demo uses deno.lock", () => {
  const { tasks } = readJson<{ tasks: Record<string, string> }>("deno.json");
  for (
    const [task, path] of [
      ["check", "scripts/tools/deno.lock"],
      ["test:deno", "scripts/tools/deno.lock"],
      ["bench", "bench/deno.lock"],
      ["gen", "spec/deno.lock"],
      ["gen:check", "spec/deno.lock"],
      ["lint:spec", "spec/deno.lock"],
    ]
  ) {
    assert.match(tasks[task!] ?? "", new RegExp(`--lock=${path}\\b`), `deno task ${task}`);
  }
  assert.doesNotMatch(tasks["demo"] ?? "", /--lock/);
});
