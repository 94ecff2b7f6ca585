import assert from "node:assert/strict";
import { parseCommand } from "../../src/cli/_command.ts";
import { helpText } from "../../src/cli/_help.ts";
import { SERVICE_COMMANDS, SERVICE_GROUP } from "../../src/cli/_service_specs.ts";
import { CliUsageError } from "../../src/cli/_usage_error.ts";

const G = "5f4b0c1d2e3f4a5b6c7d8e9f";
const S = "6a1b2c3d4e5f6a7b8c9d0e1f";
const noEnv = (): undefined => undefined;
const parse = (line: string, env: (name: string) => string | undefined = noEnv) =>
  parseCommand(line.split(" ").filter(Boolean), env);
const NO_OPTIONS = { json: false, timeoutMs: undefined, pollIntervalMs: undefined };

function usage(line: string, message: RegExp, command: string): void {
  assert.throws(
    () => parse(line),
    (e: unknown) => e instanceof CliUsageError && message.test(e.message) && e.command === command,
    line,
  );
}

Deno.test("parseCommand() builds service create and ensure inputs, provider options included", () => {
  assert.deepEqual(parse(`service create aws --region us-east-1 --group ${G} --wait`), {
    kind: "service create",
    input: { groupId: G, cloudProvider: "AWS", region: "us-east-1" },
    wait: true,
    ...NO_OPTIONS,
    apiVersion: undefined,
  });
  const gcp = parse(
    `service ensure GCP --region CENTRAL_US --port-mapping --timeout 20m`,
    (name) => name === "MONGODB_ATLAS_PROJECT_ID" ? G : undefined,
  );
  assert.deepEqual(gcp.kind === "service ensure" && gcp.input, {
    groupId: G,
    cloudProvider: "GCP",
    region: "CENTRAL_US",
    portMappingEnabled: true,
  });
  assert.equal(gcp.kind === "service ensure" && gcp.wait, true, "ensure always waits");
  assert.equal(gcp.kind === "service ensure" && gcp.timeoutMs, 20 * 60_000);
  const aws = parse(
    `service create aws --region US_EAST_1 --group ${G} --remote-region us-west-2,eu-west-1`,
  );
  assert.deepEqual(aws.kind === "service create" && aws.input.supportedRemoteRegions, [
    "us-west-2",
    "eu-west-1",
  ]);
});

Deno.test("parseCommand() takes a service id after the provider or as --service, Atlas CLI aliases too", () => {
  const expected = { groupId: G, cloudProvider: "AZURE", endpointServiceId: S };
  for (
    const line of [
      `service get azure ${S} --group ${G}`,
      `service describe azure --service ${S} --group ${G}`,
      `service get --provider azure ${S} --project-id ${G}`,
    ]
  ) {
    const command = parse(line);
    assert.equal(command.kind, "service get", line);
    assert.deepEqual(command.kind === "service get" && command.ref, expected, line);
  }
  assert.equal(parse(`service watch gcp ${S} --group ${G}`).kind, "service wait");
  const deleted = parse(`service delete aws ${S} --group ${G} --wait --json`);
  assert.equal(deleted.kind === "service delete" && deleted.wait && deleted.json, true);
  assert.deepEqual(parse(`service list gcp --group ${G}`), {
    kind: "service list",
    groupId: G,
    cloudProvider: "GCP",
    ...NO_OPTIONS,
    apiVersion: undefined,
  });
  assert.equal(parse(`service endpoints aws ${S} --group ${G}`).kind, "service endpoints");
});

Deno.test("parseCommand() refuses service lines that cannot work, naming the fix", () => {
  usage("service", /^service needs a command: service <create\|ensure\|get/, "service");
  usage(
    "service craete aws",
    /^Unknown service command "craete" \(did you mean create\?\)$/,
    "service",
  );
  usage(
    `service create --group ${G} --region us-east-1`,
    /^service create needs a cloud provider/,
    "service create",
  );
  usage(
    `service create aws --group ${G}`,
    /^service create needs --region <region>$/,
    "service create",
  );
  usage(
    `service create aws --group ${G} --region us-east-1 --port-mapping`,
    /^--port-mapping is for gcp only, not aws$/,
    "service create",
  );
  usage(
    `service ensure azure --group ${G} --region eastus2 --remote-region westus`,
    /^--remote-region is for aws only, not azure$/,
    "service ensure",
  );
  usage(
    `service get aws --group ${G}`,
    /^service get needs --service <service-id>$/,
    "service get",
  );
  usage(
    `service get aws ${S} --service ${S} --group ${G}`,
    /^Give the service id once/,
    "service get",
  );
  usage(`service list aws extra --group ${G}`, /^Unexpected argument "extra"/, "service list");
  usage(
    `service get awz ${S} --group ${G}`,
    /^Unknown cloud provider "awz".*did you mean aws/,
    "service get",
  );
});

Deno.test("helpText() of the service commands shows every flag and a valid example", () => {
  for (const spec of [SERVICE_GROUP, ...Object.values(SERVICE_COMMANDS)]) {
    const text = helpText(spec);
    assert.match(text, /\nUsage:\n {2}atlas-private-endpoint service /, spec.name);
    for (const flag of spec.flags) assert.ok(text.includes(`--${flag.name}`), spec.name);
    for (const [example] of spec.examples) {
      const argv = example.replace(/\\\n\s*/g, " ").split(/\s+/).filter(Boolean);
      assert.ok(parseCommand(argv, noEnv).kind.startsWith("service "), example);
    }
  }
  assert.equal(parse("service --help").kind, "help");
  assert.deepEqual(parse("help service watch"), { kind: "help", spec: SERVICE_COMMANDS.wait });
  assert.deepEqual(parse("service create --help"), { kind: "help", spec: SERVICE_COMMANDS.create });
  for (const verb of Object.keys(SERVICE_COMMANDS)) {
    assert.match(helpText(SERVICE_GROUP), new RegExp(`\\n {2}service ${verb} <provider> +\\S`));
  }
});
