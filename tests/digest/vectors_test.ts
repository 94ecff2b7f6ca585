// Known-answer tests: RFC 2617 §3.5, RFC 7616 §3.9.1 (MD5, SHA-256), the self-computed vectors of
// DIGEST_CLIENT_FACTS.md 4.4, and SHA-512-256 against real FIPS SHA-512/256 (RFC 7616 §3.9.2's
// printed numbers come from SHA-512 cut to 256 bits, which is not SHA-512/256; see 4.3).
import assert from "node:assert/strict";
import { sha512_256 } from "@noble/hashes/sha2.js";
import { buildAuthorization, warmAuthorization } from "../../src/digest/_authorization.ts";
import type { DigestChallenge } from "../../src/digest/_challenge.ts";
import { hashHex, md5HexFrom, md5Prefix, toHex } from "../../src/digest/_hash.ts";
import {
  computeDigestResponse,
  type DigestAlgorithm,
  type DigestInput,
  hashUsername,
  secretInput,
} from "../../src/digest/_response.ts";
import { parseAuthHeader } from "../../src/digest/_auth_params.ts";

// RFC 7616 §3.9.1 inputs (password "Circle of Life", lower-case o: erratum 4495).
const RFC7616: Omit<DigestInput, "algorithm"> = {
  qop: "auth",
  username: "Mufasa",
  password: "Circle of Life",
  realm: "http-auth@example.org",
  nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
  nc: "00000001",
  method: "GET",
  uri: "/dir/index.html",
};

// RFC 2617 §3.5 inputs (password "Circle Of Life", capital O).
const RFC2617: DigestInput = {
  algorithm: "MD5",
  qop: "auth",
  username: "Mufasa",
  password: "Circle Of Life",
  realm: "testrealm@host.com",
  nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
  cnonce: "0a4f113b",
  nc: "00000001",
  method: "GET",
  uri: "/dir/index.html",
};

Deno.test("computeDigestResponse() reproduces the RFC 2617 §3.5 example", async () => {
  assert.equal(await computeDigestResponse(RFC2617), "6629fae49393a05397450978507c4ef1");
});

Deno.test("computeDigestResponse() reproduces the RFC 7616 §3.9.1 MD5 example", async () => {
  assert.equal(
    await computeDigestResponse({ ...RFC7616, algorithm: "MD5" }),
    "8ca523f5e9506fed4657c9700eebdbec",
  );
});

Deno.test("computeDigestResponse() reproduces the RFC 7616 §3.9.1 SHA-256 example", async () => {
  assert.equal(
    await computeDigestResponse({ ...RFC7616, algorithm: "SHA-256" }),
    "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
  );
});

Deno.test("computeDigestResponse() matches the self-computed vectors of the facts sheet (4.4)", async () => {
  const empty = new Uint8Array();
  const cases: [string, DigestInput, string][] = [
    [
      "MD5 nc=2",
      { ...RFC7616, algorithm: "MD5", nc: "00000002" },
      "4b5d595ecf2db9df612ea5b45cd97101",
    ],
    ["MD5-sess", { ...RFC7616, algorithm: "MD5-sess" }, "e783283f46242139c486a698fec7211d"],
    [
      "SHA-256-sess",
      { ...RFC7616, algorithm: "SHA-256-sess" },
      "2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7",
    ],
    [
      "MD5 auth-int, empty body",
      { ...RFC7616, algorithm: "MD5", qop: "auth-int", body: empty },
      "8804a53d3640a40a4f73cea12c5ba451",
    ],
    [
      "SHA-256 auth-int, empty body",
      { ...RFC7616, algorithm: "SHA-256", qop: "auth-int", body: empty },
      "8bdf6f15638e260831e905028de5450562816d093c9bfc5c13d3a46adcdde940",
    ],
    [
      'SHA-256 auth-int, POST {"a":1}',
      {
        ...RFC7616,
        algorithm: "SHA-256",
        qop: "auth-int",
        method: "POST",
        body: new TextEncoder().encode('{"a":1}'),
      },
      "193d6834c8f5b21e6b707fdd7de62ad0b3514493466cf33958098aa6d3836274",
    ],
    [
      "MD5 without qop (RFC 2069)",
      { ...RFC7616, algorithm: "MD5", qop: undefined },
      "7b2cc3b30e75b4777ea31027084363fd",
    ],
    [
      "SHA-512-256 (FIPS)",
      { ...RFC7616, algorithm: "SHA-512-256", sha512_256 },
      "430d05014cecc49cab6fbe03176d41a1da86cbfe24a16580e22aaad928d960d0",
    ],
    ["RFC 2617 without qop", { ...RFC2617, qop: undefined }, "670fd8c2df070c60b045671b8b24ff02"],
    [
      "RFC 2617 MD5-sess",
      { ...RFC2617, algorithm: "MD5-sess" },
      "8e3825c57e897f5a0dec6c2d4e5059d0",
    ],
  ];
  for (const [name, input, expected] of cases) {
    assert.equal(await computeDigestResponse(input), expected, name);
  }
});

