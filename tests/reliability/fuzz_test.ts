// Property tests with fast-check, through the whole client (an injected fetch, no network):
// any Atlas answer (status, headers, body) yields a result or a typed error, never a crash; any
// WWW-Authenticate on a 401 yields a typed error in a bounded number of requests; any path
// parameter or provider body is either refused before sending or sent so that it cannot leave
// its path segment or carry unknown fields.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  AtlasApiError,
  type AtlasClient,
  AtlasNetworkError,
  AtlasValidationError,
  createAtlasClient,
  createPrivateEndpoint,
  DigestAuthError,
  getPrivateEndpoint,
} from "../../mod.ts";

const GROUP = "32b6e34b3d91647abb20e7b8";
const SERVICE = "5f4fc14da2b47835a58c63a2";
const PREFIX = `/api/atlas/v1.0/groups/${GROUP}/privateEndpoint/`;

/** A client whose fetch answers with `answer` and records what was sent. */
function clientWith(answer: (request: Request) => Response | Promise<Response>): {
  client: AtlasClient;
  sent: { method: string; path: string; body: string }[];
} {
  const sent: { method: string; path: string; body: string }[] = [];
  const client = createAtlasClient({
    publicKey: "fuzz-public",
    privateKey: "fuzz-private-SECRET",
    retry: false,
    fetch: async (request) => {
      sent.push({
        method: request.method,
        path: new URL(request.url).pathname,
        body: await request.clone().text(),
      });
      return await answer(request);
    },
  });
  return { client, sent };
}

const anyBody = fc.oneof(
  fc.json().map((text) => ({ text, type: "application/json" })),
  fc.string({ maxLength: 300 }).map((text) => ({ text, type: "text/plain" })),
  fc.string({ maxLength: 100 }).map((t) => ({ text: `<html>${t}</html>`, type: "text/html" })),
  fc.record({
    detail: fc.anything(),
    error: fc.anything(),
    errorCode: fc.anything(),
    reason: fc.anything(),
    parameters: fc.anything(),
    badRequestDetail: fc.anything(),
  }, { requiredKeys: [] }).map((o) => ({ text: JSON.stringify(o), type: "application/json" })),
  fc.constant({ text: "", type: "application/json" }),
);
const headerValue = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 20 }).filter((s) => !/[\r\n\0]/.test(s) && s.trim() === s),
  fc.nat().map(String),
);

Deno.test("getPrivateEndpoint() turns any Atlas error answer into AtlasApiError, never a crash", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 400, max: 599 }).filter((s) => s !== 401 && s !== 407),
      anyBody,
      headerValue,
      headerValue,
      async (status, body, retryAfter, remaining) => {
        const headers: Record<string, string> = { "content-type": body.type };
        if (retryAfter !== undefined) headers["retry-after"] = retryAfter;
        if (remaining !== undefined) headers["ratelimit-remaining"] = remaining;
        const { client, sent } = clientWith(() => new Response(body.text, { status, headers }));
        const error = await getPrivateEndpoint(client, {
          groupId: GROUP,
          endpointServiceId: SERVICE,
          cloudProvider: "AWS",
          endpointId: "vpce-0123456789abcdef0",
        }).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof AtlasApiError, `${status}: ${error}`);
        assert.equal(error.status, status);
        assert.equal(error.method, "GET");
        assert.ok(error.errorCode === undefined || typeof error.errorCode === "string");
        assert.ok(Array.isArray(error.parameters));
        assert.ok(!error.message.includes("fuzz-private-SECRET"));
        assert.ok(!/[\r\n]/.test(error.message.replace(error.detail ?? "", "")));
        assert.equal(sent.length, 1);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("getPrivateEndpoint() turns any 2xx body into an endpoint or AtlasNetworkError", async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(200, 201, 202, 203), anyBody, async (status, body) => {
      const { client } = clientWith(() =>
        new Response(body.text, { status, headers: { "content-type": body.type } })
      );
      try {
        const endpoint = await getPrivateEndpoint(client, {
          groupId: GROUP,
          endpointServiceId: SERVICE,
          cloudProvider: "GCP",
          endpointId: "group-1",
        });
        assert.equal(endpoint.cloudProvider, "GCP");
      } catch (error) {
        assert.ok(error instanceof AtlasNetworkError, String(error));
        assert.match(error.message, /^Cannot get private endpoint: network error: /);
      }
    }),
    { numRuns: 200 },
  );
});

