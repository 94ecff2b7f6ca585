// String comparison whose running time depends only on the lengths, for secrets and digests.

/**
 * Compares two strings in time that depends only on their lengths: every position up to the
 * longer length is read, whatever the first difference, and nothing returns early.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    diff |= (a.charCodeAt(i % (a.length || 1)) | 0) ^ (b.charCodeAt(i % (b.length || 1)) | 0);
  }
  return diff === 0;
}
