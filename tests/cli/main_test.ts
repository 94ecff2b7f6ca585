// runCli() with the library calls replaced by fakes: exit codes, output channels, JSON, secrets.
// (tests/cli/e2e_test.ts runs the real CLI as a process against the simulator.)
import assert from "node:assert/strict";
import { type AtlasOps, type CallOptions, libraryOps } from "../../src/cli/_atlas.ts";
import { runCli } from "../../src/cli/main.ts";
import {
  type AtlasClient,
  type EndpointService,
  type PrivateEndpoint,
  privateEndpointId,
  VERSION,
} from "../../mod.ts";
import { AtlasApiError } from "../../src/atlas/atlas_api_error.ts";
import { requestedId } from "../../src/atlas/_providers.ts";
import { AtlasNetworkError } from "../../src/atlas/atlas_network_error.ts";
import { AtlasTimeoutError } from "../../src/atlas/atlas_timeout_error.ts";
import { AtlasValidationError } from "../../src/atlas/atlas_validation_error.ts";
import { PrivateEndpointFailedError } from "../../src/atlas/private_endpoint_failed_error.ts";
import { fakeIo, manualTime } from "./_fakes.ts";

const G = "5f4b0c1d2e3f4a5b6c7d8e9f";
const S = "6a1b2c3d4e5f6a7b8c9d0e1f";
const PRIVATE = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const ENV = { MONGODB_ATLAS_PUBLIC_API_KEY: "pubkey01", MONGODB_ATLAS_PRIVATE_API_KEY: PRIVATE };
const AWS_CREATE = [
  "create",
  "aws",
  "--group",
  G,
  "--service",
  S,
  "--id",
  "vpce-0123456789abcdef0",
];
const AWS_REF = ["--group", G, "--service", S, "--endpoint", "vpce-0123456789abcdef0"];

const SERVICE: EndpointService = {
  cloudProvider: "AWS",
  id: S,
  regionName: "US_EAST_1",
  status: "WAITING_FOR_USER",
  endpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
  interfaceEndpoints: [],
  errorMessage: null,
};

function fakeOps(overrides: Partial<AtlasOps> = {}): AtlasOps & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    createClient(options): AtlasClient {
      calls.push(`client ${options.publicKey} ${options.baseUrl ?? "default"}`);
      return {} as AtlasClient; // never used by the fakes
    },
    create(_client, input): Promise<PrivateEndpoint> {
      calls.push(`create ${input.cloudProvider}`);
      return Promise.resolve({
        cloudProvider: "AWS",
        interfaceEndpointId: "vpce-0123456789abcdef0",
        connectionStatus: "PENDING_ACCEPTANCE",
        errorMessage: null,
        deleteRequested: false,
      });
    },
    get(_client, ref): Promise<PrivateEndpoint> {
      calls.push(`get ${ref.endpointId}`);
      return Promise.resolve({
        cloudProvider: "AWS",
        interfaceEndpointId: ref.endpointId,
        connectionStatus: "PENDING",
      });
    },
    remove(_client, ref): Promise<void> {
      calls.push(`delete ${ref.endpointId}`);
      return Promise.resolve();
    },
    wait(_client, ref, options): Promise<PrivateEndpoint> {
      calls.push(`wait ${ref.endpointId} poll=${options.pollIntervalMs ?? "default"}`);
      const endpoint = {
        cloudProvider: "AWS" as const,
        interfaceEndpointId: ref.endpointId,
        connectionStatus: "PENDING",
      };
      options.onStatus({ status: "PENDING", endpoint, previousStatus: undefined, elapsedMs: 0 });
      return Promise.resolve({ ...endpoint, connectionStatus: "AVAILABLE" });
    },
    waitMany(): Promise<never> {
      return Promise.reject(new Error("not used by these tests"));
    },
    waitGone(_client, ref, options): Promise<void> {
      calls.push(`wait gone ${ref.endpointId}`);
      options.onStatus("DELETING");
      return Promise.resolve();
    },
    endpointId: privateEndpointId,
    createService(_client, input): Promise<EndpointService> {
      calls.push(`service create ${input.cloudProvider} ${input.region}`);
      return Promise.resolve({ ...SERVICE, status: "INITIATING", endpointServiceName: null });
    },
    ensureService(
      _client,
      input,
      options,
    ): Promise<{ service: EndpointService; created: boolean }> {
      calls.push(`service ensure ${input.cloudProvider} ${input.region}`);
      options.onStatus("WAITING_FOR_USER", SERVICE);
      return Promise.resolve({ service: SERVICE, created: false });
    },
    getService(_client, ref): Promise<EndpointService> {
      calls.push(`service get ${ref.endpointServiceId}`);
      return Promise.resolve(SERVICE);
    },
    listServices(_client, ref): Promise<EndpointService[]> {
      calls.push(`service list ${ref.cloudProvider}`);
      return Promise.resolve([SERVICE]);
    },
    deleteService(_client, ref): Promise<void> {
      calls.push(`service delete ${ref.endpointServiceId}`);
      return Promise.resolve();
    },
    waitService(_client, ref, options): Promise<EndpointService> {
      calls.push(`service wait ${ref.endpointServiceId}`);
      options.onStatus("INITIATING", { ...SERVICE, status: "INITIATING" });
      return Promise.resolve(SERVICE);
    },
    waitServiceGone(_client, ref, options): Promise<void> {
      calls.push(`service wait gone ${ref.endpointServiceId}`);
      options.onStatus("DELETING");
      return Promise.resolve();
    },
    listServiceEndpoints(_client, ref): Promise<PrivateEndpoint[]> {
      calls.push(`service endpoints ${ref.endpointServiceId}`);
      return Promise.resolve([]);
    },
    ...overrides,
  };
}

