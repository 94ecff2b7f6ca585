// The simulator's token endpoint and bearer tokens over loopback, and createAtlasClient with a
// service account against it: expiry on the simulator clock, revoked tokens and credentials.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  AtlasApiError,
  AtlasValidationError,
  createAtlasClient,
  getPrivateEndpoint,
  ServiceAccountTokenError,
} from "../../mod.ts";
import {
  type AtlasSimulator,
  createAtlasSimulator,
  DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
  type RunningServer,
  serve,
} from "../../src/testing/mod.ts";

const { clientId, clientSecret } = DEFAULT_SIMULATOR_SERVICE_ACCOUNT;
const VPCE = "vpce-0123456789abcdef0";

interface Setup {
  sim: AtlasSimulator;
  server: RunningServer;
  ref: { groupId: string; endpointServiceId: string; cloudProvider: "AWS"; endpointId: string };
}

async function setup(options: Parameters<typeof createAtlasSimulator>[0] = {}): Promise<Setup> {
  const t = 1_700_000_000_000;
  const sim = createAtlasSimulator({ now: () => t, ...options });
  const { groupId, AWS } = sim.seed();
  const server = await serve(sim.fetch);
  return {
    sim,
    server,
    ref: { groupId, endpointServiceId: AWS, cloudProvider: "AWS", endpointId: VPCE },
  };
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`, "utf8").toString("base64")}`;
}

function tokenRequest(
  s: Setup,
  authorization: string,
  body = "grant_type=client_credentials",
): Promise<Response> {
  return fetch(`${s.server.url}/api/oauth/token`, {
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}

Deno.test("createAtlasSimulator() issues a token for the right credentials and refuses wrong ones", async () => {
  const s = await setup();
  try {
    const ok = await tokenRequest(s, basic(clientId, clientSecret));
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("cache-control"), "no-store");
    const body = await ok.json();
    assert.equal(body.token_type, "Bearer");
    assert.equal(body.expires_in, 3600);
    assert.match(body.access_token, /^[A-Za-z0-9._-]+$/);

    const wrong = await tokenRequest(s, basic(clientId, "wrong"));
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), {
      error: "invalid_client",
      error_description: "Invalid client credentials.",
    });
    // The gotcha of some OAuth libraries: form-encoding the id first ("_" -> "%5F") is refused.
    const encoded = await tokenRequest(
      s,
      basic(encodeURIComponent(clientId).replaceAll("_", "%5F"), clientSecret),
    );
    assert.equal(encoded.status, 401);
    await encoded.body?.cancel();
    const grant = await tokenRequest(s, basic(clientId, clientSecret), "grant_type=password");
    assert.equal(grant.status, 400);
    assert.equal((await grant.json()).error, "unsupported_grant_type");
    assert.equal(s.sim.stats.tokensIssued, 1);
    assert.equal(s.sim.stats.tokenRequestsRejected, 3);
  } finally {
    await s.server.close();
  }
});

Deno.test("createAtlasSimulator() accepts a bearer token until it expires on the simulator clock, or is revoked", async () => {
  const s = await setup();
  try {
    const { access_token: token } = await (await tokenRequest(s, basic(clientId, clientSecret)))
      .json();
    const url = `${s.server.url}${s.sim.basePath}/groups/${s.ref.groupId}/privateEndpoint/AWS/` +
      `endpointService/${s.ref.endpointServiceId}/endpoint/${VPCE}`;
    const read = () => fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const before = await read();
    assert.equal(before.status, 404); // authenticated: the endpoint does not exist
    await before.body?.cancel();
    s.sim.clock.advance(3_600_000);
    const after = await read();
    assert.equal(after.status, 401);
    // Atlas's 401 body carries no errorCode.
    assert.deepEqual(await after.json(), {
      error: 401,
      reason: "Unauthorized",
      detail: "You are not authorized for this resource.",
    });

    const fresh = (await (await tokenRequest(s, basic(clientId, clientSecret))).json())
      .access_token;
    const revoke = await fetch(`${s.server.url}/api/oauth/revoke`, {
      method: "POST",
      headers: {
        authorization: basic(clientId, clientSecret),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: fresh }).toString(),
    });
    assert.equal(revoke.status, 200);
    await revoke.body?.cancel();
    const revoked = await fetch(url, { headers: { authorization: `Bearer ${fresh}` } });
    assert.equal(revoked.status, 401);
    await revoked.body?.cancel();
    assert.equal(s.sim.stats.bearerRejected, 2);
  } finally {
    await s.server.close();
  }
});

