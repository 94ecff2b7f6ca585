// HTTP helpers of the simulator: rendering answers as Atlas does (`pretty` JSON, the `envelope`
// wrapper), and abortable delays.

/**
 * JSON indented the way Atlas's `pretty=true` prints it (Jackson's default pretty printer):
 * two-space indentation, `"key" : value`, arrays on one line.
 */
export function prettyJson(value: unknown, indent = ""): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[ ]";
    return `[ ${value.map((item) => prettyJson(item, indent)).join(", ")} ]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{ }";
    const inner = indent + "  ";
    const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${prettyJson(v, inner)}`);
    return `{\n${lines.join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** True when a boolean query parameter is set to true (Atlas reads `true`, any case). */
export function queryFlag(params: URLSearchParams, name: string): boolean {
  return params.get(name)?.toLowerCase() === "true";
}

/**
 * Renders an answer as Atlas does: `envelope=true` wraps it in `{status, content}` with status 200
 * (except a 401, so that clients can authenticate), `pretty=true` indents the JSON, 204 has no body.
 */
export function respond(
  status: number,
  payload: unknown,
  query: URLSearchParams,
  headers: Record<string, string> = {},
): Response {
  let httpStatus = status;
  let body = payload;
  if (queryFlag(query, "envelope") && status !== 401) {
    body = { status, content: payload };
    httpStatus = 200;
  }
  if (httpStatus === 204) return new Response(null, { status: 204, headers });
  const text = queryFlag(query, "pretty") ? prettyJson(body) : JSON.stringify(body);
  return new Response(text, {
    status: httpStatus,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) {
    return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
