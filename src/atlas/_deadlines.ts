// Attempt time limits on one shared timer. A timer per attempt (set, then cleared when the attempt
// ends) costs a few microseconds a request; here every attempt's deadline waits in one set, and one
// timer, set for the earliest, expires what is due and is set again for the next. It keeps the
// process alive only while a deadline waits: once none does, it is unref'd (Deno.unrefTimer, or
// the timer's own unref() in Node and Bun) and left to run out, so that the next attempt, whose
// deadline is later, finds it set. Where timers cannot be unref'd (Workers, whose timers also
// belong to the request that set them), each attempt has its own timer, as before.

/** One attempt's deadline: `expire` runs once `at` (performance.now()) has passed, unless disarmed. */
export interface Deadline {
  readonly at: number;
  readonly expire: () => void;
  /** The attempt's own timer, where there is no shared one. */
  readonly own: unknown;
}

type Timers = typeof globalThis & {
  Deno?: { refTimer?(id: number): void; unrefTimer?(id: number): void };
};
type Handle = { ref?(): unknown; unref?(): unknown };

const waiting = new Set<Deadline>();
let timer: unknown;
let armedAt = Infinity;
let held = false;
/** Whether this runtime's timers can be unref'd; known from the first deadline on. */
let shared: boolean | undefined;

/** Whether a timer can be unref'd here (tried on a timer set and cleared at once). */
function canUnref(): boolean {
  if (typeof (globalThis as Timers).Deno?.unrefTimer === "function") return true;
  const probe = setTimeout(() => {}, 1) as unknown;
  clearTimeout(probe as number);
  return typeof (probe as Handle | null)?.unref === "function";
}

/** Makes the shared timer keep the process alive, or not. */
function hold(on: boolean): void {
  if (held === on || timer === undefined) return;
  held = on;
  const deno = (globalThis as Timers).Deno;
  if (typeof timer === "number" && deno?.unrefTimer) {
    if (on) deno.refTimer?.(timer);
    else deno.unrefTimer(timer);
  } else if (on) (timer as Handle).ref?.();
  else (timer as Handle).unref?.();
}

function schedule(at: number): void {
  if (timer !== undefined) clearTimeout(timer as number);
  armedAt = at;
  held = true;
  timer = setTimeout(fire, Math.max(0, at - performance.now()));
}

function fire(): void {
  timer = undefined;
  armedAt = Infinity;
  const now = performance.now();
  let next = Infinity;
  for (const deadline of waiting) {
    if (deadline.at <= now) {
      waiting.delete(deadline);
      deadline.expire();
    } else if (deadline.at < next) next = deadline.at;
  }
  if (next !== Infinity) schedule(next);
}

/** Runs `expire` after `ms` milliseconds, unless {@linkcode disarm}ed first. */
export function arm(ms: number, expire: () => void): Deadline {
  shared ??= canUnref();
  if (!shared) return { at: 0, expire, own: setTimeout(expire, ms) };
  const deadline: Deadline = { at: performance.now() + ms, expire, own: undefined };
  waiting.add(deadline);
  if (deadline.at < armedAt) schedule(deadline.at);
  else hold(true);
  return deadline;
}

/** Ends a deadline: its `expire` will not run. */
export function disarm(deadline: Deadline): void {
  if (deadline.own !== undefined) return clearTimeout(deadline.own as number);
  if (waiting.delete(deadline) && waiting.size === 0) hold(false);
}
