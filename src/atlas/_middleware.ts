// The guard middleware of createAtlasClient. Registered before the Digest middleware, so:
// - its onRequest checks the call (operation, URL, path and query parameters, body) and throws
//   AtlasValidationError before the Digest middleware or fetch ever see the request;
// - its onResponse runs after Digest has dealt with 401 challenges, and makes responses look the
//   same with or without `envelope=true`, with `cloudProvider` always set on endpoints.
import type { Middleware } from "openapi-fetch";
import { ENDPOINT_PATH, ENDPOINTS_PATH } from "./_paths.ts";
import {
  ACTIONS,
  checkCreateBody,
  checkEndpointId,
  checkQuery,
  checkServiceRef,
  checkTransport,
  type Operation,
} from "./_validate.ts";
import { AtlasValidationError } from "./atlas_validation_error.ts";
import { isRecord } from "../shared/_checks.ts";

function operationOf(method: string, schemaPath: string): Operation | undefined {
  if (method === "POST" && schemaPath === ENDPOINTS_PATH) return "create";
  if (schemaPath !== ENDPOINT_PATH) return undefined;
  if (method === "GET") return "get";
  if (method === "DELETE") return "delete";
  return undefined;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Throws unless `url` is on the configured base URL: same origin, and a path under its path. A
 * per-call `baseUrl` or `pathSerializer` of openapi-fetch can change both; the credentials must
 * never follow.
 */
function checkOnBase(action: string, url: URL, base: URL): void {
  const basePath = base.pathname.replace(/\/+$/, "");
  if (
    url.origin !== base.origin ||
    (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`))
  ) {
    throw new AtlasValidationError(
      `${action}: the request URL must be on the client's baseUrl (${base.origin}${basePath})`,
      { field: "baseUrl" },
    );
  }
}

/** Creates the guard middleware; see the file comment. */
export function atlasGuard(options: { allowInsecureHttp: boolean; baseUrl: URL }): Middleware {
  const { baseUrl } = options;
  return {
    async onRequest({ request, schemaPath, params }): Promise<undefined> {
      const operation = operationOf(request.method, schemaPath);
      if (operation === undefined) {
        throw new AtlasValidationError(
          `Cannot send request: ${request.method} ${schemaPath} is not an operation of this client`,
          { field: "path" },
        );
      }
      const action = ACTIONS[operation];
      const url = new URL(request.url);
      checkTransport(action, "baseUrl", url, options.allowInsecureHttp);
      checkOnBase(action, url, baseUrl);
      const path: unknown = params.path;
      checkServiceRef(action, path);
      if (operation !== "create") {
        checkEndpointId(action, path.cloudProvider, (path as { endpointId?: unknown }).endpointId);
      }
      checkQuery(action, params.query);
      if (operation === "create") {
        const text = request.body === null ? "" : await request.clone().text();
        if (text === "") {
          throw new AtlasValidationError(`${action}: body is required`, { field: "body" });
        }
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (cause) {
          throw new AtlasValidationError(`${action}: body must be JSON`, { field: "body", cause });
        }
        checkCreateBody(action, path.cloudProvider, body);
      }
      return undefined;
    },

    async onResponse({ request, response, schemaPath, params }): Promise<Response | undefined> {
      const operation = operationOf(request.method, schemaPath);
      const enveloped = new URL(request.url).searchParams.get("envelope") === "true";
      const isEndpoint = response.ok && (operation === "create" || operation === "get");
      if (!enveloped && !isEndpoint) return undefined;
      if (response.body === null) return undefined;
      const text = await response.text();
      let status = response.status;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return rebuild(response, status, text);
      }
      if (
        enveloped && isRecord(body) && typeof body.status === "number" && body.status >= 200 &&
        body.status <= 599
      ) {
        status = body.status;
        body = body.content;
      }
      const provider = (params.path as { cloudProvider?: unknown } | undefined)?.cloudProvider;
      if (
        status >= 200 && status < 300 && operation !== "delete" && isRecord(body) &&
        body.cloudProvider === undefined
      ) {
        body = { cloudProvider: provider, ...body };
      }
      return rebuild(response, status, body === undefined ? "" : JSON.stringify(body));
    },
  };
}

function rebuild(response: Response, status: number, text: string): Response {
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  headers.delete("transfer-encoding");
  const body = NULL_BODY_STATUSES.has(status) || text === "" ? null : text;
  return new Response(body, {
    status,
    statusText: status === response.status ? response.statusText : "",
    headers,
  });
}
