/**
 * A strict server-side HTTP Digest (RFC 7616) verifier, and a tiny test server built on it. The
 * Atlas simulator authenticates with it; use it directly to test any Digest client.
 *
 * It computes digests with the same code as this package's client, but checks every rule a strict
 * server does: realm, algorithm and qop as offered, `uri` equal to the raw request target (400
 * otherwise, as Apache answers), nonces it issued (self-validating, bound to the opaque), nonce
 * lifetime and use count (`stale=true`, only when the digest is otherwise correct), `nc` per nonce
 * (strict order, unique, or off), `userhash`, and `auth-int` over the exact body bytes. Digests are
 * compared in constant time. Memory is bounded: nonce state expires with the nonce and is capped.
 *
 * @module
 */
import { parseAuthHeader } from "../digest/_auth_params.ts";
import { sha256 } from "@noble/hashes/sha2.js";
import { type BytesHash, randomHex, toHex } from "../digest/_hash.ts";
import {
  canonicalAlgorithm,
  computeDigestResponse,
  type DigestAlgorithm,
  hashUsername,
} from "../digest/_response.ts";
import { constantTimeEqual } from "./_constant_time.ts";
import { resetDigestStats } from "./_digest_stats.ts";
import { requestTarget } from "./serve.ts";

export type { DigestAlgorithm } from "../digest/_response.ts";

/**
 * How `nc` (the nonce count) is checked, per nonce (or per opaque in `"per-client"` opaque mode):
 * - `"strict"`: each nc must be exactly the previous accepted one plus 1, starting at 1 (Apache
 *   mod_auth_digest with `AuthDigestNcCheck On`); concurrent reuse of one nonce fails.
 * - `"unique"`: each nc value is accepted once, in any order (replay protection only).
 * - `"off"`: nc is not checked.
 */
export type NcPolicy = "strict" | "unique" | "off";

/** Options of {@linkcode createDigestVerifier}. */
export interface DigestVerifierOptions {
  /** The realm announced and required, e.g. `"MMS Public API"`. */
  realm: string;
  /** username -> password, or a lookup function returning the password (undefined: unknown). */
  credentials: Record<string, string> | ((username: string) => string | undefined);
  /** Algorithms offered, one challenge each, in this order. Default `["MD5"]`. */
  algorithms?: DigestAlgorithm[];
  /** qop values offered; `[]` means no qop (the RFC 2069 form). Default `["auth"]`. */
  qop?: ("auth" | "auth-int")[];
  /** How `nc` is checked. Default `"strict"`. */
  ncPolicy?: NcPolicy;
  /**
   * How long a nonce is valid, in milliseconds. A request with an expired nonce and an otherwise
   * correct digest gets 401 with `stale=true`. Default 300_000 (Apache's default).
   */
  nonceLifetimeMs?: number;
  /** A nonce goes stale after this many accepted uses. Default unlimited. */
  maxNonceUses?: number;
  /**
   * - `"per-client"` (Apache-like): a 401 for a request that carried Authorization repeats that
   *   request's opaque (with a new nonce bound to it; the nc counter is per opaque and resets with
   *   it, so an older nonce of that opaque fails the nc check); only a request without
   *   Authorization gets a new opaque.
   * - `"per-nonce"`: every challenge has a fresh opaque.
   * - `"none"`: no opaque.
   *
   * Default `"per-nonce"`.
   */
  opaque?: "per-client" | "per-nonce" | "none";
  /**
   * Offer `userhash=true` and accept hashed usernames (RFC 7616 §3.4.4). Hashed usernames can only
   * be resolved when `credentials` is a record. Default false.
   */
  userhash?: boolean;
  /**
   * Extra raw parameters for each challenge, e.g. `domain=""` (Atlas sends it). They are placed
   * right after `realm`, where Atlas puts `domain`.
   */
  extraChallengeParams?: string;
  /**
   * Always announce `stale`: `stale=false` on ordinary challenges, as Atlas does (`stale=true` is
   * sent on stale challenges either way). Default false.
   */
  explicitStale?: boolean;
  /** Upper bound of nonces whose state is tracked at once; the oldest go first. Default 10_000. */
  maxTrackedNonces?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
  /** SHA-512/256 (e.g. `sha512_256` from `@noble/hashes/sha2.js`), for the SHA-512-256 algorithms. */
  // deno-lint-ignore camelcase
  sha512_256?: (data: Uint8Array) => Uint8Array;
}