Deno.test("getPrivateEndpoint() answers any WWW-Authenticate on 401 with a typed error in at most 3 requests", async () => {
  const tokenChars = fc.constantFrom(
    ...'Digest Basic realm nonce qop=auth,"\\ stale=true algorithm=MD5 SHA-256 -sess opaque'.split(
      "",
    ),
  );
  const header = fc.oneof(
    fc.string({ maxLength: 120 }),
    fc.string({ unit: tokenChars, maxLength: 120 }),
    fc.record({
      algorithm: fc.constantFrom("MD5", "SHA-256", "MD5-sess", "SHA-512-256", "bogus", ""),
      qop: fc.constantFrom('"auth"', '"auth-int"', '"auth,auth-int"', '"x"', ""),
      stale: fc.constantFrom("true", "false", "TRUE", ""),
      nonce: fc.string({ maxLength: 16 }),
    }).map((c) =>
      `Digest realm="MMS Public API", nonce="${c.nonce.replace(/["\\]/g, "")}"` +
      (c.algorithm ? `, algorithm=${c.algorithm}` : "") + (c.qop ? `, qop=${c.qop}` : "") +
      (c.stale ? `, stale=${c.stale}` : "")
    ),
  ).filter((h) => !/[\r\n\0]/.test(h));
  await fc.assert(
    fc.asyncProperty(header, async (value) => {
      const { client, sent } = clientWith(() =>
        new Response("{}", { status: 401, headers: { "www-authenticate": value } })
      );
      const error = await getPrivateEndpoint(client, {
        groupId: GROUP,
        endpointServiceId: SERVICE,
        cloudProvider: "AWS",
        endpointId: "vpce-0123456789abcdef0",
      }).then(() => undefined, (e: unknown) => e);
      assert.ok(
        error instanceof DigestAuthError ||
          (error instanceof AtlasApiError && error.status === 401),
        `${JSON.stringify(value)}: ${error}`,
      );
      assert.ok(sent.length >= 1 && sent.length <= 3, `${sent.length} requests`);
    }),
    { numRuns: 300 },
  );
});

const hostileChars = fc.constantFrom(
  ..."aZ09-_.~/\\?#%&=+ :@!$'()*,;[]\u0000\n\r\t\u2215\uff0f\uff0e\u200b\u00e9\ud83d\ude00".split(
    "",
  ),
);
const pathValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: hostileChars, maxLength: 40 }),
  fc.string({ unit: hostileChars, maxLength: 20 }).map((s) => `vpce-${s}`),
  fc.string({ unit: hostileChars, maxLength: 20 }).map((s) =>
    `/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/${s}/providers/Microsoft.Network/privateEndpoints/pe`
  ),
);

Deno.test("getPrivateEndpoint() refuses any path parameter that could leave its segment, sending nothing", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("AWS", "AZURE", "GCP") as fc.Arbitrary<"AWS" | "AZURE" | "GCP">,
      fc.constantFrom("endpointId", "groupId", "endpointServiceId"),
      pathValue,
      async (provider, field, value) => {
        const { client, sent } = clientWith(() => Response.json({}));
        const ref = {
          groupId: GROUP,
          endpointServiceId: SERVICE,
          cloudProvider: provider,
          endpointId: provider === "AWS" ? "vpce-0a1b" : provider === "GCP" ? "g" : "x",
          [field]: value,
        };
        try {
          await getPrivateEndpoint(client, ref);
        } catch (error) {
          assert.ok(error instanceof AtlasValidationError, String(error));
          assert.equal(sent.length, 0);
          return;
        }
        // Accepted: one request, the value in exactly one segment after the fixed route.
        assert.equal(sent.length, 1);
        const path = sent[0]!.path;
        const expected = `${PREFIX}${provider}/endpointService/${SERVICE}/endpoint/`;
        assert.ok(path.startsWith(expected), path);
        const segment = path.slice(expected.length);
        assert.ok(!/[/?#]/.test(segment) && segment !== "." && segment !== "..", segment);
        assert.equal(decodeURIComponent(segment), value);
      },
    ),
    { numRuns: 1_000 },
  );
});

Deno.test("createPrivateEndpoint() refuses any malformed provider body, sending nothing", async () => {
  const field = fc.constantFrom(
    "id",
    "privateEndpointIPAddress",
    "privateEndpointIpAddress",
    "endpointGroupName",
    "gcpProjectId",
    "gcpProjectID",
    "endpoints",
    "__proto__",
    "constructor",
    "extra",
  );
  const value = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom("vpce-0a1b", "10.0.0.4", "::1", "group-1", "p-1"),
    fc.array(
      fc.record({ endpointName: fc.anything(), ipAddress: fc.anything() }, { requiredKeys: [] }),
      { maxLength: 3 },
    ),
    fc.anything(),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("AWS", "AZURE", "GCP") as fc.Arbitrary<"AWS" | "AZURE" | "GCP">,
      fc.dictionary(field, value, { maxKeys: 5 }),
      async (provider, fields) => {
        const { client, sent } = clientWith(() => Response.json({}));
        const input = {
          groupId: GROUP,
          endpointServiceId: SERVICE,
          cloudProvider: provider,
          ...fields,
        } as Parameters<typeof createPrivateEndpoint>[1];
        try {
          await createPrivateEndpoint(client, input);
        } catch (error) {
          assert.ok(error instanceof AtlasValidationError, String(error));
          assert.equal(sent.length, 0);
          return;
        }
        // Accepted: exactly the provider's fields went out.
        assert.equal(sent.length, 1);
        const body = JSON.parse(sent[0]!.body) as Record<string, unknown>;
        const allowed = {
          AWS: ["id"],
          AZURE: ["id", "privateEndpointIPAddress"],
          GCP: ["endpointGroupName", "gcpProjectId", "endpoints"],
        }[provider];
        for (const key of Object.keys(body)) assert.ok(allowed.includes(key), key);
      },
    ),
    { numRuns: 1_000 },
  );
});
