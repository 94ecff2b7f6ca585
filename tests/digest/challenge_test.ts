// Item 1: challenge parsing (RFC 7235 grammar inside one joined WWW-Authenticate string) and the
// choice of challenge; property tests that the parser only ever throws DigestAuthError.
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { sha512_256 } from "@noble/hashes/sha2.js";
import { parseAuthHeader } from "../../src/digest/_auth_params.ts";
import { type ChallengeContext, selectChallenge } from "../../src/digest/_challenge.ts";
import { DigestAuthError } from "../../src/digest/digest_auth_error.ts";

const context: ChallengeContext = {
  method: "GET",
  url: "https://cloud.mongodb.com/api/atlas/v2/groups",
  status: 401,
  // deno-lint-ignore camelcase
  sha512_256: undefined,
};

function rejectsWith(header: string | null, code: string, ctx = context): DigestAuthError {
  try {
    selectChallenge(header, ctx);
  } catch (error) {
    assert.ok(error instanceof DigestAuthError);
    assert.equal(error.code, code);
    assert.equal(error.url, ctx.url);
    assert.equal(error.status, 401);
    return error;
  }
  assert.fail(`expected ${code}`);
}

Deno.test("selectChallenge() finds Digest after Basic in one joined header, never Basic", () => {
  const c = selectChallenge(
    'Basic realm="basic, realm", Digest realm="b", nonce="n1", qop="auth"',
    context,
  );
  assert.equal(c.realm, "b");
  assert.equal(c.nonce, "n1");
  assert.equal(c.qop, "auth");
  rejectsWith('Basic realm="only basic"', "NO_DIGEST_CHALLENGE");
  rejectsWith("Basic dXNlcjpwYXNz", "NO_DIGEST_CHALLENGE");
  rejectsWith(null, "NO_DIGEST_CHALLENGE");
  rejectsWith("", "NO_DIGEST_CHALLENGE");
});

Deno.test('selectChallenge() reads several challenges joined by fetch\'s ", "', async () => {
  const headers = new Headers();
  headers.append("WWW-Authenticate", 'Basic realm="x"');
  headers.append("WWW-Authenticate", 'Digest realm="r", nonce="abc", algorithm=SHA-256');
  headers.append("WWW-Authenticate", 'Digest realm="r", nonce="abc", algorithm=MD5');
  const c = selectChallenge(headers.get("www-authenticate"), context);
  assert.equal(c.algorithm, "SHA-256");
  // The same through a real Response.
  const response = new Response(null, { status: 401, headers });
  assert.equal(selectChallenge(response.headers.get("www-authenticate"), context).nonce, "abc");
  await response.body?.cancel();
});

Deno.test("selectChallenge() unescapes quoted strings and accepts tokens, any case, extra spaces", () => {
  const c = selectChallenge(
    'dIgEsT   REALM = "a \\"quoted\\" realm\\\\" ,NONCE=tok-en.123 ,\tAlgorithm=md5-SESS,  ' +
      'QOP="AUTH-INT , AUTH" , Opaque="o,p" ,  STALE=TRUE, UserHash=True',
    context,
  );
  assert.equal(c.realm, 'a "quoted" realm\\');
  assert.equal(c.nonce, "tok-en.123");
  assert.equal(c.algorithm, "MD5-sess");
  assert.equal(c.algorithmToken, "md5-SESS");
  assert.equal(c.qop, "auth");
  assert.equal(c.opaque, "o,p");
  assert.equal(c.stale, true);
  assert.equal(c.userhash, true);
});

Deno.test('selectChallenge() ignores unknown parameters and tolerates Atlas\'s domain="" and op="auth"', () => {
  const atlas = selectChallenge(
    'Digest realm="MMS Public API", domain="", nonce="Qm9i", algorithm=MD5, op="auth", stale=false',
    context,
  );
  assert.equal(atlas.realm, "MMS Public API");
  assert.equal(atlas.nonce, "Qm9i");
  assert.equal(atlas.algorithm, "MD5");
  assert.equal(atlas.qop, undefined); // op is not qop: the RFC 2069 form
  assert.equal(atlas.stale, false);
  const withQop = selectChallenge(
    'Digest realm="MMS Public API", domain="", nonce="n", algorithm=MD5, qop="auth", ' +
      'stale=false, charset=UTF-8, future-param="x", other=token',
    context,
  );
  assert.equal(withQop.qop, "auth");
  assert.equal(withQop.opaque, undefined);
});

Deno.test("selectChallenge() prefers auth over auth-int and takes auth-int alone", () => {
  assert.equal(
    selectChallenge('Digest realm="r", nonce="n", qop="auth-int,auth"', context).qop,
    "auth",
  );
  assert.equal(
    selectChallenge('Digest realm="r", nonce="n", qop="auth-int"', context).qop,
    "auth-int",
  );
  assert.equal(selectChallenge('Digest realm="r", nonce="n"', context).qop, undefined);
});

