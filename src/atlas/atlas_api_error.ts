/**
 * The error thrown when Atlas answers a request with an error status.
 *
 * @module
 */
import { cut } from "../digest/_text.ts";
import type { RateLimit } from "./rate_limit.ts";
import type { AtlasSchema } from "./schema.ts";

/** One field that Atlas rejected, from `badRequestDetail.fields` of some 400 errors. */
export type AtlasFieldViolation = AtlasSchema<"FieldViolation">;

/**
 * What a create's 409 "already exists" collides with, read back from Atlas: the existing resource
 * and the request's fields whose values it does not share.
 */
export interface AtlasConflict {
  /**
   * The request's fields whose values differ from the existing resource's, e.g.
   * `["privateEndpointIPAddress"]`; empty when the fields match but the existing one failed or is
   * being deleted (its status says which).
   */
  readonly fields: readonly string[];
  /** The existing resource, as Atlas reported it (a private endpoint, with `cloudProvider`). */
  readonly existing: Readonly<Record<string, unknown>>;
}

/** Options of {@linkcode AtlasApiError}. */
export interface AtlasApiErrorOptions {
  /** What was attempted, in sentence case, e.g. `"Cannot create private endpoint"`. */
  action: string;
  /** The HTTP status of the response. */
  status: number;
  /** Atlas's machine-readable error code, when the body had one. */
  errorCode?: string | undefined;
  /** Atlas's human-readable explanation, when the body had one. */
  detail?: string | undefined;
  /** The HTTP reason phrase Atlas put in the body, or the response's status text. */
  reason?: string | undefined;
  /** The values the detail refers to. */
  parameters?: readonly unknown[] | undefined;
  /** Field-level validation failures, when Atlas reported them. */
  fieldViolations?: readonly AtlasFieldViolation[] | undefined;
  /** The request's HTTP method. */
  method: string;
  /** The request's URL (it never carries credentials). */
  url: string;
  /** The `Retry-After` response header in seconds, when present (429 and 503). */
  retryAfterSeconds?: number | undefined;
  /** The response's `RateLimit-*` headers, when present. */
  rateLimit?: RateLimit | undefined;
  /** The underlying error, if any. */
  cause?: unknown;
  /**
   * What the failure means, in a sentence, when the client found out more than Atlas said (e.g.
   * which field an existing endpoint holds differently); it takes the place of Atlas's detail in
   * the message (the `detail` field keeps Atlas's).
   */
  explanation?: string | undefined;
  /** For a create's 409: what it collides with, read back from Atlas. */
  conflict?: AtlasConflict | undefined;
}

/**
 * Thrown when Atlas answers with an error status (4xx or 5xx). Carries Atlas's error body fields
 * and the request's method and URL; never the API keys or the `Authorization` header.
 *
 * The message reads `Cannot create private endpoint: 409 PRIVATELINK_INTERFACE_ENDPOINT_ALREADY_EXISTS: <detail> (POST https://…/endpoint)`.
 *
 * @example Usage
 * ```ts
 * import { AtlasApiError } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const error = new AtlasApiError({
 *   action: "Cannot get private endpoint",
 *   status: 404,
 *   errorCode: "RESOURCE_NOT_FOUND",
 *   detail: "Cannot find resource.",
 *   method: "GET",
 *   url: "https://cloud.mongodb.com/api/atlas/v1.0/groups/x",
 * });
 * assert.equal(error.name, "AtlasApiError");
 * assert.equal(
 *   error.message,
 *   "Cannot get private endpoint: 404 RESOURCE_NOT_FOUND: Cannot find resource. (GET https://cloud.mongodb.com/api/atlas/v1.0/groups/x)",
 * );
 * assert.equal(error.path, "/api/atlas/v1.0/groups/x");
 * ```
 */
export class AtlasApiError extends Error {
  /** Always `"AtlasApiError"`, also across realms. */
  override readonly name: "AtlasApiError" = "AtlasApiError" as const;
  /** The HTTP status of the response. */
  readonly status: number;
  /** Atlas's machine-readable error code (e.g. `RESOURCE_NOT_FOUND`), if the body had one. */
  readonly errorCode: string | undefined;
  /** Atlas's human-readable explanation, if the body had one. */
  readonly detail: string | undefined;
  /** The HTTP reason phrase, e.g. `Not Found`. */
  readonly reason: string | undefined;
  /** The values the detail refers to (empty when none). */
  readonly parameters: readonly unknown[];
  /** Field-level validation failures (empty when none). */
  readonly fieldViolations: readonly AtlasFieldViolation[];
  /** The request's HTTP method. */
  readonly method: string;
  /** The request's URL. */
  readonly url: string;
  /** The request's path as sent (percent-encoded), without the query. */
  readonly path: string;
  /** The `Retry-After` response header in seconds, when present. */
  readonly retryAfterSeconds: number | undefined;
  /** The response's `RateLimit-*` headers (limit, remaining, reset), when present. */
  readonly rateLimit: RateLimit | undefined;
  /**
   * For a create's 409 "already exists": the existing resource and the fields in which it differs
   * from the request, when the client read it back; undefined otherwise.
   */
  readonly conflict: AtlasConflict | undefined;

  /**
   * Creates an AtlasApiError; the message is built from the action, status, code, detail and
   * request.
   *
   * @param options The response's error fields and the request.
   */
  constructor(options: AtlasApiErrorOptions) {
    // What the server sent is cut short in the message (the fields keep it whole).
    const what = cut(options.errorCode ?? options.reason ?? "error", 100);
    const detail = options.detail ? `: ${cut(options.detail, 500)}` : "";
    super(
      options.explanation
        ? `${options.action}: ${options.explanation} ` +
          `(${options.status} ${what}, ${options.method} ${options.url})`
        : `${options.action}: ${options.status} ${what}${detail} (${options.method} ${options.url})`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.status = options.status;
    this.errorCode = options.errorCode;
    this.detail = options.detail;
    this.reason = options.reason;
    this.parameters = options.parameters ?? [];
    this.fieldViolations = options.fieldViolations ?? [];
    this.method = options.method;
    this.url = options.url;
    this.path = pathOf(options.url);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.rateLimit = options.rateLimit;
    this.conflict = options.conflict;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
