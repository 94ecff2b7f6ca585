// From any error to one exit code and one readable line. The library's errors are recognised by
// their literal `name` (so a second copy of the library, e.g. from another import path, still
// classifies); nothing here prints a stack trace or a header value.

import { API_VERSION_VAR, BASE_URL_VAR, CliConfigError } from "./_env.ts";
import { EXIT, type ExitCode } from "./_exit_codes.ts";
import { formatElapsed } from "./_duration.ts";
import { CliUsageError } from "./_usage_error.ts";

/** What went wrong, for the exit code, the stderr line and `--json`'s error object. */
export interface CliFailure {
  /** The process exit code. */
  readonly exitCode: ExitCode;
  /** A short machine-readable kind. */
  readonly kind:
    | "usage"
    | "config"
    | "api"
    | "auth"
    | "network"
    | "endpoint-failed"
    | "service-failed"
    | "timeout"
    | "interrupted"
    | "internal";
  /** One line, sentence case, no secret. */
  readonly message: string;
  /** Extra fields for `--json` (HTTP status, Atlas errorCode, endpoint status...). */
  readonly details: Readonly<Record<string, unknown>>;
}

/** Library fields read from errors (all optional: classification is by `name`). */
interface ErrorFields {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  errorCode?: unknown;
  detail?: unknown;
  field?: unknown;
  errorMessage?: unknown;
  lastStatus?: unknown;
  elapsedMs?: unknown;
  code?: unknown;
  reason?: unknown;
  cause?: unknown;
  conflict?: { fields?: unknown };
}

/** Where the failure happened, to word the message. */
export interface FailureContext {
  /** E.g. "AWS private endpoint vpce-0a1b". */
  readonly subject?: string | undefined;
  /** The base URL in use (for network errors). */
  readonly baseUrl: string;
  /** A command that continues (for timeouts and interrupts after the endpoint exists). */
  readonly resume?: string | undefined;
  /** A command that reads the endpoint (for a create whose outcome is unknown). */
  readonly check?: string | undefined;
  /** The elapsed time so far. */
  readonly elapsedMs: number;
  /** The last status seen while waiting. */
  readonly lastStatus?: string | undefined;
  /** What Atlas keeps doing after an interrupt (default: working on the endpoint). */
  readonly ongoing?: string | undefined;
}

/** The library's field names, as command-line flags. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  groupId: "--group",
  endpointServiceId: "--service",
  id: "--id",
  privateEndpointIPAddress: "--ip",
  endpointGroupName: "--endpoint-group-name",
  gcpProjectId: "--gcp-project-id",
  endpoints: "--endpoint",
  endpointId: "--endpoint",
  cloudProvider: "the provider",
  pollIntervalMs: "--poll-interval",
  timeoutMs: "--timeout",
};

/** The library's client options the CLI fills from the environment, as variable names. */
const VARIABLE_OF_FIELD: Readonly<Record<string, string>> = {
  baseUrl: BASE_URL_VAR,
  apiVersion: API_VERSION_VAR,
};

/**
 * A library validation error about an option the CLI sets from the environment, worded with the
 * variable to change (the user of the CLI cannot set `allowInsecureHttp` or `apiVersion`).
 */
function configMessage(field: string, variable: string, message: string): string {
  const action = `Cannot use ${variable}`;
  if (field === "baseUrl" && /must use https/.test(message)) {
    return `${action}: https is required unless the host is loopback (localhost, 127.0.0.1, [::1])`;
  }
  if (field === "baseUrl" && /is the v2 API/.test(message)) {
    return `${action}: it is the v2 API; pass --api-version 2023-01-01 or set ` +
      `${API_VERSION_VAR}=2023-01-01 (or use a .../api/atlas/v1.0 URL)`;
  }
  if (field === "baseUrl" && /is the v1\.0 API/.test(message)) {
    // The v2 API was asked for by --api-version or the variable: name both, the user set one.
    return `${action}: it is the v1.0 API, but --api-version or ${API_VERSION_VAR} asks for ` +
      "2023-01-01 (the v2 API); use a .../api/atlas/v2 URL, or the v1.0 API";
  }
  const at = message.indexOf(`${field} `);
  return `${action}: ${at === -1 ? message : `it ${message.slice(at + field.length + 1)}`}`;
}

