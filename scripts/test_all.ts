// deno-lint-ignore-file no-console -- a command-line script: printing is its job
// `deno task test`: every check CI runs, one after another, then one closing line that counts
// every test and check: "tests: N passed, N failed". Exit code 1 when anything failed.
//
// Each step is a command. A step of kind "deno-test" or "node-test" contributes the counts its
// runner prints; a step of kind "check" counts as one test (passed when it exits 0).

interface Step {
  name: string;
  kind: "check" | "deno-test" | "node-test";
  cmd: string[];
}

const deno = Deno.execPath();

/** The steps, in order. Add new ones here. */
const steps: Step[] = [
  { name: "fmt", kind: "check", cmd: [deno, "fmt", "--check"] },
  { name: "lint", kind: "check", cmd: [deno, "lint"] },
  { name: "type check", kind: "check", cmd: [deno, "task", "check"] },
  { name: "generated types up to date", kind: "check", cmd: [deno, "task", "gen:check"] },
  { name: "spec lint (redocly)", kind: "check", cmd: [deno, "task", "lint:spec"] },
  { name: "deno test", kind: "deno-test", cmd: [deno, "task", "test:deno"] },
  // The npm package (scripts/build_npm.ts) and the same tests under Node against it.
  { name: "npm build", kind: "check", cmd: [deno, "task", "build:npm"] },
  { name: "node test (npm build)", kind: "node-test", cmd: [deno, "task", "test:node"] },
  // The packed package installed into a fresh project, on each runtime (scripts/test_runtimes.ts).
  { name: "npm package lint", kind: "check", cmd: [deno, "task", "test:runtimes", "package"] },
  { name: "node consumer", kind: "node-test", cmd: [deno, "task", "test:runtimes", "node"] },
  { name: "workers (workerd)", kind: "node-test", cmd: [deno, "task", "test:runtimes", "workers"] },
  { name: "bun", kind: "node-test", cmd: [deno, "task", "test:runtimes", "bun"] },
  // JSR readiness: no slow types, documented public API.
  { name: "jsr publish dry run", kind: "check", cmd: [deno, "task", "check:publish"] },
  { name: "doc lint", kind: "check", cmd: [deno, "task", "check:doc"] },
];

const only = Deno.args.length > 0 ? new Set(Deno.args) : undefined;
let passed = 0;
let failed = 0;
const failures: string[] = [];
const decoder = new TextDecoder();

for (const step of steps) {
  if (only && !only.has(step.name)) continue;
  console.log(`\n=== ${step.name}: ${step.cmd.slice(1).join(" ")}`);
  const started = performance.now();
  const child = new Deno.Command(step.cmd[0]!, {
    args: step.cmd.slice(1),
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let output = "";
  const reader = child.stdout.getReader();
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    await Deno.stdout.write(value);
    output += decoder.decode(value, { stream: true });
  }
  const { code } = await child.status;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // deno test: "ok | 12 passed (3 steps) | 0 failed"; node --test: "# pass 12" / "# fail 0".
  // deno-lint-ignore no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  let p = 0;
  let f = 0;
  if (step.kind === "deno-test") {
    for (const m of plain.matchAll(/\| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/g)) {
      p += Number(m[1]);
      f += Number(m[2]);
    }
  } else if (step.kind === "node-test") {
    for (const m of plain.matchAll(/^# pass (\d+)$/gm)) p += Number(m[1]);
    for (const m of plain.matchAll(/^# fail (\d+)$/gm)) f += Number(m[1]);
  } else if (code === 0) p = 1;
  else f = 1;
  // A runner that exits non-zero while reporting no failure still fails the step.
  if (code !== 0 && f === 0) f = 1;
  if (step.kind !== "check" && code === 0 && p === 0) {
    f += 1;
    failures.push(`${step.name} (ran no test)`);
  }
  passed += p;
  failed += f;
  if (code !== 0) failures.push(step.name);
  console.log(`=== ${step.name}: ${code === 0 ? "ok" : `FAILED (exit ${code})`} in ${seconds}s`);
}

if (failures.length > 0) console.log(`\nFailed steps: ${failures.join(", ")}`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
Deno.exit(failed > 0 ? 1 : 0);
