// Request routing of the simulator: the raw request target split into path and query, and the
// private endpoint routes (v1.0 under the base paths, v2 under /api/atlas/v2) with their operation.
import { atlasError, type SimulatedError } from "./_simulator_errors.ts";
import { V2_BASE_PATH } from "./_simulator_versions.ts";
import { requestTarget } from "./serve.ts";

/** The operations the simulator serves. */
export type SimulatorOperation = "create" | "get" | "delete";

/** What the simulator knows of a request when it picks latency and faults. */
export interface SimulatorRequestInfo {
  /** The HTTP method. */
  method: string;
  /** The raw path (percent-encoding kept), without the query. */
  path: string;
  /** The operation, when the path and method name one. */
  operation: SimulatorOperation | undefined;
}

/** A request to a private endpoint route, its path parameters decoded. */
export interface Route {
  api: "v1.0" | "v2";
  operation: SimulatorOperation | undefined;
  provider: string;
  groupId: string;
  endpointServiceId: string;
  endpointId: string | undefined;
}

/** A request's raw target, as sent, split into the raw path and the query. */
export interface Target {
  target: string;
  rawPath: string;
  query: URLSearchParams;
}

/** Splits the raw request target (see {@linkcode requestTarget}). */
export function splitTarget(request: Request): Target {
  const target = requestTarget(request);
  const q = target.indexOf("?");
  return {
    target,
    rawPath: q < 0 ? target : target.slice(0, q),
    query: new URLSearchParams(q < 0 ? "" : target.slice(q + 1)),
  };
}

/**
 * The route of a request: undefined when no private endpoint route matches, a 400 when a path
 * segment does not decode.
 */
export function parseRoute(
  method: string,
  rawPath: string,
  basePaths: readonly string[],
): Route | SimulatedError | undefined {
  // A prefix listed in basePaths serves v1.0 shapes, even /api/atlas/v2 (the option's first
  // meaning); otherwise /api/atlas/v2 is the versioned v2 API.
  const v1Base = basePaths.find((p) => rawPath.startsWith(p + "/"));
  const base = v1Base ?? (rawPath.startsWith(V2_BASE_PATH + "/") ? V2_BASE_PATH : undefined);
  if (base === undefined) return undefined;
  const raw = rawPath.slice(base.length + 1).split("/");
  if (
    (raw.length !== 7 && raw.length !== 8) || raw[0] !== "groups" ||
    raw[2] !== "privateEndpoint" || raw[4] !== "endpointService" || raw[6] !== "endpoint"
  ) {
    return undefined;
  }
  const decoded: string[] = [];
  for (const [i, segment] of raw.entries()) {
    try {
      decoded.push(decodeURIComponent(segment));
    } catch {
      return atlasError(
        400,
        "PATH_PARAM_PARSE_ERROR",
        `Unable to parse path parameter at position ${i + 1}.`,
        [segment],
      );
    }
  }
  const endpointId = raw.length === 8 ? decoded[7]! : undefined;
  if (endpointId === "") return undefined;
  let operation: SimulatorOperation | undefined;
  if (endpointId === undefined) operation = method === "POST" ? "create" : undefined;
  else if (method === "GET") operation = "get";
  else if (method === "DELETE") operation = "delete";
  return {
    api: v1Base === undefined ? "v2" : "v1.0",
    operation,
    provider: decoded[3]!,
    groupId: decoded[1]!,
    endpointServiceId: decoded[5]!,
    endpointId,
  };
}
