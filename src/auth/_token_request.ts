// One OAuth 2.0 client-credentials token request (RFC 6749 §4.4), as Atlas expects it: HTTP Basic
// of the RAW client id and secret (base64 of UTF-8 `id:secret`; not form-encoded first, which
// some OAuth libraries do and which turns `_` into `%5F`), a form body
// `grant_type=client_credentials`, and a JSON answer {access_token, token_type, expires_in}.
import { ServiceAccountTokenError } from "./service_account_token_error.ts";
import { isRecord } from "../shared/_checks.ts";

/** A bearer token and how long it lives. */
export interface IssuedToken {
  /** The access token. */
  readonly accessToken: string;
  /** Its lifetime in milliseconds, from `expires_in`. */
  readonly lifetimeMs: number;
}

/** What a token request needs. */
export interface TokenRequest {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly timeoutMs: number;
  readonly userAgent: string | undefined;
  /** Cancels the request (no caller waits for it any more). */
  readonly signal?: AbortSignal | undefined;
}

/** Atlas documents one hour; used when an answer leaves `expires_in` out. */
const DEFAULT_LIFETIME_S = 3600;

/**
 * The most a token answer may hold: a token, its type and lifetime (or an OAuth error) take well
 * under 1 KiB at Atlas; whatever the fetch or its URL, a larger answer is refused, not buffered.
 */
const MAX_ANSWER_BYTES = 64 * 1024;

/** A token answer larger than {@linkcode MAX_ANSWER_BYTES}, and its status. */
class AnswerTooLarge extends Error {
  declare readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/** A body as text, at most `maxBytes` of it: more cancels the rest and throws AnswerTooLarge. */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const body = response.body;
  if (body === null) return "";
  const tooLarge = async (): Promise<never> => {
    await reader.cancel().catch(() => {});
    throw new AnswerTooLarge(`the answer is larger than ${maxBytes} bytes`, response.status);
  };
  const reader = body.getReader();
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > maxBytes) return await tooLarge();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) return await tooLarge();
    text += decoder.decode(value, { stream: true });
  }
}

/** The `Authorization` value of HTTP Basic for a raw user id and password (RFC 7617, UTF-8). */
export function basicAuthorization(id: string, secret: string): string {
  const bytes = new TextEncoder().encode(`${id}:${secret}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** Removes the secret (and anything else listed) from text a server sent back. */
function scrub(text: string | undefined, secrets: readonly string[]): string | undefined {
  if (text === undefined) return undefined;
  // Replaced before the text is cut short, so that no partial secret survives at the cut.
  let safe = text.replace(/\s*[\r\n]+\s*/g, " ");
  for (const secret of secrets) {
    if (secret.length >= 4) safe = safe.split(secret).join("[redacted]");
  }
  return safe.slice(0, 300);
}

/**
 * Requests a token. Throws ServiceAccountTokenError for every failure; the secret never reaches
 * the error (a server's error_description is scrubbed of it too).
 */
export async function requestToken(request: TokenRequest): Promise<IssuedToken> {
  const { tokenUrl } = request;
  const basic = basicAuthorization(request.clientId, request.clientSecret);
  // What a server may echo back: the secret, the Basic header value, and its base64 part.
  const secrets = [basic, basic.slice("Basic ".length), request.clientSecret];
  const headers = new Headers({
    "Authorization": basic,
    "Content-Type": "application/x-www-form-urlencoded",
    "Accept": "application/json",
  });
  if (request.userAgent !== undefined) headers.set("User-Agent", request.userAgent);
  const controller = new AbortController();
  // Settles when the request is aborted (timeout or cancellation), so that a fetch that ignores
  // its signal cannot hold the timer or the caller.
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), {
      once: true,
    });
  });
  aborted.catch(() => {});
  const cancel = (): void => controller.abort(request.signal?.reason);
  if (request.signal?.aborted) cancel();
  request.signal?.addEventListener("abort", cancel, { once: true });
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${request.timeoutMs} ms`)),
    request.timeoutMs,
  );
  let response: Response;
  let text: string;
  try {
    const exchange = (async () => {
      const answer = await request.fetch(
        new Request(tokenUrl, {
          method: "POST",
          headers,
          body: "grant_type=client_credentials",
          signal: controller.signal,
          redirect: "error",
        }),
      );
      return { answer, answerText: await readCapped(answer, MAX_ANSWER_BYTES) };
    })();
    exchange.catch(() => {});
    ({ answer: response, answerText: text } = await Promise.race([exchange, aborted]));
  } catch (cause) {
    if (cause instanceof AnswerTooLarge) {
      throw new ServiceAccountTokenError({
        code: "INVALID_TOKEN_RESPONSE",
        tokenUrl,
        status: cause.status,
        detail: cause.message,
      });
    }
    const reason = controller.signal.aborted ? controller.signal.reason : cause;
    throw new ServiceAccountTokenError({
      code: "NETWORK_ERROR",
      tokenUrl,
      detail: scrub(reason instanceof Error ? reason.message : String(reason), secrets),
      cause: reason,
    });
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener("abort", cancel);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const field = (name: string): string | undefined => {
    const value = isRecord(body) ? body[name] : undefined;
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  if (!response.ok) {
    const oauthError = field("error");
    const rejected = response.status === 401 ||
      (response.status === 400 &&
        (oauthError === "invalid_client" || oauthError === "unauthorized_client"));
    throw new ServiceAccountTokenError({
      code: rejected ? "CREDENTIALS_REJECTED" : "TOKEN_ENDPOINT_ERROR",
      tokenUrl,
      status: response.status,
      oauthError: scrub(oauthError, secrets),
      oauthErrorDescription: scrub(field("error_description"), secrets),
    });
  }
  const invalid = (detail: string): never => {
    throw new ServiceAccountTokenError({
      code: "INVALID_TOKEN_RESPONSE",
      tokenUrl,
      status: response.status,
      detail,
    });
  };
  const accessToken = field("access_token");
  if (accessToken === undefined) return invalid("access_token is missing");
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(accessToken)) {
    return invalid("access_token is not a bearer token (RFC 6750 b64token)");
  }
  const tokenType = field("token_type");
  if (tokenType !== undefined && tokenType.toLowerCase() !== "bearer") {
    return invalid("token_type is not Bearer");
  }
  const rawExpiry = isRecord(body) ? body.expires_in : undefined;
  const expiresIn = rawExpiry === undefined || rawExpiry === null
    ? DEFAULT_LIFETIME_S
    : typeof rawExpiry === "string" && /^\d+$/.test(rawExpiry)
    ? Number(rawExpiry)
    : rawExpiry;
  if (typeof expiresIn !== "number" || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    return invalid("expires_in is not a positive number of seconds");
  }
  return { accessToken, lifetimeMs: expiresIn * 1000 };
}