/** Why a request was rejected. */
export type DigestRejectReason =
  | "missing"
  | "malformed"
  | "unknown-nonce"
  | "credentials"
  | "nc"
  | "stale"
  | "uri"
  | "realm"
  | "qop"
  | "algorithm";

/**
 * The outcome of {@linkcode DigestVerifier.verify}: accepted (with the username), or rejected
 * with the status to answer (400 or 401), the reason and, for 401, the `WWW-Authenticate` value.
 */
export type DigestVerdict =
  | { ok: true; username: string }
  | { ok: false; status: 400 | 401; reason: DigestRejectReason; wwwAuthenticate?: string };

/** Counters kept by a {@linkcode DigestVerifier}. */
export interface DigestVerifierStats {
  /** Challenges issued (one per `WWW-Authenticate` value, whatever the number of algorithms). */
  challenges: number;
  /** Requests accepted. */
  accepted: number;
  /** Requests rejected, by {@linkcode DigestRejectReason}. */
  rejected: Record<string, number>;
}

/** A strict Digest verifier, as created by {@linkcode createDigestVerifier}. */
export interface DigestVerifier {
  /**
   * A fresh `WWW-Authenticate` value (all challenges joined with ", "). `opaque` reuses a client's
   * opaque in `"per-client"` mode (ignored unless this verifier issued it).
   */
  challenge(options?: { stale?: boolean; opaque?: string }): string;
  /**
   * Checks a request's Authorization against its method, raw request target and body bytes.
   * `body` is only needed for qop `auth-int`; when omitted the request body is read from a clone.
   */
  verify(request: Request, body?: Uint8Array): Promise<DigestVerdict>;
  /** Counters for tests and benchmarks. */
  readonly stats: DigestVerifierStats;
}

interface NonceState {
  issuedAt: number;
  opaque: string;
  uses: number;
  lastNc: number;
  seen: Set<number>;
}

const REQUIRED = ["username", "realm", "nonce", "uri", "response"] as const;
const NC = /^[0-9a-fA-F]{8}$/;
const HEX = /^[0-9a-f]+$/;
const TS_LEN = 12;
const RAND_LEN = 16;
const MAC_LEN = 32;
const encoder = new TextEncoder();

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

/** RFC 8187 `UTF-8''percent-encoded` (the `username*` parameter); undefined when malformed. */
function decodeExtValue(value: string): string | undefined {
  const m = /^utf-8'[^']*'(.*)$/i.exec(value);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

function checkOptions(options: DigestVerifierOptions): void {
  if (typeof options.realm !== "string") {
    throw new TypeError("Cannot create Digest verifier: realm must be a string");
  }
  if (typeof options.credentials !== "function" && typeof options.credentials !== "object") {
    throw new TypeError(
      "Cannot create Digest verifier: credentials must be a record or a function",
    );
  }
  const algorithms = options.algorithms ?? ["MD5"];
  if (algorithms.length === 0) {
    throw new RangeError("Cannot create Digest verifier: algorithms must not be empty");
  }
  for (const a of algorithms) {
    if (canonicalAlgorithm(a) !== a) {
      throw new RangeError(`Cannot create Digest verifier: unsupported algorithm ${a}`);
    }
    if (a.startsWith("SHA-512-256") && !options.sha512_256) {
      throw new TypeError(`Cannot create Digest verifier: ${a} needs the sha512_256 option`);
    }
    if (a.endsWith("-sess") && (options.qop ?? ["auth"]).length === 0) {
      throw new RangeError(`Cannot create Digest verifier: ${a} needs a qop`);
    }
  }
  for (const q of options.qop ?? []) {
    if (q !== "auth" && q !== "auth-int") {
      throw new RangeError(`Cannot create Digest verifier: unsupported qop ${q}`);
    }
  }
  const policy = options.ncPolicy ?? "strict";
  if (policy !== "strict" && policy !== "unique" && policy !== "off") {
    throw new RangeError(`Cannot create Digest verifier: unknown ncPolicy ${policy}`);
  }
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && !(value > 0)) {
      throw new RangeError(`Cannot create Digest verifier: ${name} must be positive`);
    }
  };
  positive("nonceLifetimeMs", options.nonceLifetimeMs);
  positive("maxNonceUses", options.maxNonceUses);
  positive("maxTrackedNonces", options.maxTrackedNonces);
}

