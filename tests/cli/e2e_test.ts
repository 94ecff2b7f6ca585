// The CLI as a real process (`deno run -A src/cli.ts`) against the Atlas simulator served on
// loopback HTTP with strict Digest: what a user sees on stdout and stderr, and the exit codes.
import assert from "node:assert/strict";
import { DEFAULT_SIMULATOR_API_KEY, serve } from "../../src/testing/mod.ts";
import { runCliProcess } from "./_spawn.ts";
import { assertNoSecret, serviceFlags, withSimulator } from "./_simulated.ts";

const AZURE_ID = "/subscriptions/3f2c9a4e-8d1b-4c6f-9e2a-7b5d1c0e4f3a/resourceGroups/rg" +
  "/providers/Microsoft.Network/privateEndpoints/pe-test";
const FAST = ["--poll-interval", "20ms"];

Deno.test("cli create aws --wait --json: JSON on stdout, status lines on stderr, exit 0", async () => {
  await withSimulator({}, async ({ project, cli }) => {
    const run = await cli([
      "create",
      "aws",
      ...serviceFlags(project, "AWS"),
      "--id",
      "vpce-0123456789abcdef0",
      "--wait",
      "--json",
      ...FAST,
    ]);
    assertNoSecret(run);
    assert.equal(run.code, 0, run.stderr);
    const endpoint = JSON.parse(run.stdout);
    assert.equal(endpoint.outcome, "created");
    assert.equal(endpoint.cloudProvider, "AWS");
    assert.equal(endpoint.interfaceEndpointId, "vpce-0123456789abcdef0");
    assert.equal(endpoint.connectionStatus, "AVAILABLE");
    const lines = run.stderr.trimEnd().split("\n");
    assert.match(
      lines[0]!,
      /^Creating AWS private endpoint vpce-0123456789abcdef0 on endpoint service/,
    );
    // Not a terminal: no escape codes, one line per status, in life-cycle order.
    assert.ok(!run.stderr.includes("\x1b"), "no escape codes");
    const statuses = lines.slice(1).map((line) => line.trim().split(/\s+/).pop()!);
    const order = ["PENDING_ACCEPTANCE", "PENDING", "AVAILABLE"];
    assert.equal(statuses[0], "PENDING_ACCEPTANCE", run.stderr);
    assert.equal(statuses.at(-1), "AVAILABLE", run.stderr);
    const positions = statuses.map((status) => order.indexOf(status));
    assert.ok(positions.every((p, i) => p > (positions[i - 1] ?? -1)), run.stderr);
  });
});