async function run(
  argv: string[],
  ops: AtlasOps,
  env: Record<string, string> = ENV,
): Promise<{ code: number; out: string; err: string }> {
  const time = manualTime();
  const io = fakeIo(env, { now: time.now });
  const code = await runCli(argv, io, { ops, every: time.every });
  assert.equal(io.listeners(), 0, "the Ctrl-C handler is removed at the end");
  assert.equal(time.active(), 0, "the progress timer is stopped at the end");
  const out = io.out.text();
  const err = io.err.text();
  assert.ok(!out.includes(PRIVATE) && !err.includes(PRIVATE), "the private key is never printed");
  return { code, out, err };
}

const lastLine = (text: string): string => text.trimEnd().split("\n").at(-1)!;

Deno.test("runCli() prints help and version on stdout with exit code 0", async () => {
  const ops = fakeOps();
  const top = await run(["--help"], ops, {});
  assert.equal(top.code, 0);
  assert.ok(top.out.startsWith(`atlas-private-endpoint ${VERSION}\n`));
  assert.match(top.out, /Exit codes:\n {2}0 +success/);
  const version = await run(["--version"], ops, {});
  assert.deepEqual([version.code, version.out, version.err], [0, `${VERSION}\n`, ""]);
  assert.deepEqual(ops.calls, [], "help and version need no keys and send nothing");
});

Deno.test("runCli() create without --wait prints the endpoint and how to wait, and exits 0", async () => {
  const ops = fakeOps();
  const { code, out, err } = await run(AWS_CREATE, ops);
  assert.equal(code, 0);
  assert.equal(err, "");
  assert.match(
    out,
    /^Created AWS private endpoint vpce-0123456789abcdef0\n {2}Status +PENDING_ACCEPTANCE\n/,
  );
  assert.match(
    out,
    new RegExp(
      `\nWhether your cloud accepts it shows later; to wait: atlas-private-endpoint wait aws ` +
        `--group ${G} --service ${S} --endpoint vpce-0123456789abcdef0\n$`,
    ),
  );
  assert.deepEqual(ops.calls, ["client pubkey01 default", "create AWS"]);
});

Deno.test("runCli() create --wait goes on with the id asked for when Atlas's answer leaves it out", async () => {
  const ops = fakeOps({
    create: () => Promise.resolve({ cloudProvider: "AWS", connectionStatus: "NONE" }),
  });
  const { code } = await run([...AWS_CREATE, "--wait"], ops);
  assert.equal(code, 0);
  assert.deepEqual(ops.calls.slice(1), ["wait vpce-0123456789abcdef0 poll=default"]);
});

Deno.test("runCli() get shows UNKNOWN, as the library does, when Atlas reports an empty status", async () => {
  const ops = fakeOps({
    get: (_client, ref) =>
      Promise.resolve({
        cloudProvider: "AWS",
        interfaceEndpointId: ref.endpointId,
        connectionStatus: "",
      }),
  });
  const { code, out } = await run(["get", "aws", ...AWS_REF], ops);
  assert.equal(code, 0);
  assert.match(out, /\n {2}Status +UNKNOWN\n/);
});

Deno.test("runCli() create --wait --json: stdout is only the final JSON, progress on stderr", async () => {
  const ops = fakeOps();
  const { code, out, err } = await run(
    [...AWS_CREATE, "--wait", "--json", "--poll-interval", "2s"],
    ops,
  );
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), {
    outcome: "created",
    cloudProvider: "AWS",
    interfaceEndpointId: "vpce-0123456789abcdef0",
    connectionStatus: "AVAILABLE",
  });
  assert.match(err, /^Creating AWS private endpoint vpce-0123456789abcdef0 on endpoint service/);
  assert.match(err, /PENDING_ACCEPTANCE\n.*PENDING\n.*AVAILABLE\n$/s);
  assert.deepEqual(ops.calls.slice(1), ["create AWS", "wait vpce-0123456789abcdef0 poll=2000"]);
});

