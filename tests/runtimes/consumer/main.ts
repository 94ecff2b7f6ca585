// A consumer of the npm package, as a user writes it (the runtime tests copy this file into a
// fresh project with the package installed, importing "atlas-private-endpoint"). Node runs it
// compiled by tsc; Bun runs it as is. It prints one JSON line with what it observed and exits 1
// on any failed assertion.
import assert from "node:assert/strict";
import { DigestAuthError } from "@atlas-edge/private-endpoint";
import { createDigestTestServer, serve } from "@atlas-edge/private-endpoint/testing";

/** What this consumer observed, printed as one JSON line. */
export interface ConsumerResult {
  runtime: string;
  challengeStatus: number;
  challenge: string;
  errorName: string;
}

function runtimeName(): string {
  const g = globalThis as { Bun?: { version: string }; process?: { version: string } };
  if (g.Bun) return `bun ${g.Bun.version}`;
  return `node ${g.process?.version ?? "?"}`;
}

async function main(): Promise<ConsumerResult> {
  const digest = createDigestTestServer({ realm: "MMS Public API", credentials: { pk: "sk" } });
  const server = await serve(digest.fetch);
  try {
    const response = await fetch(`${server.url}/api/atlas/v2/groups`);
    await response.body?.cancel();
    assert.equal(response.status, 401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    assert.match(challenge, /^Digest realm="MMS Public API"/);
    const error = new DigestAuthError("Cannot authenticate: no challenge", {
      code: "NO_DIGEST_CHALLENGE",
    });
    assert.ok(error instanceof Error);
    return {
      runtime: runtimeName(),
      challengeStatus: response.status,
      challenge,
      errorName: error.name,
    };
  } finally {
    await server.close();
  }
}

// Types are real, not `any`: each line below must be a type error (never called).
export function typeErrors(): void {
  // @ts-expect-error: the code must be one of the documented codes
  new DigestAuthError("x", { code: "NOT_A_CODE" });
  // @ts-expect-error: serve() takes a fetch handler
  void serve("not a handler");
}

// deno-lint-ignore no-console -- the result line the runtime tests read
console.log(JSON.stringify(await main()));
