// apiKey() and serviceAccount(): the `auth` values that atlasClient() and createAtlasClient() take.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  apiKey,
  atlasClient,
  AtlasValidationError,
  createAtlasClient,
  createPrivateEndpoint,
  getPrivateEndpoint,
  serviceAccount,
} from "../../mod.ts";
import {
  createAtlasSimulator,
  DEFAULT_SIMULATOR_API_KEY,
  DEFAULT_SIMULATOR_SERVICE_ACCOUNT,
} from "../../src/testing/mod.ts";

const VPCE = "vpce-0123456789abcdef0";

function invalid(field: string): (e: unknown) => boolean {
  return (e) => e instanceof AtlasValidationError && e.field === field;
}

Deno.test("atlasClient() with apiKey() creates and reads an endpoint over Digest", async () => {
  const simulator = createAtlasSimulator({ timeScale: 0 });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const { publicKey, privateKey } = DEFAULT_SIMULATOR_API_KEY;
  const atlas = atlasClient({ auth: apiKey(publicKey, privateKey), fetch: simulator.fetch });
  const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
  await createPrivateEndpoint(atlas, { ...service, id: VPCE });
  const read = await getPrivateEndpoint(atlas, { ...service, endpointId: VPCE });
  assert.equal(read.cloudProvider, "AWS");
  assert.equal(simulator.stats.tokensIssued, 0);
});

Deno.test("atlasClient() with apiKey() sends requests as made and follows a redirect by hand", async () => {
  const simulator = createAtlasSimulator({ timeScale: 0 });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const { publicKey, privateKey } = DEFAULT_SIMULATOR_API_KEY;
  const sent: { redirect: RequestRedirect; url: string; authorized: boolean }[] = [];
  const fetch = (request: Request): Promise<Response> => {
    const authorized = request.headers.has("authorization");
    sent.push({ redirect: request.redirect, url: request.url, authorized });
    // The read answers with a same-origin redirect (to the same endpoint, pretty-printed).
    if (authorized && request.method === "GET" && !request.url.includes("?")) {
      const location = `${request.url}?pretty=true`;
      return Promise.resolve(new Response(null, { status: 307, headers: { location } }));
    }
    return simulator.fetch(request);
  };
  const atlas = atlasClient({ auth: apiKey(publicKey, privateKey), fetch });
  const service = { groupId, endpointServiceId, cloudProvider: "AWS" } as const;
  await createPrivateEndpoint(atlas, { ...service, id: VPCE });
  const read = await getPrivateEndpoint(atlas, { ...service, endpointId: VPCE });
  assert.equal(read.cloudProvider, "AWS");
  // Every request is made not to follow redirects (the runtime never follows one, so https never
  // leads down to http); the middleware followed the 307 itself, with Authorization for the new uri.
  assert.deepEqual(sent.map((s) => s.redirect), sent.map(() => "manual"));
  const last = sent.at(-1)!;
  assert.deepEqual([last.url.endsWith(`${VPCE}?pretty=true`), last.authorized], [true, true]);
});

Deno.test("atlasClient() with serviceAccount() uses one token for several calls", async () => {
  const simulator = createAtlasSimulator({ timeScale: 0 });
  const { groupId, GCP: endpointServiceId } = simulator.seed();
  const atlas = atlasClient({
    auth: serviceAccount({ ...DEFAULT_SIMULATOR_SERVICE_ACCOUNT, tokenTimeoutMs: 5_000 }),
    baseUrl: `http://127.0.0.1${simulator.basePath}`,
    fetch: simulator.fetch,
  });
  const service = { groupId, endpointServiceId, cloudProvider: "GCP" } as const;
  await createPrivateEndpoint(atlas, {
    ...service,
    endpointGroupName: "atlas-group",
    gcpProjectId: "customer-project",
  });
  await getPrivateEndpoint(atlas, { ...service, endpointId: "atlas-group" });
  assert.equal(simulator.stats.tokensIssued, 1);
});

Deno.test("createAtlasClient() takes auth too, but not with the credentials it is built from", async () => {
  const simulator = createAtlasSimulator({ timeScale: 0 });
  const { groupId, AWS: endpointServiceId } = simulator.seed();
  const { publicKey, privateKey } = DEFAULT_SIMULATOR_API_KEY;
  const atlas = createAtlasClient({ auth: apiKey(publicKey, privateKey), fetch: simulator.fetch });
  const created = await createPrivateEndpoint(atlas, {
    groupId,
    endpointServiceId,
    cloudProvider: "AWS",
    id: VPCE,
  });
  assert.equal(created.cloudProvider, "AWS");
  const both = { auth: apiKey(publicKey, privateKey), publicKey } as unknown as Parameters<
    typeof createAtlasClient
  >[0];
  assert.throws(() => createAtlasClient(both), invalid("options"));
});

Deno.test("apiKey(), serviceAccount() and atlasClient() refuse bad input before anything is sent", () => {
  assert.throws(() => apiKey("", "secret"), invalid("publicKey"));
  assert.throws(() => apiKey("abcdefgh", 42 as unknown as string), invalid("privateKey"));
  assert.throws(
    () => serviceAccount({ clientId: "id", clientSecret: "line\nbreak" }),
    (e: unknown) => invalid("clientSecret")(e) && !/line\nbreak/.test(String(e)),
  );
  assert.throws(
    () => serviceAccount({ clientId: "id", clientSecret: "s", tokenTimeoutMs: -1 }),
    invalid("tokenTimeoutMs"),
  );
  // The token URL is checked against the client: https off loopback.
  const insecure = serviceAccount({
    clientId: "id",
    clientSecret: "s",
    tokenUrl: "http://tokens.example.com/token",
  });
  assert.throws(() => atlasClient({ auth: insecure }), invalid("tokenUrl"));
  assert.throws(
    () => atlasClient({ auth: { kind: "apiKey" } as unknown as ReturnType<typeof apiKey> }),
    invalid("auth"),
  );
});

Deno.test("an auth value shows no credentials when inspected or serialized", () => {
  const secret = "very-secret-private-key-0123";
  for (
    const auth of [
      apiKey("abcdefgh", secret),
      serviceAccount({ clientId: "mdb_sa_id_x", clientSecret: secret }),
    ]
  ) {
    assert.equal(JSON.stringify(auth).includes(secret), false);
    assert.equal(inspect(auth, { depth: 10, showHidden: true }).includes(secret), false);
  }
});

Deno.test("createAtlasClient() shows its defaults on the client", () => {
  const onRateLimit = (): void => {};
  const retry = { maxAttempts: 2 };
  const atlas = createAtlasClient({
    publicKey: "abcdefgh",
    privateKey: "k",
    retry,
    onRateLimit,
    maxResponseBytes: 1024,
    rateLimit: { requestsPerMinute: 30 },
  });
  assert.deepEqual(atlas.defaults, {
    retry,
    onRateLimit,
    maxResponseBytes: 1024,
    rateLimit: { requestsPerMinute: 30 },
  });
  assert.ok(Object.isFrozen(atlas.defaults));
});
