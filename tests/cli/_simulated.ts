// The CLI as a real process against the Atlas simulator served on loopback HTTP with strict
// Digest, for one test: the environment to point it there, and checks every run must pass.
import assert from "node:assert/strict";
import {
  type AtlasSimulator,
  type AtlasSimulatorOptions,
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  type SeededProject,
  serve,
} from "../../src/testing/mod.ts";
import { type CliRun, runCliProcess } from "./_spawn.ts";

/** What a test body gets. */
export interface Env {
  simulator: AtlasSimulator;
  project: SeededProject;
  cli: (args: string[], onStderr?: Parameters<typeof runCliProcess>[2]) => Promise<CliRun>;
  env: Record<string, string>;
}

/** Serves a simulator (100 times faster than real time by default) for the body of one test. */
export async function withSimulator(
  options: AtlasSimulatorOptions,
  body: (env: Env) => Promise<void>,
): Promise<void> {
  const simulator = createAtlasSimulator({ timeScale: 0.01, ...options });
  const project = simulator.seed();
  const server = await serve(simulator.fetch);
  const env = {
    MONGODB_ATLAS_PUBLIC_API_KEY: DEFAULT_SIMULATOR_API_KEY.publicKey,
    MONGODB_ATLAS_PRIVATE_API_KEY: DEFAULT_SIMULATOR_API_KEY.privateKey,
    MONGODB_ATLAS_BASE_URL: `${server.url}${simulator.basePath}`,
  };
  try {
    await body({
      simulator,
      project,
      env,
      cli: (args, onStderr) => runCliProcess(args, env, onStderr),
    });
  } finally {
    await server.close();
  }
}

/** `--group` and `--service` of the seeded service of `provider`. */
export function serviceFlags(project: SeededProject, provider: "AWS" | "AZURE" | "GCP"): string[] {
  return ["--group", project.groupId, "--service", project[provider]];
}

/** Neither the private key nor a stack trace in a run's output. */
export function assertNoSecret(run: CliRun): void {
  const secret = DEFAULT_SIMULATOR_API_KEY.privateKey;
  assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), "private key printed");
  assert.doesNotMatch(run.stderr, /^\s+at /m, "stack trace printed");
}