Deno.test("runCli() maps each failure to its exit code and one stderr line", async () => {
  const apiError = (status: number, errorCode: string) =>
    new AtlasApiError({
      action: "Cannot read private endpoint",
      status,
      errorCode,
      method: "GET",
      url: "https://cloud.mongodb.com/api/atlas/v1.0/groups/x",
    });
  const cases: [string, Partial<AtlasOps>, number, RegExp][] = [
    [
      "404",
      { get: () => Promise.reject(apiError(404, "GROUP_NOT_FOUND")) },
      3,
      /^Error: Cannot read private endpoint: 404 GROUP_NOT_FOUND/,
    ],
    [
      "401",
      { get: () => Promise.reject(apiError(401, "UNAUTHORIZED")) },
      6,
      /Check the credential variables \(service account or API key\) and that they have access/,
    ],
    [
      "403",
      { get: () => Promise.reject(apiError(403, "IP_ADDRESS_NOT_ON_ACCESS_LIST")) },
      6,
      /access list of the API key or service account$/m,
    ],
    [
      "network",
      {
        get: () =>
          Promise.reject(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } })),
      },
      6,
      /^Error: Cannot reach Atlas at https:\/\/cloud\.mongodb\.com\/api\/atlas\/v1\.0: ECONNREFUSED$/m,
    ],
    [
      "network, as the library reports it",
      {
        get: () =>
          Promise.reject(
            new AtlasNetworkError({
              action: "Cannot read private endpoint",
              method: "GET",
              url: "https://cloud.mongodb.com/api/atlas/v1.0/groups/x",
              cause: new TypeError("fetch failed", { cause: { code: "ECONNRESET" } }),
            }),
          ),
      },
      6,
      /^Error: Cannot reach Atlas at https:\/\/cloud\.mongodb\.com\/api\/atlas\/v1\.0: ECONNRESET$/m,
    ],
    [
      "validation",
      {
        get: () =>
          Promise.reject(
            new AtlasValidationError(
              "Cannot read private endpoint: groupId must be 24 hexadecimal characters",
              { field: "groupId" },
            ),
          ),
      },
      2,
      /groupId must be 24 hexadecimal characters \(check --group\)/,
    ],
    [
      "timeout",
      {
        get: () =>
          Promise.reject(
            new AtlasTimeoutError({ action: "Cannot read private endpoint", elapsedMs: 5 }),
          ),
      },
      5,
      /^Error: Timed out after 0s waiting for AWS private endpoint/,
    ],
    [
      "bug",
      { get: () => Promise.reject(new RangeError("boom")) },
      1,
      /^Error: Unexpected error: RangeError: boom$/m,
    ],
  ];
  for (const [label, override, exitCode, pattern] of cases) {
    const { code, out, err } = await run(["get", "aws", ...AWS_REF], fakeOps(override));
    assert.equal(code, exitCode, label);
    assert.equal(out, "", label);
    assert.match(err, pattern, label);
    assert.equal(err.trimEnd().split("\n").length, 1, `${label}: one line`);
    assert.doesNotMatch(err, /\n\s+at /, `${label}: no stack trace`);
  }
});

Deno.test("runCli() create that times out unanswered exits 5 and says the endpoint may exist", async () => {
  const ops = fakeOps({
    create: () =>
      Promise.reject(
        new AtlasTimeoutError({ action: "Cannot create private endpoint", elapsedMs: 300 }),
      ),
  });
  const { code, out, err } = await run([...AWS_CREATE, "--timeout", "300ms", "--json"], ops);
  assert.equal(code, 5);
  assert.equal(
    err,
    "Error: Timed out after 0s creating AWS private endpoint vpce-0123456789abcdef0; Atlas may " +
      "or may not have created it: check with: atlas-private-endpoint get aws --group " +
      `${G} --service ${S} --endpoint vpce-0123456789abcdef0\n`,
  );
  const json = JSON.parse(out);
  assert.equal(json.error.kind, "timeout");
  assert.equal(json.error.createOutcome, "unknown");
});