/**
 * Creates a strict server-side Digest verifier.
 *
 * Checks, in order: an Authorization header with the Digest scheme (else 401 `missing`), its
 * grammar and required parameters (400 `malformed`), the realm (401 `realm`), `uri` equal to the
 * raw request target (400 `uri`), an offered algorithm (401 `algorithm`) and qop (401 `qop`), a
 * nonce this verifier issued, bound to the request's opaque (401 `unknown-nonce`), the digest
 * itself in constant time (401 `credentials`), then the nonce's age and use count (401 `stale`
 * with `stale=true`) and finally `nc` (401 `nc`). Every 401 carries a fresh challenge.
 *
 * @param options Realm, credentials and policies.
 * @returns The verifier.
 * @throws {TypeError | RangeError} when an option is invalid.
 *
 * @example Verify a request signed by this package's own hashing
 * ```ts
 * import { createDigestVerifier } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const verifier = createDigestVerifier({ realm: "test", credentials: { alice: "secret" } });
 * const unauthenticated = await verifier.verify(new Request("http://127.0.0.1/x"));
 * assert.equal(unauthenticated.ok, false);
 * assert.equal(unauthenticated.ok ? 0 : unauthenticated.status, 401);
 * assert.match(verifier.challenge(), /^Digest realm="test", nonce="[0-9a-f]+", algorithm=MD5, qop="auth", opaque=/);
 * ```
 */
