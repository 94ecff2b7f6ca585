import assert from "node:assert/strict";
import { parseCommand } from "../../src/cli/_command.ts";
import { EXIT_CODE_TABLE } from "../../src/cli/_exit_codes.ts";
import { helpText } from "../../src/cli/_help.ts";
import { SERVICE_COMMANDS } from "../../src/cli/_service_specs.ts";
import { CREATE, CREATE_GROUP, REF_COMMANDS, SIMULATE, TOP } from "../../src/cli/_specs.ts";

const LEVELS = [TOP, CREATE_GROUP, ...Object.values(CREATE), ...Object.values(REF_COMMANDS)];

Deno.test("helpText() on every level shows usage, every flag, examples, env and exit codes", () => {
  for (const spec of LEVELS) {
    const text = helpText(spec);
    assert.match(text, /\nUsage:\n {2}atlas-private-endpoint /, spec.name);
    assert.match(text, /\nExamples:\n/, spec.name);
    for (const flag of spec.flags) {
      assert.ok(text.includes(`--${flag.name}`), `${spec.name} --${flag.name}`);
    }
    assert.ok(text.includes("MONGODB_ATLAS_PRIVATE_API_KEY"), spec.name);
    for (const [code, meaning] of EXIT_CODE_TABLE) {
      assert.match(
        text,
        new RegExp(`\\n {2}${code} +${meaning.slice(0, 20).replace(/[()]/g, "\\$&")}`),
        `${spec.name} exit ${code}`,
      );
    }
  }
});

Deno.test("helpText() examples are valid command lines", () => {
  for (const spec of LEVELS) {
    for (const [example] of spec.examples) {
      const argv = example.replace(/\\\n\s*/g, " ").split(/\s+/).filter(Boolean);
      const command = parseCommand(argv, () => undefined);
      assert.notEqual(command.kind, "version", example);
    }
  }
});

Deno.test("helpText() at the top level lists every command with its provider argument", () => {
  const text = helpText(TOP);
  for (const name of ["create", "get", "wait", "delete", "service ensure", "service delete"]) {
    assert.match(text, new RegExp(`\\n {2}${name} <provider> +\\S`), name);
  }
  assert.match(text, /\n {2}simulate +\S/);
  assert.match(
    helpText(CREATE_GROUP),
    /\n {2}create aws +.*\n {2}create azure +.*\n {2}create gcp +/,
  );
});

Deno.test("helpText() says exit code 4 covers every way waiting fails, DELETING included", () => {
  for (const spec of [TOP, REF_COMMANDS.wait]) {
    assert.match(
      helpText(spec),
      /\n {2}4 +the endpoint \(or service\) failed: REJECTED, FAILED, being deleted, or an error message\n/,
    );
  }
  assert.match(helpText(REF_COMMANDS.wait), /REJECTED or FAILED, being deleted/);
});

Deno.test("helpText() says exit code 6 covers service accounts and the access list, not only API keys", () => {
  assert.match(
    helpText(TOP),
    /\n {2}6 +authentication or network: missing or wrong credentials, IP not on the access list, Atlas unreachable\n/,
  );
});

Deno.test("helpText() says a port-mapped GCP endpoint is named by its forwarding rule", () => {
  for (const spec of Object.values(REF_COMMANDS)) {
    assert.match(
      helpText(spec),
      /GCP: the endpoint group name \(port-mapped: the forwarding rule's\)/,
    );
  }
});

Deno.test("helpText() keeps every flag on one line and starts every usage line with the program", () => {
  for (const spec of [...LEVELS, ...Object.values(SERVICE_COMMANDS), SIMULATE]) {
    for (const flag of spec.flags) {
      assert.ok(!flag.help.includes("\n"), `${spec.name} --${flag.name}`);
    }
    const usage = helpText(spec).split("\nUsage:\n")[1]!.split("\n\n")[0]!;
    for (const line of usage.split("\n")) {
      assert.match(line, /^(?: {2}atlas-private-endpoint \S| {6}\S)/, `${spec.name}: ${line}`);
    }
  }
});

Deno.test("helpText() of simulate lists only the exit codes it can end with", () => {
  const codes = helpText(SIMULATE).split("\nExit codes:\n")[1]!.trimEnd().split("\n")
    .map((line) => Number(line.trim().split(/\s+/)[0]));
  assert.deepEqual(codes, [1, 2, 130]);
});