Deno.test("sha512_256 from @noble/hashes is FIPS SHA-512/256, not truncated SHA-512", async () => {
  const abc = new TextEncoder().encode("abc");
  assert.equal(
    toHex(sha512_256(abc)),
    "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23",
  );
  assert.equal(
    await hashHex("SHA-512-256", "abc", sha512_256),
    "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23",
  );
  assert.notEqual(toHex(sha512_256(abc)).slice(0, 8), "ddaf35a1");
});

// RFC 7616 §3.9.2 inputs; expected values are real SHA-512/256 (the RFC prints truncated SHA-512:
// userhash 488869477bf2..., response ae66e67d..., which we deliberately do not produce).
const RFC7616_SHA512 = {
  username: "J\u00e4s\u00f8n Doe",
  password: "Secret, or not?",
  realm: "api@example.org",
  nonce: "5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK",
  opaque: "HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS",
  cnonce: "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v",
};

Deno.test("computeDigestResponse() gives the FIPS SHA-512/256 answer to RFC 7616 §3.9.2", async () => {
  const input: DigestInput = {
    algorithm: "SHA-512-256",
    qop: "auth",
    ...RFC7616_SHA512,
    nc: "00000001",
    method: "GET",
    uri: "/doe.json",
    // deno-lint-ignore camelcase
    sha512_256,
  };
  const response = await computeDigestResponse(input);
  assert.equal(response, "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5");
  assert.notEqual(response, "ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd");
  assert.equal(
    await hashUsername("SHA-512-256", RFC7616_SHA512.username, RFC7616_SHA512.realm, sha512_256),
    "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b",
  );
});

function challenge(overrides: Partial<DigestChallenge>): DigestChallenge {
  return {
    realm: RFC2617.realm,
    nonce: RFC2617.nonce,
    opaque: "5ccc069c403ebaf9f0171e9517f40e41",
    algorithm: "MD5",
    algorithmToken: undefined,
    qop: "auth",
    stale: false,
    userhash: false,
    ...overrides,
  };
}

Deno.test("buildAuthorization() writes the RFC 2617 §3.5 Authorization header", async () => {
  const header = await buildAuthorization({
    challenge: challenge({}),
    username: "Mufasa",
    password: "Circle Of Life",
    method: "GET",
    uri: "/dir/index.html",
    nc: 1,
    cnonce: "0a4f113b",
  });
  assert.equal(
    header,
    'Digest username="Mufasa", realm="testrealm@host.com", ' +
      'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, ' +
      'nc=00000001, cnonce="0a4f113b", opaque="5ccc069c403ebaf9f0171e9517f40e41", ' +
      'response="6629fae49393a05397450978507c4ef1"',
  );
});

Deno.test("buildAuthorization() answers RFC 7616 §3.9.2 with userhash and SHA-512-256", async () => {
  const header = await buildAuthorization({
    challenge: {
      realm: RFC7616_SHA512.realm,
      nonce: RFC7616_SHA512.nonce,
      opaque: RFC7616_SHA512.opaque,
      algorithm: "SHA-512-256",
      algorithmToken: "SHA-512-256",
      qop: "auth",
      stale: false,
      userhash: true,
    },
    username: RFC7616_SHA512.username,
    password: RFC7616_SHA512.password,
    method: "GET",
    uri: "/doe.json",
    nc: 1,
    cnonce: RFC7616_SHA512.cnonce,
    sha512_256,
  });
  const params = parseAuthHeader(header)[0]!.params;
  assert.equal(
    params.get("username"),
    "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b",
  );
  assert.equal(params.get("userhash"), "true");
  assert.equal(
    params.get("response"),
    "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5",
  );
});