Deno.test("runCli() wait exits 4 on REJECTED and prints the endpoint in the JSON error", async () => {
  const endpoint = {
    cloudProvider: "AWS" as const,
    interfaceEndpointId: "vpce-0123456789abcdef0",
    connectionStatus: "REJECTED",
    errorMessage: "Interface endpoint vpce-0123456789abcdef0 was not found",
  };
  const ops = fakeOps({
    wait: (_c, _r, options) => {
      options.onStatus({ status: "REJECTED", endpoint, previousStatus: undefined, elapsedMs: 0 });
      return Promise.reject(
        new PrivateEndpointFailedError({
          action: "Cannot wait for private endpoint",
          endpoint,
          status: "REJECTED",
          endpointId: "vpce-0123456789abcdef0",
        }),
      );
    },
  });
  const { code, out, err } = await run(["wait", "aws", ...AWS_REF, "--json"], ops);
  assert.equal(code, 4);
  assert.match(
    err,
    /Error: AWS private endpoint vpce-0123456789abcdef0 is REJECTED after 0s: Interface endpoint vpce-0123456789abcdef0 was not found \(delete it and create it again\)\n$/,
  );
  const json = JSON.parse(out);
  assert.equal(json.error.kind, "endpoint-failed");
  assert.equal(json.error.exitCode, 4);
  assert.equal(json.error.status, "REJECTED");
  assert.deepEqual(json.endpoint, endpoint);
});

Deno.test("runCli() wait exits 4 on DELETING without advising to delete it", async () => {
  const failedAs = (status: string, errorMessage: string | null): Partial<AtlasOps> => ({
    wait: () => {
      const endpoint = {
        cloudProvider: "AWS" as const,
        interfaceEndpointId: "vpce-0123456789abcdef0",
        connectionStatus: status,
        errorMessage,
      };
      return Promise.reject(
        new PrivateEndpointFailedError({
          action: "Cannot wait for private endpoint",
          endpoint,
          status,
          endpointId: "vpce-0123456789abcdef0",
        }),
      );
    },
  });
  const deleting = await run(["wait", "aws", ...AWS_REF], fakeOps(failedAs("DELETING", null)));
  assert.equal(deleting.code, 4);
  assert.equal(
    lastLine(deleting.err),
    "Error: AWS private endpoint vpce-0123456789abcdef0 is being deleted (DELETING after 0s); " +
      "create it again once it is gone",
  );
  const reported = await run(
    ["wait", "aws", ...AWS_REF],
    fakeOps(failedAs("AVAILABLE", "Connection lost")),
  );
  assert.equal(reported.code, 4);
  assert.equal(
    lastLine(reported.err),
    "Error: AWS private endpoint vpce-0123456789abcdef0 reported an error after 0s: " +
      "Connection lost (delete it and create it again)",
  );
});

Deno.test("runCli() exits 2 on bad usage and points to the right help", async () => {
  const ops = fakeOps();
  const bad = await run(["create", "aws", "--group", G, "--id", "vpce-1"], ops);
  assert.equal(bad.code, 2);
  assert.equal(bad.out, "");
  assert.equal(
    bad.err,
    "Error: create aws needs --service <service-id>. Run 'atlas-private-endpoint create aws --help' for usage\n",
  );
  const secret = await run(["get", "aws", ...AWS_REF, `--private-key=${PRIVATE}`], ops);
  assert.equal(secret.code, 2);
  assert.match(
    secret.err,
    /--private-key is not accepted: API keys are read only from the environment/,
  );
  const json = await run(["frobnicate", "--json"], ops);
  assert.equal(json.code, 2);
  assert.equal(JSON.parse(json.out).error.kind, "usage");
  for (const spelling of [["--json=true"], ["--json=false", "--json"]]) {
    const usage = await run(["get", "aws", "--group", G, ...spelling], ops);
    assert.equal(usage.code, 2, spelling.join(" "));
    assert.equal(JSON.parse(usage.out).error.kind, "usage", spelling.join(" "));
  }
  const off = await run(["get", "aws", "--group", G, "--json", "--json=false"], ops);
  assert.equal(off.code, 2);
  assert.equal(off.out, "", "--json=false after --json turns JSON off, as the parser reads it");
  assert.deepEqual(ops.calls, []);
});

const V1_WITH_V2 =
  "Error: Cannot use MONGODB_ATLAS_BASE_URL: it is the v1.0 API, but --api-version " +
  "or MONGODB_ATLAS_API_VERSION asks for 2023-01-01 (the v2 API); use a .../api/atlas/v2 URL, " +
  "or the v1.0 API\n";

