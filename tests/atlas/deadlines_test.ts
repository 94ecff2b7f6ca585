// The shared timer of attempts' time limits (src/atlas/_deadlines.ts).
import assert from "node:assert/strict";
import { arm, disarm } from "../../src/atlas/_deadlines.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("deadlines expire in order, a later-armed earlier one first, and disarmed ones never", async () => {
  const expired: string[] = [];
  const started = performance.now();
  const late = arm(150, () => expired.push("late"));
  const early = arm(20, () => expired.push(`early after ${performance.now() - started} ms`));
  const never = arm(40, () => expired.push("never"));
  disarm(never);
  await sleep(80);
  assert.equal(expired.length, 1);
  assert.match(expired[0]!, /^early after/);
  assert.ok(Number(/after ([\d.]+)/.exec(expired[0]!)![1]) >= 19);
  await sleep(120);
  assert.deepEqual(expired.slice(1), ["late"]);
  disarm(late);
  disarm(early);
});

Deno.test("a deadline armed after the others ended is still kept, and nothing is left holding the test", async () => {
  const first = arm(1_000, () => {});
  disarm(first);
  let fired = false;
  const second = arm(30, () => fired = true);
  await sleep(70);
  assert.equal(fired, true);
  disarm(second);
  // The shared timer may still be set for the first deadline, unref'd: the sanitizers let it be.
});
