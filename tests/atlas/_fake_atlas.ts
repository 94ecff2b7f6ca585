// An injected fetch that plays Atlas (without authentication) and records every request, in the
// style of openapi-fetch's own tests.
import { type AtlasClient, createAtlasClient } from "../../mod.ts";

/** A request as the fake saw it. */
export interface Recorded {
  method: string;
  url: string;
  /** The path exactly as sent (percent-encoding untouched). */
  path: string;
  search: string;
  headers: Headers;
  /** The parsed JSON body, or undefined. */
  body: unknown;
}

/** What a test needs: the fetch, the calls it saw, and a client over it. */
export interface FakeAtlas {
  fetch: (request: Request) => Promise<Response>;
  calls: Recorded[];
  client: AtlasClient;
}

export const PUBLIC_KEY = "pubkey-abcdefgh";
export const PRIVATE_KEY = "priv-0a1b2c3d-SECRET-4e5f";
export const GROUP_ID = "32b6e34b3d91647abb20e7b8";
export const SERVICE_ID = "5f4fc14da2b47835a58c63a2";
export const SERVICE = { groupId: GROUP_ID, endpointServiceId: SERVICE_ID } as const;
export const VPCE = "vpce-0123456789abcdef0";
export const AZURE_ID =
  "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/app-rg/providers/Microsoft.Network/privateEndpoints/atlas-pe";
export const BASE = "https://cloud.mongodb.com/api/atlas/v1.0";
export const ENDPOINTS_PATH =
  `/api/atlas/v1.0/groups/${GROUP_ID}/privateEndpoint/{provider}/endpointService/${SERVICE_ID}/endpoint`;

/** The path the server must see for a provider (and an already-encoded endpoint id). */
export function pathFor(provider: string, encodedEndpointId?: string): string {
  const base = ENDPOINTS_PATH.replace("{provider}", provider);
  return encodedEndpointId === undefined ? base : `${base}/${encodedEndpointId}`;
}

/** Builds the fake: `handler` answers each recorded request. */
export function fakeAtlas(
  handler: (request: Recorded) => Response | Promise<Response> = () => Response.json({}),
  options: { baseUrl?: string; allowInsecureHttp?: boolean } = {},
): FakeAtlas {
  const calls: Recorded[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const text = await request.text();
    const recorded: Recorded = {
      method: request.method,
      url: request.url,
      path: url.pathname,
      search: url.search,
      headers: request.headers,
      body: text === "" ? undefined : JSON.parse(text),
    };
    calls.push(recorded);
    return await handler(recorded);
  };
  const client = createAtlasClient({
    publicKey: PUBLIC_KEY,
    privateKey: PRIVATE_KEY,
    fetch,
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    ...(options.allowInsecureHttp === undefined
      ? {}
      : { allowInsecureHttp: options.allowInsecureHttp }),
  });
  return { fetch, calls, client };
}

/** An Atlas error response. */
export function atlasError(
  status: number,
  errorCode: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    {
      detail,
      error: status,
      errorCode,
      parameters: [],
      reason: REASONS[status] ?? "Error",
      ...extra,
    },
    { status, headers },
  );
}

export const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};
