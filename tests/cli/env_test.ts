import assert from "node:assert/strict";
import { CliConfigError, readBaseUrl, readSettings } from "../../src/cli/_env.ts";

const envOf = (vars: Record<string, string>) => (name: string): string | undefined => vars[name];

Deno.test("readSettings() reads the Atlas CLI names first, then the Terraform names", () => {
  assert.deepEqual(
    readSettings(envOf({
      MONGODB_ATLAS_PUBLIC_API_KEY: "pub-cli",
      MONGODB_ATLAS_PRIVATE_API_KEY: "priv-cli",
      MONGODB_ATLAS_PUBLIC_KEY: "pub-tf",
      MONGODB_ATLAS_PRIVATE_KEY: "priv-tf",
    })),
    { publicKey: "pub-cli", privateKey: "priv-cli", baseUrl: undefined },
  );
  assert.deepEqual(
    readSettings(
      envOf({ MONGODB_ATLAS_PUBLIC_KEY: "pub-tf", MONGODB_ATLAS_PRIVATE_KEY: "priv-tf" }),
    ),
    { publicKey: "pub-tf", privateKey: "priv-tf", baseUrl: undefined },
  );
});

Deno.test("readSettings() treats empty variables as unset", () => {
  const settings = readSettings(envOf({
    MONGODB_ATLAS_PUBLIC_API_KEY: "",
    MONGODB_ATLAS_PRIVATE_API_KEY: "  ",
    MONGODB_ATLAS_PUBLIC_KEY: "pub-tf",
    MONGODB_ATLAS_PRIVATE_KEY: "priv-tf",
  }));
  assert.equal(settings.publicKey, "pub-tf");
  assert.equal(settings.privateKey, "priv-tf");
});

Deno.test("readSettings() names the missing variables and never a value", () => {
  assert.throws(
    () => readSettings(envOf({ MONGODB_ATLAS_PUBLIC_API_KEY: "pub-value" })),
    (e: unknown) =>
      e instanceof CliConfigError && e.kind === "credentials" &&
      e.message ===
        "Cannot read Atlas API key: set MONGODB_ATLAS_PRIVATE_API_KEY (or MONGODB_ATLAS_PRIVATE_KEY) in the environment",
  );
  assert.throws(() => readSettings(envOf({})), {
    message:
      "Cannot read Atlas credentials: set MONGODB_ATLAS_PUBLIC_API_KEY (or MONGODB_ATLAS_PUBLIC_KEY) and MONGODB_ATLAS_PRIVATE_API_KEY (or MONGODB_ATLAS_PRIVATE_KEY) in the environment, or MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET for a service account",
  });
});

Deno.test("readBaseUrl() adds the API path to a bare origin and keeps an explicit path", () => {
  const read = (value: string): string | undefined =>
    readBaseUrl(envOf({ MONGODB_ATLAS_BASE_URL: value }));
  assert.equal(read("https://cloud.mongodb.com/"), "https://cloud.mongodb.com/api/atlas/v1.0");
  assert.equal(read("https://cloud.mongodb.com"), "https://cloud.mongodb.com/api/atlas/v1.0");
  assert.equal(
    read("http://127.0.0.1:8080/api/atlas/v1.0/"),
    "http://127.0.0.1:8080/api/atlas/v1.0",
  );
  assert.equal(read("https://example.test/custom"), "https://example.test/custom");
  assert.equal(readBaseUrl(envOf({})), undefined);
});

Deno.test("readBaseUrl() refuses a port out of range or one fetch blocks, naming the variable", () => {
  const cases: [string, string][] = [
    ["http://127.0.0.1:99999", "its port 99999 is out of range (1 to 65535)"],
    ["http://127.0.0.1:6000/api/atlas/v1.0", 'fetch refuses port 6000 (a "bad port"'],
    ["https://localhost:10080", "fetch refuses port 10080"],
  ];
  for (const [value, reason] of cases) {
    assert.throws(
      () => readBaseUrl(envOf({ MONGODB_ATLAS_BASE_URL: value })),
      (e: unknown) =>
        e instanceof CliConfigError && e.kind === "base-url" &&
        e.message.startsWith(`Cannot use MONGODB_ATLAS_BASE_URL: ${reason}`),
      value,
    );
  }
  // A port fetch allows is kept.
  assert.equal(
    readBaseUrl(envOf({ MONGODB_ATLAS_BASE_URL: "http://127.0.0.1:6001" })),
    "http://127.0.0.1:6001/api/atlas/v1.0",
  );
});

Deno.test("readBaseUrl() rejects non-URLs, other schemes and embedded credentials", () => {
  for (
    const value of ["not a url", "ftp://cloud.mongodb.com", "https://user:pw@cloud.mongodb.com"]
  ) {
    assert.throws(
      () => readBaseUrl(envOf({ MONGODB_ATLAS_BASE_URL: value })),
      (e: unknown) =>
        e instanceof CliConfigError && e.kind === "base-url" && !e.message.includes("pw@") &&
        e.message.startsWith("Cannot use MONGODB_ATLAS_BASE_URL: it "),
      value,
    );
  }
});