Deno.test("runCli() exits 2 on a base URL the library refuses, naming the variable to change", async () => {
  const cases: [Record<string, string>, string][] = [
    [
      { MONGODB_ATLAS_BASE_URL: "http://atlas.example.test/api/atlas/v1.0" },
      "Error: Cannot use MONGODB_ATLAS_BASE_URL: https is required unless the host is loopback " +
      "(localhost, 127.0.0.1, [::1])\n",
    ],
    [
      { MONGODB_ATLAS_BASE_URL: "https://cloud.mongodb.com/api/atlas/v2" },
      "Error: Cannot use MONGODB_ATLAS_BASE_URL: it is the v2 API; pass --api-version 2023-01-01 " +
      "or set MONGODB_ATLAS_API_VERSION=2023-01-01 (or use a .../api/atlas/v1.0 URL)\n",
    ],
    [
      {
        MONGODB_ATLAS_BASE_URL: "https://cloud.mongodb.com/api/atlas/v1.0",
        MONGODB_ATLAS_API_VERSION: "2023-01-01",
      },
      V1_WITH_V2,
    ],
  ];
  for (const [vars, expected] of cases) {
    // The real library: it refuses the client before any request is sent.
    const { code, out, err } = await run(["get", "aws", ...AWS_REF, "--json"], libraryOps, {
      ...ENV,
      ...vars,
    });
    assert.equal(code, 2, err);
    assert.equal(err, expected);
    assert.doesNotMatch(err, /allowInsecureHttp|apiVersion|--help/);
    const json = JSON.parse(out);
    assert.equal(json.error.kind, "config");
    assert.equal(json.error.variable, "MONGODB_ATLAS_BASE_URL");
  }
  // The same with the flag instead of the variable (as against `simulate`'s v1.0 URL).
  const flag = await run(["get", "aws", ...AWS_REF, "--api-version", "2023-01-01"], libraryOps, {
    ...ENV,
    MONGODB_ATLAS_BASE_URL: "https://cloud.mongodb.com/api/atlas/v1.0",
  });
  assert.equal(flag.code, 2, flag.err);
  assert.equal(flag.err, V1_WITH_V2);
});

Deno.test("runCli() exits 6 when the API keys are missing, naming the variables", async () => {
  const { code, err } = await run(["get", "aws", ...AWS_REF], fakeOps(), {
    MONGODB_ATLAS_PUBLIC_KEY: "p",
  });
  assert.equal(code, 6);
  assert.match(
    err,
    /^Error: Cannot read Atlas API key: set MONGODB_ATLAS_PRIVATE_API_KEY \(or MONGODB_ATLAS_PRIVATE_KEY\)/,
  );
});

Deno.test("runCli() never prints the private key, even when an error message contains it", async () => {
  const ops = fakeOps({ get: () => Promise.reject(new RangeError(`leaked ${PRIVATE} here`)) });
  const { code, err } = await run(["get", "aws", ...AWS_REF, "--json"], ops);
  assert.equal(code, 1);
  assert.match(err, /leaked \[redacted\] here/);
});

Deno.test("runCli() exits 130 on Ctrl-C, telling how to resume", async () => {
  const time = manualTime();
  const io = fakeIo(ENV, { now: time.now });
  const ops = fakeOps({
    wait: (_client, _ref, options: CallOptions) =>
      new Promise((_, reject) => {
        options.signal.addEventListener("abort", () => reject(options.signal.reason));
        time.advance(7_000);
        io.interrupt();
      }),
  });
  const code = await runCli([...AWS_CREATE, "--wait"], io, { ops, every: time.every });
  assert.equal(code, 130);
  assert.equal(io.listeners(), 0);
  const lines = io.err.text().trimEnd().split("\n");
  assert.equal(
    lines.at(-1)!,
    "Error: Interrupted after 7s (last status PENDING_ACCEPTANCE); the endpoint exists and Atlas " +
      "keeps working on it; to wait again, run: atlas-private-endpoint wait aws --group " +
      `${G} --service ${S} --endpoint vpce-0123456789abcdef0`,
  );
});

