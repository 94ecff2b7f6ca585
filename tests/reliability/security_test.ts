// Security: path parameters cannot reach another route (asserted at the server's request log),
// credentials go only to the configured origin, plain http is refused off loopback, and the
// simulator compares secrets in constant time.
import assert from "node:assert/strict";
import {
  AtlasValidationError,
  createAtlasClient,
  deletePrivateEndpoint,
  getPrivateEndpoint,
} from "../../mod.ts";
import { serve } from "../../src/testing/mod.ts";
import { constantTimeEqual } from "../../src/testing/_constant_time.ts";
import { AZURE_ID, PRIVATE_KEY, PUBLIC_KEY, rejection, simulated } from "./_setup.ts";

const ENDPOINT_PATH =
  "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}" as const;

/** Values that try to leave their path segment, one way or another. */
export const HOSTILE: readonly string[] = [
  "..",
  ".",
  "../",
  "../../../groups",
  "vpce-0a1b/../../x",
  "%2e%2e",
  "%2E%2E%2F",
  "vpce-0a1b%2F..%2F..",
  "vpce-0a1b%2f",
  "vpce-0a1b?envelope=true",
  "vpce-0a1b#x",
  "vpce-0a1b/",
  "vpce-0a1b\\..\\..",
  "vpce-0a1b\u2215..", // division slash
  "vpce-0a1b\uff0f..", // fullwidth solidus
  "vpce-0a1b\uff0e\uff0e", // fullwidth full stops
  "vpce-\uff10\uff11", // fullwidth digits
  "vpce-0a1b\u0000",
  "vpce-0a1b\r\nX-Injected: 1",
  "vpce-0a1b x",
  "vpce-0a1b\u200b", // zero-width space
  "",
  "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe/../../x",
  "%2Fsubscriptions%2F00000000-0000-4000-8000-000000000000%2FresourceGroups%2Frg",
  "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg?x/providers/Microsoft.Network/privateEndpoints/pe",
];

Deno.test("getPrivateEndpoint() and deletePrivateEndpoint() reject hostile path parameters before sending", async () => {
  const env = await simulated();
  try {
    const client = env.client();
    for (const provider of ["AWS", "AZURE", "GCP"] as const) {
      for (const value of HOSTILE) {
        for (const field of ["endpointId", "groupId", "endpointServiceId"] as const) {
          const ref = { ...env.ref(provider), [field]: value };
          for (const op of [getPrivateEndpoint, deletePrivateEndpoint]) {
            const error = await rejection(op(client, ref));
            assert.ok(
              error instanceof AtlasValidationError,
              `${provider} ${field}=${JSON.stringify(value)}: ${error}`,
            );
            assert.equal(error.field, field);
            if (value.length > 3) assert.ok(!error.message.includes(value), "not echoed");
          }
        }
        // The low-level client is guarded the same way.
        const low = await rejection(client.GET(ENDPOINT_PATH, {
          params: { path: { ...env.ref(provider), endpointId: value } },
        }));
        assert.ok(low instanceof AtlasValidationError, `low-level ${JSON.stringify(value)}`);
      }
    }
    assert.equal(env.seen.length, 0, "nothing reached the server");
  } finally {
    await env.close();
  }
});

