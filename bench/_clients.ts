// The clients under test, each behind one small interface: make a fresh (cold) client, send a GET
// to a path and read the whole body, close. Every client reads the JSON body, as users do.
import createClient, { type Middleware } from "openapi-fetch";
import DigestClient from "npm:digest-fetch@3.1.1";
import { HttpClient } from "npm:urllib@4.9.2";
import type { paths } from "../gen/atlas.ts";
import type * as Library from "../mod.ts";
import { BENCH_CREDENTIALS } from "./_protocol.ts";

/** One request, answered: its final HTTP status after the client's own handling. */
export interface BenchClient {
  /** Sends `GET baseUrl + path` and reads the body; throws what the client throws. */
  get(path: string): Promise<number>;
  /** Sends `POST baseUrl + path` with a JSON body (a create) and reads the answer. */
  post(path: string, body: string): Promise<number>;
  close(): Promise<void>;
}

/** A kind of client: ours, a peer, or the floor. */
export interface ClientKind {
  id: string;
  label: string;
  /** False for the floor: it talks to the port with authentication switched off. */
  auth: boolean;
  /** A fresh client with no nonce known, for one base URL. */
  create(baseUrl: string): BenchClient;
}

/** The request every client sends: an Atlas-shaped GET of one private endpoint. */
export const BENCH_PATH = {
  template:
    "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}",
  params: {
    groupId: "5f4d7b1c9a8e3c2b1a0f9e8d",
    cloudProvider: "AWS",
    endpointServiceId: "64e3b2f1c0a9d8e7f6a5b4c3",
    endpointId: "vpce-0a1b2c3d4e5f60718",
  },
} as const;

/** A create: its path (the collection of BENCH_PATH's endpoint) and JSON body. */
export const BENCH_CREATE = {
  template: BENCH_PATH.template.slice(
    0,
    BENCH_PATH.template.lastIndexOf("/"),
  ) as "/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint",
  body: { id: BENCH_PATH.params.endpointId },
} as const;

/** The concrete path of {@linkcode BENCH_PATH}. */
export const BENCH_URL_PATH: string = BENCH_PATH.template.replace(
  /\{(\w+)\}/g,
  (_, name: string) => BENCH_PATH.params[name as keyof typeof BENCH_PATH.params],
);

/** The part of our public API the benchmark uses (src/digest, exported from mod.ts). */
export type OurDigestApi = Pick<typeof Library, "digestAuth" | "createDigestFetch">;

/** Our Digest API from mod.ts, or why it is not there (yet). */
export async function loadOurs(): Promise<OurDigestApi | string> {
  const mod = (await import("../mod.ts")) as Record<string, unknown>;
  const missing = ["digestAuth", "createDigestFetch"].filter((k) => typeof mod[k] !== "function");
  if (missing.length > 0) return `mod.ts does not export ${missing.join(", ")} yet`;
  return mod as unknown as OurDigestApi;
}

/** A fresh object each time: some clients write into the headers they are given. */
const jsonType = (): Record<string, string> => ({ "content-type": "application/json" });

function openapiClient(baseUrl: string, middleware?: Middleware): BenchClient {
  const client = createClient<paths>({ baseUrl });
  if (middleware) client.use(middleware);
  return {
    async get(): Promise<number> {
      const { response } = await client.GET(BENCH_PATH.template, {
        params: { path: BENCH_PATH.params },
      });
      return response.status;
    },
    async post(): Promise<number> {
      const { endpointId: _, ...path } = BENCH_PATH.params;
      const { response } = await client.POST(BENCH_CREATE.template, {
        params: { path },
        body: BENCH_CREATE.body,
      });
      return response.status;
    },
    close: () => Promise.resolve(),
  };
}

/** The floor: plain openapi-fetch, no authentication, against the port without it. */
export const floorClient: ClientKind = {
  id: "floor",
  label: "floor: openapi-fetch, no auth",
  auth: false,
  create: (baseUrl) => openapiClient(baseUrl),
};

/** Every client kind, ours first (when mod.ts has it), then the peers. */
export function clientKinds(
  ours: OurDigestApi | undefined,
  versions: Record<string, string>,
): ClientKind[] {
  const credentials = {
    username: BENCH_CREDENTIALS.username,
    password: BENCH_CREDENTIALS.password,
  };
  const kinds: ClientKind[] = [floorClient];
  if (ours) {
    kinds.push({
      id: "ours-middleware",
      label: "ours: openapi-fetch + digestAuth",
      auth: true,
      create: (baseUrl) => openapiClient(baseUrl, ours.digestAuth(credentials)),
    }, {
      id: "ours-fetch",
      label: "ours: createDigestFetch",
      auth: true,
      create(baseUrl): BenchClient {
        const digestFetch = ours.createDigestFetch(credentials);
        return {
          async get(path): Promise<number> {
            const response = await digestFetch(baseUrl + path);
            await response.arrayBuffer();
            return response.status;
          },
          async post(path, body): Promise<number> {
            const response = await digestFetch(baseUrl + path, {
              method: "POST",
              headers: jsonType(),
              body,
            });
            await response.arrayBuffer();
            return response.status;
          },
          close: () => Promise.resolve(),
        };
      },
    });
  }
  kinds.push({
    id: "digest-fetch",
    label: `digest-fetch ${versions["digest-fetch"]}`,
    auth: true,
    create(baseUrl): BenchClient {
      const client = new DigestClient(credentials.username, credentials.password);
      return {
        async get(path): Promise<number> {
          const response = await client.fetch(baseUrl + path, {});
          await response.arrayBuffer();
          return response.status;
        },
        async post(path, body): Promise<number> {
          const response = await client.fetch(baseUrl + path, {
            method: "POST",
            headers: jsonType(),
            body,
          });
          await response.arrayBuffer();
          return response.status;
        },
        close: () => Promise.resolve(),
      };
    },
  }, {
    id: "urllib",
    label: `urllib ${versions["urllib"]}`,
    auth: true,
    create(baseUrl): BenchClient {
      const client = new HttpClient();
      return {
        async get(path): Promise<number> {
          const response = await client.request(baseUrl + path, {
            digestAuth: `${credentials.username}:${credentials.password}`,
            dataType: "json",
          });
          return response.status;
        },
        async post(path, body): Promise<number> {
          const response = await client.request(baseUrl + path, {
            method: "POST",
            headers: jsonType(),
            content: body,
            digestAuth: `${credentials.username}:${credentials.password}`,
            dataType: "json",
          });
          return response.status;
        },
        // Its default dispatcher is shared by every HttpClient: leave it open.
        close: () => Promise.resolve(),
      };
    },
  });
  return kinds;
}
