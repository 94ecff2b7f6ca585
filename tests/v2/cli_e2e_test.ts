// The CLI as a process against the simulator over loopback, with a service account on the v2 API
// (MONGODB_ATLAS_CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET, MONGODB_ATLAS_API_VERSION).
import assert from "node:assert/strict";
import { runCliProcess } from "../cli/_spawn.ts";
import {
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
  serve,
} from "../../src/testing/mod.ts";

Deno.test("cli create aws --wait with a service account on API 2023-01-01 uses Bearer tokens on /api/atlas/v2", async () => {
  const sim = createAtlasSimulator({ timeScale: 0 });
  const { groupId, AWS } = sim.seed();
  const server = await serve(sim.fetch);
  try {
    const env = {
      MONGODB_ATLAS_CLIENT_ID: DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientSecret,
      // Also set, and ignored: the service account wins.
      MONGODB_ATLAS_PUBLIC_API_KEY: DEFAULT_SIMULATOR_API_KEY.publicKey,
      MONGODB_ATLAS_PRIVATE_API_KEY: "wrong-private-key",
      MONGODB_ATLAS_API_VERSION: "2023-01-01",
      MONGODB_ATLAS_BASE_URL: server.url, // a bare origin: /api/atlas/v2 is added
    };
    const run = await runCliProcess(
      [
        "create",
        "aws",
        "--group",
        groupId,
        "--service",
        AWS,
        "--id",
        "vpce-0123456789abcdef0",
        "--wait",
        "--poll-interval",
        "1s",
        "--json",
      ],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const endpoint = JSON.parse(run.stdout);
    assert.equal(endpoint.cloudProvider, "AWS");
    assert.equal(endpoint.connectionStatus, "AVAILABLE");
    const api = sim.requestLog.filter((e) => e.path.startsWith("/api/atlas/"));
    assert.ok(api.length >= 2 && api.every((e) => e.path.startsWith("/api/atlas/v2/")));
    assert.equal(sim.stats.tokensIssued, 1);
    assert.equal(sim.stats.digest.challenges, 0);
    const secret = DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientSecret;
    assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret));
  } finally {
    await server.close();
  }
});

Deno.test("cli get with a revoked service account exits 6 and names the variables to check", async () => {
  const sim = createAtlasSimulator({ timeScale: 0 });
  const { groupId, AWS } = sim.seed();
  const server = await serve(sim.fetch);
  try {
    const run = await runCliProcess(
      ["get", "aws", "--group", groupId, "--service", AWS, "--endpoint", "vpce-0123456789abcdef0"],
      {
        MONGODB_ATLAS_CLIENT_ID: DEFAULT_SIMULATOR_SERVICE_ACCOUNT.clientId,
        MONGODB_ATLAS_CLIENT_SECRET: "mdb_sa_sk_revoked-secret",
        MONGODB_ATLAS_BASE_URL: `${server.url}${sim.basePath}`,
      },
    );
    assert.equal(run.code, 6);
    assert.match(
      run.stderr,
      /^Error: Cannot obtain service account token: 401 invalid_client: Invalid client credentials\. \(POST http:\/\/127\.0\.0\.1:\d+\/api\/oauth\/token\)\. Check MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET/,
    );
    assert.ok(!run.stderr.includes("mdb_sa_sk_revoked-secret"));
    assert.deepEqual(sim.requestLog.map((e) => e.path), ["/api/oauth/token"]);
  } finally {
    await server.close();
  }
});