Deno.test("cli create, get, wait and delete an Azure endpoint by its raw resource id", async () => {
  await withSimulator({}, async ({ simulator, project, cli }) => {
    const flags = serviceFlags(project, "AZURE");
    const created = await cli([
      "create",
      "azure",
      ...flags,
      "--id",
      AZURE_ID,
      "--private-endpoint-ip-address",
      "10.0.0.4",
      "--json",
    ]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stderr, "");
    const body = JSON.parse(created.stdout);
    assert.equal(body.privateEndpointResourceId, AZURE_ID);
    assert.equal(body.status, "INITIATING");
    assert.equal(body.outcome, "created");

    const got = await cli(["get", "azure", ...flags, "--endpoint", AZURE_ID, "--json"]);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(JSON.parse(got.stdout).privateEndpointIPAddress, "10.0.0.4");
    assert.equal(JSON.parse(got.stdout).outcome, undefined, "only create says what it did");

    const waited = await cli([
      "wait",
      "--provider",
      "azure",
      ...flags,
      "--endpoint",
      AZURE_ID,
      ...FAST,
    ]);
    assert.equal(waited.code, 0, waited.stderr);
    assert.match(waited.stdout, /^Azure private endpoint pe-test is AVAILABLE after \d+s\n/);
    assert.match(waited.stdout, /^ {2}IP address +10\.0\.0\.4$/m);
    assert.match(waited.stderr, /^Waiting for Azure private endpoint pe-test, up to 1h\n/);
    assert.match(waited.stderr, /AVAILABLE\n$/);

    const deleted = await cli(["delete", "azure", ...flags, "--endpoint", AZURE_ID, "--json"]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(JSON.parse(deleted.stdout), {
      deleted: true,
      groupId: project.groupId,
      endpointServiceId: project.AZURE,
      cloudProvider: "AZURE",
      endpointId: AZURE_ID,
    });
    const after = simulator.getEndpoint({
      groupId: project.groupId,
      endpointServiceId: project.AZURE,
      cloudProvider: "AZURE",
      endpointId: AZURE_ID,
    });
    assert.ok(after === undefined || after.deleteRequested, "the simulator saw the DELETE");
    for (const run of [created, got, waited, deleted]) assertNoSecret(run);
  });
});

Deno.test("cli create gcp --wait prints each status and a result block (human output)", async () => {
  // VERIFIED for 0.6 s, so that a read lands in it even under load (polls back off from 20 ms).
  const phases = {
    GCP: [{ status: "INITIATING", durationMs: 2_500 }, { status: "VERIFIED", durationMs: 20_000 }],
  };
  await withSimulator({ timeScale: 0.03, phases }, async ({ project, cli }) => {
    const run = await cli([
      "create",
      "gcp",
      ...serviceFlags(project, "GCP"),
      "--endpoint-group-name",
      "atlas-psc",
      "--gcp-project-id",
      "my-project",
      "--endpoint",
      "atlas-psc-0@10.128.0.10",
      "--wait",
      ...FAST,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^ {2}\d+s +INITIATING$/m);
    assert.match(run.stderr, /^ {2}\d+s +VERIFIED$/m);
    assert.match(run.stderr, /^ {2}\d+s +AVAILABLE$/m);
    assert.match(run.stdout, /^GCP endpoint group atlas-psc is AVAILABLE after \d+s\n/);
    assert.match(run.stdout, /^ {2}Endpoints +atlas-psc-0 {2}10\.128\.0\.10 {2}AVAILABLE$/m);
    assertNoSecret(run);
  });
});

Deno.test("cli exits 4 when the endpoint ends REJECTED, with Atlas's errorMessage", async () => {
  const reason = "Interface endpoint vpce-0badc0ffee0000bad was not found";
  await withSimulator(
    { failEndpoints: { "vpce-0badc0ffee0000bad": reason } },
    async ({ project, cli }) => {
      const args = [
        "create",
        "aws",
        ...serviceFlags(project, "AWS"),
        "--id",
        "vpce-0badc0ffee0000bad",
      ];
      const human = await cli([...args, "--wait", ...FAST]);
      assert.equal(human.code, 4, human.stderr);
      assert.equal(human.stdout, "");
      const errors = human.stderr.split("\n").filter((line) => line.startsWith("Error:"));
      assert.deepEqual(errors, [
        `Error: AWS private endpoint vpce-0badc0ffee0000bad is REJECTED after ${
          /after (\d+s)/.exec(errors[0] ?? "")?.[1]
        }: ${reason} (delete it and create it again)`,
      ]);
      const json = await cli([
        "wait",
        "aws",
        ...serviceFlags(project, "AWS"),
        "--endpoint",
        "vpce-0badc0ffee0000bad",
        "--json",
        ...FAST,
      ]);
      assert.equal(json.code, 4);
      const out = JSON.parse(json.stdout);
      assert.equal(out.error.kind, "endpoint-failed");
      assert.equal(out.error.status, "REJECTED");
      assert.equal(out.error.errorMessage, reason);
      assert.equal(out.endpoint.connectionStatus, "REJECTED");
      assertNoSecret(human);
      assertNoSecret(json);
    },
  );
});

Deno.test("cli exits 3 on an Atlas API error such as an unknown project", async () => {
  await withSimulator({}, async ({ project, cli }) => {
    const run = await cli([
      "get",
      "aws",
      "--group",
      "0123456789abcdef01234567",
      "--service",
      project.AWS,
      "--endpoint",
      "vpce-0123456789abcdef0",
      "--json",
    ]);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /^Error: Cannot get private endpoint: 404 GROUP_NOT_FOUND: /);
    assert.equal(run.stderr.trimEnd().split("\n").length, 1);
    const out = JSON.parse(run.stdout);
    assert.equal(out.error.kind, "api");
    assert.equal(out.error.status, 404);
    assert.equal(typeof out.error.errorCode, "string");
    assertNoSecret(run);
  });
});

Deno.test("cli exits 2 on bad usage and sends nothing", async () => {
  await withSimulator({}, async ({ simulator, project, cli }) => {
    const missing = await cli(["create", "aws", ...serviceFlags(project, "AWS")]);
    assert.equal(missing.code, 2);
    assert.equal(
      missing.stderr,
      "Error: create aws needs --id <vpce-id>. Run 'atlas-private-endpoint create aws --help' for usage\n",
    );
    const invalid = await cli([
      "create",
      "aws",
      "--group",
      "nothex",
      "--service",
      project.AWS,
      "--id",
      "vpce-1",
    ]);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /^Error: .*groupId.*\(check --group\)/);
    const secret = await cli(["get", "aws", "--private-key", "hunter2-secret"]);
    assert.equal(secret.code, 2);
    assert.doesNotMatch(secret.stderr, /hunter2/);
    assert.equal(simulator.requestLog.length, 0);
  });
});

