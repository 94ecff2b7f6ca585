// A compile-time check for the type tests.

/** Compiles only when A and B are assignable to each other. */
export function mutual<A, B>(
  _check: [A] extends [B] ? ([B] extends [A] ? true : false) : false,
): void {}
