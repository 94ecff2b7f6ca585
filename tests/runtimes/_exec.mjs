// deno-lint-ignore-file explicit-function-return-type explicit-module-boundary-types -- plain JS run by Node
// Shared by the runtime tests: run a process, collect its output, parse its JSON result line.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";

/**
 * Runs `cmd args` and resolves with `{ code, stdout, stderr }` (never rejects on a non-zero
 * exit, so tests can assert on it).
 *
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function exec(cmd, args, options = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 16 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * The last line of `stdout` that parses as a JSON object: the result a consumer script prints.
 *
 * @param {string} stdout
 * @returns {Record<string, unknown>}
 */
export function resultOf(stdout) {
  const lines = stdout.trim().split("\n").reverse();
  for (const line of lines) {
    if (line.startsWith("{")) return JSON.parse(line);
  }
  throw new Error(`No JSON result line in:\n${stdout}`);
}

/**
 * Fails with the process's output when it did not exit 0.
 *
 * @param {{ code: number, stdout: string, stderr: string }} result
 * @param {string} what
 */
export function assertExitedOk(result, what) {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
}

/**
 * Checks the result line of consumer/main.ts: an AWS endpoint created and read back through
 * Digest on the simulator over loopback, and a wrong key rejected with a typed error.
 *
 * @param {Record<string, any>} observed
 */
export function assertFlow(observed) {
  assert.equal(observed.createStatus, 200);
  assert.equal(observed.readStatus, 200);
  assert.equal(observed.read.interfaceEndpointId, observed.created.interfaceEndpointId);
  assert.equal(observed.read.connectionStatus, "AVAILABLE");
  assert.equal(observed.simulatorStatus, "AVAILABLE");
  assert.equal(observed.authenticatedRequests, 2);
  assert.equal(observed.wrongKeyError, "DigestAuthError CREDENTIALS_REJECTED");
}
