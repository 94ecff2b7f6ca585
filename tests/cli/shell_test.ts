import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { shellWord } from "../../src/cli/_shell.ts";

Deno.test("shellWord() leaves safe words alone and quotes the rest", () => {
  assert.equal(shellWord("vpce-0123456789abcdef0"), "vpce-0123456789abcdef0");
  assert.equal(shellWord("/subscriptions/x/pe-atlas"), "/subscriptions/x/pe-atlas");
  assert.equal(shellWord("a b"), "'a b'");
  assert.equal(shellWord("it's"), `'it'\\''s'`);
  assert.equal(shellWord(""), "''");
});

Deno.test("shellWord() output reads back as the same word in sh", () => {
  const words = ["plain", "two words", "it's", "'", '$HOME `x` "q"', "a\\b", ""];
  const script = `printf '%s\\n' ${words.map(shellWord).join(" ")}`;
  const result = spawnSync("sh", ["-c", script], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.split("\n").slice(0, -1), words);
});
