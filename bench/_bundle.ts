// Bundle sizes: each Worker in bench/workers/ bundled as Wrangler does (esbuild, ESM, browser
// platform, workerd conditions), minified, then gzipped (level 9). esbuild resolves bare imports
// from node_modules, so the npm packages are installed once into .tmp/bench/npm, at the versions
// bench/deno.lock pins (transitive ones too, through npm `overrides`).
import * as esbuild from "npm:esbuild@0.28.2";
import { gzipSync } from "node:zlib";

/** A Worker to bundle. */
export interface WorkerEntry {
  id: string;
  label: string;
  file: string;
  /** Imports left out of the bundle, with the reason shown in the results. */
  external?: string[];
  note?: string;
}

/** The outcome for one Worker. */
export interface BundleResult {
  id: string;
  label: string;
  /** Minified bytes, or undefined when it could not be built. */
  minified?: number;
  gzipped?: number;
  /** Bytes in the output per npm package, "this library" (src/) and "worker code" (bench/). */
  byPackage?: Record<string, number>;
  /** Bytes in the output per file of this library (src/). */
  libraryFiles?: Record<string, number>;
  /** Why it could not be built. */
  error?: string;
  note?: string;
}

const ROOT = new URL("../", import.meta.url);
const NPM_DIR = new URL(".tmp/bench/npm/", ROOT);

/** The Workers, in the order of the results table. */
export const WORKERS: WorkerEntry[] = [
  {
    id: "ours-atlas",
    label: "ours: createAtlasClient + createPrivateEndpoint + waitForPrivateEndpoint",
    file: "bench/workers/ours_atlas.ts",
  },
  {
    id: "ours-digest",
    label: "ours: openapi-fetch + digestAuth, create and wait by hand",
    file: "bench/workers/ours_digest.ts",
  },
  {
    id: "digest-fetch",
    label: "digest-fetch + openapi-fetch, create and wait by hand",
    file: "bench/workers/digest_fetch.ts",
    external: ["node-fetch"],
    note: "`node-fetch` external: imported only without a global fetch",
  },
  {
    id: "digest-fetch-alone",
    label: "digest-fetch alone, one GET",
    file: "bench/workers/digest_fetch_alone.ts",
    external: ["node-fetch"],
    note: "`node-fetch` external: imported only without a global fetch",
  },
  {
    id: "floor",
    label: "floor: openapi-fetch + noble MD5, create and wait by hand",
    file: "bench/workers/floor.ts",
  },
  {
    id: "urllib",
    label: "urllib, create and wait by hand",
    file: "bench/workers/urllib.ts",
  },
];

/** The benchmark's lockfile: the library's npm packages and the peers' (`deno task bench`). */
const BENCH_LOCK = new URL("bench/deno.lock", ROOT);

/**
 * `name -> version` for the npm packages bench/deno.lock pins at the top level: the library's
 * (deno.json "imports") and the peers' (`npm:` specifiers in bench/).
 */
export async function importMapVersions(): Promise<Record<string, string>> {
  const lock = JSON.parse(await Deno.readTextFile(BENCH_LOCK)) as {
    specifiers: Record<string, string>;
  };
  const out: Record<string, string> = {};
  for (const [specifier, resolved] of Object.entries(lock.specifiers)) {
    const match = /^npm:(@?[^@/]+(?:\/[^@/]+)?)@/.exec(specifier);
    if (match) out[match[1]!] = resolved.split("_")[0]!;
  }
  return out;
}

async function run(cmd: string, args: string[], cwd: URL): Promise<void> {
  const { code, stderr } = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`);
  }
}

/** Installs the Workers' npm dependencies into .tmp/bench/npm when they are not there yet. */
async function ensureNodeModules(): Promise<void> {
  const versions = await importMapVersions();
  const wanted = ["openapi-fetch", "@noble/hashes", "digest-fetch", "urllib"];
  const lock = JSON.parse(await Deno.readTextFile(BENCH_LOCK)) as {
    npm?: Record<string, unknown>;
  };
  // Pin every package the lock pins to exactly one version, so npm resolves what Deno resolved.
  const seen = new Map<string, string[]>();
  for (const key of Object.keys(lock.npm ?? {})) {
    const at = key.lastIndexOf("@");
    const name = key.slice(0, at);
    const version = key.slice(at + 1).split("_")[0]!;
    seen.set(name, [...(seen.get(name) ?? []), version]);
  }
  const overrides = Object.fromEntries(
    [...seen].filter(([name, v]) => v.length === 1 && !wanted.includes(name)).map((
      [name, v],
    ) => [name, v[0]!]),
  );
  const manifest = JSON.stringify(
    {
      private: true,
      dependencies: Object.fromEntries(wanted.map((name) => [name, versions[name]])),
      overrides,
    },
    null,
    2,
  );
  const manifestFile = new URL("package.json", NPM_DIR);
  const current = await Deno.readTextFile(manifestFile).catch(() => "");
  const installed = await Deno.stat(new URL("node_modules/.package-lock.json", NPM_DIR))
    .then(() => true, () => false);
  if (current === manifest && installed) return;
  await Deno.mkdir(NPM_DIR, { recursive: true });
  await Deno.writeTextFile(manifestFile, manifest);
  await run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--silent"], NPM_DIR);
}

function packageOf(path: string): string {
  const at = path.lastIndexOf("node_modules/");
  if (at < 0) return path.startsWith("bench/") ? "worker code" : "this library";
  const rest = path.slice(at + "node_modules/".length).split("/");
  return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

/** Bundles every Worker and measures it. Writes the bundles to .tmp/bench/bundles/. */
export async function measureBundles(): Promise<BundleResult[]> {
  await ensureNodeModules();
  const outDir = new URL(".tmp/bench/bundles/", ROOT);
  await Deno.mkdir(outDir, { recursive: true });
  const results: BundleResult[] = [];
  try {
    for (const worker of WORKERS) {
      const base = {
        id: worker.id,
        label: worker.label,
        ...(worker.note ? { note: worker.note } : {}),
      };
      try {
        const built = await esbuild.build({
          entryPoints: [new URL(worker.file, ROOT).pathname],
          absWorkingDir: new URL(".", ROOT).pathname,
          bundle: true,
          minify: true,
          format: "esm",
          platform: "browser",
          target: "es2022",
          conditions: ["workerd", "worker", "browser"],
          nodePaths: [new URL("node_modules", NPM_DIR).pathname],
          external: worker.external ?? [],
          metafile: true,
          write: false,
          logLevel: "silent",
        });
        const code = built.outputFiles[0]!.contents;
        await Deno.writeFile(new URL(`${worker.id}.js`, outDir), code);
        const byPackage: Record<string, number> = {};
        const libraryFiles: Record<string, number> = {};
        for (const output of Object.values(built.metafile.outputs)) {
          for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
            const name = packageOf(path);
            byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
            if (name === "this library" && bytesInOutput > 0) libraryFiles[path] = bytesInOutput;
          }
        }
        results.push({
          ...base,
          minified: code.byteLength,
          gzipped: gzipSync(code, { level: 9 }).byteLength,
          byPackage,
          ...(Object.keys(libraryFiles).length > 0 ? { libraryFiles } : {}),
        });
      } catch (error) {
        const failure = error as { errors?: esbuild.Message[] };
        const messages = failure.errors ?? [];
        const first = messages[0];
        const text = first
          ? `${messages.length} error(s), e.g. ${first.text}${
            first.location ? ` (${first.location.file})` : ""
          }`
          : String(error);
        results.push({ ...base, error: text });
      }
    }
  } finally {
    await esbuild.stop();
  }
  return results;
}
