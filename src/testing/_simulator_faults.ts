// Fault injection of the simulator: the faults tests queue (by count or probability, filtered by
// operation and method), which one hits a request, and the errors the answering kinds produce.
import { atlasError, type SimulatedError } from "./_simulator_errors.ts";
import type { RateLimiter } from "./_simulator_rate_limit.ts";
import type { SimulatorOperation, SimulatorRequestInfo } from "./_simulator_routing.ts";

/**
 * A kind of fault:
 * - `"rate-limit"`: 429 `RATE_LIMITED` with `Retry-After`;
 * - `"server-error"`: 500 `UNEXPECTED_ERROR`;
 * - `"unavailable"`: 503 `SERVICE_UNAVAILABLE` with `Retry-After`;
 * - `"drop"`: the connection drops before the request is processed (under `serve()` the socket is
 *   destroyed; in-process `fetch` rejects with a `TypeError`, {@linkcode DropConnection});
 * - `"drop-response"`: the request is processed (e.g. the endpoint is created) but the response
 *   is lost, so a retry meets the effect (409 on a repeated create);
 * - `"latency"`: an extra delay of `latencyMs`, then normal processing.
 */
export type SimulatorFaultKind =
  | "rate-limit"
  | "server-error"
  | "unavailable"
  | "drop"
  | "drop-response"
  | "latency";

/**
 * A fault to inject into authenticated requests (the Digest handshake itself is never faulted).
 * Without `probability`, it hits the next `count` matching requests; with it, each matching
 * request is hit with that probability until {@linkcode AtlasSimulator.clearFaults}.
 */
export interface SimulatorFault {
  /** What happens. */
  kind: SimulatorFaultKind;
  /** How many matching requests to hit. Default 1. Ignored when `probability` is set. */
  count?: number;
  /** Hit each matching request with this probability (0 to 1) instead of a count. */
  probability?: number;
  /** `Retry-After` in whole seconds for `"rate-limit"` and `"unavailable"`. Default 1. */
  retryAfterSeconds?: number;
  /** The delay of a `"latency"` fault, in milliseconds. Default 100. */
  latencyMs?: number;
  /** Only requests of this operation match. */
  operation?: SimulatorOperation;
  /** Only requests with this HTTP method match. */
  method?: string;
}

const KINDS: readonly SimulatorFaultKind[] = [
  "rate-limit",
  "server-error",
  "unavailable",
  "drop",
  "drop-response",
  "latency",
];

/** Throws a RangeError naming what is wrong with a fault. */
export function checkFault(fault: SimulatorFault): void {
  if (!KINDS.includes(fault.kind)) {
    throw new RangeError(`Cannot inject fault: unknown kind ${String(fault.kind)}`);
  }
  if (fault.probability !== undefined && !(fault.probability >= 0 && fault.probability <= 1)) {
    throw new RangeError("Cannot inject fault: probability must be between 0 and 1");
  }
  if (fault.count !== undefined && !(Number.isInteger(fault.count) && fault.count >= 1)) {
    throw new RangeError("Cannot inject fault: count must be a positive integer");
  }
}

/** The queued faults. */
export interface FaultQueue {
  /** Checks and queues a fault (a copy). */
  inject(fault: SimulatorFault): void;
  /** Removes every queued fault. */
  clear(): void;
  /** The fault that hits this request, if any, using up one of its count. */
  pick(info: SimulatorRequestInfo): SimulatorFault | undefined;
}

/** An empty queue; `random` decides probabilistic faults. */
export function createFaultQueue(random: () => number): FaultQueue {
  const faults: { fault: SimulatorFault; remaining: number }[] = [];
  return {
    inject(fault: SimulatorFault): void {
      checkFault(fault);
      faults.push({ fault: { ...fault }, remaining: fault.count ?? 1 });
    },
    clear(): void {
      faults.length = 0;
    },
    pick(info: SimulatorRequestInfo): SimulatorFault | undefined {
      for (let i = 0; i < faults.length; i++) {
        const slot = faults[i]!;
        const { fault } = slot;
        if (fault.operation !== undefined && fault.operation !== info.operation) continue;
        if (fault.method !== undefined && fault.method.toUpperCase() !== info.method) continue;
        if (fault.probability !== undefined) {
          if (random() < fault.probability) return fault;
          continue;
        }
        if (--slot.remaining <= 0) faults.splice(i, 1);
        return fault;
      }
      return undefined;
    },
  };
}

/** The error a fault answers with (rate-limit, server-error, unavailable), else undefined. */
export function faultError(
  fault: SimulatorFault,
  path: string,
  limiter: RateLimiter,
  api: "v1.0" | "v2",
): SimulatedError | undefined {
  const retryAfter = fault.retryAfterSeconds ?? 1;
  switch (fault.kind) {
    case "rate-limit":
      return limiter.exceeded(path, retryAfter, api);
    case "server-error":
      return atlasError(500, "UNEXPECTED_ERROR", "Unexpected error.");
    case "unavailable":
      return atlasError(503, "SERVICE_UNAVAILABLE", "Service unavailable.", [], {
        "retry-after": String(retryAfter),
      });
    default:
      return undefined;
  }
}
