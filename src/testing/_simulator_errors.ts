// Atlas-shaped error bodies ({detail, error, errorCode, parameters, reason}) for the simulator,
// with detail texts modelled on the Atlas error-code table (ATLAS_API_FACTS.md §5).

/** The JSON body of an Atlas error (a 401's carries neither `errorCode` nor `parameters`). */
export interface AtlasErrorBody {
  detail: string;
  error: number;
  errorCode?: string;
  parameters?: unknown[];
  reason: string;
}

/** An error the simulator answers with: status, body and extra headers. */
export interface SimulatedError {
  status: number;
  body: AtlasErrorBody;
  headers?: Record<string, string>;
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  410: "Gone",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Builds an Atlas error. */
export function atlasError(
  status: number,
  errorCode: string,
  detail: string,
  parameters: unknown[] = [],
  headers?: Record<string, string>,
): SimulatedError {
  const body = { detail, error: status, errorCode, parameters, reason: REASONS[status] ?? "Error" };
  return headers ? { status, body, headers } : { status, body };
}

/** 400 INVALID_ATTRIBUTE: a field that does not belong, or holds a wrong value. */
export function invalidAttribute(field: string): SimulatedError {
  return atlasError(400, "INVALID_ATTRIBUTE", `Invalid attribute ${field} specified.`, [field]);
}

/** 400 MISSING_ATTRIBUTE: a required field is absent. */
export function missingAttribute(field: string): SimulatedError {
  return atlasError(
    400,
    "MISSING_ATTRIBUTE",
    `The required attribute ${field} was not specified.`,
    [field],
  );
}

/** 404 PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND. */
export function endpointNotFound(endpointId: string): SimulatedError {
  return atlasError(
    404,
    "PRIVATELINK_INTERFACE_ENDPOINT_NOT_FOUND",
    `A PrivateLink interface endpoint with id ${endpointId} does not exist.`,
    [endpointId],
  );
}

/**
 * 401 as live Atlas sends it: `{"error":401,"reason":"Unauthorized","detail":"You are not
 * authorized for this resource."}`, with no `errorCode`, and the challenge in `headers`.
 */
export function unauthorized(headers: Record<string, string>): SimulatedError {
  return {
    status: 401,
    body: {
      error: 401,
      reason: REASONS[401]!,
      detail: "You are not authorized for this resource.",
    },
    headers,
  };
}
