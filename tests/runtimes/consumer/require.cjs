// A CommonJS consumer: `require()` of the ESM-only package, through Node's require(esm)
// (Node >= 20.19, 22.12) and Bun. Prints one JSON line with what it loaded.
// deno-lint-ignore-file no-console
"use strict";
const assert = require("node:assert/strict");
const lib = require("@atlas-edge/private-endpoint");
const testing = require("@atlas-edge/private-endpoint/testing");

assert.equal(typeof lib.DigestAuthError, "function");
assert.equal(typeof testing.serve, "function");
assert.equal(typeof testing.createDigestTestServer, "function");

(async () => {
  const digest = testing.createDigestTestServer({ realm: "r", credentials: { pk: "sk" } });
  const server = await testing.serve(digest.fetch);
  try {
    const response = await fetch(server.url);
    await response.body?.cancel();
    assert.equal(response.status, 401);
    console.log(JSON.stringify({
      main: Object.keys(lib).sort(),
      testing: Object.keys(testing).sort(),
      status: response.status,
    }));
  } finally {
    await server.close();
  }
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
