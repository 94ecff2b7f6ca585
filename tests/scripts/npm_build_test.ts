// The npm build's own logic (scripts/build_npm.ts, scripts/check_npm_exports.ts, scripts/_npm.ts):
// the exports check, the .d.ts specifier fix, and reading dependencies from deno.json.
import assert from "node:assert/strict";
import { exportProblems } from "../../scripts/check_npm_exports.ts";
import {
  NPM_README,
  npmReadmeProblems,
  renderNpmReadme,
  rewriteDtsSpecifiers,
} from "../../scripts/build_npm.ts";
import { type DenoJson, npmImports, npmPathOf, npmVersions } from "../../scripts/_npm.ts";

const JSR = { ".": "./mod.ts", "./testing": "./src/testing/mod.ts", "./cli": "./src/cli.ts" };
const NPM = {
  exports: {
    ".": { types: "./esm/mod.d.ts", default: "./esm/mod.js" },
    "./testing": { types: "./esm/src/testing/mod.d.ts", default: "./esm/src/testing/mod.js" },
    "./cli": { types: "./esm/src/cli.d.ts", default: "./esm/src/cli.js" },
  },
  bin: { "atlas-private-endpoint": "./esm/src/cli.js" },
};
const all = (): boolean => true;

Deno.test("exportProblems() accepts npm exports and bin that mirror deno.json", () => {
  assert.deepEqual(exportProblems(JSR, NPM, all), []);
});

Deno.test("exportProblems() reports a subpath that only one side exports", () => {
  const { "./testing": _, ...fewer } = NPM.exports;
  assert.match(exportProblems(JSR, { ...NPM, exports: fewer }, all).join("\n"), /"\.\/testing"/);
  const extra = { ...NPM.exports, "./extra": { types: "./x.d.ts", default: "./x.js" } };
  assert.match(
    exportProblems(JSR, { ...NPM, exports: extra }, all).join("\n"),
    /npm\/package\.json exports "\.\/extra" but deno\.json does not/,
  );
});

Deno.test("exportProblems() reports a wrong target and `default` listed before `types`", () => {
  const wrong = { ...NPM.exports, ".": { types: "./esm/mod.d.ts", default: "./esm/other.js" } };
  assert.equal(exportProblems(JSR, { ...NPM, exports: wrong }, all).length, 1);
  const reordered = { ...NPM.exports, ".": { default: "./esm/mod.js", types: "./esm/mod.d.ts" } };
  assert.match(
    exportProblems(JSR, { ...NPM, exports: reordered }, all)[0]!,
    /"types" must come first/,
  );
});

Deno.test("exportProblems() reports missing files and a bin out of step with ./cli", () => {
  const missing = exportProblems(JSR, NPM, (path) => path !== "./esm/src/testing/mod.d.ts");
  assert.deepEqual(missing, ['npm export "./testing": ./esm/src/testing/mod.d.ts missing']);
  assert.match(exportProblems(JSR, { exports: NPM.exports }, all)[0]!, /"bin" must point at/);
  const { "./cli": _, ...noCli } = JSR;
  const { "./cli": __, ...npmNoCli } = NPM.exports;
  assert.match(
    exportProblems(noCli, { ...NPM, exports: npmNoCli }, all)[0]!,
    /has a "bin" but deno\.json exports no "\.\/cli"/,
  );
});

Deno.test("rewriteDtsSpecifiers() turns relative .ts specifiers into .js (TypeScript#61037)", () => {
  const dts = [
    'export * from "./src/digest/fetch.ts";',
    'import type { A } from "../a.ts";',
    'export type B = import("./b.ts").B;',
    'import "./side.mts";',
    'import type { Client } from "openapi-fetch";',
    'export { x } from "./already.js";',
  ].join("\n");
  assert.equal(
    rewriteDtsSpecifiers(dts),
    [
      'export * from "./src/digest/fetch.js";',
      'import type { A } from "../a.js";',
      'export type B = import("./b.js").B;',
      'import "./side.mjs";',
      'import type { Client } from "openapi-fetch";',
      'export { x } from "./already.js";',
    ].join("\n"),
  );
});

