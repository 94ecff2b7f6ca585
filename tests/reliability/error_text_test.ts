// Error messages quote what a server sent only briefly: a hostile server's huge error detail or
// endpoint errorMessage stays whole on the error's fields but not in its message.
import assert from "node:assert/strict";
import {
  AtlasApiError,
  getPrivateEndpoint,
  PrivateEndpointFailedError,
  waitForPrivateEndpoint,
} from "../../mod.ts";
import { challenged, clientOf, hostile, REF } from "./_hostile.ts";

const HUGE = "x".repeat(256 * 1024);

/** A server that challenges, then answers every authenticated request with `status` and `body`. */
const answering = (status: number, body: unknown) =>
  hostile((req, res) => {
    if (challenged(req, res)) return;
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });

Deno.test("getPrivateEndpoint() keeps AtlasApiError's message short when the server sends a huge error", async () => {
  const server = await answering(400, {
    error: 400,
    errorCode: `INVALID_${"Y".repeat(10_000)}`,
    detail: HUGE,
    reason: "Bad Request",
  });
  try {
    const error = await getPrivateEndpoint(clientOf(server), REF).catch((e: unknown) => e);
    assert.ok(error instanceof AtlasApiError, `got ${error}`);
    assert.ok(error.message.length < 1_000, `${error.message.length} characters`);
    assert.match(error.message, /^Cannot get private endpoint: 400 INVALID_Y+…: x+… \(GET http:/);
    assert.equal(error.detail, HUGE, "the field keeps it whole");
  } finally {
    await server.close();
  }
});

Deno.test("waitForPrivateEndpoint() keeps PrivateEndpointFailedError's message short when errorMessage is huge", async () => {
  const server = await answering(200, {
    interfaceEndpointId: REF.endpointId,
    connectionStatus: "REJECTED",
    errorMessage: HUGE,
  });
  try {
    const error = await waitForPrivateEndpoint(clientOf(server), REF, { pollIntervalMs: 1 })
      .catch((e: unknown) => e);
    assert.ok(error instanceof PrivateEndpointFailedError, `got ${error}`);
    assert.ok(error.message.length < 1_000, `${error.message.length} characters`);
    assert.equal(error.errorMessage, HUGE, "the field keeps it whole");
  } finally {
    await server.close();
  }
});