Deno.test("createAtlasClient() with a service account gets a new token when the old one expires on the simulator clock", async () => {
  const s = await setup();
  try {
    const client = createAtlasClient({
      clientId,
      clientSecret,
      baseUrl: `${s.server.url}${s.sim.basePath}`,
      now: s.sim.clock.now,
    });
    for (let i = 0; i < 3; i++) {
      await assert.rejects(getPrivateEndpoint(client, s.ref), {
        name: "AtlasApiError",
        status: 404,
      });
    }
    assert.equal(s.sim.stats.tokensIssued, 1);
    s.sim.clock.advance(3_600_000 - 60_000); // the refresh point: replaced before Atlas refuses it
    await assert.rejects(getPrivateEndpoint(client, s.ref), { status: 404 });
    assert.equal(s.sim.stats.tokensIssued, 2);
    assert.equal(s.sim.stats.bearerRejected, 0);
  } finally {
    await s.server.close();
  }
});

Deno.test("createAtlasClient() with a service account retries once with a new token after its tokens were revoked", async () => {
  const s = await setup();
  try {
    const client = createAtlasClient({
      clientId,
      clientSecret,
      baseUrl: `${s.server.url}${s.sim.basePath}`,
    });
    await assert.rejects(getPrivateEndpoint(client, s.ref), { status: 404 });
    assert.equal(s.sim.revokeTokens(clientId), 1);
    s.sim.clearLog();
    await assert.rejects(getPrivateEndpoint(client, s.ref), { status: 404 });
    assert.deepEqual(
      s.sim.requestLog.map((e) =>
        `${e.method} ${e.path.startsWith("/api/oauth") ? e.path : "api"} ${e.status}`
      ),
      ["GET api 401", "POST /api/oauth/token 200", "GET api 404"],
    );
  } finally {
    await s.server.close();
  }
});

Deno.test("createAtlasClient() with a removed service account fails with ServiceAccountTokenError after a bounded number of requests", async () => {
  const s = await setup();
  try {
    const client = createAtlasClient({
      clientId,
      clientSecret,
      baseUrl: `${s.server.url}${s.sim.basePath}`,
    });
    await assert.rejects(getPrivateEndpoint(client, s.ref), { status: 404 });
    assert.equal(s.sim.removeServiceAccount(clientId), true);
    s.sim.clearLog();
    const error = await getPrivateEndpoint(client, s.ref).then(() => undefined, (e) => e);
    assert.ok(error instanceof ServiceAccountTokenError);
    assert.equal(error.code, "CREDENTIALS_REJECTED");
    assert.equal(error.tokenUrl, `${s.server.url}/api/oauth/token`);
    assert.ok(!String(error.message).includes(clientSecret));
    assert.deepEqual(s.sim.requestLog.map((e) => e.status), [401, 401]); // API, then token
  } finally {
    await s.server.close();
  }
});

Deno.test("createAtlasClient() with wrong service account credentials never reaches the API", async () => {
  const s = await setup();
  try {
    const account = s.sim.addServiceAccount();
    const client = createAtlasClient({
      clientId: account.clientId,
      clientSecret: `${account.clientSecret}-wrong`,
      baseUrl: `${s.server.url}${s.sim.basePath}`,
    });
    await assert.rejects(getPrivateEndpoint(client, s.ref), {
      name: "ServiceAccountTokenError",
      status: 401,
      oauthError: "invalid_client",
    });
    assert.deepEqual(s.sim.requestLog.map((e) => e.path), ["/api/oauth/token"]);
  } finally {
    await s.server.close();
  }
});

