// The simulator's request log (bounded, oldest dropped first) and its counters, and the stats
// snapshot that joins them with the authentication counters.
import type { DigestVerifierStats } from "./digest_verifier.ts";
import type { SimulatorFaultKind } from "./_simulator_faults.ts";
import type { SimulatorOperation } from "./_simulator_routing.ts";

/** One request as the simulator saw it. */
export interface SimulatorLogEntry {
  /** Simulator clock time when the request arrived. */
  time: number;
  /** The HTTP method. */
  method: string;
  /** The raw path (percent-encoding kept), without the query. */
  path: string;
  /** The raw path and query, as sent. */
  target: string;
  /** The status answered; 0 when the connection was dropped. */
  status: number;
  /** Whether the request carried an Authorization header. */
  authorization: boolean;
  /** The operation, when the path and method name one. */
  operation?: SimulatorOperation;
  /** The project in the path, when the request reached a private endpoint route. */
  groupId?: string;
  /** The Atlas error code of an error answer. */
  errorCode?: string;
  /** The fault injected, if any. */
  fault?: SimulatorFaultKind;
}

/** Counters of a simulator. */
export interface SimulatorStats {
  /** Requests received. */
  requests: number;
  /** Requests whose Digest authentication succeeded. */
  authenticated: number;
  /** Answers by HTTP status (`"0"` for dropped connections). */
  byStatus: Record<string, number>;
  /** Requests rejected for a wrong, replayed or out-of-order `nc`. */
  ncViolations: number;
  /** Requests answered `stale=true`. */
  staleNonces: number;
  /** Faults injected. */
  faults: number;
  /** Service account tokens issued by `/api/oauth/token`. */
  tokensIssued: number;
  /** Token requests refused (wrong credentials, wrong grant or body). */
  tokenRequestsRejected: number;
  /** API requests refused for an unknown, revoked or expired bearer token. */
  bearerRejected: number;
  /** The Digest verifier's own counters (challenges, accepted, rejected by reason). */
  digest: DigestVerifierStats;
  /** 429s the `rateLimit` answered (injected faults not included). */
  rateLimited: number;
  /** Those 429s per project (group id -> count). */
  rateLimitedByProject: Record<string, number>;
}

/** The counters kept by the authentication side. */
export type AuthStats = Pick<
  SimulatorStats,
  "tokensIssued" | "tokenRequestsRejected" | "bearerRejected" | "digest"
>;

/** The counters kept elsewhere: authentication's, and the rate limit's 429s per project. */
export interface OtherStats {
  auth: AuthStats;
  rateLimited: Record<string, number>;
}

/** The counters the request pipeline bumps. */
export interface RequestCounters {
  requests: number;
  authenticated: number;
  faults: number;
  byStatus: Record<string, number>;
}

/** The request log and its counters. */
export interface RequestLog {
  /** The entries, oldest first. */
  readonly entries: readonly SimulatorLogEntry[];
  /** The live counters. */
  readonly counters: RequestCounters;
  /** Logs a finished request and counts its status. */
  record(entry: SimulatorLogEntry): void;
  /** Empties the log and zeroes the counters. */
  clear(): void;
  /** A snapshot of every counter, these and the others'. */
  stats(other: OtherStats): SimulatorStats;
}

/** An empty log that keeps at most `maxEntries` entries. */
export function createRequestLog(maxEntries: number): RequestLog {
  let log: SimulatorLogEntry[] = [];
  let counters: RequestCounters = { requests: 0, authenticated: 0, faults: 0, byStatus: {} };
  return {
    get entries(): readonly SimulatorLogEntry[] {
      return log;
    },
    get counters(): RequestCounters {
      return counters;
    },
    record(entry: SimulatorLogEntry): void {
      counters.byStatus[entry.status] = (counters.byStatus[entry.status] ?? 0) + 1;
      log.push(entry);
      if (log.length > maxEntries) log.splice(0, log.length - maxEntries);
    },
    clear(): void {
      log = [];
      counters = { requests: 0, authenticated: 0, faults: 0, byStatus: {} };
    },
    stats({ auth, rateLimited }: OtherStats): SimulatorStats {
      return {
        requests: counters.requests,
        authenticated: counters.authenticated,
        byStatus: { ...counters.byStatus },
        ncViolations: auth.digest.rejected.nc ?? 0,
        staleNonces: auth.digest.rejected.stale ?? 0,
        faults: counters.faults,
        tokensIssued: auth.tokensIssued,
        tokenRequestsRejected: auth.tokenRequestsRejected,
        bearerRejected: auth.bearerRejected,
        digest: auth.digest,
        rateLimited: Object.values(rateLimited).reduce((sum, n) => sum + n, 0),
        rateLimitedByProject: rateLimited,
      };
    },
  };
}
