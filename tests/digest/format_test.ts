// Item 3: the Authorization header the client writes, seen by the server (injected fetch).
import assert from "node:assert/strict";
import { createDigestFetch } from "../../mod.ts";
import { createDigestTestServer } from "../../src/testing/mod.ts";
import { authParams, challengeHandler, recordingFetch } from "./_helpers.ts";

Deno.test("createDigestFetch() quotes and escapes strings and leaves algorithm, qop and nc bare", async () => {
  const { fetch, seen } = recordingFetch(challengeHandler(
    'Digest realm="we \\"quote\\" \\\\ here", nonce="n\\"1", algorithm=SHA-256, qop="auth", ' +
      'opaque="op \\"aque\\" \\\\"',
  ));
  const digestFetch = createDigestFetch({ username: 'al"ice\\', password: "pw", fetch });
  const response = await digestFetch("http://127.0.0.1/x");
  assert.equal(response.status, 200);
  await response.body?.cancel();
  const header = seen[1]!.authorization!;
  assert.match(
    header,
    /^Digest username="al\\"ice\\\\", realm="we \\"quote\\" \\\\ here", nonce="n\\"1", uri="\/x", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="[0-9a-f]{32}", opaque="op \\"aque\\" \\\\", response="[0-9a-f]{64}"$/,
  );
  const params = authParams(header);
  assert.equal(params.get("username"), 'al"ice\\');
  assert.equal(params.get("realm"), 'we "quote" \\ here');
  assert.equal(params.get("opaque"), 'op "aque" \\');
});

Deno.test("createDigestFetch() echoes algorithm only when the server sent it, as sent", async () => {
  const without = recordingFetch(challengeHandler('Digest realm="r", nonce="n", qop="auth"'));
  await (await createDigestFetch({ username: "u", password: "p", fetch: without.fetch })(
    "http://127.0.0.1/",
  )).body?.cancel();
  assert.doesNotMatch(without.seen[1]!.authorization!, /algorithm/);

  const lower = recordingFetch(challengeHandler('Digest realm="r", nonce="n", algorithm=md5'));
  await (await createDigestFetch({ username: "u", password: "p", fetch: lower.fetch })(
    "http://127.0.0.1/",
  )).body?.cancel();
  const header = lower.seen[1]!.authorization!;
  assert.match(header, /, algorithm=md5, /);
  // No qop: the RFC 2069 form, without qop, nc or cnonce.
  assert.doesNotMatch(header, /qop|nc=|cnonce/);
  assert.doesNotMatch(header, /opaque/);
  assert.match(header, /, response="[0-9a-f]{32}"$/);
});

Deno.test("createDigestFetch() sends uri as the exact request target with its query", async () => {
  const server = createDigestTestServer({ realm: "r", credentials: { u: "p" } });
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch: server.fetch });
  const targets = [
    "/api/atlas/v2/groups/5f1/privateEndpoint/AWS/endpointService/64a/endpoint?pretty=true&x=%2F",
    "/a%20b/%C3%A9?q=a+b&r=%26#fragment",
    "/",
  ];
  for (const target of targets) {
    const response = await digestFetch(`http://127.0.0.1${target}`);
    const { uri } = await response.json();
    assert.equal(uri, target.split("#")[0]);
  }
  // One challenge for the first call, then one round trip each: the uri was accepted each time.
  assert.equal(server.requests, targets.length + 1);
});

Deno.test("createDigestFetch() counts nc in 8 lowercase hex digits per nonce from 00000001", async () => {
  let nonce = 0;
  const { fetch, seen } = recordingFetch((request) => {
    const auth = request.headers.get("authorization");
    const nc = auth ? authParams(auth).get("nc") : undefined;
    // Every 20th use of a nonce is stale: a new nonce must restart at 00000001.
    if (auth === null || nc === "00000014") {
      nonce++;
      return new Response(null, {
        status: 401,
        headers: {
          "www-authenticate": `Digest realm="r", nonce="n${nonce}", qop="auth"${
            auth ? ", stale=true" : ""
          }`,
        },
      });
    }
    return new Response(null, { status: 204 });
  });
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  for (let i = 0; i < 25; i++) await digestFetch("http://127.0.0.1/");
  const used = seen.filter((s) => s.authorization !== null).map((s) => {
    const p = authParams(s.authorization);
    return `${p.get("nonce")}:${p.get("nc")}`;
  });
  const expected = [
    ...Array.from({ length: 20 }, (_, i) => `n1:${(i + 1).toString(16).padStart(8, "0")}`),
    ...Array.from({ length: 6 }, (_, i) => `n2:${(i + 1).toString(16).padStart(8, "0")}`),
  ];
  assert.deepEqual(used, expected);
  assert.ok(used.includes("n1:0000000a") && used.includes("n1:00000010"));
});

Deno.test("createDigestFetch() uses a fresh random cnonce of at least 64 bits per request", async () => {
  const { fetch, seen } = recordingFetch(challengeHandler('Digest realm="r", nonce="n", qop=auth'));
  const digestFetch = createDigestFetch({ username: "u", password: "p", fetch });
  for (let i = 0; i < 50; i++) await (await digestFetch("http://127.0.0.1/")).body?.cancel();
  const cnonces = seen.slice(1).map((s) => authParams(s.authorization).get("cnonce")!);
  assert.equal(new Set(cnonces).size, 50);
  for (const c of cnonces) assert.match(c, /^[0-9a-f]{16,}$/);
});

Deno.test("createDigestFetch() sends username* for a non-ASCII name, and a hash with userhash", async () => {
  const star = recordingFetch(
    challengeHandler('Digest realm="api@example.org", nonce="n", qop=auth'),
  );
  await (await createDigestFetch({
    username: "J\u00e4s\u00f8n Doe",
    password: "p",
    fetch: star.fetch,
  })(
    "http://127.0.0.1/doe.json",
  )).body?.cancel();
  const header = star.seen[1]!.authorization!;
  assert.match(header, /^Digest username\*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=/);

  const server = createDigestTestServer({
    realm: "api@example.org",
    credentials: { "J\u00e4s\u00f8n Doe": "Secret, or not?" },
    algorithms: ["SHA-256"],
    userhash: true,
  });
  const hashed = recordingFetch((request) => server.fetch(request));
  const digestFetch = createDigestFetch({
    username: "J\u00e4s\u00f8n Doe",
    password: "Secret, or not?",
    fetch: hashed.fetch,
  });
  const response = await digestFetch("http://127.0.0.1/doe.json");
  assert.equal((await response.json()).username, "J\u00e4s\u00f8n Doe");
  const params = authParams(hashed.seen[1]!.authorization);
  assert.match(params.get("username")!, /^[0-9a-f]{64}$/);
  assert.equal(params.get("userhash"), "true");
  assert.match(hashed.seen[1]!.authorization!, /, userhash=true, response="[0-9a-f]{64}"$/);
});
