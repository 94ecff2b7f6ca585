// The Digest client against Apache httpd 2.4 (mod_auth_digest), a server nobody here wrote, with
// AuthDigestNcCheck Off (nc not checked) and On (nc must count up exactly, per opaque). Round trips
// are counted in Apache's own access log.
import assert from "node:assert/strict";
import createClient from "openapi-fetch";
import { createDigestFetch, digestAuth } from "../../mod.ts";
import { type Apache, startApache } from "./_apache.ts";

const CREDENTIALS = { username: "atlas-public-key", password: "atlas-private-key" };
const REALM = "MMS Public API";
const CREATE = "/api/atlas/v2/groups/{groupId}/privateEndpoint/AWS/endpointService/{id}/endpoint";

/** Sends `count` requests one after another; returns their statuses. */
async function sequential(
  digestFetch: typeof fetch,
  origin: string,
  count: number,
): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await digestFetch(`${origin}/api/atlas/v2/groups/g${i}`);
    await response.body?.cancel();
    statuses.push(response.status);
  }
  return statuses;
}

/** Round trips since the last call, with Apache's reasons when `statuses` are not all 200. */
async function roundTrips(apache: Apache, before: number): Promise<number> {
  return (await apache.requests()).length - before;
}

async function explain(apache: Apache): Promise<string> {
  const log = await apache.errors();
  return log.split("\n").filter((l) => /auth_digest/.test(l)).slice(-8).join("\n");
}

/** Requests Apache has rejected for their nc so far (its log says why it rejects). */
async function ncRejections(apache: Apache): Promise<number> {
  return (await apache.errors()).split("\n").filter((l) => l.includes("nonce-count check failed"))
    .length;
}

/**
 * 3 waves of `m` concurrent creates (POST with a JSON body) through one cold digestAuth client:
 * how many succeeded, and per wave the round trips and Apache's nc rejections.
 */
async function waves(
  apache: Apache,
  m: number,
): Promise<{ ok: number; perWave: number[]; ncPerWave: number[] }> {
  // deno-lint-ignore no-explicit-any
  const client = createClient<any>({ baseUrl: apache.origin });
  client.use(digestAuth(CREDENTIALS));
  const perWave: number[] = [];
  const ncPerWave: number[] = [];
  let ok = 0;
  for (let wave = 0; wave < 3; wave++) {
    const before = (await apache.requests()).length;
    const ncBefore = await ncRejections(apache);
    const results = await Promise.all(
      Array.from({ length: m }, (_, i) =>
        client.POST(CREATE, {
          params: { path: { groupId: `g${wave}`, id: `s${i}` } },
          body: { id: `vpce-0a1b2c3d4e5f6${String(i).padStart(4, "0")}` },
        })),
    );
    ok += results.filter((r) => r.response.status === 200).length;
    perWave.push(await roundTrips(apache, before));
    ncPerWave.push(await ncRejections(apache) - ncBefore);
  }
  return { ok, perWave, ncPerWave };
}

for (const ncCheck of [false, true]) {
  Deno.test(
    `digestAuth() and createDigestFetch() against Apache httpd, AuthDigestNcCheck ${
      ncCheck ? "On" : "Off"
    }: N+1 sequential, M+1 cold concurrent, waves settle at M`,
    async () => {
      const apache = await startApache({ realm: REALM, ...CREDENTIALS, ncCheck });
      try {
        // 50 sequential calls: one challenge, then one round trip each.
        let before = (await apache.requests()).length;
        const seq = await sequential(createDigestFetch(CREDENTIALS), apache.origin, 50);
        assert.deepEqual(seq, Array(50).fill(200), await explain(apache));
        assert.equal(await roundTrips(apache, before), 51, await explain(apache));

        // 20 concurrent calls from a cold client: one takes the challenge, the others wait.
        before = (await apache.requests()).length;
        const digestFetch = createDigestFetch(CREDENTIALS);
        const cold = await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const response = await digestFetch(`${apache.origin}/api/atlas/v2/groups/c${i}`);
            await response.body?.cancel();
            return response.status;
          }),
        );
        assert.deepEqual(cold, Array(20).fill(200), await explain(apache));
        // With nc checked, requests that share the first nonce and arrive out of order are
        // rejected once and retried (at most two round trips per request); unchecked, none is.
        const coldTrips = await roundTrips(apache, before);
        if (ncCheck) {
          assert.ok(coldTrips <= 60, `${coldTrips} round trips\n${await explain(apache)}`);
        } else assert.equal(coldTrips, 21, await explain(apache));

        // 3 waves of 20 concurrent creates from one cold client.
        const { ok, perWave, ncPerWave } = await waves(apache, 20);
        const detail = `round trips per wave ${perWave.join(" / ")}, nc rejections ${
          ncPerWave.join(" / ")
        }\n${await explain(apache)}`;
        assert.equal(ok, 60, detail);
        if (ncCheck) {
          // Until requests that share a nonce arrive out of order, a strict server cannot be told
          // from a lenient one. The wave in which they first do costs at most two round trips per
          // request; from then on every wave costs exactly one per request.
          const learned = ncPerWave.findIndex((n) => n > 0);
          for (let wave = 0; wave < 3; wave++) {
            assert.ok(perWave[wave]! <= (wave === learned ? 40 : wave === 0 ? 21 : 20), detail);
            if (learned >= 0 && wave > learned) {
              assert.equal(perWave[wave], 20, detail);
              assert.equal(ncPerWave[wave], 0, detail);
            }
          }
          assert.ok(perWave.reduce((a, b) => a + b) <= 80, detail);
        } else {
          assert.deepEqual(perWave, [21, 20, 20], detail);
        }
      } finally {
        await apache.close();
      }
    },
  );
}
