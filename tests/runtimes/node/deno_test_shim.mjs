// deno-lint-ignore-file explicit-function-return-type -- plain JS for Node: no annotations
// A `Deno.test` for Node: registers each Deno test with `node:test`, so the project's Deno test
// files run under `node --test` (scripts/test_node.ts adds `import { Deno } from` this file to
// each of them; no global is set, so code that looks for `globalThis.Deno` still sees Node). It does what dnt's test shim does:
// the overloads `Deno.test(name, fn)`, `(name, options, fn)`, `(options)`, `(options, fn)`,
// `(fn)` and `(fn, options)`, with `ignore` and `only`, plus `Deno.test.ignore` and
// `Deno.test.only`. No `t.step` and no sanitizers (Node has neither).
import { test } from "node:test";

function normalize(args) {
  const [a, b, c] = args;
  if (typeof a === "string") {
    return typeof b === "function" ? { name: a, fn: b } : { ...b, name: a, fn: c };
  }
  if (typeof a === "function") return { name: a.name, ...b, fn: a };
  return typeof b === "function" ? { name: b.name, ...a, fn: b } : { ...a };
}

function register(definition) {
  const { name, fn, ignore, only } = definition;
  if (typeof name !== "string" || name === "" || typeof fn !== "function") {
    throw new TypeError("Deno.test() needs a name and a function");
  }
  const options = only === true ? { only: true } : { skip: ignore === true };
  test(name, options, async () => {
    const context = {
      name,
      origin: "",
      step() {
        throw new Error("t.step() is not supported under Node: write one Deno.test per case");
      },
    };
    await fn(context);
  });
}

function denoTest(...args) {
  register(normalize(args));
}
denoTest.ignore = (...args) => register({ ...normalize(args), ignore: true });
denoTest.only = (...args) => register({ ...normalize(args), only: true });

/** The part of the `Deno` namespace that test files use. */
export const Deno = Object.freeze({ test: denoTest });
