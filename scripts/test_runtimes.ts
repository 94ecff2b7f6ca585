// `deno task test:runtimes <node|bun|workers|package>`: the packed npm package, installed into a
// fresh project the way a user installs it, proven on each runtime.
//
// - Builds npm/ if needed, `npm pack`s it into .tmp/pack/, and installs the tarball into a fresh
//   project .tmp/consumer/ (from npm's cache when it can: `--prefer-offline`). The consumer
//   sources in tests/runtimes/consumer/ and tests/runtimes/workers/ are copied there with the JSR
//   name replaced by the npm name, exactly what a user would write.
// - node, bun, workers: run `node --test` on tests/runtimes/<name>.mjs, which drive Node, Bun
//   (npm `bun`) and workerd (npm `miniflare`) against the installed package.
// - package: publint and @arethetypeswrong/cli on the tarball.
// deno-lint-ignore-file no-console

import { join, relative } from "node:path";
import {
  ensureTools,
  listFiles,
  NPM_DIR,
  readDenoJson,
  remove,
  ROOT,
  run,
  TMP_DIR,
  toolBin,
  TOOLS_DIR,
} from "./_npm.ts";
import { buildNpm, NPM_NAME } from "./build_npm.ts";

const PACK_DIR = join(TMP_DIR, "pack");
const CONSUMER_DIR = join(TMP_DIR, "consumer");
const FIXTURES = ["consumer", "workers"].map((d) => join(ROOT, "tests", "runtimes", d));

async function sha256File(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Packs npm/ and installs the tarball into .tmp/consumer (skipped when the tarball is unchanged). */
async function prepareConsumer(): Promise<string> {
  if (!await Deno.stat(join(NPM_DIR, "package.json")).catch(() => undefined)) await buildNpm();
  await remove(PACK_DIR);
  await Deno.mkdir(PACK_DIR, { recursive: true });
  const packed = await run(
    "npm",
    ["pack", "--json", "--pack-destination", PACK_DIR, "--loglevel=error"],
    { cwd: NPM_DIR, capture: true },
  );
  const [info] = JSON.parse(packed) as { filename: string; size: number; unpackedSize: number }[];
  const tarball = join(PACK_DIR, info!.filename);
  console.log(
    `# packed ${info!.filename}: ${info!.size} bytes (${info!.unpackedSize} unpacked)`,
  );

  const stamp = join(CONSUMER_DIR, ".tarball-sha256");
  const sha = await sha256File(tarball);
  if (await Deno.readTextFile(stamp).catch(() => "") !== sha) {
    await remove(CONSUMER_DIR);
    await Deno.mkdir(CONSUMER_DIR, { recursive: true });
    await Deno.writeTextFile(
      join(CONSUMER_DIR, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2) + "\n",
    );
    await run("npm", [
      "install",
      relative(CONSUMER_DIR, tarball),
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
    ], { cwd: CONSUMER_DIR });
    await Deno.writeTextFile(stamp, sha);
  }

  // The consumer's sources: what a user writes, importing the npm name.
  const jsrName = readDenoJson().name;
  for (const dir of FIXTURES) {
    const name = dir.split("/").pop()!;
    await remove(join(CONSUMER_DIR, name));
    for (const file of await listFiles(dir)) {
      const target = join(CONSUMER_DIR, name, file);
      await Deno.mkdir(join(target, ".."), { recursive: true });
      const text = await Deno.readTextFile(join(dir, file));
      await Deno.writeTextFile(target, text.replaceAll(jsrName, NPM_NAME));
    }
  }
  return tarball;
}

async function main(): Promise<void> {
  const which = Deno.args[0];
  if (!["node", "bun", "workers", "package"].includes(which ?? "")) {
    throw new Error("Usage: deno run -A scripts/test_runtimes.ts <node|bun|workers|package>");
  }
  await ensureTools();
  const tarball = await prepareConsumer();
  if (which === "package") {
    await run(toolBin("publint"), ["run", "--strict", tarball]);
    // ESM only (like @noble/hashes 2): "node10" resolution has no `exports`, so it is left out.
    await run(toolBin("attw"), [tarball, "--profile", "esm-only", "--no-definitely-typed"]);
    return;
  }
  await run("node", [
    "--test",
    "--test-reporter=tap",
    join(ROOT, "tests", "runtimes", `${which}.mjs`),
  ], {
    cwd: CONSUMER_DIR,
    env: { CONSUMER_DIR, TOOLS_DIR, TMP_DIR, NPM_NAME },
  });
  if (which === "workers") {
    const sizePath = join(TMP_DIR, "runtimes", "worker-bundle-size.json");
    const size = JSON.parse(await Deno.readTextFile(sizePath)) as Record<string, number>;
    console.log(
      `worker bundle (esbuild --minify): ${size.minifiedBytes} bytes minified, ` +
        `${size.gzipBytes} bytes gzipped (${relative(ROOT, sizePath)})`,
    );
  }
}

await main();
