// The benchmark's server, run as its own process so that client and server do not share one
// event loop (this machine has two cores). It serves two ports with the same latency:
// - `auth`: the strict Digest test server of src/testing (createDigestTestServer);
// - `open`: the same echo with authentication switched off, for the no-auth floor.
// Round trips are counted here, at the server. The parent drives it over HTTP on `/__bench/*`
// (never counted) and reads the two URLs from the first line this process prints.
import { requestTarget, serve } from "../src/testing/serve.ts";
import { createDigestTestServer, type DigestTestServer } from "../src/testing/digest_verifier.ts";
import { BENCH_CREDENTIALS, type ServerConfig, type ServerStats } from "./_protocol.ts";

// Atlas-like challenges: `domain=""` after the realm and an explicit `stale=false`.
function makeDigestServer(c: ServerConfig): DigestTestServer {
  return createDigestTestServer({
    realm: BENCH_CREDENTIALS.realm,
    credentials: { [BENCH_CREDENTIALS.username]: BENCH_CREDENTIALS.password },
    algorithms: ["MD5"],
    qop: ["auth"],
    ncPolicy: c.ncPolicy,
    opaque: c.opaque,
    extraChallengeParams: 'domain=""',
    explicitStale: true,
    ...(c.maxNonceUses === undefined ? {} : { maxNonceUses: c.maxNonceUses }),
  });
}

let config: ServerConfig = { latencyMs: 0, ncPolicy: "unique", opaque: "per-nonce" };
let digest: DigestTestServer = makeDigestServer(config);
let stats: ServerStats = emptyStats();
let seed = 1;

/** A small seeded generator (mulberry32), so the jitter is the same in every run. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function emptyStats(): ServerStats {
  return {
    requests: 0,
    withAuthorization: 0,
    bodyBytes: 0,
    byStatus: {},
    handlerMs: 0,
    rejected: {},
  };
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

async function control(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (path === "/__bench/config" && request.method === "POST") {
    config = (await request.json()) as ServerConfig;
    digest = makeDigestServer(config);
    stats = emptyStats();
    seed = 1;
    return Response.json({ ok: true });
  }
  if (path === "/__bench/stats") {
    return Response.json({ ...stats, rejected: digest.verifier.stats.rejected });
  }
  return new Response("Unknown control path", { status: 404 });
}

/** Counts a request and its response, then holds the response for the configured latency. */
async function counted(
  request: Request,
  handle: (r: Request) => Promise<Response>,
): Promise<Response> {
  const bytes = Number(request.headers.get("content-length") ?? 0);
  stats.requests++;
  stats.bodyBytes += bytes;
  if (request.headers.has("authorization")) stats.withAuthorization++;
  if (config.jitterMs) await delay(random() * config.jitterMs);
  const started = performance.now();
  const response = await handle(request);
  stats.handlerMs += performance.now() - started;
  stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
  await delay(config.latencyMs);
  return response;
}

/** The authorized-response echo of createDigestTestServer, without the authentication. */
async function openEcho(request: Request): Promise<Response> {
  const body = await request.text();
  return Response.json({ method: request.method, uri: requestTarget(request), body, username: "" });
}

function handler(kind: "auth" | "open"): (request: Request) => Promise<Response> {
  return (request) => {
    if (new URL(request.url).pathname.startsWith("/__bench/")) return control(request);
    return counted(request, kind === "auth" ? (r) => digest.fetch(r) : openEcho);
  };
}

const auth = await serve(handler("auth"));
const open = await serve(handler("open"));
// deno-lint-ignore no-console
console.log(JSON.stringify({ auth: auth.url, open: open.url }));

// The parent ends this process by closing its stdin.
for await (const _ of Deno.stdin.readable) { /* wait */ }
await auth.close();
await open.close();
