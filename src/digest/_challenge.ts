// Picking the Digest challenge to answer from a `WWW-Authenticate` value (RFC 7616 §3.3): several
// challenges may arrive in one string (fetch joins repeated headers with ", "), Basic and other
// schemes are skipped, unknown parameters ignored, and the first challenge whose algorithm and qop
// this client supports wins.
import { parseAuthHeader } from "./_auth_params.ts";
import type { BytesHash } from "./_hash.ts";
import {
  ALGORITHMS,
  canonicalAlgorithm,
  type DigestAlgorithm,
  type DigestQop,
} from "./_response.ts";
import { cutList } from "./_text.ts";
import { DigestAuthError, type DigestAuthErrorCode } from "./digest_auth_error.ts";

/** A Digest challenge this client can answer. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  /** Echoed back exactly as received; undefined when the server sent none. */
  opaque: string | undefined;
  algorithm: DigestAlgorithm;
  /** The `algorithm` token exactly as the server sent it; undefined when it sent none. */
  algorithmToken: string | undefined;
  /** The qop chosen: `auth` when offered, else `auth-int`, else none (RFC 2069 form). */
  qop: DigestQop;
  stale: boolean;
  userhash: boolean;
}

/** What the request was, for error messages (never credentials). */
export interface ChallengeContext {
  method: string;
  url: string;
  status: number;
  // deno-lint-ignore camelcase
  sha512_256: BytesHash | undefined;
}

/** Reads one parsed Digest challenge: undefined when it cannot be answered. */
function readChallenge(
  params: Map<string, string>,
  hasSha512: boolean,
): DigestChallenge | "sha512" | undefined {
  const realm = params.get("realm");
  const nonce = params.get("nonce");
  const algorithmToken = params.get("algorithm");
  const algorithm = canonicalAlgorithm(algorithmToken ?? "MD5");
  const qopParam = params.get("qop")?.trim();
  const offered = qopParam?.toLowerCase().split(",").map((q) => q.trim()) ?? [];
  const qop: DigestQop = offered.includes("auth")
    ? "auth"
    : offered.includes("auth-int")
    ? "auth-int"
    : undefined;
  // A session algorithm needs a cnonce, which only travels with a qop.
  if (realm === undefined || nonce === undefined || !algorithm) return;
  if (qopParam ? !qop : algorithm.endsWith("-sess")) return;
  if (algorithm.startsWith("SHA-512-256") && !hasSha512) return "sha512";
  const flag = (name: string) => params.get(name)?.toLowerCase() === "true";
  return {
    realm,
    nonce,
    opaque: params.get("opaque"),
    algorithm,
    algorithmToken,
    qop,
    stale: flag("stale"),
    userhash: flag("userhash"),
  };
}

/**
 * The first Digest challenge of a `WWW-Authenticate` value that this client can answer.
 *
 * @throws {DigestAuthError} `MALFORMED_CHALLENGE` when the header breaks the grammar,
 * `NO_DIGEST_CHALLENGE` when it holds no Digest challenge, `UNSUPPORTED_CHALLENGE` when no Digest
 * challenge has a supported algorithm and qop (naming the `sha512_256` option when that would
 * help).
 */
export function selectChallenge(header: string | null, context: ChallengeContext): DigestChallenge {
  const { method, url, status } = context;
  const fail = (code: DigestAuthErrorCode, what: string, cause?: unknown) =>
    new DigestAuthError(`Cannot authenticate ${method} ${url}: ${what}`, {
      code,
      method,
      url,
      status,
      cause,
    });
  let parsed;
  try {
    parsed = parseAuthHeader(header ?? "");
  } catch (error) {
    throw fail("MALFORMED_CHALLENGE", "the server's WWW-Authenticate header is malformed", error);
  }
  let needsSha512 = false;
  const offered: string[] = [];
  for (const { scheme, params } of parsed) {
    if (scheme.toLowerCase() !== "digest") continue;
    const result = readChallenge(params, context.sha512_256 !== undefined);
    if (typeof result === "object") return result;
    if (result === "sha512") needsSha512 = true;
    const qop = params.get("qop");
    offered.push(
      (params.get("algorithm") ?? "MD5") + (qop === undefined ? "" : ` with qop "${qop}"`),
    );
  }
  throw !offered.length
    ? fail(
      "NO_DIGEST_CHALLENGE",
      `the server offered no Digest challenge (${
        cutList(parsed.map((c) => c.scheme), ", ") || "no challenge at all"
      })`,
    )
    : needsSha512
    ? fail(
      "UNSUPPORTED_CHALLENGE",
      "the server asks for SHA-512-256; pass the sha512_256 option " +
        '(import { sha512_256 } from "@noble/hashes/sha2.js") to enable it',
    )
    : fail(
      "UNSUPPORTED_CHALLENGE",
      `no supported Digest challenge (offered: ${cutList(offered, "; ")}; supported: ${
        ALGORITHMS.join(", ")
      } with qop auth, auth-int or none)`,
    );
}