Deno.test("runCli() --api-version wins over MONGODB_ATLAS_API_VERSION, base URL included", async () => {
  const seen: string[] = [];
  const ops = fakeOps({
    createClient(options): AtlasClient {
      seen.push(`${options.apiVersion ?? "unset"} ${options.baseUrl ?? "default"}`);
      return {} as AtlasClient;
    },
  });
  const origin = { ...ENV, MONGODB_ATLAS_BASE_URL: "http://127.0.0.1:8080" };
  const v1Env = { ...origin, MONGODB_ATLAS_API_VERSION: "v1.0" };
  assert.equal((await run(["get", "aws", ...AWS_REF, "--api-version", "v2"], ops, v1Env)).code, 0);
  assert.equal((await run(["get", "aws", ...AWS_REF], ops, v1Env)).code, 0);
  const v2Env = { ...origin, MONGODB_ATLAS_API_VERSION: "2023-01-01" };
  assert.equal(
    (await run(["get", "aws", ...AWS_REF, "--api-version=v1.0"], ops, v2Env)).code,
    0,
  );
  // A bad environment value is not read when the flag decides.
  const badEnv = { ...origin, MONGODB_ATLAS_API_VERSION: "v9" };
  assert.equal(
    (await run(["get", "aws", ...AWS_REF, "--api-version", "2023-01-01"], ops, badEnv)).code,
    0,
  );
  assert.deepEqual(seen, [
    "2023-01-01 http://127.0.0.1:8080/api/atlas/v2",
    "v1.0 http://127.0.0.1:8080/api/atlas/v1.0",
    "v1.0 http://127.0.0.1:8080/api/atlas/v1.0",
    "2023-01-01 http://127.0.0.1:8080/api/atlas/v2",
  ]);
  const bad = await run(["get", "aws", ...AWS_REF, "--api-version", "v3", "--json"], ops, ENV);
  assert.equal(bad.code, 2);
  assert.equal(JSON.parse(bad.out).error.kind, "usage");
  assert.equal(seen.length, 4, "nothing is sent on a bad --api-version");
});

Deno.test("runCli() refuses a base URL on a port fetch blocks before any request, exit 2", async () => {
  const ops = fakeOps();
  for (const url of ["http://127.0.0.1:99999", "http://127.0.0.1:6000/api/atlas/v1.0"]) {
    const { code, err } = await run(["get", "aws", ...AWS_REF], ops, {
      ...ENV,
      MONGODB_ATLAS_BASE_URL: url,
    });
    assert.equal(code, 2, url);
    assert.match(err, /^Error: Cannot use MONGODB_ATLAS_BASE_URL: (its|fetch refuses) port/, url);
  }
  assert.deepEqual(ops.calls, []);
});

Deno.test("runCli() create refuses a vpce id typo Atlas would accept, unsent, naming --id and the fix", async () => {
  let sent = 0;
  const io = fakeIo(ENV, {
    fetch: () => {
      sent++;
      return Promise.reject(new TypeError("no network in this test"));
    },
  });
  const argv = ["create", "aws", "--group", G, "--service", S, "--id", "vpce-0123456789ABCDEF0"];
  assert.equal(await runCli(argv, io), 2);
  assert.match(
    io.err.text(),
    /^Error: Cannot create private endpoint: id has uppercase letters: write it in lowercase, as AWS prints it .*\(check --id\)/,
  );
  assert.equal(sent, 0);
});

Deno.test("runCli() delete --wait reads until the endpoint is gone, then says so", async () => {
  const ops = fakeOps();
  const { code, out, err } = await run(["delete", "aws", ...AWS_REF, "--wait"], ops);
  assert.equal(code, 0, err);
  assert.deepEqual(ops.calls.slice(1), [
    "delete vpce-0123456789abcdef0",
    "wait gone vpce-0123456789abcdef0",
  ]);
  assert.equal(out, "AWS private endpoint vpce-0123456789abcdef0 is deleted after 0s\n");
  assert.match(err, /^Deleting AWS private endpoint vpce-0123456789abcdef0 from endpoint service /);
  assert.match(err, /waiting up to 1h\n {2}0s +DELETING\n {2}0s +DELETED\n$/);
  const json = await run(["delete", "aws", ...AWS_REF, "--wait", "--json"], fakeOps());
  assert.equal(json.code, 0);
  assert.equal(JSON.parse(json.out).deleted, true);
  const plain = fakeOps();
  await run(["delete", "aws", ...AWS_REF], plain);
  assert.ok(!plain.calls.some((call) => call.startsWith("wait gone")), "no wait without --wait");
});

Deno.test("runCli() delete --wait of an endpoint already gone (404) exits 0 and says so; plain delete exits 3", async () => {
  const missing = () =>
    Promise.reject(
      new AtlasApiError({
        action: "Cannot delete private endpoint",
        status: 404,
        errorCode: "PRIVATE_ENDPOINT_NOT_FOUND",
        method: "DELETE",
        url: "https://cloud.mongodb.com/api/atlas/v1.0/groups/x",
      }),
    );
  const ops = fakeOps({ remove: missing });
  const again = await run(["delete", "aws", ...AWS_REF, "--wait"], ops);
  assert.equal(again.code, 0, again.err);
  assert.match(
    again.err,
    /AWS private endpoint vpce-0123456789abcdef0 is not there: deleted already \(if you expected it, check --endpoint\)\n/,
  );
  assert.ok(!ops.calls.some((call) => call.startsWith("wait gone")), "nothing to wait for");
  assert.equal(
    again.out,
    "AWS private endpoint vpce-0123456789abcdef0 is gone: nothing to delete\n",
  );
  const plain = await run(["delete", "aws", ...AWS_REF], fakeOps({ remove: missing }));
  assert.equal(plain.code, 3);
  assert.match(lastLine(plain.err), /^Error: Cannot delete private endpoint: 404 /);
});

