// The `service` commands as a real process against the simulator on loopback: a whole service's
// life (create, wait, get, list, delete), what to create on the cloud side, and the exit codes.
import assert from "node:assert/strict";
import { assertNoSecret, withSimulator } from "./_simulated.ts";

const FAST = ["--poll-interval", "20ms"];

Deno.test("cli service create --wait, get, list, wait and delete --wait an AWS service", async () => {
  await withSimulator({}, async ({ simulator, project, cli }) => {
    const group = ["--group", project.groupId];
    const created = await cli([
      "service",
      "create",
      "aws",
      "--region",
      "us-west-2",
      ...group,
      "--wait",
      ...FAST,
    ]);
    assertNoSecret(created);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /^Creating the AWS endpoint service in us-west-2 \(project /);
    assert.match(created.stderr, /^ {2}\d+s +INITIATING\n {2}\d+s +WAITING_FOR_USER\n$/m);
    const id = /^AWS endpoint service ([0-9a-f]{24}) is WAITING_FOR_USER after \d+s$/m
      .exec(created.stdout)?.[1];
    assert.ok(id, created.stdout);
    const name = simulator.listEndpointServices().find((s) => s.endpointServiceId === id)?.body
      .endpointServiceName;
    assert.match(String(name), /^com\.amazonaws\.vpce\.us-west-2\.vpce-svc-[0-9a-f]{17}$/);
    // What to do next, on AWS and then in Atlas, with the real names filled in.
    assert.ok(created.stdout.includes(`--service-name ${name} `), created.stdout);
    assert.ok(
      created.stdout.includes(
        `create aws --group ${project.groupId} --service ${id} \\\n    --id <vpce-id> --wait`,
      ),
      created.stdout,
    );

    const got = await cli(["service", "get", "aws", id, ...group, "--json"]);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(JSON.parse(got.stdout).endpointServiceName, name);
    const waited = await cli(["service", "wait", "aws", "--service", id, ...group, ...FAST]);
    assert.equal(waited.code, 0, waited.stderr);
    assert.match(waited.stderr, /^Waiting for AWS endpoint service [0-9a-f]{24}, up to 1h\n/);

    const listed = await cli(["service", "list", "aws", ...group]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID +REGION +STATUS +ENDPOINTS +CONNECT TO\n/);
    assert.match(
      listed.stdout,
      new RegExp(`^${id} +US_WEST_2 +WAITING_FOR_USER +0 +${name}$`, "m"),
    );
    assert.match(listed.stdout, new RegExp(`^${project.AWS} +US_EAST_1 `, "m"), "the seeded one");

    const again = await cli(["service", "create", "aws", "--region", "US_WEST_2", ...group]);
    assert.equal(again.code, 3, again.stderr);
    assert.match(
      again.stderr,
      /409 PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION.*'service ensure' reuses it/,
    );

    const deleted = await cli(["service", "delete", "aws", id, ...group, "--wait", ...FAST]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(
      deleted.stdout,
      new RegExp(`^AWS endpoint service ${id} is deleted after \\d+s\\n$`),
    );
    assert.match(deleted.stderr, /^ {2}\d+s +DELETED\n$/m);
    assert.ok(!simulator.listEndpointServices().some((s) => s.endpointServiceId === id), "gone");
    // Run again (as the hint after a timed-out wait says): it is gone, so there is nothing to do.
    const rerun = await cli(["service", "delete", "aws", id, ...group, "--wait", ...FAST]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /is not there: deleted already/);
    assert.equal(rerun.stdout, `AWS endpoint service ${id} is gone: nothing to delete\n`);
    for (const run of [got, waited, listed, again, deleted, rerun]) assertNoSecret(run);
  });
});

Deno.test("cli service create azure and gcp --wait print the Private Link service and the attachments", async () => {
  await withSimulator({}, async ({ project, cli }) => {
    const group = ["--group", project.groupId];
    const azure = await cli([
      "service",
      "create",
      "azure",
      "--region",
      "westus",
      ...group,
      "--wait",
      ...FAST,
    ]);
    assert.equal(azure.code, 0, azure.stderr);
    assert.match(azure.stdout, /^Azure Private Link service [0-9a-f]{24} is WAITING_FOR_USER /);
    assert.match(
      azure.stdout,
      /--private-connection-resource-id \/subscriptions\/\S+\/privateLinkServices\/pls_[0-9a-f]{24} /,
    );
    assert.match(azure.stdout, /--connection-name pls_[0-9a-f]{24}\n/);
    const gcp = await cli([
      "service",
      "create",
      "gcp",
      "--region",
      "us-west1",
      "--port-mapping",
      ...group,
      "--wait",
      "--json",
      ...FAST,
    ]);
    assert.equal(gcp.code, 0, gcp.stderr);
    const service = JSON.parse(gcp.stdout);
    assert.equal(service.portMappingEnabled, true);
    assert.equal(service.serviceAttachmentNames.length, 1);
    assert.equal(service.status, "AVAILABLE");
    // The endpoint on it: one forwarding rule, whose name Atlas keeps as the id.
    const gcpRef = ["--service", service.id, ...group, "--gcp-project-id", "my-gcp-project"];
    const two = await cli([
      "create",
      "gcp",
      ...gcpRef,
      "--port-mapping",
      "--endpoint",
      "r-0@10.0.0.2,r-1@10.0.0.3",
    ]);
    assert.equal(two.code, 2, "a port-mapped create takes exactly one rule");
    assert.match(two.stderr, /exactly one/);
    const endpoint = await cli([
      "create",
      "gcp",
      ...gcpRef,
      "--port-mapping",
      "--endpoint",
      "psc-rule-0@10.128.0.10",
      "--wait",
      "--json",
      ...FAST,
    ]);
    assert.equal(endpoint.code, 0, endpoint.stderr);
    const made = JSON.parse(endpoint.stdout);
    assert.deepEqual([made.endpointGroupName, made.status], ["psc-rule-0", "AVAILABLE"]);
  });
});

Deno.test("cli service delete of a service with endpoints exits 3; wait for an unknown one exits 3", async () => {
  await withSimulator({}, async ({ project, cli }) => {
    const group = ["--group", project.groupId];
    const created = await cli([
      "create",
      "aws",
      ...group,
      "--service",
      project.AWS,
      "--id",
      "vpce-0123456789abcdef0",
    ]);
    assert.equal(created.code, 0, created.stderr);
    const busy = await cli(["service", "delete", "aws", project.AWS, ...group, "--json"]);
    assert.equal(busy.code, 3, busy.stderr);
    assert.equal(
      JSON.parse(busy.stdout).error.errorCode,
      "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS",
    );
    assert.match(
      JSON.parse(busy.stdout).error.message,
      /Delete its endpoints first \('service endpoints' lists them\); deleting the last one removes/,
    );
    const unknown = await cli([
      "service",
      "wait",
      "gcp",
      "0123456789abcdef01234567",
      ...group,
      ...FAST,
    ]);
    assert.equal(unknown.code, 3, unknown.stderr);
    assert.match(unknown.stderr, /404/);
  });
});

Deno.test("cli service ensure creates the region's service, then reuses it; service endpoints lists them", async () => {
  await withSimulator({}, async ({ simulator, project, cli }) => {
    const group = ["--group", project.groupId];
    const ensure = ["service", "ensure", "azure", "--region", "westus", ...group, ...FAST];
    const first = await cli(ensure);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /^Ensuring the Azure Private Link service in westus \(project /);
    assert.match(
      first.stdout,
      /^Azure Private Link service [0-9a-f]{24} is WAITING_FOR_USER \(created\) after/,
    );
    assert.match(first.stdout, /\nNext, in your VNet: a private endpoint to \/subscriptions\//);
    const again = await cli([...ensure, "--json"]);
    assert.equal(again.code, 0, again.stderr);
    const service = JSON.parse(again.stdout);
    assert.match(
      again.stderr,
      new RegExp(`\\nReused Azure Private Link service ${service.id}\\n$`),
    );
    // The JSON says what the run did (as ensureEndpointService's `outcome`), then the service.
    assert.equal(service.outcome, "reused");
    const { outcome: _, ...fields } = service;
    const got = await cli(["service", "get", "azure", service.id, ...group, "--json"]);
    assert.deepEqual(fields, JSON.parse(got.stdout));
    const other = await cli([...ensure.with(4, "northeurope"), "--json"]);
    assert.equal(other.code, 0, other.stderr);
    assert.equal(JSON.parse(other.stdout).outcome, "created");
    assert.equal(JSON.parse(other.stdout).regionName, "EUROPE_NORTH");
    const azure = simulator.listEndpointServices().filter((s) => s.cloudProvider === "AZURE");
    assert.equal(azure.length, 3, "the seeded one and the two ensured, once each");

    const id = "/subscriptions/3f2c9a4e-8d1b-4c6f-9e2a-7b5d1c0e4f3a/resourceGroups/rg" +
      "/providers/Microsoft.Network/privateEndpoints/pe-one";
    const created = await cli([
      "create",
      "azure",
      ...group,
      "--service",
      service.id,
      "--id",
      id,
      "--ip",
      "10.0.0.4",
      "--wait",
      ...FAST,
    ]);
    assert.equal(created.code, 0, created.stderr);
    const listed = await cli(["service", "endpoints", "azure", service.id, ...group]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(
      listed.stdout,
      `PRIVATE ENDPOINT${" ".repeat(id.length - 14)}STATUS     ERROR\n${id}  AVAILABLE  -\n`,
    );
    const json = await cli(["service", "endpoints", "azure", service.id, ...group, "--json"]);
    assert.deepEqual(JSON.parse(json.stdout).map((e: { status: string }) => e.status), [
      "AVAILABLE",
    ]);
    for (const run of [first, again, created, listed, json]) assertNoSecret(run);
  });
});
