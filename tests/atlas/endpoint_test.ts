import assert from "node:assert/strict";
import {
  AtlasValidationError,
  type PrivateEndpoint,
  privateEndpointId,
  privateEndpointStatus,
} from "../../mod.ts";
import { PROVIDERS } from "../../src/atlas/_providers.ts";

/** One endpoint per provider, as Atlas reports it. */
const ENDPOINTS: PrivateEndpoint[] = [
  {
    cloudProvider: "AWS",
    interfaceEndpointId: "vpce-0123456789abcdef0",
    connectionStatus: "PENDING",
  },
  {
    cloudProvider: "AZURE",
    privateEndpointResourceId:
      "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe",
    status: "INITIATING",
  },
  { cloudProvider: "GCP", endpointGroupName: "atlas-group", status: "VERIFIED" },
];

Deno.test("privateEndpointId() and privateEndpointStatus() read the fields the provider table names", () => {
  for (const endpoint of ENDPOINTS) {
    const { id, status } = PROVIDERS[endpoint.cloudProvider];
    const fields: Record<string, unknown> = endpoint;
    assert.equal(privateEndpointId(endpoint), fields[id]);
    assert.equal(privateEndpointStatus(endpoint), fields[status]);
  }
  // A status in another provider's field is not this provider's status.
  assert.equal(
    privateEndpointStatus({ cloudProvider: "AWS", status: "AVAILABLE" } as PrivateEndpoint),
    "UNKNOWN",
  );
});

Deno.test("privateEndpointId() names the missing field, or an unknown provider", () => {
  assert.throws(() => privateEndpointId({ cloudProvider: "AZURE", status: "FAILED" }), {
    name: "AtlasValidationError",
    field: "privateEndpointResourceId",
  });
  const stranger = { cloudProvider: "IBM", endpointGroupName: "g" } as unknown as PrivateEndpoint;
  assert.throws(() => privateEndpointId(stranger), (error) => {
    assert.ok(error instanceof AtlasValidationError);
    assert.equal(error.field, "cloudProvider");
    return true;
  });
  assert.equal(privateEndpointStatus(stranger), "UNKNOWN");
});

Deno.test("the provider table's create id is the field the endpoint reports as its id", () => {
  for (const provider of Object.values(PROVIDERS)) {
    assert.equal(provider.echo[provider.createId], provider.id);
    assert.ok(Array.isArray(provider.create[provider.createId]), "the id is a checked string");
    assert.ok(!provider.ended.includes(provider.ready));
  }
});