Deno.test("createAtlasClient() takes an API key or a service account, never both, and checks them now", () => {
  const base = { fetch: () => Promise.resolve(new Response()) };
  const cases: [Record<string, unknown>, string, string][] = [
    [
      { publicKey: "p", privateKey: "k", clientId, clientSecret },
      "options",
      "must hold either an API key (publicKey, privateKey) or a service account (clientId, clientSecret), not both",
    ],
    [{ publicKey: "p", privateKey: "k", tokenUrl: "https://x.test/t" }, "options", "not both"],
    [{ clientId }, "clientSecret", "must be a non-empty string"],
    [{ clientId: "", clientSecret }, "clientId", "must be a non-empty string"],
    [{}, "publicKey", "must be a non-empty string"],
    [{ clientId, clientSecret, tokenUrl: "http://example.com/t" }, "tokenUrl", "must use https"],
    [{ clientId, clientSecret, now: 5 }, "now", "must be a function"],
  ];
  for (const [options, field, rule] of cases) {
    assert.throws(() => createAtlasClient({ ...base, ...options } as never), (e: unknown) => {
      assert.ok(e instanceof AtlasValidationError);
      assert.equal(e.field, field);
      assert.ok(e.message.startsWith("Cannot create Atlas client: "), e.message);
      assert.ok(e.message.includes(rule), e.message);
      assert.ok(!e.message.includes(clientSecret));
      return true;
    });
  }
  // A service account needs no other option; the token URL follows baseUrl's origin.
  assert.doesNotThrow(() => createAtlasClient({ clientId, clientSecret }));
});

Deno.test("createAtlasClient() with a service account sends the token request to the baseUrl's origin with its User-Agent", async () => {
  const seen: string[] = [];
  const client = createAtlasClient({
    clientId,
    clientSecret,
    baseUrl: "https://cloud.mongodbgov.com/api/atlas/v1.0",
    userAgent: "my-tool/1.0",
    fetch: (request) => {
      seen.push(`${request.method} ${request.url} ${request.headers.get("user-agent")}`);
      return request.url.endsWith("/api/oauth/token")
        ? Response.json({ access_token: "abc", token_type: "Bearer", expires_in: 3600 })
        : Response.json({ error: 404, errorCode: "RESOURCE_NOT_FOUND" }, { status: 404 });
    },
  });
  await assert.rejects(
    getPrivateEndpoint(client, {
      groupId: "32b6e34b3d91647abb20e7b8",
      endpointServiceId: "5f4fc14da2b47835a58c63a2",
      cloudProvider: "AWS",
      endpointId: VPCE,
    }),
    AtlasApiError,
  );
  assert.deepEqual(seen, [
    "POST https://cloud.mongodbgov.com/api/oauth/token my-tool/1.0",
    "GET https://cloud.mongodbgov.com/api/atlas/v1.0/groups/32b6e34b3d91647abb20e7b8/privateEndpoint/AWS/endpointService/5f4fc14da2b47835a58c63a2/endpoint/vpce-0123456789abcdef0 my-tool/1.0",
  ]);
});

Deno.test("createAtlasClient() with a service account passes tokenTimeoutMs and refreshBeforeExpiryMs on", async () => {
  let now = 1_000_000;
  const tokenRequests: number[] = [];
  const client = createAtlasClient({
    clientId,
    clientSecret,
    tokenTimeoutMs: 20,
    refreshBeforeExpiryMs: 600_000,
    now: () => now,
    retry: false,
    fetch: (request) => {
      if (!request.url.endsWith("/api/oauth/token")) return Response.json({ status: "AVAILABLE" });
      tokenRequests.push(now);
      // The second token request never answers (and ignores its signal).
      return tokenRequests.length === 1
        ? Response.json({ access_token: "abc", token_type: "Bearer", expires_in: 3600 })
        : new Promise<Response>(() => {});
    },
  });
  const ref = {
    groupId: "32b6e34b3d91647abb20e7b8",
    endpointServiceId: "5f4fc14da2b47835a58c63a2",
    cloudProvider: "AWS",
    endpointId: VPCE,
  } as const;
  await getPrivateEndpoint(client, ref);
  now += 3_600_000 - 600_000 - 1; // 1 ms before the 10-minute margin
  await getPrivateEndpoint(client, ref);
  assert.equal(tokenRequests.length, 1);
  now += 1;
  // A new token is due, and its request gives up after 20 ms (the default would be 30 s).
  await assert.rejects(getPrivateEndpoint(client, ref), {
    name: "ServiceAccountTokenError",
    code: "NETWORK_ERROR",
    message: /no answer within 20 ms/,
  });
  assert.equal(tokenRequests.length, 2);
  for (
    const [options, field] of [
      [{ tokenTimeoutMs: 0 }, "tokenTimeoutMs"],
      [{ tokenTimeoutMs: 2 ** 31 }, "tokenTimeoutMs"],
      [{ refreshBeforeExpiryMs: -1 }, "refreshBeforeExpiryMs"],
    ] as const
  ) {
    assert.throws(() => createAtlasClient({ clientId, clientSecret, ...options }), {
      name: "AtlasValidationError",
      field,
    });
  }
});
