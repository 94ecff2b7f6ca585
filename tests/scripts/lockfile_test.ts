// The two lockfiles. `deno task` installs every package deno.lock pins before it runs any task, so
// deno.lock must pin only the library's runtime dependencies (deno.json "imports"): then
// `deno task demo` on a new machine downloads only what the demo runs. Everything the dev commands
// need besides (fast-check, the benchmark peers, openapi-typescript, Redocly) is pinned in
// scripts/tools/deno.lock, which they name with `--lock`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface Lock {
  specifiers: Record<string, string>;
  npm: Record<string, { integrity: string; dependencies?: string[] }>;
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
    todo.push(...(lock.npm[key]?.dependencies ?? []).map(resolve));
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

Deno.test("scripts/tools/deno.lock pins every package of deno.lock alike, and the dev ones", () => {
  const lock = readJson<Lock>("deno.lock");
  const dev = readJson<Lock>("scripts/tools/deno.lock");
  for (const [key, entry] of Object.entries(lock.npm)) {
    assert.equal(dev.npm[key]?.integrity, entry.integrity, `${key} in both lockfiles`);
  }
  for (const spec of ["npm:fast-check@4.11.0", "npm:openapi-typescript@7.13.0"]) {
    assert.ok(spec in dev.specifiers, `${spec} in the dev lockfile`);
  }
});
