// Where the engine follows a redirect: to http(s) only, as fetch does (never file:, data:, blob: or
// anything else a runtime's fetch may read), and never from https down to plain http. A refused
// redirect quotes nothing from its target.
import { DigestAuthError } from "./digest_auth_error.ts";

/**
 * The target of a redirect from `url`.
 *
 * @throws {DigestAuthError} `REDIRECT_REFUSED` when the Location is not a valid URL, not http(s),
 * or leads from https to http.
 */
export function redirectTarget(location: string, url: string, method: string, status: number): URL {
  let target: URL | undefined;
  try {
    target = new URL(location, url);
  } catch {
    // Refused below.
  }
  const scheme = target?.protocol;
  const why = scheme === undefined
    ? "the Location header is not a valid URL"
    : scheme !== "http:" && scheme !== "https:"
    ? "it does not lead to an http or https URL"
    : scheme === "http:" && url.startsWith("https:")
    ? "it leads from https down to plain http"
    : undefined;
  if (why === undefined) return target!;
  throw new DigestAuthError(`Cannot follow redirect of ${method} ${url}: ${why}`, {
    code: "REDIRECT_REFUSED",
    method,
    url,
    status,
  });
}
