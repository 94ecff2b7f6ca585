// Parser for RFC 7235 authentication headers: `WWW-Authenticate` (one or more challenges, possibly
// joined with ", " by fetch) and `Authorization` (one set of credentials). Linear, never recursive.
import { DigestAuthError } from "./digest_auth_error.ts";

/** One challenge (or one set of credentials): a scheme and its parameters. */
export interface AuthChallenge {
  /** The scheme as sent, e.g. `Digest`; compare it case-insensitively. */
  scheme: string;
  /** Parameters by lower-cased name, values unquoted and unescaped. The first of duplicates wins. */
  params: Map<string, string>;
}

const TOKEN = "([!#$%&'*+\\-.^_`|~0-9A-Za-z]+)";
/** `name = value` (a token or a quoted-string), then a comma or the end. */
const PARAM = new RegExp(
  `${TOKEN}[ \\t]*=[ \\t]*(?:"((?:[^"\\\\]|\\\\[^])*)"|${TOKEN})[ \\t]*(?:,|$)`,
  "y",
);
/**
 * A scheme, then: a token68 that stands alone (`Basic dXNlcg==`, skipped: no caller needs it), or
 * whitespace before its parameters, or a comma or the end.
 */
const SCHEME = new RegExp(
  `${TOKEN}(?:[ \\t]+[A-Za-z0-9\\-._~+/]+=*[ \\t]*(?:,|$)|[ \\t]+|[ \\t]*(?:,|$))`,
  "y",
);
const SEPARATORS = /[ \t,]*/y;

/**
 * Parses an authentication header into its challenges. Each step matches a sticky expression
 * without nested repetition, so the time is linear in the header's length.
 *
 * @throws {DigestAuthError} with code `MALFORMED_CHALLENGE` when the header breaks the grammar.
 */
export function parseAuthHeader(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  let i = 0;
  while (true) {
    SEPARATORS.lastIndex = i;
    SEPARATORS.test(header);
    i = SEPARATORS.lastIndex;
    if (i >= header.length) return out;
    PARAM.lastIndex = SCHEME.lastIndex = i;
    let m = PARAM.exec(header);
    if (m && current) {
      const name = m[1]!.toLowerCase();
      if (!current.params.has(name)) {
        current.params.set(name, m[3] ?? m[2]!.replace(/\\([^])/g, "$1"));
      }
      i = PARAM.lastIndex;
    } else if (!m && (m = SCHEME.exec(header))) {
      out.push(current = { scheme: m[1]!, params: new Map() });
      i = SCHEME.lastIndex;
    } else {
      throw new DigestAuthError(
        `Cannot parse authentication header: ${
          m ? "parameter before any scheme" : "unexpected character"
        } at position ${i}`,
        { code: "MALFORMED_CHALLENGE" },
      );
    }
  }
}
