import assert from "node:assert/strict";
import {
  booleanFlag,
  type FlagSpec,
  isSecretFlag,
  parseArgs,
  suggest,
} from "../../src/cli/_args.ts";
import { CliUsageError } from "../../src/cli/_usage_error.ts";

const specs: FlagSpec[] = [
  { name: "group", aliases: ["project-id"], kind: "string", help: "" },
  { name: "gcp-project-id", kind: "string", help: "" },
  { name: "endpoint", kind: "list", help: "" },
  { name: "wait", kind: "boolean", help: "" },
  { name: "help", short: "h", kind: "boolean", help: "" },
];

Deno.test("parseArgs() reads --flag value, --flag=value, booleans and positionals", () => {
  const { flags, positionals } = parseArgs(
    ["aws", "--group", "abc", "--gcp-project-id=p-1", "--wait", "extra"],
    specs,
  );
  assert.equal(flags.get("group"), "abc");
  assert.equal(flags.get("gcp-project-id"), "p-1");
  assert.equal(flags.get("wait"), true);
  assert.deepEqual(positionals, ["aws", "extra"]);
});

Deno.test("parseArgs() maps aliases and camelCase spellings to the canonical name", () => {
  const { flags } = parseArgs(["--projectId", "g1", "--gcpProjectId", "p"], specs);
  assert.equal(flags.get("group"), "g1");
  assert.equal(flags.get("gcp-project-id"), "p");
});

Deno.test("parseArgs() collects repeated and comma-separated list flags", () => {
  const { flags } = parseArgs(["--endpoint", "a@1.1.1.1,b@2.2.2.2", "--endpoint=c@3.3.3.3"], specs);
  assert.deepEqual(flags.get("endpoint"), ["a@1.1.1.1", "b@2.2.2.2", "c@3.3.3.3"]);
});

Deno.test("parseArgs() keeps everything after -- as positionals and reads -h", () => {
  const { flags, positionals } = parseArgs(["-h", "--", "--wait"], specs);
  assert.equal(flags.get("help"), true);
  assert.deepEqual(positionals, ["--wait"]);
});

Deno.test("parseArgs() rejects unknown flags with a suggestion", () => {
  assert.throws(
    () => parseArgs(["--grop", "x"], specs, "get"),
    (e: unknown) =>
      e instanceof CliUsageError && e.message === "Unknown flag --grop (did you mean --group?)" &&
      e.command === "get",
  );
  assert.throws(() => parseArgs(["--zzzzzz"], specs), { message: "Unknown flag --zzzzzz" });
});

Deno.test("parseArgs() rejects a missing value, a repeated single flag and a valued boolean", () => {
  assert.throws(() => parseArgs(["--group"], specs), { message: "--group needs a value" });
  assert.throws(() => parseArgs(["--group", "--wait"], specs), {
    message: "--group needs a value",
  });
  assert.throws(() => parseArgs(["--group", "a", "--group", "b"], specs), {
    message: "--group is given more than once",
  });
  assert.throws(() => parseArgs(["--wait=yes"], specs), { message: "--wait takes no value" });
  assert.equal(parseArgs(["--wait=false"], specs).flags.has("wait"), false);
});

Deno.test("parseArgs() refuses key-like flags without echoing their value", () => {
  for (
    const arg of [
      "--private-key=s3cr3t-value",
      "--privateKey=s3cr3t-value",
      "--private-api-key=s3cr3t-value",
      "--public-key=s3cr3t-value",
      "--api-key=s3cr3t-value",
      "--password=s3cr3t-value",
      "--token=s3cr3t-value",
      "--client-secret=s3cr3t-value",
    ]
  ) {
    assert.throws(
      () => parseArgs([arg], specs),
      (e: unknown) =>
        e instanceof CliUsageError && !e.message.includes("s3cr3t") &&
        e.message.includes("read only from the environment") &&
        e.message.includes("MONGODB_ATLAS_PRIVATE_API_KEY"),
      arg,
    );
  }
});

Deno.test("isSecretFlag() does not flag endpoint fields that contain 'private'", () => {
  assert.equal(isSecretFlag("private-endpoint-id"), false);
  assert.equal(isSecretFlag("privateEndpointIpAddress"), false);
  assert.equal(isSecretFlag("gcp-project-id"), false);
  assert.equal(isSecretFlag("privateKey"), true);
});

Deno.test("suggest() proposes close words only", () => {
  assert.equal(suggest("creat", ["create", "get", "wait", "delete"]), "create");
  assert.equal(suggest("wiat", ["create", "get", "wait", "delete"]), "wait");
  assert.equal(suggest("banana", ["create", "get", "wait", "delete"]), undefined);
});

Deno.test("booleanFlag() reads a boolean flag as parseArgs() does", () => {
  const withJson: FlagSpec[] = [
    { name: "json", kind: "boolean", help: "" },
    { name: "id", kind: "string", help: "" },
  ];
  for (
    const argv of [
      ["--json"],
      ["--json=true"],
      ["--json=false"],
      ["--json", "--json=false"],
      ["--json=false", "--json"],
      ["--id", "x", "--json"],
      ["--", "--json"],
      [],
    ]
  ) {
    const parsed = parseArgs(argv, withJson).flags.get("json") === true;
    assert.equal(booleanFlag(argv, "json"), parsed, argv.join(" "));
  }
});
