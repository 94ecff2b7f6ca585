// The wire middleware of createAtlasClient: what every request and response needs, whoever built
// it. Input is checked before (by the high-level functions, or by the low-level client's methods);
// no body is parsed here except an `envelope=true` answer. Registered before the authentication:
// - onRequest pins the URL to the client's base URL (same origin, path under its path: a per-call
//   `baseUrl` or `pathSerializer` of openapi-fetch could change both, and the credentials must
//   never follow), keeps it https off loopback, sets `Accept` and `User-Agent` unless the call set
//   them, and a v2 `Content-Type` on a body, before the authentication signs or re-sends the
//   request (here rather than as the client's default headers, which openapi-fetch merges twice
//   per request with a body: about 3 µs a request);
// - onResponse runs after the authentication has dealt with 401 challenges: it unwraps
//   `envelope=true` answers, reports Deprecation/Sunset headers (once per distinct pair and client),
//   and gives 406 (version not acceptable) and 410 (version gone) answers an Atlas error body whose
//   detail carries a hint, so that they are thrown as AtlasApiError saying what to change.
import type { Middleware } from "openapi-fetch";
import {
  type AtlasApiVersion,
  type AtlasDeprecationNotice,
  atlasMediaType,
} from "./api_version.ts";
import { isRecord, transportProblem } from "../shared/_checks.ts";
import { ACTIONS, fail } from "./_validate.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";

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

const JSON_TYPE = "application/json";
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** What {@linkcode wireMiddleware} needs to know. */
export interface WireOptions {
  apiVersion: AtlasApiVersion;
  onDeprecation: ((notice: AtlasDeprecationNotice) => void) | undefined;
  /** The client's base URL, already checked. */
  baseUrl: URL;
  /** The base URL without its trailing slashes, and a "/": what request URLs start with. */
  prefix: string;
  allowInsecureHttp: boolean;
  /** The `User-Agent` to send unless the call sets one. */
  userAgent: string;
}

/** Throws unless `url` is on the base URL and safe for credentials; see the file comment. */
function checkUrl(request: Request, options: WireOptions): void {
  // Fast path: a URL that starts with the (already checked) base URL and a "/".
  if (request.url.startsWith(options.prefix)) return;
  const parsed = new URL(request.url);
  const base = options.baseUrl;
  const basePath = base.pathname.replace(/\/+$/, "");
  const action = request.method === "POST"
    ? ACTIONS.create
    : request.method === "DELETE"
    ? ACTIONS.delete
    : ACTIONS.get;
  const problem = transportProblem(parsed, options.allowInsecureHttp);
  if (problem !== undefined) fail(action, "baseUrl", problem);
  if (
    parsed.origin !== base.origin ||
    (parsed.pathname !== basePath && !parsed.pathname.startsWith(`${basePath}/`))
  ) {
    throw new AtlasValidationError(
      `${action}: the request URL must be on the client's baseUrl (${base.origin}${basePath})`,
      { field: "baseUrl" },
    );
  }
}

/** Creates the middleware; see the file comment. */
export function wireMiddleware(options: WireOptions): Middleware {
  const { apiVersion, onDeprecation, userAgent } = options;
  const mediaType = atlasMediaType(apiVersion);
  const reported = new Set<string>();
  return {
    onRequest({ request }): undefined {
      checkUrl(request, options);
      const headers = request.headers;
      if (!headers.has("accept")) headers.set("Accept", mediaType);
      if (!headers.has("user-agent")) headers.set("User-Agent", userAgent);
      // openapi-fetch sets `Content-Type: application/json` with a body, which only v2 changes.
      // The media type first: reading `request.body` makes the runtime build a stream (Deno).
      if (mediaType !== JSON_TYPE && request.body !== null) {
        headers.set("Content-Type", mediaType);
      }
      return undefined;
    },
    // Synchronous unless there is something to do: an envelope, a deprecation to report, or a
    // 406/410 to explain (an async function here cost about 1 µs a request).
    onResponse({ request, response }): Promise<Response | undefined> | undefined {
      const status = response.status;
      if (
        onDeprecation === undefined && status !== 406 && status !== 410 &&
        !request.url.includes("envelope=true")
      ) {
        return undefined;
      }
      return settle(request, response);
    },
  };

  async function settle(request: Request, response: Response): Promise<Response | undefined> {
    let answer = response;
    if (request.url.includes("envelope=true")) {
      const enveloped = new URL(request.url).searchParams.get("envelope") === "true";
      if (enveloped) answer = await unwrap(response);
    }
    const deprecation = onDeprecation && (answer.headers.get("deprecation") ?? undefined);
    const sunsetHeader = onDeprecation && (answer.headers.get("sunset") ?? undefined);
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
            link: deprecationLink(answer.headers.get("link")),
            method: request.method,
            url: request.url,
          });
        } catch {
          // A failing callback must not turn a request Atlas carried out into an error.
        }
      }
    }
    if (answer.status !== 406 && answer.status !== 410) {
      return answer === response ? undefined : answer;
    }
    return await versionError(answer, apiVersion);
  }
}

/** An `envelope=true` answer as Atlas would have sent it without the envelope. */
async function unwrap(response: Response): Promise<Response> {
  if (response.body === null) return response;
  const text = await response.text();
  let status = response.status;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return rebuild(response, status, text);
  }
  if (
    isRecord(body) && typeof body.status === "number" && body.status >= 200 &&
    body.status <= 599
  ) {
    status = body.status;
    body = body.content;
  }
  return rebuild(response, status, body === undefined ? "" : JSON.stringify(body));
}

/** `response` with another status and body (its length and encoding dropped with the old body). */
function rebuild(response: Response, status: number, text: string, json?: boolean): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  headers.delete("transfer-encoding");
  if (json) headers.set("content-type", "application/json");
  const body = NULL_BODY_STATUSES.has(status) || text === "" ? null : text;
  return new Response(body, {
    status,
    statusText: status === response.status ? response.statusText : "",
    headers,
  });
}

/** A 406 or 410 answer with an Atlas error body that says what to change. */
async function versionError(response: Response, apiVersion: AtlasApiVersion): Promise<Response> {
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
  return rebuild(
    response,
    response.status,
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
    true,
  );
}
