// Keeps the requests of a call alive as long as its response. undici links a Request's signal to
// the signal it follows only weakly (a WeakRef to an AbortController that only the Request holds):
// once the caller's request, or a copy made from it, is collected, the caller's signal no longer
// reaches the requests sent after it, and an aborted call's body streams on. A property rather than
// a WeakMap: ephemerons cost every garbage collection, and there is one per request.

const HELD = Symbol("held");

/** Keeps `value` alive at least as long as `owner` (unless `owner` cannot take a property). */
export function hold(owner: object, value: unknown): void {
  const values = (owner as { [HELD]?: unknown[] })[HELD];
  if (values) values.push(value);
  else if (Object.isExtensible(owner)) Object.defineProperty(owner, HELD, { value: [value] });
}
