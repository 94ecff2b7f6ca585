// The simulator's request pipeline, in Atlas's order: latency, the OAuth endpoints,
// authentication, injected faults, routing, the rate limit, version negotiation, the operation,
// and the rendered answer; every request logged.
import { atlasError, type SimulatedError } from "./_simulator_errors.ts";
import type { SimulatorAuth } from "./_simulator_auth.ts";
import { faultError, type FaultQueue, type SimulatorFaultKind } from "./_simulator_faults.ts";
import { delay, respond } from "./_simulator_http.ts";
import type { RequestLog, SimulatorLogEntry } from "./_simulator_log.ts";
import type { PerformOperation } from "./_simulator_operations.ts";
import type { RateLimiter } from "./_simulator_rate_limit.ts";
import {
  parseRoute,
  type Route,
  type SimulatorRequestInfo,
  splitTarget,
} from "./_simulator_routing.ts";
import { negotiate, type SimulatorApiVersion, V2_BASE_PATH } from "./_simulator_versions.ts";
import { DropConnection } from "./serve.ts";

/** What the pipeline runs on. */
export interface SimulatorParts {
  now: () => number;
  basePaths: readonly string[];
  apiVersions: Readonly<Record<string, SimulatorApiVersion>>;
  /** The delay before a response, in milliseconds. */
  latency: (request: SimulatorRequestInfo) => number;
  auth: SimulatorAuth;
  faults: FaultQueue;
  limiter: RateLimiter;
  perform: PerformOperation;
  log: RequestLog;
}

/** The API a request is for, even when no route matched (for the 429 a fault answers with). */
function apiOf(route: Route | SimulatedError | undefined, rawPath: string): "v1.0" | "v2" {
  if (route && "api" in route) return route.api;
  return rawPath.startsWith(V2_BASE_PATH + "/") ? "v2" : "v1.0";
}

/** The simulator's fetch handler. */
export function createSimulatorHandler(
  parts: SimulatorParts,
): (request: Request) => Promise<Response> {
  const { now, auth, faults, limiter, log } = parts;

  return async function fetch(request: Request): Promise<Response> {
    if (request.signal?.aborted) throw request.signal.reason;
    log.counters.requests++;
    const { target, rawPath, query } = splitTarget(request);
    const route = parseRoute(request.method, rawPath, parts.basePaths);
    const operation = route && !("status" in route) ? route.operation : undefined;
    const info: SimulatorRequestInfo = { method: request.method, path: rawPath, operation };
    const entry: SimulatorLogEntry = {
      time: now(),
      method: request.method,
      path: rawPath,
      target,
      status: 0,
      authorization: request.headers.has("authorization"),
      ...(operation ? { operation } : {}),
    };
    const finish = (response: Response, errorCode?: string): Response => {
      entry.status = response.status;
      if (errorCode !== undefined) entry.errorCode = errorCode;
      log.record(entry);
      return response;
    };
    // The RateLimit-* headers of the project's bucket, once the request took a token from it: on
    // every answer while the limit is enforced, else on successes only.
    let rateHeaders: Record<string, string> = {};
    const fail = (error: SimulatedError): Response =>
      finish(
        respond(error.status, error.body, query, {
          ...(limiter.enforced ? rateHeaders : {}),
          ...error.headers,
        }),
        error.body.errorCode,
      );
    const drop = (kind: SimulatorFaultKind): never => {
      entry.fault = kind;
      log.record(entry);
      throw new DropConnection();
    };

    const body = new Uint8Array(await request.arrayBuffer());
    await delay(parts.latency(info), request.signal);

    const oauth = auth.oauth(rawPath, request, body);
    if (oauth) return finish(oauth);
    const refused = await auth.authenticate(request, body);
    if (refused) return fail(refused);
    log.counters.authenticated++;

    const fault = faults.pick(info);
    let dropResponse = false;
    if (fault) {
      log.counters.faults++;
      entry.fault = fault.kind;
      const error = faultError(fault, rawPath, limiter, apiOf(route, rawPath));
      if (error) return fail(error);
      if (fault.kind === "drop") return drop("drop");
      if (fault.kind === "latency") await delay(fault.latencyMs ?? 100, request.signal);
      dropResponse = fault.kind === "drop-response";
    }

    if (route === undefined) {
      return fail(atlasError(404, "RESOURCE_NOT_FOUND", `Cannot find resource ${rawPath}.`, [
        rawPath,
      ]));
    }
    if ("status" in route) return fail(route);
    entry.groupId = route.groupId;
    const rate = limiter.take(route.groupId, rawPath, route.api);
    rateHeaders = rate.headers;
    if (rate.exceeded) return fail(rate.exceeded);
    const negotiated = negotiate(
      route.api,
      request.headers.get("accept"),
      parts.apiVersions,
      now(),
    );
    if ("status" in negotiated) return fail(negotiated);
    const result = parts.perform(route, request, body);
    if (dropResponse) return drop("drop-response");
    if (!("ok" in result)) return fail(result);
    // v2 answers a removal with 204 and no body; v1.0 with 200 and `{}`.
    const v2Delete = route.api === "v2" &&
      (route.operation === "delete" || route.operation === "deleteService");
    return finish(
      respond(v2Delete ? 204 : result.status, v2Delete ? undefined : result.body, query, {
        ...negotiated.headers,
        ...rateHeaders,
      }),
    );
  };
}
