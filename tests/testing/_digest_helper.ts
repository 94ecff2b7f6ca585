// A minimal, explicit Digest signer for tests of the server side: it computes the Authorization
// header from a challenge with the shared hashing code, with every knob (nc, cnonce, uri, realm,
// algorithm, qop, body) under the test's control, so tests can also forge wrong requests.
import { parseAuthHeader } from "../../src/digest/_auth_params.ts";
import {
  canonicalAlgorithm,
  computeDigestResponse,
  type DigestAlgorithm,
  hashUsername,
} from "../../src/digest/_response.ts";

export interface Challenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  algorithm: DigestAlgorithm;
  qop: string[];
  stale: boolean;
  userhash: boolean;
}

/** The challenges of a WWW-Authenticate value, in order. */
export function parseChallenges(header: string): Challenge[] {
  return parseAuthHeader(header).filter((c) => c.scheme.toLowerCase() === "digest").map((c) => ({
    realm: c.params.get("realm") ?? "",
    nonce: c.params.get("nonce") ?? "",
    opaque: c.params.get("opaque"),
    algorithm: canonicalAlgorithm(c.params.get("algorithm") ?? "MD5")!,
    qop: (c.params.get("qop") ?? "").split(",").map((q) => q.trim()).filter((q) => q !== ""),
    stale: c.params.get("stale")?.toLowerCase() === "true",
    userhash: c.params.get("userhash")?.toLowerCase() === "true",
  }));
}

/** The first challenge of a 401 response (fails the test if there is none). */
export function challengeOf(response: Response): Challenge {
  const header = response.headers.get("www-authenticate");
  if (header === null) throw new Error(`Expected a challenge, got status ${response.status}`);
  return parseChallenges(header)[0]!;
}

export interface SignOptions {
  username: string;
  password: string;
  method: string;
  uri: string;
  nc?: number;
  cnonce?: string;
  body?: Uint8Array;
  /** Override what is sent (to forge wrong requests). */
  realm?: string;
  algorithm?: DigestAlgorithm | null;
  qop?: "auth" | "auth-int" | null;
  opaque?: string | null;
  nonce?: string;
  sentUri?: string;
  userhash?: boolean;
  "sha512_256"?: (data: Uint8Array) => Uint8Array;
}

/** An Authorization header value answering `challenge`. */
export async function sign(challenge: Challenge, o: SignOptions): Promise<string> {
  const algorithm = o.algorithm === undefined ? challenge.algorithm : o.algorithm ?? "MD5";
  const qop = o.qop === undefined ? (challenge.qop[0] as "auth" | "auth-int" | undefined) : o.qop ??
    undefined;
  const realm = o.realm ?? challenge.realm;
  const nonce = o.nonce ?? challenge.nonce;
  const nc = (o.nc ?? 1).toString(16).padStart(8, "0");
  const cnonce = o.cnonce ?? "0a4f113b";
  const response = await computeDigestResponse({
    algorithm,
    qop,
    username: o.username,
    password: o.password,
    realm,
    nonce,
    cnonce,
    nc,
    method: o.method,
    uri: o.uri,
    ...(o.body ? { body: o.body } : {}),
    ...(o.sha512_256 ? { sha512_256: o.sha512_256 } : {}),
  });
  const q = (v: string) => `"${v.replace(/[\\"]/g, "\\$&")}"`;
  const username = o.userhash
    ? await hashUsername(algorithm, o.username, realm, o.sha512_256)
    : o.username;
  const parts = [
    `username=${q(username)}`,
    `realm=${q(realm)}`,
    `nonce=${q(nonce)}`,
    `uri=${q(o.sentUri ?? o.uri)}`,
  ];
  if (qop !== undefined) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${q(cnonce)}`);
  if (o.algorithm !== null) parts.push(`algorithm=${algorithm}`);
  const opaque = o.opaque === undefined ? challenge.opaque : o.opaque ?? undefined;
  if (opaque !== undefined) parts.push(`opaque=${q(opaque)}`);
  if (o.userhash) parts.push("userhash=true");
  parts.push(`response=${q(response)}`);
  return `Digest ${parts.join(", ")}`;
}

/** A request to `url` carrying an Authorization answering `challenge`. */
export async function signedRequest(
  challenge: Challenge,
  url: string,
  o: Omit<SignOptions, "method" | "uri"> & { method?: string; body?: Uint8Array },
): Promise<Request> {
  const u = new URL(url);
  const method = o.method ?? "GET";
  const authorization = await sign(challenge, { ...o, method, uri: u.pathname + u.search });
  return new Request(u, {
    method,
    headers: { authorization, ...(o.body ? { "content-type": "application/json" } : {}) },
    ...(o.body ? { body: o.body as Uint8Array<ArrayBuffer> } : {}),
  });
}

/** A fetch-like function for tests. */
export type TestFetch = (
  path: string,
  init?: { method?: string; body?: string; headers?: Record<string, string> },
) => Promise<Response>;

/**
 * A deliberately simple Digest client for tests of the server side: it answers 401 challenges
 * (one retry), reuses the last nonce with an incrementing nc, and never hides what it sends.
 * `base` is prefixed to every path.
 */
export function createTestDigestClient(
  handler: (request: Request) => Promise<Response>,
  base: string,
  username: string,
  password: string,
): TestFetch & { sent: Request[] } {
  let challenge: Challenge | undefined;
  let nc = 0;
  const sent: Request[] = [];
  const build = async (
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> },
  ): Promise<Request> => {
    const method = init.method ?? "GET";
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined && headers["content-type"] === undefined) {
      headers["content-type"] = "application/json";
    }
    if (challenge) {
      const u = new URL(url);
      headers.authorization = await sign(challenge, {
        username,
        password,
        method,
        uri: u.pathname + u.search,
        nc: ++nc,
      });
    }
    const request = new Request(url, {
      method,
      headers,
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    sent.push(request);
    return request;
  };
  const client = async (
    path: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> => {
    const url = base + path;
    const first = await handler(await build(url, init));
    if (first.status !== 401) return first;
    const header = first.headers.get("www-authenticate");
    if (header === null) return first;
    await first.body?.cancel();
    challenge = parseChallenges(header)[0];
    nc = 0;
    return await handler(await build(url, init));
  };
  return Object.assign(client, { sent });
}
