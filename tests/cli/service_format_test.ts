import assert from "node:assert/strict";
import { formatServiceFields } from "../../src/cli/_service_format.ts";

Deno.test("formatServiceFields() shows a long list as its first item and the count, a short one whole", () => {
  const names = Array.from({ length: 50 }, (_, i) => `projects/p/serviceAttachments/sa-${i}`);
  const text = formatServiceFields(
    {
      cloudProvider: "GCP",
      id: "6a1b2c3d4e5f6a7b8c9d0e1f",
      status: "AVAILABLE",
      serviceAttachmentNames: names,
      endpointGroupNames: ["atlas-psc-a", "atlas-psc-b"],
    },
    "5f4b0c1d2e3f4a5b6c7d8e9f",
    false,
  );
  assert.match(
    text,
    /\n {2}Service attachments +projects\/p\/serviceAttachments\/sa-0, \.\.\. \(50 in all; --json lists them\)\n/,
  );
  assert.doesNotMatch(text, /sa-1\b/);
  assert.match(text, /\n {2}Endpoint groups +atlas-psc-a, atlas-psc-b\n/);
});
