import assert from "node:assert/strict";
import { parseCommand } from "../../src/cli/_command.ts";
import { CREATE, CREATE_GROUP, REF_COMMANDS, TOP } from "../../src/cli/_specs.ts";
import { CliUsageError } from "../../src/cli/_usage_error.ts";

const G = "5f4b0c1d2e3f4a5b6c7d8e9f";
const S = "6a1b2c3d4e5f6a7b8c9d0e1f";
const noEnv = (): undefined => undefined;
const parse = (line: string, env: (name: string) => string | undefined = noEnv) =>
  parseCommand(line.split(" ").filter(Boolean), env);
const usage = (line: string, message: string | RegExp, command?: string) =>
  assert.throws(
    () => parse(line),
    (e: unknown) =>
      e instanceof CliUsageError &&
      (typeof message === "string" ? e.message === message : message.test(e.message)) &&
      e.command === command,
    line,
  );

Deno.test("parseCommand() builds the AWS create input", () => {
  assert.deepEqual(parse(`create aws --group ${G} --service ${S} --id vpce-0123 --wait`), {
    kind: "create",
    input: { groupId: G, endpointServiceId: S, cloudProvider: "AWS", id: "vpce-0123" },
    wait: true,
    json: false,
    timeoutMs: undefined,
    pollIntervalMs: undefined,
    apiVersion: undefined,
  });
});

Deno.test("parseCommand() builds the Azure input from --ip or --private-endpoint-ip-address", () => {
  const id = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe";
  for (const ipFlag of ["--ip", "--private-endpoint-ip-address", "--privateEndpointIpAddress"]) {
    const command = parse(`create AZURE --group ${G} --service ${S} --id ${id} ${ipFlag} 10.0.0.4`);
    assert.equal(command.kind, "create");
    assert.deepEqual(command.kind === "create" && command.input, {
      groupId: G,
      endpointServiceId: S,
      cloudProvider: "AZURE",
      id,
      privateEndpointIPAddress: "10.0.0.4",
    });
  }
});

Deno.test("parseCommand() builds the GCP input with repeated name@ip endpoints", () => {
  const command = parse(
    `create gcp --group ${G} --service ${S} --endpoint-group-name grp --gcp-project-id my-proj ` +
      "--endpoint a@10.0.0.1 --endpoint b@10.0.0.2,c@10.0.0.3 --json --timeout 90s --poll-interval 250ms",
  );
  assert.deepEqual(command, {
    kind: "create",
    input: {
      groupId: G,
      endpointServiceId: S,
      cloudProvider: "GCP",
      endpointGroupName: "grp",
      gcpProjectId: "my-proj",
      endpoints: [
        { endpointName: "a", ipAddress: "10.0.0.1" },
        { endpointName: "b", ipAddress: "10.0.0.2" },
        { endpointName: "c", ipAddress: "10.0.0.3" },
      ],
    },
    wait: false,
    json: true,
    timeoutMs: 90_000,
    pollIntervalMs: 250,
    apiVersion: undefined,
  });
  const without = parse(
    `create gcp --group ${G} --service ${S} --endpoint-group-name grp --gcp-project-id p`,
  );
  assert.ok(without.kind === "create" && !("endpoints" in without.input));
});

Deno.test("parseCommand() create gcp --port-mapping marks the input and names the group after the one rule", () => {
  const base = `create gcp --group ${G} --service ${S} --gcp-project-id p --port-mapping`;
  const command = parse(`${base} --endpoint rule-1@10.0.0.9`);
  assert.ok(command.kind === "create" && command.input.cloudProvider === "GCP");
  assert.deepEqual(
    [command.input.endpointGroupName, command.input.portMappingEnabled, command.input.endpoints],
    ["rule-1", true, [{ endpointName: "rule-1", ipAddress: "10.0.0.9" }]],
  );
  const named = parse(`${base} --endpoint rule-1@10.0.0.9 --endpoint-group-name grp`);
  assert.ok(named.kind === "create" && named.input.cloudProvider === "GCP");
  assert.equal(named.input.endpointGroupName, "grp", "a name given is sent as given");
  // No rule: nothing to name the group after.
  assert.throws(() => parse(base), /create gcp needs --endpoint-group-name/);
  const plain = parse(
    `create gcp --group ${G} --service ${S} --gcp-project-id p ` +
      "--endpoint-group-name grp --endpoint a@10.0.0.1",
  );
  assert.ok(plain.kind === "create" && !("portMappingEnabled" in plain.input));
});

Deno.test("parseCommand() reads get, wait and delete with a positional provider or --provider", () => {
  const ref = { groupId: G, endpointServiceId: S, cloudProvider: "AWS", endpointId: "vpce-1" };
  const expected = {
    kind: "wait",
    ref,
    refs: [ref],
    json: false,
    timeoutMs: 1_800_000,
    pollIntervalMs: undefined,
    apiVersion: undefined,
  };
  assert.deepEqual(
    parse(`wait aws --group ${G} --service ${S} --endpoint vpce-1 --timeout 30m`),
    expected,
  );
  assert.deepEqual(
    parse(`wait --provider AWS --group ${G} --service ${S} --id vpce-1 --timeout 1800`),
    expected,
  );
  // wait takes several endpoints (repeated, or comma-separated), each once.
  const many = parse(
    `wait aws --group ${G} --service ${S} --endpoint vpce-1 --endpoint vpce-2,vpce-1`,
  );
  assert.deepEqual(
    many.kind === "wait" && many.refs?.map((r) => r.endpointId),
    ["vpce-1", "vpce-2"],
  );
  assert.equal(parse(`delete gcp --group ${G} --service ${S} --endpoint grp`).kind, "delete");
  assert.equal(parse(`get azure --group ${G} --service ${S} --endpoint x --json`).kind, "get");
  const v2 = parse(`get aws --group ${G} --service ${S} --endpoint x --api-version 2023-01-01`);
  assert.equal(v2.kind === "get" && v2.apiVersion, "2023-01-01");
});