Deno.test("cli exits 5 when --timeout elapses, saying how to keep waiting", async () => {
  await withSimulator({ timeScale: 1 }, async ({ project, cli }) => {
    const run = await cli([
      "create",
      "aws",
      ...serviceFlags(project, "AWS"),
      "--id",
      "vpce-0123456789abcdef0",
      "--wait",
      "--timeout",
      "700ms",
      ...FAST,
    ]);
    assert.equal(run.code, 5, run.stderr);
    const last = run.stderr.trimEnd().split("\n").at(-1)!;
    assert.match(
      last,
      /^Error: Timed out after 0s waiting for AWS private endpoint vpce-0123456789abcdef0 \(last status PENDING_ACCEPTANCE\); to keep waiting, run: atlas-private-endpoint wait aws --group [0-9a-f]{24} --service [0-9a-f]{24} --endpoint vpce-0123456789abcdef0$/,
    );
  });
});

Deno.test("cli create exits 5 when --timeout elapses before Atlas answers, saying how to check", async () => {
  // A server that never answers until the test lets it go, so the create's outcome is unknown.
  const held: (() => void)[] = [];
  const server = await serve(() =>
    new Promise<Response>((resolve) =>
      held.push(() => resolve(new Response(null, { status: 503 })))
    )
  );
  try {
    const group = "5f4b0c1d2e3f4a5b6c7d8e9f";
    const service = "6a1b2c3d4e5f6a7b8c9d0e1f";
    const run = await runCliProcess(
      ["create", "aws", "--group", group, "--service", service, "--id", "vpce-0123456789abcdef0"]
        .concat(["--timeout", "300ms"]),
      {
        MONGODB_ATLAS_PUBLIC_API_KEY: DEFAULT_SIMULATOR_API_KEY.publicKey,
        MONGODB_ATLAS_PRIVATE_API_KEY: DEFAULT_SIMULATOR_API_KEY.privateKey,
        MONGODB_ATLAS_BASE_URL: `${server.url}/api/atlas/v1.0`,
      },
    );
    assert.ok(held.length > 0, "the create request reached the server");
    assert.equal(run.code, 5, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      "Error: Timed out after 0s creating AWS private endpoint vpce-0123456789abcdef0; Atlas may " +
        "or may not have created it: check with: atlas-private-endpoint get aws --group " +
        `${group} --service ${service} --endpoint vpce-0123456789abcdef0\n`,
    );
  } finally {
    held.forEach((release) => release());
    await server.close();
  }
});

Deno.test("cli exits 6 on wrong API keys without printing the key", async () => {
  await withSimulator({}, async ({ project, env }) => {
    const wrong = "wrong-private-key-1234";
    const run = await runCliProcess(
      ["get", "aws", ...serviceFlags(project, "AWS"), "--endpoint", "vpce-0123456789abcdef0"],
      { ...env, MONGODB_ATLAS_PRIVATE_API_KEY: wrong },
    );
    assert.equal(run.code, 6, run.stderr);
    assert.match(run.stderr, /^Error: .*401/);
    assert.ok(!run.stderr.includes(wrong) && !run.stdout.includes(wrong));
    // A port nothing listens on: open one, then close it.
    const closed = await serve(() => new Response());
    await closed.close();
    const unreachable = await runCliProcess(
      ["get", "aws", ...serviceFlags(project, "AWS"), "--endpoint", "vpce-0123456789abcdef0"],
      { ...env, MONGODB_ATLAS_BASE_URL: `${closed.url}/api/atlas/v1.0` },
    );
    assert.equal(unreachable.code, 6, unreachable.stderr);
    assert.ok(
      unreachable.stderr.startsWith(`Error: Cannot reach Atlas at ${closed.url}/api/atlas/v1.0: `),
      unreachable.stderr,
    );
  });
});

