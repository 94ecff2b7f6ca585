// The client's own CPU cost per request, with no network and no server: every client gets an
// injected fetch that answers at once (a 401 challenge without Authorization, else a canned 200,
// nothing verified). The difference from the floor is what the Digest client itself costs; the
// loopback numbers add the test server's verification on top.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../gen/atlas.ts";
import { BENCH_CREATE, BENCH_PATH, BENCH_URL_PATH, type OurDigestApi } from "./_clients.ts";
import { BENCH_CREDENTIALS } from "./_protocol.ts";
import { bareDigest, bareMiddleware } from "./_bare_digest.ts";
import { median, percentile } from "./_stats.ts";

/** Per-request client time, from blocks of sequential requests. */
export interface ClientCpuRun {
  client: string;
  /** GET of one endpoint, or POST creating one (a JSON body), as users send them. */
  method: "GET" | "POST";
  requests: number;
  /** Median and p95 over blocks of the mean time per request, µs. */
  p50Us: number;
  p95Us: number;
}

const BASE = "http://atlas.invalid/api/atlas/v1.0";
const NONCE = "bWVtb3J5LW5vbmNlLTAwMDAwMDAwMDAwMDAwMDA=";
const OPAQUE = "6f70617175652d6d656d6f7279";
const CHALLENGE = `Digest realm="${BENCH_CREDENTIALS.realm}", domain="", ` +
  `nonce="${NONCE}", opaque="${OPAQUE}", qop="auth", algorithm=MD5, stale=false`;
const BODY = JSON.stringify({
  method: "GET",
  uri: "/api/atlas/v1.0/groups/x",
  body: "",
  username: BENCH_CREDENTIALS.username,
});

const ok = (): Response => new Response(BODY, { headers: { "content-type": "application/json" } });

/** Answers at once, as a Digest server that verifies nothing would. */
function instantFetch(request: Request): Promise<Response> {
  return Promise.resolve(
    request.headers.has("authorization")
      ? ok()
      : new Response(null, { status: 401, headers: { "www-authenticate": CHALLENGE } }),
  );
}

/** Answers at once, as a server without authentication would. */
const instantOpenFetch = (): Promise<Response> => Promise.resolve(ok());

const { endpointId: _, ...CREATE_PARAMS } = BENCH_PATH.params;

type Call = () => Promise<number>;

/**
 * Reference rows (not clients): the bare work RFC 7616 asks of a warm request, nothing else (see
 * _bare_digest.ts), so that each target can be read against what this runtime allows at all.
 */
export const BARE = {
  middleware: "reference: bare RFC work in a middleware (request copied to not follow redirects)",
  manual: 'reference: bare RFC work in a middleware, redirect: "manual" client (no copy)',
  fetch: "reference: bare RFC work around fetch (one Request, one header)",
} as const;

/** The extra row: digestAuth on a client made with `redirect: "manual"`. */
const MANUAL_MIDDLEWARE =
  'ours: openapi-fetch (redirect: "manual") + digestAuth, redirects left to the caller';

function openapiCalls(
  fetch: (request: Request) => Promise<Response>,
  middleware?: Middleware,
  redirect?: RequestRedirect,
): Record<ClientCpuRun["method"], Call> {
  const client = createClient<paths>({ baseUrl: BASE, fetch, ...redirect && { redirect } });
  if (middleware) client.use(middleware);
  return {
    GET: async () =>
      (await client.GET(BENCH_PATH.template, { params: { path: BENCH_PATH.params } })).response
        .status,
    POST: async () =>
      (await client.POST(BENCH_CREATE.template, {
        params: { path: CREATE_PARAMS },
        body: BENCH_CREATE.body,
      }))
        .response.status,
  };
}

/** Measures the floor and our two entry points in memory, blocks interleaved. */
export async function measureClientCpu(
  ours: OurDigestApi | undefined,
  options: { warmup: number; blocks: number; perBlock: number },
): Promise<ClientCpuRun[]> {
  const credentials = {
    username: BENCH_CREDENTIALS.username,
    password: BENCH_CREDENTIALS.password,
  };
  const url = BASE + BENCH_URL_PATH;
  const byClient: [string, Record<ClientCpuRun["method"], Call>][] = [
    ["floor", openapiCalls(instantOpenFetch)],
  ];
  if (ours) {
    const digestFetch = ours.createDigestFetch({ ...credentials, fetch: instantFetch });
    const call = (init?: RequestInit): Call => async () => {
      const response = await digestFetch(init ? url.slice(0, url.lastIndexOf("/")) : url, init);
      await response.arrayBuffer();
      return response.status;
    };
    byClient.push(
      ["ours-middleware", openapiCalls(instantFetch, ours.digestAuth(credentials))],
      // Not a target row: a client that leaves redirects to its caller, so no request is copied.
      [
        MANUAL_MIDDLEWARE,
        openapiCalls(instantFetch, ours.digestAuth(credentials), "manual"),
      ],
      ["ours-fetch", {
        GET: call(),
        POST: call({
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(BENCH_CREATE.body),
        }),
      }],
    );
  }
  const sign = bareDigest(credentials, {
    realm: BENCH_CREDENTIALS.realm,
    nonce: NONCE,
    opaque: OPAQUE,
  });
  const bareCall = (init?: RequestInit): Call => async () => {
    const target = init ? url.slice(0, url.lastIndexOf("/")) : url;
    const response = await instantFetch(
      sign(new Request(target, { ...init, redirect: "manual" }), false),
    );
    await response.arrayBuffer();
    return response.status;
  };
  byClient.push(
    [BARE.middleware, openapiCalls(instantFetch, bareMiddleware(sign, true))],
    [BARE.manual, openapiCalls(instantFetch, bareMiddleware(sign, false), "manual")],
    [BARE.fetch, {
      GET: bareCall(),
      POST: bareCall({
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(BENCH_CREATE.body),
      }),
    }],
  );
  const clients = (["GET", "POST"] as const).flatMap((method) =>
    byClient.map(([id, calls]) => ({ id, method, get: calls[method], blocks: [] as number[] }))
  );
  const run = async (get: () => Promise<number>, count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const status = await get();
      if (status !== 200) throw new Error(`In-memory request answered ${status}`);
    }
  };
  // Back to the event loop before every block, as a network would between requests: a fetch that
  // answers at once makes one endless microtask job, in which V8 keeps every WeakRef's target alive
  // until the job ends (Deno makes WeakRefs for each Request that follows a signal), so the whole
  // run's garbage would pile up (as in _atlas_cost.ts).
  const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
  for (const c of clients) {
    for (let done = 0; done < options.warmup; done += 100) {
      await turn();
      await run(c.get, Math.min(100, options.warmup - done));
    }
  }
  for (let block = 0; block < options.blocks; block++) {
    for (let i = 0; i < clients.length; i++) {
      const c = clients[(i + block) % clients.length]!;
      await turn();
      const started = performance.now();
      await run(c.get, options.perBlock);
      c.blocks.push(((performance.now() - started) * 1000) / options.perBlock);
    }
  }
  return clients.map((c) => ({
    client: c.id,
    method: c.method,
    requests: options.blocks * options.perBlock,
    p50Us: median(c.blocks),
    p95Us: percentile(c.blocks, 95),
  }));
}
