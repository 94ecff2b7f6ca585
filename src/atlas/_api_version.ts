// The API-version middleware of createAtlasClient. Registered first, so:
// - its onRequest sets `Accept` (and `Content-Type` when there is a body) to the version's media
//   type before the other middleware (and the authentication, which signs or re-sends it) run;
// - its onResponse runs last, after the guard has unwrapped `envelope=true`: it reports
//   Deprecation/Sunset headers (once per distinct pair and client) and gives 406 (version not
//   acceptable) and 410 (version gone) answers an Atlas error body whose detail carries a hint, so
//   that they are thrown as AtlasApiError with a message that says what to change.
import type { Middleware } from "openapi-fetch";
import {
  type AtlasApiVersion,
  type AtlasDeprecationNotice,
  atlasMediaType,
} from "./api_version.ts";
import { isRecord } from "../shared/_checks.ts";

/** Parses a Deprecation header: `@<seconds>` (RFC 9745), an HTTP date, or `true`. */
export function parseDeprecation(value: string): Date | undefined {
  const trimmed = value.trim();
  const seconds = /^@(-?\d+)$/.exec(trimmed)?.[1];
  if (seconds !== undefined) return new Date(Number(seconds) * 1000);
  return parseHttpDate(trimmed);
}

function parseHttpDate(value: string | undefined): Date | undefined {
  if (value === undefined || !/\d/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** The target of a `Link` header entry with rel="deprecation" or rel="sunset". */
function deprecationLink(header: string | null): string | undefined {
  for (const part of header?.split(/,(?=\s*<)/) ?? []) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel="?[^";]*\b(?:deprecation|sunset)\b/i.test(match[2]!)) return match[1];
  }
  return undefined;
}

function hintFor(status: number, version: AtlasApiVersion): string {
  if (status === 406) {
    return version === "v1.0"
      ? "Atlas did not accept this request's API version; the v1.0 API is served under " +
        '/api/atlas/v1.0, so check baseUrl, or use apiVersion "2023-01-01" with /api/atlas/v2'
      : `Atlas does not serve API version ${version} (Accept: ${atlasMediaType(version)}) here; ` +
        "check that baseUrl ends in /api/atlas/v2 and that apiVersion is a version Atlas serves";
  }
  return version === "v1.0"
    ? 'the v1.0 API is past its sunset date and no longer served; use apiVersion "2023-01-01"'
    : `API version ${version} is past its sunset date and no longer served; upgrade this ` +
      "library and use a newer apiVersion";
}

/** Creates the middleware; see the file comment. */
export function apiVersionMiddleware(options: {
  apiVersion: AtlasApiVersion;
  onDeprecation: ((notice: AtlasDeprecationNotice) => void) | undefined;
}): Middleware {
  const { apiVersion, onDeprecation } = options;
  const mediaType = atlasMediaType(apiVersion);
  const reported = new Set<string>();
  return {
    onRequest({ request }): undefined {
      request.headers.set("Accept", mediaType);
      if (request.body !== null) request.headers.set("Content-Type", mediaType);
      return undefined;
    },
    async onResponse({ request, response }): Promise<Response | undefined> {
      const deprecation = response.headers.get("deprecation") ?? undefined;
      const sunsetHeader = response.headers.get("sunset") ?? undefined;
      if ((deprecation !== undefined || sunsetHeader !== undefined) && onDeprecation) {
        const key = `${deprecation ?? ""}\n${sunsetHeader ?? ""}`;
        if (!reported.has(key)) {
          reported.add(key);
          try {
            onDeprecation({
              apiVersion,
              deprecation,
              deprecatedAt: deprecation === undefined ? undefined : parseDeprecation(deprecation),
              sunset: parseHttpDate(sunsetHeader),
              sunsetHeader,
              link: deprecationLink(response.headers.get("link")),
              method: request.method,
              url: request.url,
            });
          } catch {
            // A failing callback must not turn a request Atlas carried out into an error.
          }
        }
      }
      if (response.status !== 406 && response.status !== 410) return undefined;
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const atlas = isRecord(body) ? body : {};
      const detail = typeof atlas.detail === "string" && atlas.detail !== ""
        ? atlas.detail.replace(/[.\s]+$/, "")
        : undefined;
      const hint = hintFor(response.status, apiVersion);
      const headers = new Headers(response.headers);
      headers.set("content-type", "application/json");
      headers.delete("content-length");
      headers.delete("content-encoding");
      return new Response(
        JSON.stringify({
          ...atlas,
          error: response.status,
          errorCode: typeof atlas.errorCode === "string" && atlas.errorCode !== ""
            ? atlas.errorCode
            : response.status === 406
            ? "NOT_ACCEPTABLE"
            : "VERSION_GONE",
          detail: detail === undefined
            ? `${hint[0]!.toUpperCase()}${hint.slice(1)}`
            : `${detail}: ${hint}`,
        }),
        { status: response.status, statusText: response.statusText, headers },
      );
    },
  };
}
