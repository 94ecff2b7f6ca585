// The verifier against curl, an independent Digest client, over real loopback HTTP.
import assert from "node:assert/strict";
import {
  createDigestTestServer,
  type DigestTestServer,
  type DigestTestServerOptions,
} from "../../src/testing/digest_verifier.ts";
import { type RunningServer, serve } from "../../src/testing/serve.ts";
import { curl } from "./_curl.ts";

interface Started {
  digest: DigestTestServer;
  server: RunningServer;
  authorizations: string[];
}

/** Serves a test server that also records every Authorization header it receives. */
async function start(options: Partial<DigestTestServerOptions> = {}): Promise<Started> {
  const digest = createDigestTestServer({
    realm: "curl-realm",
    credentials: { alice: "s3cret" },
    ...options,
  });
  const authorizations: string[] = [];
  const server = await serve((request) => {
    const header = request.headers.get("authorization");
    if (header) authorizations.push(header);
    return digest.fetch(request);
  });
  return { digest, server, authorizations };
}

for (const algorithm of ["MD5", "SHA-256"] as const) {
  Deno.test(`createDigestTestServer() accepts curl --digest with ${algorithm} for GET and POST`, async () => {
    const { digest, server } = await start({ algorithms: [algorithm] });
    try {
      const [get] = await curl("alice:s3cret", [`${server.url}/items?pretty=true&x=%2F`]);
      assert.equal(get!.status, 200);
      assert.deepEqual(JSON.parse(get!.body), {
        method: "GET",
        uri: "/items?pretty=true&x=%2F",
        body: "",
        username: "alice",
      });
      const body = '{"id":"vpce-0123456789abcdef0","note":"é"}';
      const [post] = await curl("alice:s3cret", [`${server.url}/items`], [
        "-H",
        "content-type: application/json",
        "--data-binary",
        body,
      ]);
      assert.equal(post!.status, 200);
      assert.deepEqual(JSON.parse(post!.body), {
        method: "POST",
        uri: "/items",
        body,
        username: "alice",
      });
      assert.equal(digest.verifier.stats.accepted, 2);
      assert.deepEqual(Object.keys(digest.verifier.stats.rejected), ["missing"]);
    } finally {
      await server.close();
    }
  });
}

Deno.test("createDigestTestServer() rejects curl with a wrong password", async () => {
  const { digest, server } = await start();
  try {
    const [result] = await curl("alice:wrong", [`${server.url}/items`]);
    assert.equal(result!.status, 401);
    assert.deepEqual(JSON.parse(result!.body), { error: 401, reason: "credentials" });
    assert.equal(digest.verifier.stats.accepted, 0);
    assert.equal(digest.verifier.stats.rejected.credentials, 1);
  } finally {
    await server.close();
  }
});

for (const ncPolicy of ["strict", "unique"] as const) {
  Deno.test(`createDigestTestServer() with ${ncPolicy} nc accepts curl and rejects a replay of its Authorization`, async () => {
    const { digest, server, authorizations } = await start({ ncPolicy });
    try {
      // One curl run, two URLs (curl 7.88 answers a fresh challenge for each).
      const results = await curl("alice:s3cret", [`${server.url}/a`, `${server.url}/a`]);
      assert.deepEqual(results.map((r) => r.status), [200, 200]);
      assert.equal(digest.verifier.stats.accepted, 2);
      assert.match(authorizations.at(-1)!, /nc=00000001/);
      // Replaying curl's last Authorization verbatim is refused.
      const replay = await fetch(`${server.url}/a`, {
        headers: { authorization: authorizations.at(-1)! },
      });
      assert.equal(replay.status, 401);
      assert.deepEqual(await replay.json(), { error: 401, reason: "nc" });
      assert.equal(digest.verifier.stats.rejected.nc, 1);
    } finally {
      await server.close();
    }
  });
}
