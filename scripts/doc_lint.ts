// `deno task check:doc`: `deno doc --lint` on every entry point of deno.json "exports" (the
// hand-written public modules; generated gen/ files are reached only through them). Fails on
// missing JSDoc, missing explicit types, and public symbols that reference non-exported types.
import { join } from "node:path";
import { denoExports, readDenoJson, ROOT, run } from "./_npm.ts";

const entries = Object.values(denoExports(readDenoJson())).map((path) => join(ROOT, path));
await run(Deno.execPath(), ["doc", "--lint", ...entries]);
