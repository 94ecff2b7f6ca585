// Runs one high-level request through the low-level client: timeout and abort (the signal's
// reason is thrown as is; a fetch that ignores the signal cannot hold the caller), and error
// responses turned into AtlasApiError with the request's method and URL.
import type { Middleware } from "openapi-fetch";
import { AtlasApiError, type AtlasFieldViolation } from "./atlas_api_error.ts";
import { AtlasTimeoutError } from "./atlas_timeout_error.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";
import type { RequestOptions } from "./types.ts";

/** What the low-level client resolves to. */
export interface ClientResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Per-call options handed to the low-level client. */
export interface CallInit {
  signal: AbortSignal;
  middleware: Middleware[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks a `timeoutMs` option: undefined, or a positive finite number. */
export function checkTimeout(action: string, field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new AtlasValidationError(
      `${action}: ${field} must be a positive number of milliseconds`,
      { field },
    );
  }
}

/** Parses `Retry-After` (seconds or an HTTP date) into whole seconds from now. */
export function retryAfterSeconds(
  response: Response,
  now: number = Date.now(),
): number | undefined {
  const value = response.headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function toApiError(
  action: string,
  method: string,
  url: string,
  response: Response,
  error: unknown,
): AtlasApiError {
  const body = isRecord(error) ? error : {};
  const text = (value: unknown): string | undefined =>
    typeof value === "string" && value !== "" ? value : undefined;
  const detail = isRecord(body.badRequestDetail) ? body.badRequestDetail : {};
  const fieldViolations: AtlasFieldViolation[] = Array.isArray(detail.fields)
    ? detail.fields.filter(isRecord).map((f) => ({
      field: String(f.field ?? ""),
      description: String(f.description ?? ""),
    }))
    : [];
  return new AtlasApiError({
    action,
    status: response.status,
    errorCode: text(body.errorCode),
    detail: text(body.detail),
    reason: text(body.reason) ?? text(response.statusText),
    parameters: Array.isArray(body.parameters) ? body.parameters : [],
    fieldViolations,
    method,
    url,
    retryAfterSeconds: retryAfterSeconds(response),
  });
}

/**
 * Sends one request with `call`, honouring `options.signal` and `options.timeoutMs`, and throws
 * AtlasApiError for error statuses. `fallback` names the request in case no request was built.
 */
export async function send<T>(
  action: string,
  fallback: { method: string; url: string },
  options: RequestOptions | undefined,
  call: (init: CallInit) => Promise<ClientResult<T>>,
): Promise<{ data: T | undefined; response: Response }> {
  checkTimeout(action, "timeoutMs", options?.timeoutMs);
  const signal = options?.signal;
  signal?.throwIfAborted();
  const seen = { ...fallback };
  const capture: Middleware = {
    onRequest({ request }): undefined {
      seen.method = request.method;
      seen.url = request.url;
      return undefined;
    },
  };
  const controller = new AbortController();
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => {
      controller.abort(signal?.reason);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const timeoutMs = options?.timeoutMs;
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        const error = new AtlasTimeoutError({
          action,
          elapsedMs: performance.now() - started,
          method: seen.method,
          url: seen.url,
        });
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    }
  });
  const pending = call({ signal: controller.signal, middleware: [capture] });
  pending.catch(() => {});
  stopped.catch(() => {});
  let result: ClientResult<T>;
  try {
    result = await Promise.race([pending, stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
  if (!result.response.ok) {
    throw toApiError(action, seen.method, seen.url, result.response, result.error);
  }
  return { data: result.data, response: result.response };
}
