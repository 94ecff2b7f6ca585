// The layering of the package: no module imports a module that (directly or not) imports it back,
// and each folder of src/ imports only the folders below it. Walks the import graph from every
// entry point of deno.json "exports": the TypeScript sources under Deno, and the built npm/esm/
// JavaScript where the sources are not beside the test (under Node, against the npm build; there
// type-only imports are gone, so it checks what runs).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

/** Module -> the modules it imports (relative specifiers only), as paths from the root. */
type Graph = Map<string, string[]>;

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "deno.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("deno.json not found above the test");
    dir = up;
  }
  return dir;
}

/** Static `import`/`export ... from` specifiers of a module, outside comments and strings. */
export function importsOf(source: string): string[] {
  const specs: string[] = [];
  const statement = /^\s*(?:import|export)\b[^;]*?(?:\bfrom\s*)?["']([^"']+)["']/gm;
  for (const match of source.matchAll(statement)) specs.push(match[1]!);
  return specs;
}

/** The graph reachable from `entries`, following relative imports that resolve to files. */
function walk(root: string, entries: string[]): Graph {
  const graph: Graph = new Map();
  const todo = [...entries];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (graph.has(file)) continue;
    const text = readFileSync(join(root, file), "utf8");
    const targets = importsOf(text).filter((s) => s.startsWith(".")).map((s) =>
      relative(root, resolve(root, dirname(file), s))
    );
    graph.set(file, targets);
    todo.push(...targets.filter((t) => existsSync(join(root, t))));
  }
  return graph;
}

/** Every import cycle of `graph`, each as the list of modules around it (Tarjan's SCCs). */
export function cyclesOf(graph: Graph): string[][] {
  let index = 0;
  const indexes = new Map<string, number>();
  const lows = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    indexes.set(node, index);
    lows.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexes.has(next)) {
        visit(next);
        lows.set(node, Math.min(lows.get(node)!, lows.get(next)!));
      } else if (onStack.has(next)) {
        lows.set(node, Math.min(lows.get(node)!, indexes.get(next)!));
      }
    }
    if (lows.get(node) !== indexes.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfImport = (graph.get(node) ?? []).includes(node);
    if (component.length > 1 || selfImport) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!indexes.has(node)) visit(node);
  return cycles;
}

/** The folders of src/ and the folders each may import from: imports only point down. */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  shared: [],
  digest: ["shared"],
  auth: ["shared"],
  atlas: ["shared", "digest", "auth"],
  // The simulator shares only the Digest primitives with the client, so that the client is tested
  // against an independent server.
  testing: ["shared", "digest"],
  cli: ["shared", "digest", "auth", "atlas", "testing"],
};

function folderOf(path: string): string | undefined {
  return /(?:^|\/)src\/([^/]+)\//.exec(path)?.[1];
}

function packageGraph(): { graph: Graph; from: string } {
  const root = findRoot();
  const config = JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as {
    exports: Record<string, string>;
  };
  const sources = Object.values(config.exports).map((p) => p.replace(/^\.\//, ""));
  if (sources.every((p) => existsSync(join(root, p)))) {
    return { graph: walk(root, sources), from: "sources" };
  }
  const built = sources.map((p) => join("npm", "esm", p.replace(/\.m?ts$/, ".js")));
  return { graph: walk(root, built), from: "npm build" };
}

Deno.test("cyclesOf() finds a cycle, a self-import and nothing in a tree", () => {
  const graph: Graph = new Map([
    ["a", ["b"]],
    ["b", ["c", "d"]],
    ["c", ["a"]],
    ["d", ["d"]],
    ["e", ["a"]],
  ]);
  assert.deepEqual(cyclesOf(graph), [["d"], ["a", "b", "c"]]);
  assert.deepEqual(cyclesOf(new Map([["a", ["b"]], ["b", []]])), []);
});

Deno.test("importsOf() reads import and export statements, not examples in comments", () => {
  const source = [
    'import type { A } from "./a.ts";',
    "import {",
    "  b,",
    '} from "./b.ts";',
    'export * from "./c.ts";',
    'import "./d.ts";',
    ' * import { e } from "./e.ts";',
    '// import { f } from "./f.ts";',
  ].join("\n");
  assert.deepEqual(importsOf(source), ["./a.ts", "./b.ts", "./c.ts", "./d.ts"]);
});

Deno.test("the package's modules import each other without a cycle", () => {
  const { graph, from } = packageGraph();
  const files = [...graph.keys()];
  // The walk reached the library, not just the entry points.
  assert.ok(files.some((f) => /src\/atlas\/operations\.(ts|js)$/.test(f)), `${from}: ${files}`);
  assert.ok(files.some((f) => /src\/digest\//.test(f)), from);
  assert.deepEqual(cyclesOf(graph), [], `import cycles in the ${from}`);
});

Deno.test("each folder of src/ imports only the folders below it", () => {
  const { graph, from } = packageGraph();
  const wrong: string[] = [];
  for (const [file, targets] of graph) {
    const folder = folderOf(file);
    if (folder === undefined) continue;
    const allowed = LAYERS[folder];
    assert.ok(allowed, `${file}: src/${folder}/ is not in LAYERS`);
    for (const target of targets) {
      const to = folderOf(target);
      if (to !== undefined && to !== folder && !allowed.includes(to)) {
        wrong.push(`${file} -> ${target}`);
      }
    }
  }
  assert.deepEqual(wrong, [], `imports that point up, in the ${from}`);
});