Deno.test("buildAuthorization() matches the RFC 7616 §3.9.1 examples for every named algorithm", async () => {
  const expected: Partial<Record<DigestAlgorithm, string>> = {
    "MD5": "8ca523f5e9506fed4657c9700eebdbec",
    "SHA-256": "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
    "MD5-sess": "e783283f46242139c486a698fec7211d",
  };
  for (const [algorithm, response] of Object.entries(expected)) {
    const header = await buildAuthorization({
      challenge: {
        realm: RFC7616.realm,
        nonce: RFC7616.nonce,
        opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
        algorithm: algorithm as DigestAlgorithm,
        algorithmToken: algorithm,
        qop: "auth",
        stale: false,
        userhash: false,
      },
      username: "Mufasa",
      password: "Circle of Life",
      method: "GET",
      uri: "/dir/index.html",
      nc: 1,
      cnonce: RFC7616.cnonce!,
    });
    assert.equal(parseAuthHeader(header)[0]!.params.get("response"), response, algorithm);
    assert.match(header, new RegExp(`, algorithm=${algorithm}, `));
  }
});

Deno.test("md5HexFrom() continues an md5Prefix() state to the MD5 of head and tail joined", () => {
  // Heads shorter and longer than one 64-byte block, tails that end within and past a block.
  for (const head of ["a:", "x".repeat(70) + ":", "y".repeat(64), ""]) {
    const state = md5Prefix(head);
    for (const tail of ["", "00000001:abc:auth:" + "f".repeat(32), "z".repeat(130)]) {
      assert.equal(
        md5HexFrom(state, tail),
        hashHex("MD5", head + tail),
        `${head.length}+${tail.length}`,
      );
    }
  }
});

Deno.test("warmAuthorization() answers as authorizationSteps() would, with a fresh cnonce", async () => {
  const base = challenge({});
  const cases: [DigestChallenge, string][] = [
    [base, "Mufasa"],
    [challenge({ qop: undefined, opaque: undefined, algorithmToken: "MD5" }), "Mufasa"],
    [challenge({ userhash: true }), "Mufasa"],
    [base, "Jäsøn Doe"],
  ];
  for (const [answered, username] of cases) {
    const password = "Circle Of Life";
    const input = {
      challenge: answered,
      username,
      password,
      method: "GET",
      uri: "/dir/index.html",
    };
    assert.equal(warmAuthorization(answered, username, "GET", "/dir/index.html", 1), undefined);
    const ha1 = hashHex("MD5", secretInput(username, answered.realm, password)) as string;
    const first = await buildAuthorization({ ...input, ha1, nc: 1, cnonce: "0a4f113b" });
    assert.equal(
      warmAuthorization(answered, "someone else", "GET", "/dir/index.html", 2),
      undefined,
    );
    const warm = warmAuthorization(answered, username, "GET", "/dir/index.html", 2)!;
    const params = parseAuthHeader(warm)[0]!.params;
    const cnonce = params.get("cnonce") ?? "";
    if (answered.qop) assert.match(cnonce, /^[0-9a-f]{32}$/);
    // The same header as the steps make with that nc and cnonce.
    assert.equal(warm, await buildAuthorization({ ...input, nc: 2, cnonce }));
    if (answered.qop) assert.notEqual(warm, first);
    else assert.equal(warm, first); // RFC 2069: no nc, no cnonce
    const again = parseAuthHeader(warmAuthorization(answered, username, "GET", "/x", 3)!)[0]!;
    if (answered.qop) assert.notEqual(again.params.get("cnonce"), cnonce);
    assert.equal(again.params.get("uri"), "/x");
  }
  // Only MD5 without -sess and without auth-int has a warm path.
  for (
    const changed of [{ algorithm: "MD5-sess" }, { algorithm: "SHA-256" }, { qop: "auth-int" }]
  ) {
    const other = challenge(changed as Partial<DigestChallenge>);
    const input = { challenge: other, username: "Mufasa", password: "p", method: "GET", uri: "/" };
    await buildAuthorization({ ...input, ha1: "0".repeat(64), nc: 1, cnonce: "c" });
    assert.equal(warmAuthorization(other, "Mufasa", "GET", "/", 2), undefined);
  }
});
