// Runs the real CLI as a child process, the way a user would: under Deno `deno run -A
// src/cli.ts`; under Node (the npm build's test run) the package's bin, `node npm/esm/src/cli.js`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The result of one CLI process. */
export interface CliRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** The repository root: the nearest folder above this file that has a deno.json. */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "deno.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("Cannot find the repository root (deno.json)");
    dir = parent;
  }
  return dir;
}

const ROOT = repositoryRoot();
const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;

/** The command that starts the CLI in this runtime. */
export const CLI_COMMAND: readonly string[] = deno !== undefined
  ? [deno.execPath(), "run", "-A", "--quiet", join(ROOT, "src", "cli.ts")]
  : [process.execPath, join(ROOT, "npm", "esm", "src", "cli.js")];

/** The parent's environment without any Atlas variable or NO_COLOR, plus `env`. */
export function cleanEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("MONGODB_ATLAS_") && key !== "NO_COLOR") {
      base[key] = value;
    }
  }
  return { ...base, ...env };
}

/**
 * Starts the CLI with `args` and `env` (on top of a clean copy of this process's environment).
 * `onStderr` sees stderr as it arrives, with a function that sends SIGINT to the child (through
 * process.kill: Deno's child_process reports any exit after `child.kill()` as that signal);
 * `onStdout` likewise sees stdout.
 */
export function runCliProcess(
  args: string[],
  env: Record<string, string>,
  onStderr?: (soFar: string, interrupt: () => void) => void,
  onStdout?: (soFar: string, interrupt: () => void) => void,
): Promise<CliRun> {
  const child = spawn(CLI_COMMAND[0]!, [...CLI_COMMAND.slice(1), ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    onStdout?.(stdout, () => process.kill(child.pid!, "SIGINT"));
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    onStderr?.(stderr, () => process.kill(child.pid!, "SIGINT"));
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
