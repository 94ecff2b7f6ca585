// `deno task test:runtimes <node|bun|workers|package>`: the packed npm package, installed into a
// fresh project the way a user installs it, proven on each runtime.
//
// - Builds npm/ if needed, `npm pack`s it, and installs the tarball into a fresh project under
//   .tmp/consumer/ (from npm's cache when it can: `--prefer-offline`). The consumer sources in
//   tests/runtimes/consumer/ and tests/runtimes/workers/ are copied there with the JSR name
//   replaced by the npm name, exactly what a user would write.
// - node, bun, workers: run `node --test` on tests/runtimes/<name>.mjs, which drive Node (with
//   tsc), Bun (npm `bun`) and workerd (npm `miniflare`) against the installed package.
// - Each installs only its own group of pinned tools (scripts/tools/<group>, see TOOLS).
// - package: publint and @arethetypeswrong/cli on the tarball.
// deno-lint-ignore-file no-console

import { join, relative } from "node:path";
import {
  ensureTools,
  listFiles,
  NPM_DIR,
  npmInstall,
  readDenoJson,
  remove,
  ROOT,
  run,
  TMP_DIR,
  toolBin,
  type ToolGroup,
  toolsDir,
} from "./_npm.ts";
import { buildNpm, NPM_NAME } from "./build_npm.ts";

const CONSUMERS_DIR = join(TMP_DIR, "consumer");
/** The dev tools each check installs and runs (tests/runtimes/<name>.mjs gets their folder). */
const TOOLS: Record<string, ToolGroup> = {
  node: "build",
  bun: "bun",
  workers: "workers",
  package: "package",
};
const FIXTURES = ["consumer", "workers"].map((d) => join(ROOT, "tests", "runtimes", d));

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Packs npm/ and installs the tarball into a fresh project with the consumer sources; returns
 * its folder. The folder is named by a hash of the tarball and the sources, built under a
 * temporary name and renamed into place, so an unchanged package is not installed twice and
 * two runs at once never see a half-installed project.
 */
async function prepareConsumer(): Promise<{ dir: string; tarball: string }> {
  if (!await Deno.stat(join(NPM_DIR, "package.json")).catch(() => undefined)) await buildNpm();
  await Deno.mkdir(CONSUMERS_DIR, { recursive: true });
  const work = await Deno.makeTempDir({ dir: CONSUMERS_DIR, prefix: ".tmp-" });
  try {
    const packed = await run(
      "npm",
      ["pack", "--json", "--pack-destination", work, "--loglevel=error"],
      { cwd: NPM_DIR, capture: true },
    );
    const [info] = JSON.parse(packed) as { filename: string; size: number; unpackedSize: number }[];
    console.log(`# packed ${info!.filename}: ${info!.size} bytes (${info!.unpackedSize} unpacked)`);

    // The consumer's sources: what a user writes, importing the npm name.
    const jsrName = readDenoJson().name;
    const sources: [string, string][] = [];
    for (const dir of FIXTURES) {
      for (const file of await listFiles(dir)) {
        const text = await Deno.readTextFile(join(dir, file));
        sources.push([join(dir.split("/").pop()!, file), text.replaceAll(jsrName, NPM_NAME)]);
      }
    }
    const tarballBytes = await Deno.readFile(join(work, info!.filename));
    const key = hex(
      await crypto.subtle.digest(
        "SHA-256",
        new Uint8Array([
          ...tarballBytes,
          ...new TextEncoder().encode(JSON.stringify(sources)),
        ]),
      ),
    ).slice(0, 16);
    const dir = join(CONSUMERS_DIR, key);
    const tarball = join(dir, info!.filename);
    if (await Deno.stat(join(dir, ".ready")).catch(() => undefined)) return { dir, tarball };

    const project = join(work, "project");
    await Deno.mkdir(project);
    await Deno.rename(join(work, info!.filename), join(project, info!.filename));
    await Deno.writeTextFile(
      join(project, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2) + "\n",
    );
    // A TypeScript user also has @types/node (the same pin as the tools).
    const tools = JSON.parse(await Deno.readTextFile(join(toolsDir("build"), "package.json"))) as {
      devDependencies: Record<string, string>;
    };
    await npmInstall(project, [
      `./${info!.filename}`,
      `@types/node@${tools.devDependencies["@types/node"]}`,
    ]);
    for (const [file, text] of sources) {
      await Deno.mkdir(join(project, file, ".."), { recursive: true });
      await Deno.writeTextFile(join(project, file), text);
    }
    await Deno.writeTextFile(join(project, ".ready"), "");
    // npm's .bin links are relative, so the project can move.
    await Deno.rename(project, dir).catch(async (error) => {
      // Another run put the same project in place first: use it.
      if (!await Deno.stat(join(dir, ".ready")).catch(() => undefined)) throw error;
    });
    return { dir, tarball };
  } finally {
    await remove(work);
  }
}

async function main(): Promise<void> {
  const which = Deno.args[0] ?? "";
  const group = TOOLS[which];
  if (group === undefined) {
    throw new Error("Usage: deno run -A scripts/test_runtimes.ts <node|bun|workers|package>");
  }
  const tools = await ensureTools(group);
  const { dir, tarball } = await prepareConsumer();
  if (which === "package") {
    await run(toolBin("package", "publint"), ["run", "--strict", tarball]);
    // ESM only (like @noble/hashes 2): "node10" resolution has no `exports`, so it is left out.
    await run(toolBin("package", "attw"), [
      tarball,
      "--profile",
      "esm-only",
      "--no-definitely-typed",
    ]);
    return;
  }
  await run("node", [
    "--test",
    "--test-reporter=tap",
    join(ROOT, "tests", "runtimes", `${which}.mjs`),
  ], {
    cwd: dir,
    env: { CONSUMER_DIR: dir, TOOLS_DIR: tools, TMP_DIR, NPM_NAME },
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
