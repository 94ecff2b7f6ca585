// The simulator's clock: a base clock (Date.now by default) plus the time tests add with advance().

/** The simulator's clock. */
export interface SimulatorClock {
  /** The current simulated time, in milliseconds. */
  now(): number;
  /** Moves the clock forward (status life cycles and nonce lifetimes follow it). */
  advance(ms: number): void;
}

/** A clock that reads `baseNow` plus everything advanced so far. */
export function createSimulatorClock(baseNow: () => number): SimulatorClock {
  let offset = 0;
  return {
    now: () => baseNow() + offset,
    advance(ms: number): void {
      if (!(ms >= 0)) throw new RangeError("Cannot advance the simulator clock: ms must be >= 0");
      offset += ms;
    },
  };
}
