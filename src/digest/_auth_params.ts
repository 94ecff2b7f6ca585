// Parser for RFC 7235 authentication headers: `WWW-Authenticate` (one or more challenges, possibly
// joined with ", " by fetch) and `Authorization` (one set of credentials). Linear, never recursive.
import { DigestAuthError } from "./digest_auth_error.ts";

/** One challenge (or one set of credentials): a scheme and its parameters. */
export interface AuthChallenge {
  /** The scheme as sent, e.g. `Digest`; compare it case-insensitively. */
  scheme: string;
  /** Parameters by lower-cased name, values unquoted and unescaped. The first of duplicates wins. */
  params: Map<string, string>;
  /** The token68 form (`Basic dXNlcg==`), when the challenge has one instead of parameters. */
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y;

function malformed(position: number, what: string): DigestAuthError {
  return new DigestAuthError(
    `Cannot parse authentication header: ${what} at position ${position}`,
    { code: "MALFORMED_CHALLENGE" },
  );
}

/**
 * Parses an authentication header into its challenges.
 *
 * @throws {DigestAuthError} with code `MALFORMED_CHALLENGE` when the header breaks the grammar.
 */
export function parseAuthHeader(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  const n = header.length;
  let i = 0;
  let current: AuthChallenge | undefined;

  const skipWs = () => {
    while (i < n && (header[i] === " " || header[i] === "\t")) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && TCHAR.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  const readQuoted = (): string => {
    // header[i] is the opening quote.
    const start = i;
    i++;
    let value = "";
    while (i < n) {
      const c = header[i]!;
      if (c === '"') {
        i++;
        return value;
      }
      if (c === "\\") {
        if (i + 1 >= n) break;
        value += header[i + 1];
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    throw malformed(start, "unterminated quoted string");
  };
  // After a parameter or token68: optional whitespace, then a comma or the end.
  const expectSeparator = () => {
    skipWs();
    if (i < n && header[i] !== ",") throw malformed(i, "expected a comma");
  };

  while (true) {
    while (i < n && (header[i] === " " || header[i] === "\t" || header[i] === ",")) i++;
    if (i >= n) break;
    const tokenStart = i;
    const token = readToken();
    if (token === "") throw malformed(i, "unexpected character");
    skipWs();
    if (i < n && header[i] === "=") {
      // auth-param of the current challenge.
      if (!current) throw malformed(tokenStart, "parameter before any scheme");
      i++;
      skipWs();
      let value: string;
      if (header[i] === '"') value = readQuoted();
      else {
        value = readToken();
        if (value === "") throw malformed(i, "missing parameter value");
      }
      const name = token.toLowerCase();
      if (!current.params.has(name)) current.params.set(name, value);
      expectSeparator();
      continue;
    }
    // A new challenge: `scheme`, `scheme token68` or `scheme param=value, ...`.
    current = { scheme: token, params: new Map() };
    out.push(current);
    if (i >= n || header[i] === ",") continue;
    if (i === tokenStart + token.length) throw malformed(i, "unexpected character");
    TOKEN68.lastIndex = i;
    const m = TOKEN68.exec(header);
    if (m) {
      let j = i + m[0].length;
      while (j < n && (header[j] === " " || header[j] === "\t")) j++;
      // token68 only when it stands alone; `realm=...` goes on as a parameter.
      if (j >= n || header[j] === ",") {
        current.token68 = m[0];
        i = j;
      }
    }
  }
  return out;
}