Deno.test("runCli() delete --wait exits 5 on --timeout and 130 on Ctrl-C, saying how to resume", async () => {
  const resume = `atlas-private-endpoint delete aws --group ${G} --service ${S} ` +
    "--endpoint vpce-0123456789abcdef0 --wait";
  const ops = fakeOps({
    waitGone: (_client, _ref, options) => {
      options.onStatus("DELETING");
      return Promise.reject(
        new AtlasTimeoutError({ action: "x", elapsedMs: 1, lastStatus: "DELETING" }),
      );
    },
  });
  const timeout = await run(["delete", "aws", ...AWS_REF, "--wait", "--timeout", "1m"], ops);
  assert.equal(timeout.code, 5);
  assert.equal(
    lastLine(timeout.err),
    "Error: Timed out after 0s waiting for AWS private endpoint vpce-0123456789abcdef0 to be " +
      `deleted (last status DELETING); to keep waiting, run: ${resume}`,
  );
  const time = manualTime();
  const io = fakeIo(ENV, { now: time.now });
  const held = fakeOps({
    waitGone: (_client, _ref, options) =>
      new Promise((_, reject) => {
        options.onStatus("DELETING");
        options.signal.addEventListener("abort", () => reject(options.signal.reason));
        time.advance(3_000);
        io.interrupt();
      }),
  });
  assert.equal(
    await runCli(["delete", "aws", ...AWS_REF, "--wait"], io, { ops: held, every: time.every }),
    130,
  );
  assert.equal(
    lastLine(io.err.text()),
    "Error: Interrupted after 3s (last status DELETING); Atlas keeps deleting it in the " +
      `background; to wait again, run: ${resume}`,
  );
});

Deno.test("runCli() service ensure shows progress, says it reused the service, prints the next steps", async () => {
  const ops = fakeOps();
  const { code, out, err } = await run(
    ["service", "ensure", "aws", "--region", "us-east-1", "--group", G],
    ops,
  );
  assert.equal(code, 0, err);
  assert.deepEqual(ops.calls.slice(1), ["service ensure AWS us-east-1"]);
  assert.match(err, /^Ensuring the AWS endpoint service in us-east-1 \(project \w+\) is ready, /);
  assert.match(err, /\n {2}0s +WAITING_FOR_USER\n$/);
  assert.match(
    out,
    new RegExp(
      `^AWS endpoint service ${S} is WAITING_FOR_USER \\(it existed: reused\\) after 0s\\n`,
    ),
  );
  assert.match(
    out,
    /\nNext, in your VPC: an interface endpoint to com\.amazonaws\.vpce\.us-east-1\./,
  );
  const json = await run([
    "service",
    "ensure",
    "aws",
    "--region",
    "us-east-1",
    "--group",
    G,
    "--json",
  ], fakeOps());
  assert.equal(JSON.parse(json.out).id, S);
  assert.match(json.err, /\nReused AWS endpoint service \w+\n$/);
});

Deno.test("runCli() service wait exits 4 on FAILED and 5 on --timeout, saying how to resume", async () => {
  const failed = fakeOps({
    waitService: () =>
      Promise.reject(
        Object.assign(new Error("Cannot wait for private endpoint service: FAILED"), {
          name: "EndpointServiceFailedError",
          status: "FAILED",
          errorMessage: "No capacity in the region",
          service: { ...SERVICE, status: "FAILED" },
        }),
      ),
  });
  const bad = await run(["service", "wait", "aws", S, "--group", G, "--json"], failed);
  assert.equal(bad.code, 4);
  const error = JSON.parse(bad.out);
  assert.equal(error.error.kind, "service-failed");
  assert.equal(error.service.status, "FAILED");
  assert.equal(
    lastLine(bad.err),
    `Error: AWS endpoint service ${S} is FAILED after 0s: No capacity in the region ` +
      "(delete it and create it again)",
  );
  const slow = fakeOps({
    waitService: (_client, _ref, options) => {
      options.onStatus("INITIATING", { ...SERVICE, status: "INITIATING" });
      return Promise.reject(new AtlasTimeoutError({ action: "x", elapsedMs: 1 }));
    },
  });
  const late = await run(["service", "wait", "aws", S, "--group", G], slow);
  assert.equal(late.code, 5);
  assert.equal(
    lastLine(late.err),
    `Error: Timed out after 0s waiting for AWS endpoint service ${S} (last status INITIATING); ` +
      `to keep waiting, run: atlas-private-endpoint service wait aws ${S} --group ${G}`,
  );
});

