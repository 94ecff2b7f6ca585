// Runs the real CLI (`deno run -A src/cli.ts ...`) as a child process, the way a user would.
import { spawn } from "node:child_process";

/** The result of one CLI process. */
export interface CliRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

const CLI = new URL("../../src/cli.ts", import.meta.url);
const ROOT = new URL("../../", import.meta.url);

/** The parent's environment without any Atlas variable, plus `env`. */
export function cleanEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(Deno.env.toObject())) {
    if (!key.startsWith("MONGODB_ATLAS_") && key !== "NO_COLOR") base[key] = value;
  }
  return { ...base, ...env };
}

/**
 * Starts the CLI with `args` and `env` (on top of a clean copy of this process's environment).
 * `onStderr` sees stderr as it arrives, with a function that sends a signal to the child.
 */
export function runCliProcess(
  args: string[],
  env: Record<string, string>,
  onStderr?: (soFar: string, kill: (signal: "SIGINT") => void) => void,
): Promise<CliRun> {
  const child = spawn(Deno.execPath(), ["run", "-A", "--quiet", CLI.pathname, ...args], {
    cwd: ROOT.pathname,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    onStderr?.(stderr, (signal) => child.kill(signal));
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
