// One cold start, in a fresh process: import a client library, make the first authenticated call
// (challenge included), print the timings as JSON. Run by bench/_cold_start.ts.
//   deno run -A bench/_cold_child.ts <variant> <baseUrl> <path>
import { BENCH_CREDENTIALS } from "./_protocol.ts";

const [variant, baseUrl, path] = Deno.args as [string, string, string];
const { username, password } = BENCH_CREDENTIALS;
const t0 = performance.now();
let status: number;
let t1: number;

switch (variant) {
  case "floor": {
    const { default: createClient } = await import("openapi-fetch");
    t1 = performance.now();
    const client = createClient({ baseUrl });
    // deno-lint-ignore no-explicit-any
    status = (await (client as any).GET(path)).response.status;
    break;
  }
  case "ours": {
    const [{ default: createClient }, ours] = await Promise.all([
      import("openapi-fetch"),
      import("../mod.ts") as Promise<Record<string, unknown>>,
    ]);
    t1 = performance.now();
    const digestAuth = ours.digestAuth as (o: object) => import("openapi-fetch").Middleware;
    const client = createClient({ baseUrl });
    client.use(digestAuth({ username, password }));
    // deno-lint-ignore no-explicit-any
    status = (await (client as any).GET(path)).response.status;
    break;
  }
  case "digest-fetch": {
    const { default: DigestClient } = await import("npm:digest-fetch@3.1.1");
    t1 = performance.now();
    const response = await new DigestClient(username, password).fetch(baseUrl + path, {});
    await response.arrayBuffer();
    status = response.status;
    break;
  }
  case "urllib": {
    const { request } = await import("npm:urllib@4.9.2");
    t1 = performance.now();
    const response = await request(baseUrl + path, {
      digestAuth: `${username}:${password}`,
      dataType: "json",
    });
    status = response.status;
    break;
  }
  default:
    throw new Error(`Unknown variant ${variant}`);
}
const t2 = performance.now();
// deno-lint-ignore no-console
console.log(JSON.stringify({ status, importMs: t1 - t0, firstCallMs: t2 - t1, totalMs: t2 - t0 }));
// urllib keeps its connection pool open; the measurement is done.
Deno.exit(0);