Deno.test("runCli() service list and endpoints print one line each, or say there are none", async () => {
  const listed = await run(["service", "list", "aws", "--group", G], fakeOps());
  assert.equal(listed.code, 0);
  assert.match(
    listed.out,
    new RegExp(
      `^ID +REGION +STATUS +ENDPOINTS +CONNECT TO\\n${S} +US_EAST_1 +WAITING_FOR_USER +0 +com\\.amazonaws`,
    ),
  );
  const none = await run(["service", "endpoints", "aws", S, "--group", G], fakeOps());
  assert.equal(none.out, "No private endpoints on this service\n");
  const some = await run(
    ["service", "endpoints", "aws", S, "--group", G],
    fakeOps({
      listServiceEndpoints: () =>
        Promise.resolve([
          {
            cloudProvider: "AWS",
            interfaceEndpointId: "vpce-0123456789abcdef0",
            connectionStatus: "AVAILABLE",
          },
          {
            cloudProvider: "AWS",
            interfaceEndpointId: "vpce-0badc0ffee0000bad",
            connectionStatus: "REJECTED",
            errorMessage: "Interface endpoint was not found",
          },
        ]),
    }),
  );
  assert.equal(
    some.out,
    "PRIVATE ENDPOINT        STATUS     ERROR\n" +
      "vpce-0123456789abcdef0  AVAILABLE  -\n" +
      "vpce-0badc0ffee0000bad  REJECTED   Interface endpoint was not found\n",
  );
});

Deno.test("runCli() service ensure --port-mapping that reuses a service without it says so", async () => {
  const legacy: EndpointService = {
    cloudProvider: "GCP",
    id: S,
    regionName: "CENTRAL_US",
    status: "AVAILABLE",
    serviceAttachmentNames: ["projects/p/regions/us-central1/serviceAttachments/sa-0"],
    endpointGroupNames: [],
    portMappingEnabled: false,
  };
  const note =
    /\nNote: the region's service is not port-mapped, though --port-mapping asked for one;/;
  for (
    const [flags, mapped, warned] of [
      [["--port-mapping"], false, true],
      [["--port-mapping"], true, false],
      [[], false, false],
    ] as const
  ) {
    const ops = fakeOps({
      ensureService: () =>
        Promise.resolve({ service: { ...legacy, portMappingEnabled: mapped }, created: false }),
    });
    const args = ["service", "ensure", "gcp", "--region", "us-central1", "--group", G, ...flags];
    const { code, err } = await run(args, ops);
    assert.equal(code, 0, err);
    assert.equal(note.test(err), warned, `${flags.join(" ")} on mapped=${mapped}: ${err}`);
  }
});

Deno.test("runCli() service ensure that times out says how to run it again", async () => {
  const ops = fakeOps({
    ensureService: (_client, _input, options) => {
      options.onStatus("INITIATING", { ...SERVICE, status: "INITIATING" });
      return Promise.reject(new AtlasTimeoutError({ action: "x", elapsedMs: 1 }));
    },
  });
  const argv = ["service", "ensure", "gcp", "--region", "us-central1", "--port-mapping"];
  const { code, err } = await run([...argv, "--group", G, "--timeout", "10m"], ops);
  assert.equal(code, 5);
  assert.equal(
    lastLine(err),
    "Error: Timed out after 0s waiting for the GCP endpoint service in us-central1 (project " +
      `${G}) (last status INITIATING); to keep waiting, run: atlas-private-endpoint service ` +
      `ensure gcp --region us-central1 --group ${G} --port-mapping`,
  );
});

Deno.test("runCli() create --wait of an endpoint Atlas already had says so, then waits; its JSON says reused", async () => {
  const ops = fakeOps({
    create(_client, input, options): Promise<PrivateEndpoint> {
      const endpoint = {
        cloudProvider: "AWS" as const,
        interfaceEndpointId: requestedId(input),
        connectionStatus: "PENDING",
      };
      options.onExisting(endpoint);
      return Promise.resolve(endpoint);
    },
  });
  const { code, out, err } = await run([...AWS_CREATE, "--wait", "--json"], ops);
  assert.equal(code, 0, err);
  assert.match(
    err,
    /\nAWS private endpoint vpce-0123456789abcdef0 already existed with the same fields: nothing was created\n/,
  );
  assert.ok(ops.calls.includes("wait vpce-0123456789abcdef0 poll=default"), "it still waits");
  assert.equal(JSON.parse(out).outcome, "reused");
});
