// What a Digest server puts in its challenge is taken as the bytes it sent and quoted only briefly:
// a huge WWW-Authenticate does not become a huge error message, a realm or nonce outside ASCII is
// hashed over its bytes (checked here against node:crypto, not against this package's own
// hashing), and the algorithm token is matched with ASCII case folding only.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { createDigestFetch, DigestAuthError } from "../../mod.ts";
import { hostile, type HostileServer, PASSWORD, USER } from "./_hostile.ts";

/** A server that answers every request with 401 and `challenge`. */
const challenging = (challenge: string) =>
  hostile((_req, res) => {
    res.writeHead(401, { "www-authenticate": challenge, "content-length": "0" }).end();
  });

async function authError(url: string, password = PASSWORD): Promise<DigestAuthError> {
  const digestFetch = createDigestFetch({ username: USER, password });
  const error = await digestFetch(url).then(
    (response) => assert.fail(`got ${response.status}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DigestAuthError, `expected DigestAuthError, got ${error}`);
  return error;
}

Deno.test("createDigestFetch() keeps the error message short when the server offers hundreds of unsupported challenges", async () => {
  const offered = Array.from(
    { length: 150 },
    (_, i) => `Digest realm="r${i}", nonce="n${i}", algorithm=SHA-1-${"x".repeat(30)}`,
  );
  const server = await challenging(offered.join(", "));
  try {
    const error = await authError(`${server.url}/x`);
    assert.equal(error.code, "UNSUPPORTED_CHALLENGE");
    assert.ok(error.message.length <= 1000, `${error.message.length} characters`);
    assert.match(error.message, /^Cannot authenticate GET http:\/\/127\.0\.0\.1:\d+\/x: /);
    assert.match(error.message, /and 146 more/);
  } finally {
    await server.close();
  }
});

Deno.test("createDigestFetch() keeps the error message short when the server offers hundreds of other schemes", async () => {
  const schemes = Array.from({ length: 400 }, (_, i) => `Scheme${i}${"y".repeat(20)} a=b`);
  const server = await challenging(schemes.join(", "));
  try {
    const error = await authError(`${server.url}/x`);
    assert.equal(error.code, "NO_DIGEST_CHALLENGE");
    assert.ok(error.message.length <= 1000, `${error.message.length} characters`);
  } finally {
    await server.close();
  }
});

const md5 = (...parts: Buffer[]): string =>
  createHash("md5").update(Buffer.concat(parts)).digest("hex");
/** A header value as its bytes (Node reads and writes header strings as latin1). */
const bytes = (header: string): Buffer => Buffer.from(header, "latin1");
const utf8 = (text: string): Buffer => Buffer.from(text, "utf8");

/** The parameters of an `Authorization: Digest ...` header (plain quoted strings only). */
function paramsOf(req: IncomingMessage): Map<string, string> {
  const header = req.headers.authorization ?? "";
  return new Map(
    [...header.matchAll(/([\w*]+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) =>
      [m[1]!, m[2] ?? m[3]!] as [string, string]
    ),
  );
}

/**
 * A strict Digest server over raw bytes: `realm` and `nonce` are latin1 strings standing for
 * the bytes on the wire; the user's name and password are UTF-8. Answers 200 only to a correct
 * response for qop=auth and `algorithm` (MD5 or MD5-sess in any case), and records what it saw.
 */
async function byteServer(
  realm: string,
  nonce: string,
  password: string,
  algorithm = "MD5",
): Promise<{ seen: Map<string, string>[]; server: HostileServer }> {
  const seen: Map<string, string>[] = [];
  const challenge = `Digest realm="${realm}", nonce="${nonce}", qop="auth", algorithm=${algorithm}`;
  return {
    seen,
    server: await hostile((req, res) => {
      if (req.headers.authorization !== undefined) {
        const p = paramsOf(req);
        seen.push(p);
        let ha1 = md5(utf8(USER), bytes(":"), bytes(realm), bytes(":"), utf8(password));
        if (/-sess$/i.test(algorithm)) ha1 = md5(bytes(`${ha1}:${nonce}:${p.get("cnonce")}`));
        const ha2 = md5(bytes(`${req.method}:${p.get("uri")}`));
        const expected = md5(
          bytes(`${ha1}:${nonce}:${p.get("nc")}:${p.get("cnonce")}:${p.get("qop")}:${ha2}`),
        );
        if (p.get("response") === expected) {
          res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
          return;
        }
      }
      res.writeHead(401, { "www-authenticate": challenge, "content-length": "0" }).end();
    }),
  };
}

Deno.test("createDigestFetch() hashes a non-ASCII realm and nonce over the bytes the server sent", async () => {
  // The UTF-8 bytes of "Atlas – Région ✓", and a nonce with raw bytes 0xE9 and 0xFF.
  const realm = utf8("Atlas – Région ✓").toString("latin1");
  const nonce = "c0ffee\u00e9\u00ff42";
  const password = "pässwörd ✓";
  const { seen, server: running } = await byteServer(realm, nonce, password);
  try {
    const digestFetch = createDigestFetch({ username: USER, password });
    const response = await digestFetch(`${running.url}/x`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
    assert.equal(seen.length, 1);
    // Echoed byte for byte.
    assert.equal(seen[0]!.get("realm"), realm);
    assert.equal(seen[0]!.get("nonce"), nonce);
  } finally {
    await running.close();
  }
});

Deno.test("createDigestFetch() refuses an algorithm that only a Unicode case mapping makes supported", async () => {
  // "MD5-seß".toUpperCase() is "MD5-SESS"; the token is no token at all.
  const server = await challenging(
    'Digest realm="r", nonce="n", qop="auth", algorithm="MD5-se\u00df"',
  );
  try {
    const error = await authError(`${server.url}/x`);
    assert.equal(error.code, "UNSUPPORTED_CHALLENGE");
    assert.deepEqual(server.seen.map((s) => s.authorization), [undefined]);
  } finally {
    await server.close();
  }
});

Deno.test("createDigestFetch() folds the algorithm's ASCII case and echoes the token exactly as sent", async () => {
  const { seen, server: running } = await byteServer("r", "n0", PASSWORD, "md5-SESS");
  try {
    const response = await createDigestFetch({ username: USER, password: PASSWORD })(
      `${running.url}/x`,
    );
    assert.equal(response.status, 200);
    await response.body?.cancel();
    assert.equal(seen[0]!.get("algorithm"), "md5-SESS");
  } finally {
    await running.close();
  }
});