const DENO_JSON: DenoJson = {
  name: "@atlas-edge/private-endpoint",
  version: "1.2.3",
  exports: JSR,
  imports: {
    "openapi-fetch": "npm:openapi-fetch@0.17.0",
    "@noble/hashes/legacy.js": "npm:@noble/hashes@2.4.0/legacy.js",
    "@noble/hashes/sha2.js": "npm:@noble/hashes@2.4.0/sha2.js",
    "local": "./src/local.ts",
  },
};

Deno.test("npmVersions() reads one exact version per npm package from deno.json imports", () => {
  assert.deepEqual(
    npmImports(DENO_JSON).map((d) => `${d.key}=${d.name}@${d.version}${d.subpath}`),
    [
      "openapi-fetch=openapi-fetch@0.17.0",
      "@noble/hashes/legacy.js=@noble/hashes@2.4.0/legacy.js",
      "@noble/hashes/sha2.js=@noble/hashes@2.4.0/sha2.js",
    ],
  );
  assert.deepEqual(
    [...npmVersions(DENO_JSON)],
    [["openapi-fetch", "0.17.0"], ["@noble/hashes", "2.4.0"]],
  );
});

Deno.test("npmVersions() rejects aliases npm cannot resolve and conflicting pins", () => {
  const alias = { ...DENO_JSON, imports: { fetcher: "npm:openapi-fetch@0.17.0" } };
  assert.throws(() => npmVersions(alias), /"fetcher" aliases npm:openapi-fetch/);
  const twice = {
    ...DENO_JSON,
    imports: {
      "@noble/hashes/legacy.js": "npm:@noble/hashes@2.4.0/legacy.js",
      "@noble/hashes/sha2.js": "npm:@noble/hashes@2.3.0/sha2.js",
    },
  };
  assert.throws(() => npmVersions(twice), /@noble\/hashes is pinned twice \(2\.4\.0 and 2\.3\.0\)/);
});

Deno.test("npmPathOf() maps a source entry to its compiled file and declarations", () => {
  assert.equal(npmPathOf("./src/testing/mod.ts"), "./esm/src/testing/mod.js");
  assert.equal(npmPathOf("./mod.ts", true), "./esm/mod.d.ts");
  assert.throws(() => npmPathOf("./mod.js"), /only \.ts entry points/);
});

Deno.test("npmReadmeProblems() accepts the npm README: Node imports, process.env, npx", async () => {
  const readme = renderNpmReadme(await Deno.readTextFile(NPM_README), "9.8.7");
  assert.deepEqual(npmReadmeProblems(readme, "@atlas-edge/private-endpoint"), []);
  assert.match(readme, /from "atlas-private-endpoint"/);
  assert.match(readme, /process\.env\.MONGODB_ATLAS_PUBLIC_API_KEY/);
  assert.match(readme, /npx atlas-private-endpoint /);
  assert.match(readme, /not published/);
  assert.match(readme, /npm install \S*atlas-private-endpoint-9\.8\.7\.tgz/);
});

Deno.test("npmReadmeProblems() reports each Deno-only thing with its line", () => {
  const problems = (text: string): string[] =>
    npmReadmeProblems(`# title\n\n${text}\n`, "@atlas-edge/private-endpoint");
  assert.deepEqual(problems('const key = Deno.env.get("KEY");'), [
    "uses the Deno namespace (Node has `process.env`) (line 3)",
  ]);
  assert.match(problems("deno add jsr:@atlas-edge/private-endpoint")[0]!, /jsr: specifier/);
  assert.match(problems("npx -y deno@2.9.6 task demo")[0]!, /deno task/);
  assert.match(problems('import { x } from "@atlas-edge/private-endpoint/testing";')[0]!, /JSR/);
  assert.match(problems("version {{version}}")[0]!, /placeholder/);
  assert.deepEqual(problems('import { x } from "atlas-private-endpoint";'), []);
});