Deno.test("cli exits 130 on Ctrl-C (SIGINT) with one line and no stack", async () => {
  await withSimulator({ timeScale: 1 }, async ({ project, cli }) => {
    let sent = false;
    const run = await cli(
      [
        "create",
        "aws",
        ...serviceFlags(project, "AWS"),
        "--id",
        "vpce-0123456789abcdef0",
        "--wait",
      ],
      (soFar, interrupt) => {
        if (!sent && soFar.includes("PENDING_ACCEPTANCE")) {
          sent = true;
          interrupt();
        }
      },
    );
    assert.ok(sent);
    assert.equal(run.code, 130, run.stderr);
    const errors = run.stderr.split("\n").filter((line) => line.startsWith("Error:"));
    assert.equal(errors.length, 1);
    assert.match(
      errors[0]!,
      /^Error: Interrupted after 0s \(last status PENDING_ACCEPTANCE\); the endpoint exists/,
    );
    assertNoSecret(run);
  });
});

Deno.test("cli delete --wait reads the endpoint until it is gone, then exits 0", async () => {
  // DELETING for 0.5 s (50 s at timeScale 0.01), so that the first read sees it even under load.
  await withSimulator({ deleteDurationMs: 50_000 }, async ({ simulator, project, cli }) => {
    const flags = serviceFlags(project, "AWS");
    const id = "vpce-0123456789abcdef0";
    const created = await cli(["create", "aws", ...flags, "--id", id, "--wait", ...FAST]);
    assert.equal(created.code, 0, created.stderr);
    const deleted = await cli(["delete", "aws", ...flags, "--endpoint", id, "--wait", ...FAST]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(
      deleted.stdout,
      /^AWS private endpoint vpce-0123456789abcdef0 is deleted after \d+s\n$/,
    );
    assert.match(deleted.stderr, /^Deleting AWS private endpoint vpce-0123456789abcdef0 from /);
    assert.match(deleted.stderr, /^ {2}\d+s +DELETING\n {2}\d+s +DELETED\n$/m);
    const ref = {
      groupId: project.groupId,
      endpointServiceId: project.AWS,
      cloudProvider: "AWS" as const,
      endpointId: id,
    };
    assert.equal(simulator.getEndpoint(ref), undefined, "gone when the CLI says so");
    assertNoSecret(deleted);
  });
});

Deno.test("cli delete --wait exits 5 when --timeout elapses while DELETING", async () => {
  await withSimulator({ timeScale: 1 }, async ({ project, cli }) => {
    const flags = serviceFlags(project, "AWS");
    const id = "vpce-0123456789abcdef0";
    assert.equal((await cli(["create", "aws", ...flags, "--id", id])).code, 0);
    const run = await cli([
      "delete",
      "aws",
      ...flags,
      "--endpoint",
      id,
      "--wait",
      "--timeout",
      "700ms",
      "--json",
      ...FAST,
    ]);
    assert.equal(run.code, 5, run.stderr);
    assert.equal(JSON.parse(run.stdout).error.lastStatus, "DELETING");
    assert.match(
      run.stderr.trimEnd().split("\n").at(-1)!,
      /to be deleted \(last status DELETING\); to keep waiting, run: atlas-private-endpoint delete aws .* --wait$/,
    );
  });
});

Deno.test("cli create again says the endpoint already existed; other fields exit 3 naming the flag", async () => {
  await withSimulator({}, async ({ simulator, project, cli }) => {
    const args = ["create", "azure", ...serviceFlags(project, "AZURE"), "--id", AZURE_ID];
    const first = await cli([...args, "--ip", "10.0.0.4"]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Created Azure private endpoint pe-test\n/);

    const again = await cli([...args, "--ip", "10.0.0.4"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /^Azure private endpoint pe-test already existed with the same fields: nothing was created\n {2}Status +/,
    );
    const json = await cli([...args, "--ip", "10.0.0.4", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).privateEndpointIPAddress, "10.0.0.4");
    assert.equal(JSON.parse(json.stdout).outcome, "reused");
    assert.match(json.stderr, /already existed with the same fields: nothing was created\n$/);

    const other = await cli([...args, "--ip", "10.0.0.5", "--json"]);
    assert.equal(other.code, 3, other.stderr);
    assert.match(
      other.stderr,
      /^Error: Cannot create private endpoint: Azure private endpoint \S+ already exists with a different privateEndpointIPAddress \(it has privateEndpointIPAddress 10\.0\.0\.4, not 10\.0\.0\.5\): delete it first to change it \(409 .*\) \(check --ip\)\n$/,
    );
    const out = JSON.parse(other.stdout);
    assert.deepEqual(out.error.conflictingFields, ["privateEndpointIPAddress"]);
    assert.equal(out.endpoint.privateEndpointIPAddress, "10.0.0.4");
    assert.equal(simulator.listEndpoints().length, 1, "nothing else was created");
    for (const run of [first, again, json, other]) assertNoSecret(run);
  });
});