Deno.test("getPrivateEndpoint() sends an Azure resource id as one encoded path segment", async () => {
  const env = await simulated();
  try {
    const tricky = AZURE_ID.replace("rel-rg", "rel.rg-(1)_x").replace("rel-pe", "pe.~name");
    for (const id of [AZURE_ID, tricky]) {
      await rejection(getPrivateEndpoint(env.client(), env.ref("AZURE", id)));
    }
    const targets = env.seen.map((s) => s.target);
    assert.equal(targets.length, 4); // challenge + request, twice
    for (const [i, id] of [AZURE_ID, AZURE_ID, tricky, tricky].entries()) {
      const segments = targets[i]!.split("/");
      assert.equal(segments.length, 12, targets[i]); // "", api, atlas, v1.0, groups, ..., endpoint, id
      assert.equal(decodeURIComponent(segments.at(-1)!), id);
      assert.ok(!/[?#]/.test(targets[i]!));
    }
    // The simulator resolved the route: 404 for the endpoint, not for the path.
    assert.ok(
      env.sim.requestLog.every((e) => e.operation === "get"),
      JSON.stringify(env.sim.requestLog),
    );
  } finally {
    await env.close();
  }
});

Deno.test("createAtlasClient() sends credentials only to the configured origin, not after a redirect to another", async () => {
  const other: { authorization: string | null; cookie: string | null; path: string }[] = [];
  const elsewhere = await serve((request) => {
    other.push({
      authorization: request.headers.get("authorization"),
      cookie: request.headers.get("cookie"),
      path: new URL(request.url).pathname,
    });
    return Response.json({ interfaceEndpointId: "vpce-0a1b2c3d4e5f60718", connectionStatus: "X" });
  });
  const env = await simulated({}, (request, forward) => {
    if (!request.headers.has("authorization")) return forward();
    const url = new URL(request.url);
    return new Response(null, {
      status: 307,
      headers: { location: `${elsewhere.url}${url.pathname}` },
    });
  });
  try {
    const client = env.client();
    await getPrivateEndpoint(client, env.ref("AWS"));
    await deletePrivateEndpoint(client, env.ref("AWS"));
    assert.ok(other.length >= 2, `${other.length} requests reached the other origin`);
    for (const seen of other) {
      assert.equal(seen.authorization, null);
      assert.equal(seen.cookie, null);
    }
    // The configured origin did get the Digest credentials.
    assert.ok(env.seen.some((s) => s.authorization?.startsWith("Digest ")));
  } finally {
    await env.close();
    await elsewhere.close();
  }
});

Deno.test("createAtlasClient() refuses plain http off loopback unless allowInsecureHttp is set", async () => {
  let sent = 0;
  const fetch = () => (sent++, Promise.resolve(Response.json({})));
  const keys = { publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY, fetch };
  for (
    const baseUrl of [
      "http://cloud.mongodb.com/api/atlas/v1.0",
      "http://127.0.0.1.nip.io/api/atlas/v1.0",
      "http://localhost.example.com/api/atlas/v1.0",
      "http://10.0.0.1/api/atlas/v1.0",
      "http://[::ffff:7f00:1]/api/atlas/v1.0",
      "ftp://cloud.mongodb.com/api/atlas/v1.0",
      `https://${PUBLIC_KEY}:${PRIVATE_KEY}@cloud.mongodb.com/api/atlas/v1.0`,
    ]
  ) {
    const error = await rejection(
      Promise.resolve().then(() => createAtlasClient({ ...keys, baseUrl })),
    );
    assert.ok(error instanceof AtlasValidationError, baseUrl);
    assert.equal(error.field, "baseUrl");
    assert.ok(!error.message.includes(PRIVATE_KEY));
  }
  for (const baseUrl of ["http://127.0.0.1:1/x", "http://localhost:1/x", "http://[::1]:1/x"]) {
    createAtlasClient({ ...keys, baseUrl });
  }
  createAtlasClient({ ...keys, baseUrl: "http://atlas.internal/x", allowInsecureHttp: true });
  assert.equal(sent, 0);
});

Deno.test("constantTimeEqual() compares correctly and reads every position whatever the first difference", () => {
  assert.equal(constantTimeEqual("", ""), true);
  assert.equal(constantTimeEqual("abc", "abc"), true);
  assert.equal(constantTimeEqual("abc", "abd"), false);
  assert.equal(constantTimeEqual("abc", "ab"), false);
  assert.equal(constantTimeEqual("", "a"), false);
  assert.equal(constantTimeEqual("ab", "abab"), false, "a repeated prefix is not equal");
  assert.equal(constantTimeEqual("é", "e"), false);
  // Count the characters read: the same for a difference at the start, the end, or none.
  const reads = (a: string, b: string): number => {
    let count = 0;
    const spy = (s: string) =>
      Object.assign(new String(s), {
        charCodeAt(i: number): number {
          count++;
          return s.charCodeAt(i);
        },
      }) as unknown as string;
    constantTimeEqual(spy(a), spy(b));
    return count;
  };
  const secret = "0123456789abcdef0123456789abcdef";
  const counts = [
    reads(secret, secret),
    reads(secret, "X" + secret.slice(1)),
    reads(secret, secret.slice(0, -1) + "X"),
    reads(secret, "X".repeat(32)),
  ];
  assert.deepEqual(counts, [64, 64, 64, 64]);
  assert.equal(reads(secret, "short"), 64, "a shorter guess costs the same as the secret's length");
});
