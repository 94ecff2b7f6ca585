// The fault matrix (see _faults.ts): every fault ends in a typed error or a correct recovery,
// with the number of requests asserted, against the simulator on loopback or a fault server.
import { SCENARIOS, SIMULATOR_SCENARIOS } from "./_faults.ts";

for (const scenario of [...SCENARIOS, ...SIMULATOR_SCENARIOS]) {
  Deno.test(scenario.name, async () => {
    scenario.check(await scenario.run());
  });
}