export function createDigestVerifier(options: DigestVerifierOptions): DigestVerifier {
  checkOptions(options);
  const realm = options.realm;
  const algorithms = [...(options.algorithms ?? ["MD5"] as DigestAlgorithm[])];
  const qops = [...(options.qop ?? ["auth"])];
  const ncPolicy = options.ncPolicy ?? "strict";
  const lifetime = options.nonceLifetimeMs ?? 300_000;
  const maxUses = options.maxNonceUses ?? Infinity;
  const opaqueMode = options.opaque ?? "per-nonce";
  const userhash = options.userhash ?? false;
  const extra = options.extraChallengeParams;
  const explicitStale = options.explicitStale ?? false;
  const maxTracked = options.maxTrackedNonces ?? 10_000;
  const now = options.now ?? Date.now;
  const sha512: BytesHash | undefined = options.sha512_256;
  const secret = randomHex(32);
  const credentials = options.credentials;

  const states = new Map<string, NonceState>();
  /** per-client mode: the current nonce of each opaque. */
  const currentNonce = new Map<string, string>();
  const userhashCache = new Map<DigestAlgorithm, Map<string, string>>();
  const stats: DigestVerifierStats = { challenges: 0, accepted: 0, rejected: {} };

  const lookup = (username: string): string | undefined => {
    if (typeof credentials === "function") return credentials(username);
    return Object.hasOwn(credentials, username) ? credentials[username] : undefined;
  };

  // Nonces and opaques are self-validating: random part plus a keyed hash. The nonce also carries
  // its issue time and is bound to its opaque, so an expired nonce is recognised (and answered
  // stale=true) after its state has been dropped.
  // Synchronous (noble) SHA-256 keeps challenge() synchronous; secret-prefixed SHA-256 over
  // fixed-format data is enough to make nonces unforgeable by a client.
  const mac = (data: string): string => toHex(sha256(encoder.encode(`${secret}:${data}`)));
  const newOpaque = (): string => {
    const rand = randomHex(8);
    return rand + mac(`opaque:${rand}`).slice(0, 16);
  };
  const validOpaque = (opaque: string): boolean =>
    opaque.length === 32 && HEX.test(opaque) &&
    constantTimeEqual(opaque.slice(16), mac(`opaque:${opaque.slice(0, 16)}`).slice(0, 16));
  const newNonce = (opaque: string): string => {
    // Whole milliseconds: a clock with fractions (a test's) would put a "." in the nonce.
    const ts = Math.floor(now()).toString(16).padStart(TS_LEN, "0").slice(-TS_LEN);
    const rand = randomHex(RAND_LEN / 2);
    return ts + rand + mac(`nonce:${ts}:${rand}:${opaque}`).slice(0, MAC_LEN);
  };
  /** The nonce's issue time, or undefined when this verifier did not issue it for `opaque`. */
  const nonceIssuedAt = (nonce: string, opaque: string): number | undefined => {
    if (nonce.length !== TS_LEN + RAND_LEN + MAC_LEN || !HEX.test(nonce)) return undefined;
    const ts = nonce.slice(0, TS_LEN);
    const rand = nonce.slice(TS_LEN, TS_LEN + RAND_LEN);
    const expected = mac(`nonce:${ts}:${rand}:${opaque}`).slice(0, MAC_LEN);
    if (!constantTimeEqual(nonce.slice(TS_LEN + RAND_LEN), expected)) return undefined;
    return parseInt(ts, 16);
  };

  const sweep = () => {
    const t = now();
    for (const [nonce, state] of states) {
      if (t - state.issuedAt <= lifetime && states.size <= maxTracked) break;
      states.delete(nonce);
      if (currentNonce.get(state.opaque) === nonce) currentNonce.delete(state.opaque);
    }
  };

  const challenge = (opts: { stale?: boolean; opaque?: string } = {}): string => {
    sweep();
    let opaque = "";
    if (opaqueMode === "per-client" && opts.opaque !== undefined && validOpaque(opts.opaque)) {
      opaque = opts.opaque;
    } else if (opaqueMode !== "none") {
      opaque = newOpaque();
    }
    const nonce = newNonce(opaque);
    states.set(nonce, { issuedAt: now(), opaque, uses: 0, lastNc: 0, seen: new Set() });
    if (opaqueMode === "per-client") currentNonce.set(opaque, nonce);
    sweep();
    stats.challenges++;
    const parts: string[] = [];
    for (const algorithm of algorithms) {
      let c = `Digest realm=${quote(realm)}`;
      if (extra) c += `, ${extra}`;
      c += `, nonce=${quote(nonce)}, algorithm=${algorithm}`;
      if (qops.length > 0) c += `, qop=${quote(qops.join(","))}`;
      if (opaque) c += `, opaque=${quote(opaque)}`;
      if (userhash) c += ", userhash=true";
      if (opts.stale) c += ", stale=true";
      else if (explicitStale) c += ", stale=false";
      parts.push(c);
    }
    return parts.join(", ");
  };

  const reject = (
    status: 400 | 401,
    reason: DigestRejectReason,
    requestOpaque?: string,
    stale = false,
  ): DigestVerdict => {
    stats.rejected[reason] = (stats.rejected[reason] ?? 0) + 1;
    if (status === 400) return { ok: false, status, reason };
    const opts: { stale?: boolean; opaque?: string } = { stale };
    if (requestOpaque !== undefined) opts.opaque = requestOpaque;
    return { ok: false, status, reason, wwwAuthenticate: challenge(opts) };
  };

  const resolveUsername = async (
    params: Map<string, string>,
    algorithm: DigestAlgorithm,
  ): Promise<string | undefined> => {
    const star = params.get("username*");
    const plain = params.get("username");
    if (params.get("userhash")?.toLowerCase() === "true") {
      if (!userhash || typeof credentials === "function" || plain === undefined) return undefined;
      let byHash = userhashCache.get(algorithm);
      if (!byHash) {
        byHash = new Map();
        for (const name of Object.keys(credentials)) {
          byHash.set(await hashUsername(algorithm, name, realm, sha512), name);
        }
        userhashCache.set(algorithm, byHash);
      }
      return byHash.get(plain.toLowerCase());
    }
    if (plain !== undefined) return plain;
    return star === undefined ? undefined : decodeExtValue(star);
  };

  const verify = async (request: Request, body?: Uint8Array): Promise<DigestVerdict> => {
    const header = request.headers.get("authorization");
    if (header === null) return reject(401, "missing");
    let params: Map<string, string>;
    try {
      const parsed = parseAuthHeader(header);
      const digest = parsed.find((c) => c.scheme.toLowerCase() === "digest");
      if (!digest) return reject(401, "missing");
      params = digest.params;
    } catch {
      return reject(400, "malformed");
    }
    const opaque = params.get("opaque");
    const requestOpaque = opaqueMode === "per-client" ? opaque : undefined;
    for (const name of REQUIRED) {
      if (name === "username" && params.has("username*")) continue;
      if (!params.has(name)) return reject(400, "malformed");
    }
    if (params.get("realm") !== realm) return reject(401, "realm", requestOpaque);
    if (params.get("uri") !== requestTarget(request)) return reject(400, "uri");
    const algorithmToken = params.get("algorithm") ?? "MD5";
    const algorithm = canonicalAlgorithm(algorithmToken);
    if (!algorithm || !algorithms.includes(algorithm)) {
      return reject(401, "algorithm", requestOpaque);
    }
    const qopParam = params.get("qop");
    let qop: "auth" | "auth-int" | undefined;
    if (qopParam === undefined) {
      if (qops.length > 0) return reject(401, "qop", requestOpaque);
    } else {
      const q = qopParam.toLowerCase();
      if ((q !== "auth" && q !== "auth-int") || !qops.includes(q)) {
        return reject(401, "qop", requestOpaque);
      }
      qop = q;
    }
    const nc = params.get("nc");
    const cnonce = params.get("cnonce");
    if (qop !== undefined && (nc === undefined || !NC.test(nc) || cnonce === undefined)) {
      return reject(400, "malformed");
    }
    if (algorithm.endsWith("-sess") && cnonce === undefined) return reject(400, "malformed");

    const nonce = params.get("nonce")!;
    const issuedAt = nonceIssuedAt(nonce, opaqueMode === "none" ? "" : opaque ?? "");
    if (issuedAt === undefined) return reject(401, "unknown-nonce", requestOpaque);

    const username = await resolveUsername(params, algorithm);
    const password = username === undefined ? undefined : lookup(username);
    let entityBody = body;
    if (qop === "auth-int" && entityBody === undefined) {
      entityBody = request.body ? new Uint8Array(await request.clone().arrayBuffer()) : undefined;
    }
    const expected = await computeDigestResponse({
      algorithm,
      qop,
      username: username ?? "",
      // An unknown user still costs a full digest computation.
      password: password ?? secret,
      realm,
      nonce,
      ...(cnonce === undefined ? {} : { cnonce }),
      ...(nc === undefined ? {} : { nc }),
      method: request.method,
      uri: params.get("uri")!,
      ...(entityBody === undefined ? {} : { body: entityBody }),
      ...(sha512 ? { sha512_256: sha512 } : {}),
    });
    const matches = constantTimeEqual(expected, params.get("response")!.toLowerCase());
    if (password === undefined || !matches) return reject(401, "credentials", requestOpaque);

    // The digest is right: only now may the answer be stale=true.
    sweep();
    const state = states.get(nonce);
    if (now() - issuedAt > lifetime || !state || state.uses >= maxUses) {
      return reject(401, "stale", requestOpaque, true);
    }
    if (opaqueMode === "per-client" && currentNonce.get(state.opaque) !== nonce) {
      // A newer nonce was issued to this client: its counter was reset (Apache's behaviour).
      return reject(401, "nc", requestOpaque);
    }
    if (qop !== undefined && ncPolicy !== "off") {
      const count = parseInt(nc!, 16);
      if (
        ncPolicy === "strict" ? count !== state.lastNc + 1 : count === 0 || state.seen.has(count)
      ) {
        return reject(401, "nc", requestOpaque);
      }
      state.lastNc = count;
      if (ncPolicy === "unique") state.seen.add(count);
    }
    state.uses++;
    stats.accepted++;
    return { ok: true, username: username! };
  };

  return { challenge, verify, stats };
}

