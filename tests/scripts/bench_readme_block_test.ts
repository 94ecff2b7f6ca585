// The README's bench block is the benchmark's three-line summary: `deno task bench` writes it with
// readmeBlock(), and it stays three lines (each under the 100 columns `deno fmt` wraps at).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readmeBlock, type ReadmeTally } from "../../bench/_readme_block.ts";

const README = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");

Deno.test("readmeBlock() writes a comment and three lines, each under 100 columns", () => {
  const tallies: ReadmeTally[] = [
    { date: "2026-12-02 00:44 UTC", machine: "Xeon, 2 cores", met: 12, total: 21, notMeasured: 0 },
    { date: "2026-12-02 00:44 UTC", machine: "128 cores", met: 100, total: 999, notMeasured: 899 },
    { date: "2026-12-02 00:44 UTC", machine: undefined, met: 21, total: 21, notMeasured: 0 },
  ];
  for (const tally of tallies) {
    const lines = readmeBlock(tally).split("\n").filter((line) => line.startsWith("- "));
    assert.equal(lines.length, 3, readmeBlock(tally));
    for (const line of lines) assert.ok(line.length <= 100, `${line.length} columns: ${line}`);
  }
  const open = readmeBlock(tallies[1]!);
  assert.match(open, /100 of 999 targets met, measured 2026-12-02 00:44 UTC on 128 cores/);
  assert.match(open, /Not met: 899 \(899 not measured\)/);
  assert.match(readmeBlock(tallies[2]!), /on this machine .*\n- Every target held/);
});

Deno.test("README's bench block is the one readmeBlock() writes, links included", () => {
  const block = /<!-- bench:start -->\n([\s\S]*?)\n<!-- bench:end -->/.exec(README)?.[1]?.trim();
  assert.ok(block, "README has the bench:start / bench:end markers");
  const head = /(\d+) of (\d+) targets met, measured (.+ UTC) on (\d+ cores?|this machine)/
    .exec(block);
  assert.ok(head, `README's bench block starts with the tally: ${block}`);
  const [, met, total, date, machine] = head;
  const notMeasured = Number(/\((\d+) not measured\)/.exec(block)?.[1] ?? 0);
  assert.equal(
    block,
    readmeBlock({ date: date!, machine, met: Number(met), total: Number(total), notMeasured }),
  );
  for (const target of block.matchAll(/\]\(([^)#]+)/g)) {
    const path = fileURLToPath(new URL(`../../${target[1]}`, import.meta.url));
    assert.ok(readFileSync(path, "utf8").length > 0, `${target[1]} exists`);
  }
});
