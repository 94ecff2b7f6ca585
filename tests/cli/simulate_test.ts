// `simulate`: the CLI serving the Atlas simulator for other tools. End to end, the real CLI process
// is driven through a whole setup by curl (a Digest client nobody here wrote), then stopped with
// SIGINT; in-process, the JSON settings, usage errors and a busy port.
import assert from "node:assert/strict";
import { runCli } from "../../src/cli/main.ts";
import { serve } from "../../src/testing/serve.ts";
import { curl } from "../testing/_curl.ts";
import { fakeIo } from "./_fakes.ts";
import { runCliProcess } from "./_spawn.ts";

const VPCE = "vpce-0123456789abcdef0";

// deno-lint-ignore no-explicit-any -- Atlas's JSON, read field by field and checked by the asserts
type Json = any;

/** The `export NAME=value` lines of the CLI's output. */
function exported(stdout: string): Map<string, string> {
  return new Map(
    [...stdout.matchAll(/^export ([A-Z_]+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const),
  );
}

/** A whole setup with curl --digest against `base` (the v1.0 base URL), as a user script would. */
async function wholeSetup(vars: Map<string, string>): Promise<void> {
  const keys = `${vars.get("MONGODB_ATLAS_PUBLIC_API_KEY")}:${
    vars.get("MONGODB_ATLAS_PRIVATE_API_KEY")
  }`;
  const root = `${vars.get("MONGODB_ATLAS_BASE_URL")}/groups/${
    vars.get("MONGODB_ATLAS_PROJECT_ID")
  }/privateEndpoint`;
  const send = async (url: string, args: string[] = []) => {
    const [result] = await curl(keys, [url], args);
    return {
      status: result!.status,
      json: result!.body === "" ? undefined : JSON.parse(result!.body),
    };
  };
  const post = (url: string, body: unknown) =>
    send(url, ["-H", "content-type: application/json", "--data-binary", JSON.stringify(body)]);
  const until = async (url: string, done: (r: { status: number; json: Json }) => boolean) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const result = await send(url);
      if (done(result)) return result;
      assert.ok(Date.now() < deadline, `gave up waiting on ${url}: ${JSON.stringify(result)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const created = await post(`${root}/endpointService`, {
    providerName: "AWS",
    region: "us-east-1",
  });
  assert.equal(created.status, 200, JSON.stringify(created.json));
  assert.equal(created.json.status, "INITIATING");
  const service = `${root}/AWS/endpointService/${created.json.id}`;
  const ready = await until(service, (r) => r.json?.status !== "INITIATING");
  assert.equal(ready.json.status, "WAITING_FOR_USER");
  assert.match(ready.json.endpointServiceName, /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/);

  const endpoint = await post(`${service}/endpoint`, { id: VPCE });
  assert.equal(endpoint.status, 200, JSON.stringify(endpoint.json));
  const available = await until(
    `${service}/endpoint/${VPCE}`,
    (r) => !["NONE", "PENDING_ACCEPTANCE", "PENDING"].includes(r.json?.connectionStatus),
  );
  assert.equal(available.json.connectionStatus, "AVAILABLE");

  const busy = await send(service, ["-X", "DELETE"]);
  assert.equal(busy.status, 409);
  assert.equal(busy.json.errorCode, "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS");
  assert.equal((await send(`${service}/endpoint/${VPCE}`, ["-X", "DELETE"])).status, 200);
  await until(`${service}/endpoint/${VPCE}`, (r) => r.status === 404);
  // Its last endpoint gone, Atlas removes the service too; deleting it meanwhile is accepted.
  const deleted = await send(service, ["-X", "DELETE"]);
  assert.ok([200, 404].includes(deleted.status), JSON.stringify(deleted));
  await until(service, (r) => r.status === 404);
  assert.deepEqual((await send(`${root}/AWS/endpointService`)).json, []);
}

Deno.test("cli simulate serves curl --digest a whole setup, then stops on SIGINT with exit 130", async () => {
  let setup: Promise<void> | undefined;
  const run = await runCliProcess(
    ["simulate", "--time-scale", "0.01"],
    {},
    undefined,
    (stdout, interrupt) => {
      const vars = exported(stdout);
      if (setup !== undefined || !vars.has("MONGODB_ATLAS_PROJECT_ID")) return;
      setup = wholeSetup(vars).finally(interrupt);
      setup.catch(() => {}); // awaited (and rethrown) once the process has ended
    },
  );
  assert.ok(setup !== undefined, `no settings printed: ${run.stdout} ${run.stderr}`);
  await setup;
  assert.equal(run.code, 130, run.stderr);
  const vars = exported(run.stdout);
  assert.match(
    vars.get("MONGODB_ATLAS_BASE_URL")!,
    /^http:\/\/127\.0\.0\.1:\d+\/api\/atlas\/v1\.0$/,
  );
  assert.match(vars.get("MONGODB_ATLAS_PROJECT_ID")!, /^[0-9a-f]{24}$/);
  // Each request logged on stderr: curl's unauthenticated first try (401), then the real one.
  assert.match(
    run.stderr,
    /^\d\d:\d\d:\d\d POST \/api\/atlas\/v1\.0\/groups\/[0-9a-f]{24}\/privateEndpoint\/endpointService 401$/m,
  );
  assert.match(run.stderr, /^\d\d:\d\d:\d\d DELETE \S+\/endpoint\/vpce-0123456789abcdef0 200$/m);
  assert.match(run.stderr, /Atlas simulator stopped\n$/);
});

Deno.test("runCli() simulate --json prints the settings, serves them, and stops on Ctrl-C", async () => {
  const io = fakeIo({});
  const groupId = "0123456789abcdef01234567";
  const running = runCli(
    ["simulate", "--json", "--seed", "--group", groupId, "--time-scale", "0"],
    io,
  );
  const deadline = Date.now() + 5_000;
  while (!io.out.text().includes("\n")) {
    assert.ok(Date.now() < deadline, "no settings printed");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const settings = JSON.parse(io.out.text());
  assert.equal(settings.groupId, groupId);
  assert.equal(settings.timeScale, 0);
  assert.equal(settings.baseUrl, `${settings.url}/api/atlas/v1.0`);
  assert.equal(settings.v2BaseUrl, `${settings.url}/api/atlas/v2`);
  const [read] = await curl(`${settings.publicKey}:${settings.privateKey}`, [
    `${settings.baseUrl}/groups/${groupId}/privateEndpoint/GCP/endpointService/${settings.endpointServices.GCP}`,
  ]);
  assert.equal(read!.status, 200);
  assert.equal(JSON.parse(read!.body).status, "AVAILABLE");
  io.interrupt();
  assert.equal(await running, 130);
  assert.equal(io.listeners(), 0);
  const [after] = await curl("a:b", [settings.url]);
  assert.equal(after!.status, 0, "the server is closed after Ctrl-C");
});

Deno.test("runCli() simulate refuses bad values, quoting them, and a busy port, with exit 2", async () => {
  const cases: [string[], RegExp][] = [
    [["--port", "99999"], /--port must be a whole number from 0 to 65535 \(got "99999"\)/],
    [["--port", "http"], /\(got "http"\)/],
    [
      ["--time-scale", "-1"],
      /--time-scale must be a number of 0 or more, e\.g\. 0\.01 \(got "-1"\)/,
    ],
    [["--group", "ABC"], /--group must be 24 lowercase hexadecimal characters \(got "ABC"\)/],
    [["extra"], /Unexpected argument "extra" for simulate/],
  ];
  for (const [args, message] of cases) {
    const io = fakeIo({});
    assert.equal(await runCli(["simulate", ...args], io), 2, args.join(" "));
    assert.match(io.err.text(), message);
    assert.match(io.err.text(), /Run 'atlas-private-endpoint simulate --help' for usage/);
    assert.equal(io.out.text(), "");
  }
  const taken = await serve(() => new Response("taken"));
  try {
    const io = fakeIo({});
    assert.equal(await runCli(["simulate", "--port", String(taken.port), "--json"], io), 2);
    assert.match(io.err.text(), new RegExp(`port ${taken.port} on 127\\.0\\.0\\.1 is in use`));
    assert.equal(JSON.parse(io.out.text()).error.kind, "usage");
  } finally {
    await taken.close();
  }
});

Deno.test("runCli() simulate --help explains it without the environment section", async () => {
  const io = fakeIo({});
  assert.equal(await runCli(["simulate", "--help"], io), 0);
  assert.match(io.out.text(), /Usage:\n {2}atlas-private-endpoint simulate \[--port <port>\]/);
  assert.match(io.out.text(), /--time-scale <factor>/);
  assert.doesNotMatch(io.out.text(), /Environment:/);
  const top = fakeIo({});
  assert.equal(await runCli(["--help"], top), 0);
  assert.match(top.out.text(), /^ {2}simulate +Serve the embedded Atlas simulator/m);
});
