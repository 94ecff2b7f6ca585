// Picking the Digest challenge to answer from a `WWW-Authenticate` value (RFC 7616 §3.3): several
// challenges may arrive in one string (fetch joins repeated headers with ", "), Basic and other
// schemes are skipped, unknown parameters ignored, and the first challenge whose algorithm and qop
// this client supports wins.
import { parseAuthHeader } from "./_auth_params.ts";
import type { BytesHash } from "./_hash.ts";
import { canonicalAlgorithm, type DigestAlgorithm, type DigestQop } from "./_response.ts";
import { DigestAuthError } from "./digest_auth_error.ts";

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

/** Reads one parsed Digest challenge, or says why it cannot be answered. */
function readChallenge(
  params: Map<string, string>,
  hasSha512: boolean,
): DigestChallenge | "sha512" | "unsupported" {
  const realm = params.get("realm");
  const nonce = params.get("nonce");
  if (realm === undefined || nonce === undefined) return "unsupported";
  const algorithmToken = params.get("algorithm");
  const algorithm = canonicalAlgorithm(algorithmToken ?? "MD5");
  if (!algorithm) return "unsupported";
  const qopParam = params.get("qop");
  let qop: DigestQop;
  if (qopParam !== undefined && qopParam.trim() !== "") {
    const offered = qopParam.split(",").map((q) => q.trim().toLowerCase());
    if (offered.includes("auth")) qop = "auth";
    else if (offered.includes("auth-int")) qop = "auth-int";
    else return "unsupported";
  } else if (algorithm.endsWith("-sess")) {
    // A session algorithm needs a cnonce, which only travels with a qop.
    return "unsupported";
  }
  if (algorithm.startsWith("SHA-512-256") && !hasSha512) return "sha512";
  return {
    realm,
    nonce,
    opaque: params.get("opaque"),
    algorithm,
    algorithmToken,
    qop,
    stale: params.get("stale")?.toLowerCase() === "true",
    userhash: params.get("userhash")?.toLowerCase() === "true",
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
  const action = `Cannot authenticate ${context.method} ${context.url}`;
  let parsed;
  try {
    parsed = parseAuthHeader(header ?? "");
  } catch (error) {
    throw new DigestAuthError(`${action}: the server's WWW-Authenticate header is malformed`, {
      code: "MALFORMED_CHALLENGE",
      method: context.method,
      url: context.url,
      status: context.status,
      cause: error,
    });
  }
  let digestSeen = false;
  let needsSha512 = false;
  const offered: string[] = [];
  for (const candidate of parsed) {
    if (candidate.scheme.toLowerCase() !== "digest") continue;
    digestSeen = true;
    const result = readChallenge(candidate.params, context.sha512_256 !== undefined);
    if (typeof result === "object") return result;
    if (result === "sha512") needsSha512 = true;
    const algorithm = candidate.params.get("algorithm") ?? "MD5";
    const qop = candidate.params.get("qop");
    offered.push(qop === undefined ? algorithm : `${algorithm} with qop "${qop}"`);
  }
  const info = {
    method: context.method,
    url: context.url,
    status: context.status,
  };
  if (!digestSeen) {
    const schemes = parsed.map((c) => c.scheme).join(", ");
    throw new DigestAuthError(
      `${action}: the server offered no Digest challenge (${schemes || "no challenge at all"})`,
      { code: "NO_DIGEST_CHALLENGE", ...info },
    );
  }
  if (needsSha512) {
    throw new DigestAuthError(
      `${action}: the server asks for SHA-512-256; pass the sha512_256 option ` +
        `(import { sha512_256 } from "@noble/hashes/sha2.js") to enable it`,
      { code: "UNSUPPORTED_CHALLENGE", ...info },
    );
  }
  throw new DigestAuthError(
    `${action}: no supported Digest challenge (offered: ${offered.join("; ")}; supported: ` +
      `MD5, MD5-sess, SHA-256, SHA-256-sess, SHA-512-256, SHA-512-256-sess with qop auth, ` +
      `auth-int or none)`,
    { code: "UNSUPPORTED_CHALLENGE", ...info },
  );
}