/** Options of {@linkcode createDigestTestServer}: a verifier's options plus a latency. */
export interface DigestTestServerOptions extends DigestVerifierOptions {
  /** Delay before every response, in milliseconds. Default 0. */
  latencyMs?: number;
}

/** A strict Digest test server, as created by {@linkcode createDigestTestServer}. */
export interface DigestTestServer {
  /**
   * The handler: 401 with a challenge (JSON body `{error, reason}`), 400 for a malformed
   * Authorization or a wrong `uri`, or 200 with JSON `{ method, uri, body, username }` echoing
   * what it received (`body` as UTF-8 text, `""` when empty).
   */
  fetch(request: Request): Promise<Response>;
  /** Requests handled so far (every round trip, authenticated or not). */
  readonly requests: number;
  /** The verifier, for its stats. */
  readonly verifier: DigestVerifier;
  /** Sets the request counter and the verifier's stats back to zero. */
  reset(): void;
}

/**
 * A tiny strict Digest test server as a fetch handler, for testing Digest clients: serve it with
 * `serve()` or call its `fetch` directly.
 *
 * @param options The verifier's options, plus `latencyMs`.
 * @returns The server.
 * @throws {TypeError | RangeError} when an option is invalid.
 *
 * @example Answer an unauthenticated request with a challenge
 * ```ts
 * import { createDigestTestServer } from "@atlas-edge/private-endpoint/testing";
 * import assert from "node:assert/strict";
 *
 * const server = createDigestTestServer({
 *   realm: "test",
 *   credentials: { alice: "secret" },
 *   algorithms: ["SHA-256", "MD5"],
 * });
 * const response = await server.fetch(new Request("http://127.0.0.1/hello"));
 * assert.equal(response.status, 401);
 * await response.body?.cancel();
 * assert.match(response.headers.get("www-authenticate")!, /algorithm=SHA-256.*algorithm=MD5/);
 * assert.equal(server.requests, 1);
 * assert.equal(server.verifier.stats.rejected.missing, 1);
 * ```
 */
export function createDigestTestServer(options: DigestTestServerOptions): DigestTestServer {
  const latencyMs = options.latencyMs ?? 0;
  if (!(latencyMs >= 0)) {
    throw new RangeError("Cannot create Digest test server: latencyMs must not be negative");
  }
  const verifier = createDigestVerifier(options);
  let requests = 0;
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(value), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });
  return {
    async fetch(request: Request): Promise<Response> {
      requests++;
      const body = new Uint8Array(await request.arrayBuffer());
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      const verdict = await verifier.verify(request, body);
      if (!verdict.ok) {
        const headers: Record<string, string> = verdict.wwwAuthenticate === undefined
          ? {}
          : { "www-authenticate": verdict.wwwAuthenticate };
        return json(verdict.status, { error: verdict.status, reason: verdict.reason }, headers);
      }
      return json(200, {
        method: request.method,
        uri: requestTarget(request),
        body: new TextDecoder().decode(body),
        username: verdict.username,
      });
    },
    get requests(): number {
      return requests;
    },
    verifier,
    reset(): void {
      requests = 0;
      resetDigestStats(verifier.stats);
    },
  };
}
