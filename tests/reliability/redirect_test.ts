// Redirects the Digest engine follows stay on http(s), as fetch's own do: a server that answers an
// authenticated request with a redirect to file:, data:, blob: or anything else gets a typed
// error that quotes nothing of the target, and an https origin never leads down to plain http.
import assert from "node:assert/strict";
import { createDigestFetch, DigestAuthError, getPrivateEndpoint } from "../../mod.ts";
import {
  CHALLENGE,
  challenged,
  clientOf,
  hostile,
  type HostileServer,
  PASSWORD,
  REF,
  USER,
} from "./_hostile.ts";

/** Where hostile servers redirect to, by what they try. */
const TARGETS: Record<string, string> = {
  // This very file: readable by the test (Deno with read permission reads file: URLs).
  "a local file": import.meta.url,
  "a data: URL": 'data:application/json,{"interfaceEndpointId":"vpce-0123456789abcdef0"}',
  "a blob: URL": "blob:http://127.0.0.1/0b9c9f0e-1111-4222-8333-444455556666",
  "an ftp: URL": "ftp://127.0.0.1/secret",
  "a javascript: URL": "javascript:void(0)",
  "no URL at all": "http://[::1",
};

/** Asserts a refused redirect that names the request and quotes nothing of `location`. */
function assertRefused(error: unknown, location: string, url: RegExp): void {
  assert.ok(error instanceof DigestAuthError, `expected DigestAuthError, got ${error}`);
  assert.equal(error.code, "REDIRECT_REFUSED");
  assert.equal(error.status, 302);
  assert.match(error.message, url);
  assert.ok(!error.message.includes(location), error.message);
  const scheme = location.slice(0, location.indexOf(":") + 1);
  if (!scheme.startsWith("http")) assert.ok(!error.message.includes(scheme), error.message);
  assert.equal(error.cause, undefined);
}

/** A server that challenges, then redirects every authenticated request to `location`. */
const redirecting = (location: string) =>
  hostile((req, res) => {
    if (challenged(req, res)) return;
    res.writeHead(302, { location, "content-length": "0" }).end();
  });

for (const [what, location] of Object.entries(TARGETS)) {
  Deno.test(`createDigestFetch() refuses a redirect to ${what}`, async () => {
    const server = await redirecting(location);
    try {
      const digestFetch = createDigestFetch({ username: USER, password: PASSWORD });
      const error = await digestFetch(`${server.url}/x`).then(
        (response) => assert.fail(`followed to ${response.status} ${response.url}`),
        (e: unknown) => e,
      );
      assertRefused(
        error,
        location,
        /^Cannot follow redirect of GET http:\/\/127\.0\.0\.1:\d+\/x: /,
      );
      assert.equal(server.seen.length, 2, "the challenge and the authenticated request");
    } finally {
      await server.close();
    }
  });
}

