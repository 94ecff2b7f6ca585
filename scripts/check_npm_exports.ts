// Fails (exit 1) when the npm package's exports (npm/package.json, from `deno task build:npm`)
// and the JSR exports in deno.json diverge: same subpaths, each pointing at the compiled file of
// the same source module, with `types` first, files present, and the CLI entry as the `bin`.
// deno-lint-ignore-file no-console

import { existsSync } from "node:fs";
import { join } from "node:path";
import { BIN_EXPORT, denoExports, NPM_DIR, npmPathOf, readDenoJson } from "./_npm.ts";

/** The parts of an npm package.json the check reads. */
export interface NpmManifest {
  exports?: Record<string, unknown>;
  bin?: Record<string, string>;
}

/**
 * The divergences between JSR exports (deno.json) and an npm manifest; empty when they match.
 * `present` tells whether a path relative to the package exists.
 */
export function exportProblems(
  jsr: Record<string, string>,
  pkg: NpmManifest,
  present: (path: string) => boolean,
): string[] {
  const npm = pkg.exports ?? {};
  const problems: string[] = [];
  for (const key of Object.keys(jsr)) {
    if (!(key in npm)) problems.push(`deno.json exports "${key}" but npm/package.json does not`);
  }
  for (const key of Object.keys(npm)) {
    if (!(key in jsr)) problems.push(`npm/package.json exports "${key}" but deno.json does not`);
  }
  for (const [key, source] of Object.entries(jsr)) {
    const entry = npm[key];
    if (entry === undefined) continue;
    const want = { types: npmPathOf(source, true), default: npmPathOf(source) };
    if (JSON.stringify(entry) !== JSON.stringify(want)) {
      problems.push(
        `npm export "${key}" is ${JSON.stringify(entry)}, expected ${JSON.stringify(want)} ` +
          `(from ${source}; "types" must come first)`,
      );
    }
    for (const file of Object.values(want)) {
      if (!present(file)) problems.push(`npm export "${key}": ${file} missing`);
    }
  }
  const cli = jsr[BIN_EXPORT];
  const bins = Object.values(pkg.bin ?? {});
  if (cli !== undefined && !(bins.length === 1 && bins[0] === npmPathOf(cli))) {
    problems.push(
      `npm/package.json "bin" must point at ${npmPathOf(cli)} (deno.json "${BIN_EXPORT}")`,
    );
  }
  if (cli === undefined && bins.length > 0) {
    problems.push(`npm/package.json has a "bin" but deno.json exports no "${BIN_EXPORT}"`);
  }
  return problems;
}

/** The divergences between deno.json's and npm/package.json's exports; empty when they match. */
export function checkNpmExports(): string[] {
  const pkgPath = join(NPM_DIR, "package.json");
  if (!existsSync(pkgPath)) return [`${pkgPath} is missing: run \`deno task build:npm\``];
  const pkg = JSON.parse(Deno.readTextFileSync(pkgPath)) as NpmManifest;
  return exportProblems(
    denoExports(readDenoJson()),
    pkg,
    (path) => existsSync(join(NPM_DIR, path)),
  );
}

if (import.meta.main) {
  const problems = checkNpmExports();
  for (const problem of problems) console.error(`error: ${problem}`);
  if (problems.length > 0) Deno.exit(1);
  console.log("npm exports match deno.json exports");
}
