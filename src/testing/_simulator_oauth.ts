// The simulator's service accounts: the OAuth 2.0 token endpoint (client-credentials grant with
// HTTP Basic of the raw client id and secret, as Atlas documents it), the revocation endpoint, and
// bearer-token checks for the API routes, all on the simulator's clock.
import { randomHex } from "../digest/_hash.ts";

/** The token endpoint's path on the Atlas origin. */
export const TOKEN_PATH = "/api/oauth/token";
/** The revocation endpoint's path (RFC 7009). */
export const REVOKE_PATH = "/api/oauth/revoke";

/** The outcome of checking a bearer token. */
export type BearerVerdict = "ok" | "unknown" | "expired";

/** Counters of the store. */
export interface OAuthCounters {
  issued: number;
  rejected: number;
}

/** The simulator's service accounts and the tokens issued to them. */
export interface ServiceAccountStore {
  /** Adds (or replaces the secret of) a service account. */
  add(clientId: string, clientSecret: string): void;
  /** Deletes a service account and every token issued to it. */
  remove(clientId: string): boolean;
  /** Invalidates every token (of one account, or of all), keeping the accounts. */
  revokeTokens(clientId?: string): number;
  /** Answers a token request (POST /api/oauth/token). */
  token(request: Request, body: Uint8Array): Response;
  /** Answers a revocation request (POST /api/oauth/revoke). */
  revoke(request: Request, body: Uint8Array): Response;
  /** Checks `Authorization: Bearer …`. */
  verify(token: string): BearerVerdict;
  /** Counters. */
  readonly counters: OAuthCounters;
}

/** A JSON answer of the OAuth endpoints (never cached, as RFC 6749 §5.1 requires). */
function oauthJson(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

function oauthError(status: number, error: string, description: string): Response {
  return oauthJson(
    status,
    { error, error_description: description },
    status === 401 ? { "www-authenticate": 'Basic realm="MongoDB Cloud"' } : {},
  );
}

/** Decodes HTTP Basic credentials exactly (UTF-8, no form-decoding), or undefined. */
function basicCredentials(header: string | null): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header?.trim() ?? "");
  if (!match) return undefined;
  let text: string;
  try {
    const binary = atob(match[1]!);
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(binary, (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
  const colon = text.indexOf(":");
  return colon < 0 ? undefined : { id: text.slice(0, colon), secret: text.slice(colon + 1) };
}

function formBody(request: Request, body: Uint8Array): URLSearchParams | undefined {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(type)) return undefined;
  return new URLSearchParams(new TextDecoder().decode(body));
}

/** Creates the store. */
export function createServiceAccountStore(options: {
  accounts: Record<string, string>;
  lifetimeMs: number;
  now: () => number;
}): ServiceAccountStore {
  const accounts = new Map(Object.entries(options.accounts));
  const tokens = new Map<string, { clientId: string; expiresAt: number }>();
  const counters: OAuthCounters = { issued: 0, rejected: 0 };

  /** The client id of an authenticated POST to `endpoint`, or the error response. */
  const authenticate = (request: Request, endpoint: string): string | Response => {
    if (request.method !== "POST") {
      return oauthError(405, "invalid_request", `The ${endpoint} endpoint accepts POST only.`);
    }
    const credentials = basicCredentials(request.headers.get("authorization"));
    if (credentials === undefined || accounts.get(credentials.id) !== credentials.secret) {
      counters.rejected++;
      return oauthError(401, "invalid_client", "Invalid client credentials.");
    }
    return credentials.id;
  };

  const revokeTokens = (clientId?: string): number => {
    let count = 0;
    for (const [token, entry] of tokens) {
      if (clientId === undefined || entry.clientId === clientId) {
        tokens.delete(token);
        count++;
      }
    }
    return count;
  };

  return {
    add(clientId: string, clientSecret: string): void {
      accounts.set(clientId, clientSecret);
    },
    remove(clientId: string): boolean {
      revokeTokens(clientId);
      return accounts.delete(clientId);
    },
    revokeTokens,
    token(request: Request, body: Uint8Array): Response {
      const clientId = authenticate(request, "token");
      if (clientId instanceof Response) return clientId;
      const form = formBody(request, body);
      if (form === undefined) {
        counters.rejected++;
        return oauthError(
          400,
          "invalid_request",
          "The body must be application/x-www-form-urlencoded.",
        );
      }
      const grant = form.get("grant_type");
      if (grant !== "client_credentials") {
        counters.rejected++;
        return grant === null
          ? oauthError(400, "invalid_request", "grant_type is required.")
          : oauthError(400, "unsupported_grant_type", "Only client_credentials is supported.");
      }
      const now = options.now();
      for (const [token, entry] of tokens) if (entry.expiresAt <= now) tokens.delete(token);
      const accessToken = "sim." + randomHex(24);
      tokens.set(accessToken, { clientId, expiresAt: now + options.lifetimeMs });
      counters.issued++;
      return oauthJson(200, {
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: Math.floor(options.lifetimeMs / 1000),
      });
    },
    revoke(request: Request, body: Uint8Array): Response {
      const clientId = authenticate(request, "revocation");
      if (clientId instanceof Response) return clientId;
      const token = formBody(request, body)?.get("token");
      if (token === null || token === undefined) {
        return oauthError(400, "invalid_request", "token is required.");
      }
      // RFC 7009: 200 whether or not the token was known; only the owner's tokens are revoked.
      if (tokens.get(token)?.clientId === clientId) tokens.delete(token);
      return new Response(null, { status: 200 });
    },
    verify(token: string): BearerVerdict {
      const entry = tokens.get(token);
      if (entry === undefined || !accounts.has(entry.clientId)) return "unknown";
      if (entry.expiresAt <= options.now()) {
        tokens.delete(token);
        return "expired";
      }
      return "ok";
    },
    counters,
  };
}