/** Collapses any text to one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

const NETWORK_CODES =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_\w+)$/;

const NETWORK_MESSAGE =
  /connection refused|connection reset|dns error|failed to lookup|os error|fetch failed|error sending request|network/i;

/** A network failure's best short reason (an errno-style code from the cause chain if any). */
function networkReason(error: ErrorFields): string | undefined {
  const chain: ErrorFields[] = [];
  for (let e: unknown = error; typeof e === "object" && e !== null && chain.length < 5;) {
    chain.push(e as ErrorFields);
    e = (e as ErrorFields).cause;
  }
  const code = chain.find((e) => typeof e.code === "string" && NETWORK_CODES.test(e.code));
  if (code !== undefined) return code.code as string;
  const messages = chain.map((e) => str(e.message)).filter((m) => m !== undefined);
  if (!messages.some((m) => NETWORK_MESSAGE.test(m))) return undefined;
  return [...new Set(messages)].join(": ");
}

/**
 * Classifies an error.
 *
 * @param error What was thrown.
 * @param context Where it happened.
 * @param created For `create`: whether Atlas answered the create request (false while it was
 * in flight, so its outcome is unknown); undefined for the other commands.
 * @returns Exit code, kind, message and details.
 */
export function classify(
  error: unknown,
  context: FailureContext,
  created?: boolean | undefined,
): CliFailure {
  const e: ErrorFields = typeof error === "object" && error !== null ? error as ErrorFields : {};
  const name = str(e.name);
  const message = oneLine(str(e.message) ?? String(error));
  const subject = context.subject ?? "the private endpoint";
  const after = formatElapsed(context.elapsedMs);
  const resume = context.resume === undefined ? "" : `; to keep waiting, run: ${context.resume}`;

  if (error instanceof CliUsageError) {
    return { exitCode: EXIT.USAGE, kind: "usage", message, details: {} };
  }
  if (error instanceof CliConfigError) {
    return error.kind === "credentials"
      ? { exitCode: EXIT.AUTH_OR_NETWORK, kind: "auth", message, details: {} }
      : { exitCode: EXIT.USAGE, kind: "config", message, details: {} };
  }
  if (name === "AtlasValidationError") {
    const field = str(e.field);
    const variable = field === undefined ? undefined : VARIABLE_OF_FIELD[field];
    if (field !== undefined && variable !== undefined) {
      return {
        exitCode: EXIT.USAGE,
        kind: "config",
        message: configMessage(field, variable, message),
        details: { field, variable },
      };
    }
    const flag = field === undefined ? undefined : FLAG_OF_FIELD[field.split(/[.[]/)[0]!];
    return {
      exitCode: EXIT.USAGE,
      kind: "usage",
      message: flag === undefined ? message : `${message} (check ${flag})`,
      details: field === undefined ? {} : { field },
    };
  }
  if (name === "PrivateEndpointFailedError" || name === "EndpointServiceFailedError") {
    const status = str(e.status) ?? context.lastStatus ?? "FAILED";
    const reason = str(e.errorMessage);
    const because = reason === undefined ? "" : `: ${oneLine(reason)}`;
    let text: string;
    if (status === "DELETING") {
      // Someone (or something) asked Atlas to delete it: it will never become available.
      text = `${subject} is being deleted (DELETING after ${after}${because}); ` +
        "create it again once it is gone";
    } else {
      text = `${subject} ${status === "AVAILABLE" ? "reported an error" : `is ${status}`}` +
        ` after ${after}${because || ": Atlas gave no error message"}` +
        " (delete it and create it again)";
    }
    return {
      exitCode: EXIT.ENDPOINT_FAILED,
      kind: name === "PrivateEndpointFailedError" ? "endpoint-failed" : "service-failed",
      message: text,
      details: { status, errorMessage: reason ?? null },
    };
  }
  if (name === "AtlasTimeoutError" || name === "TimeoutError") {
    if (created === false) {
      return {
        exitCode: EXIT.TIMEOUT,
        kind: "timeout",
        message: `Timed out after ${after} creating ${subject}; ${unknownOutcome(context)}`,
        details: { lastStatus: null, createOutcome: "unknown" },
      };
    }
    const last = str(e.lastStatus) ?? context.lastStatus;
    return {
      exitCode: EXIT.TIMEOUT,
      kind: "timeout",
      message: `Timed out after ${after} waiting for ${subject}` +
        `${last === undefined ? "" : ` (last status ${last})`}${resume}`,
      details: { lastStatus: last ?? null },
    };
  }
  if (name === "AtlasApiError") {
    const status = typeof e.status === "number" ? e.status : undefined;
    const errorCode = str(e.errorCode);
    const details = { status: status ?? null, errorCode: errorCode ?? null };
    if (status === 401) {
      return {
        exitCode: EXIT.AUTH_OR_NETWORK,
        kind: "auth",
        message:
          `${message}. Check the credential variables (service account or API key) and that ` +
          "they have access to the project",
        details,
      };
    }
    if (status === 403) {
      const hint = errorCode?.includes("ACCESS_LIST")
        ? ". Add this machine's IP address to the access list of the API key or service account"
        : "";
      return {
        exitCode: EXIT.AUTH_OR_NETWORK,
        kind: "auth",
        message: `${message}${hint}`,
        details,
      };
    }
    if (errorCode === "PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION") {
      return {
        exitCode: EXIT.API_ERROR,
        kind: "api",
        message:
          `${message}. A project has one service per provider and region: 'service ensure' ` +
          "reuses it, 'service list' shows its id",
        details,
      };
    }
    if (errorCode === "CANNOT_DELETE_PRIVATELINK_WITH_ENDPOINTS") {
      return {
        exitCode: EXIT.API_ERROR,
        kind: "api",
        message: `${message}. Delete its endpoints first ('service endpoints' lists them); ` +
          "deleting the last one removes the service too",
        details,
      };
    }
    const conflicting = Array.isArray(e.conflict?.fields)
      ? e.conflict.fields.filter((field) => typeof field === "string")
      : [];
    if (conflicting.length > 0) {
      const flags = conflicting.map((field) => FLAG_OF_FIELD[field] ?? field);
      return {
        exitCode: EXIT.API_ERROR,
        kind: "api",
        message: `${message} (check ${flags.join(" and ")})`,
        details: { ...details, conflictingFields: conflicting },
      };
    }
    return { exitCode: EXIT.API_ERROR, kind: "api", message, details };
  }
  if (name === "ServiceAccountTokenError") {
    const status = typeof e.status === "number" ? e.status : undefined;
    const rejected = e.code === "CREDENTIALS_REJECTED";
    return {
      exitCode: EXIT.AUTH_OR_NETWORK,
      kind: e.code === "NETWORK_ERROR" ? "network" : "auth",
      message: rejected
        ? `${message}. Check MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET, and that the ` +
          "service account's secret has not expired or been revoked"
        : message,
      details: { status: status ?? null, code: str(e.code) ?? null },
    };
  }
  if (name === "AtlasNetworkError") {
    // Say it the short way: where, and the errno-style code or the reason the library found.
    const cause = typeof e.cause === "object" && e.cause !== null ? e.cause as ErrorFields : {};
    const why = str(e.code) ?? str(e.reason) ?? networkReason(cause) ??
      "network error";
    return {
      exitCode: EXIT.AUTH_OR_NETWORK,
      kind: "network",
      message: `Cannot reach Atlas at ${context.baseUrl}: ${oneLine(why)}`,
      details: { code: str(e.code) ?? null },
    };
  }
  if (name === "DigestAuthError") {
    return {
      exitCode: EXIT.AUTH_OR_NETWORK,
      kind: "auth",
      message: `Cannot authenticate to ${context.baseUrl}: ${message}`,
      details: {},
    };
  }
  const network = networkReason(e);
  if (network !== undefined) {
    return {
      exitCode: EXIT.AUTH_OR_NETWORK,
      kind: "network",
      message: `Cannot reach Atlas at ${context.baseUrl}: ${oneLine(network)}`,
      details: {},
    };
  }
  return {
    exitCode: EXIT.INTERNAL,
    kind: "internal",
    message: `Unexpected error: ${name === undefined ? "" : `${name}: `}${message}`,
    details: {},
  };
}

/** What to say when a create request was sent but not answered. */
function unknownOutcome(context: FailureContext): string {
  return "Atlas may or may not have created it: check with" +
    (context.check === undefined ? " the get command" : `: ${context.check}`);
}

/**
 * The failure for Ctrl-C.
 *
 * @param context Where it happened.
 * @param created Whether the endpoint exists already (create was answered).
 * @returns The failure.
 */
export function interrupted(context: FailureContext, created: boolean | undefined): CliFailure {
  const after = formatElapsed(context.elapsedMs);
  let message = `Interrupted after ${after}`;
  if (created === false) {
    message += `${context.subject === undefined ? "" : ` creating ${context.subject}`}` +
      `; ${unknownOutcome(context)}`;
  } else if (context.resume !== undefined) {
    message += `${context.lastStatus === undefined ? "" : ` (last status ${context.lastStatus})`}` +
      `; ${
        context.ongoing ?? "the endpoint exists and Atlas keeps working on it"
      }; to wait again, run: ${context.resume}`;
  }
  return { exitCode: EXIT.INTERRUPTED, kind: "interrupted", message, details: {} };
}
