// The CLI's service account and API version settings: precedence over API keys, incomplete
// service accounts, MONGODB_ATLAS_API_VERSION, and the base URL it implies.
import assert from "node:assert/strict";
import { CliConfigError, readApiVersion, readBaseUrl, readSettings } from "../../src/cli/_env.ts";
import { classify } from "../../src/cli/_errors.ts";
import { ServiceAccountTokenError } from "../../mod.ts";

const envOf = (vars: Record<string, string>) => (name: string): string | undefined => vars[name];
const KEYS = { MONGODB_ATLAS_PUBLIC_API_KEY: "pub", MONGODB_ATLAS_PRIVATE_API_KEY: "priv" };
const SA = { MONGODB_ATLAS_CLIENT_ID: "mdb_sa_id_x", MONGODB_ATLAS_CLIENT_SECRET: "mdb_sa_sk_y" };

Deno.test("readSettings() prefers a complete service account over an API key", () => {
  assert.deepEqual(readSettings(envOf({ ...KEYS, ...SA })), {
    clientId: "mdb_sa_id_x",
    clientSecret: "mdb_sa_sk_y",
    baseUrl: undefined,
  });
  assert.deepEqual(readSettings(envOf(SA)), {
    clientId: "mdb_sa_id_x",
    clientSecret: "mdb_sa_sk_y",
    baseUrl: undefined,
  });
});

Deno.test("readSettings() refuses a service account set halfway instead of falling back to the API key", () => {
  for (
    const [vars, missing] of [
      [{ ...KEYS, MONGODB_ATLAS_CLIENT_ID: "id" }, "MONGODB_ATLAS_CLIENT_SECRET"],
      [{ MONGODB_ATLAS_CLIENT_SECRET: "hidden-secret" }, "MONGODB_ATLAS_CLIENT_ID"],
    ] as const
  ) {
    assert.throws(() => readSettings(envOf(vars)), (e: unknown) => {
      assert.ok(e instanceof CliConfigError);
      assert.equal(e.kind, "credentials");
      assert.match(e.message, new RegExp(`^Incomplete Atlas service account: set ${missing} `));
      assert.ok(!e.message.includes("hidden-secret"));
      return true;
    });
  }
});

Deno.test("readSettings() reads MONGODB_ATLAS_API_VERSION and adds the matching API path to a bare origin", () => {
  assert.deepEqual(
    readSettings(envOf({
      ...SA,
      MONGODB_ATLAS_API_VERSION: "2023-01-01",
      MONGODB_ATLAS_BASE_URL: "https://cloud.mongodb.com/",
    })),
    {
      clientId: "mdb_sa_id_x",
      clientSecret: "mdb_sa_sk_y",
      baseUrl: "https://cloud.mongodb.com/api/atlas/v2",
      apiVersion: "2023-01-01",
    },
  );
  assert.equal(readApiVersion(envOf({ MONGODB_ATLAS_API_VERSION: "v2" })), "2023-01-01");
  assert.equal(readApiVersion(envOf({ MONGODB_ATLAS_API_VERSION: " v1.0 " })), "v1.0");
  assert.equal(readApiVersion(envOf({})), undefined);
  assert.equal(
    readBaseUrl(envOf({ MONGODB_ATLAS_BASE_URL: "http://127.0.0.1:9000/" })),
    "http://127.0.0.1:9000/api/atlas/v1.0",
  );
  assert.throws(() => readSettings(envOf({ ...KEYS, MONGODB_ATLAS_API_VERSION: "2" })), {
    name: "CliConfigError",
    kind: "api-version",
    message: "MONGODB_ATLAS_API_VERSION must be v1.0 or 2023-01-01 (v2)",
  });
});

Deno.test("classify() maps ServiceAccountTokenError to the auth exit code with a hint", () => {
  const rejected = classify(
    new ServiceAccountTokenError({
      code: "CREDENTIALS_REJECTED",
      tokenUrl: "https://cloud.mongodb.com/api/oauth/token",
      status: 401,
      oauthError: "invalid_client",
    }),
    { baseUrl: "https://cloud.mongodb.com/api/atlas/v2", elapsedMs: 0 },
  );
  assert.equal(rejected.exitCode, 6);
  assert.equal(rejected.kind, "auth");
  assert.match(rejected.message, /Check MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET/);
  assert.deepEqual(rejected.details, { status: 401, code: "CREDENTIALS_REJECTED" });
  const network = classify(
    new ServiceAccountTokenError({ code: "NETWORK_ERROR", tokenUrl: "https://x.test/t" }),
    { baseUrl: "https://x.test", elapsedMs: 0 },
  );
  assert.equal(network.exitCode, 6);
  assert.equal(network.kind, "network");
});
