// What src/atlas and src/auth both need, below both of them: the package's one object test, the
// longest delay a timer takes, and the rule for URLs that credentials may be sent to.

/** Whether `value` is an object that is neither null nor an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The longest delay a timer takes: setTimeout fires at once for 2^31 ms or more, so every time
 * option is checked against it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Whether `hostname` (as in `URL.hostname`) is a loopback host. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The rule `url` breaks to be safe for credentials, if any: https, or http to a loopback host, or
 * http anywhere when explicitly allowed; and no credentials in the URL.
 */
export function transportProblem(url: URL, allowInsecureHttp: boolean): string | undefined {
  if (url.username !== "" || url.password !== "") return "must not contain credentials";
  if (url.protocol === "https:") return undefined;
  if (url.protocol !== "http:") return "must be an https URL";
  if (!allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    return "must use https unless its host is loopback (or allowInsecureHttp is set)";
  }
  return undefined;
}