Deno.test("selectChallenge() picks the first challenge whose algorithm and qop are supported", () => {
  const c = selectChallenge(
    'Digest realm="r", nonce="1", algorithm=SHA-1, Digest realm="r", nonce="2", qop="auth-conf", ' +
      'Digest realm="r", nonce="3", algorithm=MD5-sess, ' + // -sess needs a qop
      'Digest realm="r", nonce="4", algorithm=SHA-512-256, qop="auth", ' + // no sha512_256 given
      'Digest realm="r", nonce="5", algorithm=SHA-256-sess, qop="auth"',
    context,
  );
  assert.equal(c.nonce, "5");
  assert.equal(c.algorithm, "SHA-256-sess");
  assert.equal(c.algorithmToken, "SHA-256-sess");
  const all = ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "SHA-512-256-sess"];
  for (const algorithm of all) {
    const picked = selectChallenge(
      `Digest realm="r", nonce="n", algorithm=${algorithm}, qop=auth`,
      {
        ...context,
        sha512_256,
      },
    );
    assert.equal(picked.algorithm, algorithm);
  }
  // No algorithm means MD5, and is not echoed.
  const plain = selectChallenge('Digest realm="r", nonce="n"', context);
  assert.equal(plain.algorithm, "MD5");
  assert.equal(plain.algorithmToken, undefined);
});

Deno.test("selectChallenge() names the sha512_256 option when only SHA-512-256 is offered", () => {
  const error = rejectsWith(
    'Digest realm="r", nonce="n", algorithm=SHA-512-256, qop="auth"',
    "UNSUPPORTED_CHALLENGE",
  );
  assert.match(error.message, /sha512_256/);
  assert.match(error.message, /@noble\/hashes\/sha2\.js/);
  assert.match(error.message, /^Cannot authenticate GET https:\/\/cloud\.mongodb\.com/);
});

Deno.test("selectChallenge() reports unsupported algorithms and qops, and malformed headers", () => {
  const error = rejectsWith(
    'Digest realm="r", nonce="n", algorithm=SHA-1, Digest realm="r", nonce="n", qop="auth-conf"',
    "UNSUPPORTED_CHALLENGE",
  );
  assert.match(error.message, /SHA-1/);
  rejectsWith('Digest realm="r"', "UNSUPPORTED_CHALLENGE"); // no nonce
  rejectsWith('Digest realm="unterminated', "MALFORMED_CHALLENGE");
  rejectsWith('Digest realm="r" nonce="n"', "MALFORMED_CHALLENGE");
  rejectsWith("=oops", "MALFORMED_CHALLENGE");
});

// ---- property tests ----

const tokenChar = fc.constantFrom(..."!#$%&'*+-.^_`|~09azAZ");
const token = fc.string({ unit: tokenChar, minLength: 1, maxLength: 8 });
const quotedValue = fc.string({ maxLength: 12 });
const quote = (s: string) => `"${s.replace(/[\\"]/g, "\\$&")}"`;
const ws = fc.constantFrom("", " ", "  ", "\t", " \t ");

Deno.test("parseAuthHeader() never throws anything but DigestAuthError on arbitrary input", () => {
  const alphabet = fc.constantFrom(
    ...'Digest Basic realm nonce = , " \\ \t abc 1 / + ~ é \u0000'.split(""),
  );
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: alphabet, maxLength: 200 })),
      (header) => {
        try {
          parseAuthHeader(header);
          selectChallenge(header, context);
        } catch (error) {
          if (!(error instanceof DigestAuthError)) throw error;
        }
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("parseAuthHeader() round-trips generated challenges, quoted or not, in any spacing", () => {
  const param = fc.record({
    name: token,
    value: fc.oneof(
      quotedValue.map((v) => ({ raw: quote(v), value: v })),
      token.map((t) => ({ raw: t, value: t })),
    ),
    before: ws,
    after: ws,
  });
  const challenge = fc.record({ scheme: token, params: fc.array(param, { maxLength: 5 }) });
  fc.assert(
    fc.property(fc.array(challenge, { minLength: 1, maxLength: 4 }), ws, (challenges, sep) => {
      const header = challenges.map((c) =>
        c.scheme + (c.params.length ? " " : "") +
        c.params.map((p) => `${p.name}${p.before}=${p.after}${p.value.raw}`).join(`,${sep}`)
      ).join(`,${sep}`);
      const parsed = parseAuthHeader(header);
      assert.equal(parsed.length, challenges.length);
      parsed.forEach((c, i) => {
        assert.equal(c.scheme, challenges[i]!.scheme);
        for (const p of challenges[i]!.params) {
          // The first of duplicate names wins.
          const first = challenges[i]!.params.find((q) =>
            q.name.toLowerCase() === p.name.toLowerCase()
          )!;
          assert.equal(c.params.get(p.name.toLowerCase()), first.value.value);
        }
      });
    }),
    { numRuns: 1000 },
  );
});

Deno.test("parseAuthHeader() takes linear time on long hostile input (never hangs)", () => {
  const inputs = [
    "Digest " + 'a="'.repeat(20_000),
    "Digest " + "a=b,".repeat(20_000),
    ", ".repeat(50_000),
    "Digest realm=" + '"\\'.repeat(20_000),
    "x ".repeat(50_000),
  ];
  const started = performance.now();
  for (const header of inputs) {
    try {
      parseAuthHeader(header);
    } catch (error) {
      assert.ok(error instanceof DigestAuthError);
    }
  }
  // Generous bound: quadratic behaviour on 100 KB inputs would take many seconds.
  assert.ok(performance.now() - started < 2000);
});
