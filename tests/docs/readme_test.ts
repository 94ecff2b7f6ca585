// The README states what the code has: the defaults it exports, the CLI's exit codes and the
// environment variables the CLI reads. (Its code examples are type-checked by `deno task check`.)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  DEFAULT_ATLAS_BASE_URL,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RETRY,
  DEFAULT_WAIT_TIMEOUT_MS,
} from "../../mod.ts";
import { EXIT_CODE_TABLE } from "../../src/cli/_exit_codes.ts";
import {
  API_VERSION_VAR,
  BASE_URL_VAR,
  CLIENT_ID_VAR,
  CLIENT_SECRET_VAR,
  PRIVATE_KEY_VARS,
  PROJECT_ID_VAR,
  PUBLIC_KEY_VARS,
} from "../../src/cli/_env.ts";

const README = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");

/** The cells of the README's table rows, keyed by their first cell (backticks removed). */
function tableRows(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of README.split("\n")) {
    if (!line.startsWith("|") || /^\|\s*-/.test(line)) continue;
    const cells = line.slice(1, -1).split("|").map((cell) => cell.trim().replaceAll("`", ""));
    rows.set(cells[0]!, cells.slice(1));
  }
  return rows;
}

/** `60_000` -> 60000; undefined when the cell does not start with a number. */
function numberIn(cell: string | undefined): number | undefined {
  const match = /^[\d_]+/.exec(cell ?? "");
  return match ? Number(match[0].replaceAll("_", "")) : undefined;
}

Deno.test("README gives DEFAULT_RETRY's values as the retry options' defaults", () => {
  const rows = tableRows();
  for (const [name, value] of Object.entries(DEFAULT_RETRY)) {
    assert.equal(numberIn(rows.get(name)?.[0]), value, `README default of retry.${name}`);
  }
});

Deno.test("README gives the client's default base URL and the wait's default time limit", () => {
  const rows = tableRows();
  assert.equal(rows.get("baseUrl")?.[0], DEFAULT_ATLAS_BASE_URL);
  const hours = DEFAULT_WAIT_TIMEOUT_MS / 3_600_000;
  assert.match(rows.get("timeoutMs")?.[0] ?? "", new RegExp(`wait: ${hours} hours?\\)`));
});

Deno.test("README gives DEFAULT_MAX_RESPONSE_BYTES as the client's maxResponseBytes default", () => {
  // The client's row (the per-call table's says "the client's").
  const cell = /^\| `maxResponseBytes` +\| `([\d_]+)`/m.exec(README)?.[1];
  assert.equal(numberIn(cell), DEFAULT_MAX_RESPONSE_BYTES);
});

Deno.test("README gives DEFAULT_RATE_LIMIT as the client's rateLimit default", () => {
  const cell = tableRows().get("rateLimit")?.[0] ?? "";
  assert.equal(
    cell,
    `{ requestsPerMinute: ${DEFAULT_RATE_LIMIT.requestsPerMinute}, burst: ${DEFAULT_RATE_LIMIT.burst} }`,
  );
});

Deno.test("README lists the CLI's exit codes, every one and no other", () => {
  const rows = tableRows();
  const listed = [...rows.keys()].filter((key) => /^\d+$/.test(key)).map(Number);
  assert.deepEqual(listed, EXIT_CODE_TABLE.map(([code]) => code));
});

Deno.test("README names every environment variable the CLI reads", () => {
  const names = [
    ...PUBLIC_KEY_VARS,
    ...PRIVATE_KEY_VARS,
    CLIENT_ID_VAR,
    CLIENT_SECRET_VAR,
    API_VERSION_VAR,
    BASE_URL_VAR,
    PROJECT_ID_VAR,
  ];
  for (const name of names) {
    assert.match(README, new RegExp(`\\b${name}\\b`), `README names ${name}`);
  }
});