for (const what of ["a local file", "a data: URL"]) {
  Deno.test(`getPrivateEndpoint() refuses a redirect to ${what} instead of reading it as the endpoint`, async () => {
    const location = TARGETS[what]!;
    const server = await redirecting(location);
    try {
      const error = await getPrivateEndpoint(clientOf(server), REF).then(
        (endpoint) => assert.fail(`read ${JSON.stringify(endpoint).slice(0, 80)}`),
        (e: unknown) => e,
      );
      assertRefused(error, location, /^Cannot follow redirect of GET http:\/\/127\.0\.0\.1:\d+\//);
    } finally {
      await server.close();
    }
  });
}

/** A fetch for https origins (no TLS on loopback): challenges, then answers `answer()`. */
function httpsOrigin(answer: (request: Request) => Response): {
  fetch: (request: Request) => Promise<Response>;
  urls: string[];
} {
  const urls: string[] = [];
  return {
    urls,
    fetch: (request) => {
      urls.push(request.url);
      if (!request.headers.has("authorization") && request.url.startsWith("https://api.")) {
        return Promise.resolve(
          new Response(null, { status: 401, headers: { "www-authenticate": CHALLENGE } }),
        );
      }
      return Promise.resolve(answer(request));
    },
  };
}

/**
 * Starts at https://api.example.test/start on origins whose paths redirect as `routes` say, and
 * asserts that the last hop, down to plain http, is refused from `from` and never sent.
 */
async function assertDowngradeRefused(routes: Record<string, string>, from: string): Promise<void> {
  const origin = httpsOrigin((request) => {
    const location = routes[new URL(request.url).pathname];
    return location
      ? new Response(null, { status: 302, headers: { location } })
      : Response.json({ at: request.url });
  });
  const digestFetch = createDigestFetch({ username: USER, password: PASSWORD, ...origin });
  const error = await digestFetch("https://api.example.test/start").then(
    (response) => assert.fail(`ended at ${response.status} ${response.url}`),
    (e: unknown) => e,
  );
  const escaped = from.replace(/[./]/g, "\\$&");
  assertRefused(
    error,
    Object.values(routes).at(-1)!,
    new RegExp(
      `^Cannot follow redirect of GET ${escaped}: it leads from https down to plain http$`,
    ),
  );
  assert.deepEqual(origin.urls.filter((url) => url.startsWith("http:")), []);
}

Deno.test("createDigestFetch() refuses a redirect from https down to http", async () => {
  await assertDowngradeRefused(
    { "/start": "http://api.example.test/next" },
    "https://api.example.test/start",
  );
});

Deno.test("createDigestFetch() still follows redirects from https to https, and from http to https", async () => {
  const origin = httpsOrigin((request) =>
    request.url.endsWith("/start")
      ? new Response(null, { status: 302, headers: { location: "https://other.example.test/end" } })
      : Response.json({ at: request.url })
  );
  const digestFetch = createDigestFetch({ username: USER, password: PASSWORD, ...origin });
  for (const start of ["https://api.example.test/start", "http://plain.example.test/start"]) {
    const response = await digestFetch(start);
    assert.deepEqual(await response.json(), { at: "https://other.example.test/end" });
  }
});

Deno.test("createDigestFetch() refuses https down to http after a hop to another origin", async () => {
  await assertDowngradeRefused(
    { "/start": "https://other.example.test/hop", "/hop": "http://other.example.test/down" },
    "https://other.example.test/hop",
  );
});

/** Two loopback origins: the first challenges and sends authenticated requests to the second. */
async function twoOrigins(
  second: (target: string) => [number, Record<string, string>],
): Promise<{ first: HostileServer; other: HostileServer; close: () => Promise<unknown> }> {
  const other = await hostile((req, res) => {
    const [status, headers] = second(req.url ?? "");
    res.writeHead(status, { ...headers, "content-length": "2" }).end("{}");
  });
  const first = await hostile((req, res) => {
    if (challenged(req, res)) return;
    res.writeHead(302, { location: `${other.url}/one`, "content-length": "0" }).end();
  });
  return { first, other, close: () => Promise.all([first.close(), other.close()]) };
}

Deno.test("createDigestFetch() checks each redirect after a hop to another origin, without credentials", async () => {
  const location = 'data:application/json,{"stolen":true}';
  const servers = await twoOrigins(() => [302, { location }]);
  try {
    const digestFetch = createDigestFetch({ username: USER, password: PASSWORD });
    const error = await digestFetch(`${servers.first.url}/start`).then(
      (response) => assert.fail(`ended at ${response.status}`),
      (e: unknown) => e,
    );
    assertRefused(
      error,
      location,
      /^Cannot follow redirect of GET http:\/\/127\.0\.0\.1:\d+\/one: /,
    );
    assert.deepEqual(servers.other.seen.map((s) => s.authorization), [undefined]);
  } finally {
    await servers.close();
  }
});

Deno.test("createDigestFetch() follows several redirects on another origin without sending it credentials", async () => {
  const servers = await twoOrigins((target) =>
    target === "/one" ? [307, { location: "/two" }] : [200, { "content-type": "application/json" }]
  );
  try {
    const response = await createDigestFetch({ username: USER, password: PASSWORD })(
      `${servers.first.url}/start`,
    );
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {});
    assert.deepEqual(servers.other.seen.map((s) => [s.target, s.authorization]), [
      ["/one", undefined],
      ["/two", undefined],
    ]);
  } finally {
    await servers.close();
  }
});
