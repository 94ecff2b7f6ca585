// Request routing of the simulator: the raw request target split into path and query, and the
// private endpoint routes (v1.0 under the base paths, v2 under /api/atlas/v2) with their operation.
import { atlasError, type SimulatedError } from "./_simulator_errors.ts";
import { V2_BASE_PATH } from "./_simulator_versions.ts";
import { requestTarget } from "./serve.ts";

/**
 * The operations the simulator serves: on endpoints `"create"`, `"get"` and `"delete"`; on
 * endpoint services `"createService"`, `"listServices"`, `"getService"` and `"deleteService"`.
 */
export type SimulatorOperation =
  | "create"
  | "get"
  | "delete"
  | "createService"
  | "listServices"
  | "getService"
  | "deleteService";

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
  /** Undefined when the method is not served on the path (405). */
  operation: SimulatorOperation | undefined;
  /** The methods served on the path, for a 405's `Allow`. */
  allow: string;
  /** The provider in the path; undefined on the service create path. */
  provider: string | undefined;
  groupId: string;
  endpointServiceId: string | undefined;
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
  if (raw.length < 4 || raw[0] !== "groups" || raw[2] !== "privateEndpoint") return undefined;
  // groups/{g}/privateEndpoint/endpointService, or groups/{g}/privateEndpoint/{cp}/endpointService
  // followed by [{id} [endpoint [{endpointId}]]].
  const create = raw.length === 4 && raw[3] === "endpointService";
  if (!create && (raw.length < 5 || raw.length > 8 || raw[4] !== "endpointService")) {
    return undefined;
  }
  if (raw.length >= 7 && raw[6] !== "endpoint") return undefined;
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
  if (decoded.at(-1) === "") return undefined;
  const served: Record<number, [string, Partial<Record<string, SimulatorOperation>>]> = {
    4: ["POST", { POST: "createService" }],
    5: ["GET", { GET: "listServices" }],
    6: ["GET, DELETE", { GET: "getService", DELETE: "deleteService" }],
    7: ["POST", { POST: "create" }],
    8: ["GET, DELETE", { GET: "get", DELETE: "delete" }],
  };
  const [allow, operations] = served[raw.length]!;
  return {
    api: v1Base === undefined ? "v2" : "v1.0",
    operation: operations[method],
    allow,
    provider: create ? undefined : decoded[3],
    groupId: decoded[1]!,
    endpointServiceId: decoded[5],
    endpointId: decoded[7],
  };
}