Deno.test("parseCommand() takes --group from MONGODB_ATLAS_PROJECT_ID when not given", () => {
  const env = (name: string): string | undefined =>
    name === "MONGODB_ATLAS_PROJECT_ID" ? "from-env" : undefined;
  const command = parse(`get aws --service ${S} --endpoint vpce-1`, env);
  assert.equal(command.kind === "get" && command.ref.groupId, "from-env");
  const flagged = parse(`get aws --group ${G} --service ${S} --endpoint vpce-1`, env);
  assert.equal(flagged.kind === "get" && flagged.ref.groupId, G);
});

Deno.test("parseCommand() returns help on every level and the version", () => {
  assert.deepEqual(parse(""), { kind: "help", spec: TOP });
  assert.deepEqual(parse("--help"), { kind: "help", spec: TOP });
  assert.deepEqual(parse("-h"), { kind: "help", spec: TOP });
  assert.deepEqual(parse("--version"), { kind: "version" });
  assert.deepEqual(parse("-V"), { kind: "version" });
  assert.deepEqual(parse("create --help"), { kind: "help", spec: CREATE_GROUP });
  assert.deepEqual(parse("create gcp --help"), { kind: "help", spec: CREATE.gcp });
  assert.deepEqual(parse("create azure -h --id x"), { kind: "help", spec: CREATE.azure });
  assert.deepEqual(parse("get --help"), { kind: "help", spec: REF_COMMANDS.get });
  assert.deepEqual(parse("delete aws -h"), { kind: "help", spec: REF_COMMANDS.delete });
  assert.deepEqual(parse("help create aws"), { kind: "help", spec: CREATE.aws });
  assert.deepEqual(parse("help wait"), { kind: "help", spec: REF_COMMANDS.wait });
});

Deno.test("parseCommand() reports usage errors naming the command to get help for", () => {
  usage("crate aws", 'Unknown command "crate" (did you mean create?)');
  usage("create", "create needs a cloud provider: create <aws|azure|gcp>", "create");
  usage("create oracle --id x", 'Unknown cloud provider "oracle": use aws, azure or gcp', "create");
  usage(
    "create asw",
    'Unknown cloud provider "asw": use aws, azure or gcp (did you mean aws?)',
    "create",
  );
  usage(
    `create aws --group ${G} --id vpce-1`,
    "create aws needs --service <service-id>",
    "create aws",
  );
  usage(
    `create aws --service ${S} --id vpce-1`,
    "create aws needs --group <project-id>",
    "create aws",
  );
  usage(`create aws --group ${G} --service ${S}`, "create aws needs --id <vpce-id>", "create aws");
  usage(
    `create azure --group ${G} --service ${S} --id x`,
    "create azure needs --ip <address>",
    "create azure",
  );
  usage(
    `create gcp --group ${G} --service ${S} --endpoint-group-name g --gcp-project-id p --endpoint nope`,
    /^--endpoint must be name@ip/,
    "create gcp",
  );
  usage(
    `create aws --group ${G} --service ${S} --id v --ip 1.2.3.4`,
    "--ip belongs to create azure, not create aws",
    "create aws",
  );
  usage(
    `create gcp --group ${G} --service ${S} --private-endpoint-ip-address 1.2.3.4`,
    "--ip belongs to create azure, not create gcp",
    "create gcp",
  );
  usage(
    `create azure --group ${G} --service ${S} --id x --ip 1.2.3.4 --gcp-project-id p`,
    "--gcp-project-id belongs to create gcp, not create azure",
    "create azure",
  );
  usage(
    `create aws --group ${G} --service ${S} --id v --ipp 1.2.3.4`,
    "Unknown flag --ipp",
    "create aws",
  );
  // Without a provider, a flag's value (here the group id) is not taken for one.
  usage(
    `create --group ${G} --id vpce-0123456789abcdef0`,
    "create needs a cloud provider: create <aws|azure|gcp>",
    "create",
  );
  usage(
    `create --group ${G} --service ${S} --wait amazon`,
    'Unknown cloud provider "amazon": use aws, azure or gcp',
    "create",
  );
  usage(
    `create aws --group ${G} --service ${S} --id v extra`,
    'Unexpected argument "extra" for create aws',
    "create aws",
  );
  usage(
    `get --group ${G} --service ${S} --endpoint v`,
    "get needs a cloud provider: get <aws|azure|gcp> (or --provider)",
    "get",
  );
  usage(
    `get aws --provider aws --group ${G}`,
    "Give the cloud provider once: either as an argument or as --provider",
    "get",
  );
  usage(
    `wait aws --group ${G} --service ${S} --endpoint v --timeout soon`,
    /^--timeout must be a duration such as 90s, .* \(got "soon"\)$/,
    "wait",
  );
  usage(
    `get aws --group ${G} --service ${S} --endpoint v --api-version 2024-01-01`,
    '--api-version must be v1.0 or 2023-01-01 (v2) (got "2024-01-01")',
    "get",
  );
  usage(
    `delete aws --group ${G} --service ${S}`,
    "delete needs --endpoint <endpoint-id>",
    "delete",
  );
  usage(
    "--version --private-key=abc",
    /^--private-key is not accepted: API keys are read only from the environment/,
  );
});
