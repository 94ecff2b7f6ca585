// Resetting a Digest verifier's counters in place (the verifier keeps its stats object).

/** Sets challenges, accepted and every rejection count of `stats` back to zero, in place. */
export function resetDigestStats(
  stats: { challenges: number; accepted: number; rejected: Record<string, number> },
): void {
  stats.challenges = 0;
  stats.accepted = 0;
  for (const key of Object.keys(stats.rejected)) delete stats.rejected[key];
}
