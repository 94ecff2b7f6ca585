// Order statistics for the benchmark (nearest-rank percentiles).

/** The p-th percentile (0-100, nearest rank) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The median (the 50th percentile, nearest rank). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
