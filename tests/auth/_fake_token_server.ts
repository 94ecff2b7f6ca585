// An injected fetch that plays the OAuth token endpoint and an API, recording what it receives.
export interface Recorded {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

export interface FakeServer {
  fetch: (request: Request) => Promise<Response>;
  tokenRequests: Recorded[];
  apiRequests: Recorded[];
  /** The tokens issued so far, in order. */
  issued: string[];
}

export const TOKEN_URL = "https://cloud.mongodb.com/api/oauth/token";
export const API_URL = "https://cloud.mongodb.com/api/atlas/v2/anything";

export interface FakeOptions {
  /** The token endpoint's answer; default a fresh token with expires_in 3600. */
  token?: (n: number) => Response | Promise<Response>;
  /** The API's answer for a token; default 200 `{ ok: true }`. */
  api?: (token: string | undefined, request: Recorded) => Response | Promise<Response>;
}

export function fakeServer(options: FakeOptions = {}): FakeServer {
  const server: FakeServer = {
    tokenRequests: [],
    apiRequests: [],
    issued: [],
    fetch: async (request) => {
      const recorded: Recorded = {
        method: request.method,
        url: request.url,
        headers: new Headers(request.headers),
        body: request.body === null ? "" : await request.text(),
      };
      if (new URL(request.url).pathname === "/api/oauth/token") {
        server.tokenRequests.push(recorded);
        if (options.token) return await options.token(server.tokenRequests.length);
        const token = `token-${server.tokenRequests.length}`;
        server.issued.push(token);
        return Response.json({ access_token: token, token_type: "Bearer", expires_in: 3600 });
      }
      server.apiRequests.push(recorded);
      const bearer = /^Bearer (.+)$/.exec(recorded.headers.get("authorization") ?? "")?.[1];
      if (options.api) return await options.api(bearer, recorded);
      return Response.json({ ok: true });
    },
  };
  return server;
}
